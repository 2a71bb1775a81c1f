using System.Runtime.CompilerServices;
using Cowbird.Kernel.Boot;
using Cowbird.Kernel.Memory;
using Cowbird.Mm.Physical;
using Cowbird.Runtime;

namespace Cowbird.Kernel.SelfTests
{
    // The heap growing and shrinking through the kernel (kernel_heap_grow/_release,
    // KernelHeapArea): more live data than the heap holds lands in segments mapped frame by
    // frame in the kernel-heap area; once dropped, a collection gives every frame back.
    // EnsureHeadroom grows on request, and refuses a request larger than RAM without
    // keeping a frame of its failed attempt.
    public sealed unsafe class HeapWindowSelfTest : SelfTest
    {
        public override string Name => "heap-window";

        private const int ChunkBytes = 64 * 1024;
        private const ulong BeyondHeapBytes = 8UL << 20;
        private const ulong HeadroomBytes = 4UL << 20;
        // The heap area's page directory stays once made (one frame).
        private const ulong KeptFrames = 1;

        public override bool Run(BootInfo bootInfo)
        {
            FrameAllocator frames = KernelMemory.Manager.Frames;
            Gc.Collect();
            GcStatistics start = Gc.GetStatistics();
            ulong startFrames = frames.FreeFrames;

            bool ok = Check(FillBeyondHeap(start.FreeBytes + BeyondHeapBytes), "live data beyond the heap lands in the kernel-heap area");
            ok &= Check(Gc.GetStatistics().HeapBytes > start.HeapBytes + BeyondHeapBytes, "the heap grew");
            ok &= Check(Gc.EnsureHeadroom(HeadroomBytes) && Gc.GetStatistics().FreeBytes >= HeadroomBytes + Gc.ReserveBytes,
                "EnsureHeadroom makes room on request");

            Gc.Collect();
            GcStatistics after = Gc.GetStatistics();
            ok &= Check(after.HeapBytes == start.HeapBytes, "emptied grown segments went back");
            ok &= Check(frames.FreeFrames + KeptFrames >= startFrames, "so did their frames and page tables");

            ulong tooMuch = frames.TotalFrames * 2 * 4096;
            ok &= Check(!Gc.EnsureHeadroom(tooMuch), "EnsureHeadroom refuses more than RAM");
            ok &= Check(frames.FreeFrames + KeptFrames >= startFrames && Gc.GetStatistics().HeapBytes == start.HeapBytes,
                "a refused growth keeps nothing");
            return ok;
        }

        // Keeps `bytes` of 64 KiB arrays alive at once and checks they are intact and some
        // lie in the kernel-heap area; then drops them (in its own frame, so no stale
        // reference stays in Run's stack slots, which the collector scans conservatively).
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static bool FillBeyondHeap(ulong bytes)
        {
            int chunks = (int)(bytes / ChunkBytes);
            byte[][] live = new byte[chunks][];
            bool inArea = false;
            for (int i = 0; i < chunks; i++)
            {
                live[i] = new byte[ChunkBytes];
                live[i][ChunkBytes - 1] = (byte)i;
                fixed (byte* data = live[i])
                    inArea |= (ulong)data >= KernelHeapArea.Base && (ulong)data < KernelHeapArea.End;
            }
            bool intact = true;
            for (int i = 0; i < chunks; i++)
                intact &= live[i][ChunkBytes - 1] == (byte)i;
            return intact && inArea;
        }
    }
}
