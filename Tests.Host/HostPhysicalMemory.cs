using System.Runtime.InteropServices;
using Cowbird.Mm.Platform;

namespace Cowbird.Tests.Host
{
    // Host stand-in for RAM: one zeroed block of native memory; physical address P is
    // byte P of the block. Out-of-range accesses panic (as a kernel would on a bad
    // physical address), so a corrupt PTE cannot scribble over the test process.
    public sealed unsafe class HostPhysicalMemory : PhysicalMemory, System.IDisposable
    {
        readonly byte* ram;
        public readonly ulong Size;

        public HostPhysicalMemory(ulong sizeBytes)
        {
            Size = sizeBytes;
            ram = (byte*)NativeMemory.AllocZeroed((nuint)sizeBytes);
        }

        public override byte* Pointer(ulong physicalAddress, ulong length)
        {
            if (physicalAddress >= Size || length > Size - physicalAddress)
                Cowbird.Mm.Mm.Panic("HostPhysicalMemory.Pointer: address outside RAM");
            return ram + physicalAddress;
        }

        public void Dispose()
        {
            NativeMemory.Free(ram);
        }
    }
}
