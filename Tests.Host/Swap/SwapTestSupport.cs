using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Cowbird.Mm.Swap;

namespace Cowbird.Tests.Host.Swap
{
    static class SwapPanicInstaller
    {
        // Installed before any test runs, so a panic can never spin the test host.
        [ModuleInitializer]
        internal static void Install() => HostPanicHandler.Install();
    }

    // One 4096-byte page of native memory, standing in for a frame's contents.
    public sealed unsafe class PageBuffer : IDisposable
    {
        public readonly byte* Pointer;

        public PageBuffer()
        {
            Pointer = (byte*)NativeMemory.AllocZeroed(BlockDevice.PageSize);
        }

        public void Fill(byte seed)
        {
            for (int i = 0; i < BlockDevice.PageSize; i++)
                Pointer[i] = (byte)(seed + i * 7);
        }

        public bool HasPattern(byte seed)
        {
            for (int i = 0; i < BlockDevice.PageSize; i++)
                if (Pointer[i] != (byte)(seed + i * 7))
                    return false;
            return true;
        }

        public void Dispose() => NativeMemory.Free(Pointer);
    }

    static unsafe class SwapDisks
    {
        // A RAM disk of `pages` pages formatted as one swap area with `badPages`.
        public static RamDisk Formatted(ulong pages, uint[] badPages = null)
        {
            var disk = new RamDisk(pages);
            using var scratch = new PageBuffer();
            int result = SwapHeader.FormatDevice(disk, badPages, scratch.Pointer);
            if (result != 0)
                throw new InvalidOperationException("FormatDevice failed: " + result);
            disk.Reads = 0;
            disk.Writes = 0;
            return disk;
        }
    }
}
