using Cowbird.Kernel.Boot;
using Cowbird.Runtime;

namespace Cowbird.Kernel.SelfTests
{
    // Growing the heap: the kernel hands the collector another region
    // (Gc.AddRegion; here a 2 MiB buffer in the image's .bss standing in for
    // pages from the frame allocator). More live data than the boot heap can
    // hold then fits, and dropping it brings usage back down.
    public sealed unsafe class HeapGrowSelfTest : SelfTest
    {
        public override string Name => "heap-grow";

        private const int ExtraRegionBytes = 2 * 1024 * 1024;
        private const int ChunkBytes = 64 * 1024;
        private const ulong BeyondBootHeapBytes = 1024 * 1024;

        private struct Region
        {
            public fixed byte Bytes[ExtraRegionBytes];
        }

        private static Region s_region;

        public override bool Run(BootInfo bootInfo)
        {
            Gc.Collect();
            GcStatistics start = Gc.GetStatistics();
            bool added;
            fixed (byte* region = s_region.Bytes)
                added = Gc.AddRegion(region, region + ExtraRegionBytes);
            GcStatistics grown = Gc.GetStatistics();
            bool ok = Check(added && grown.HeapBytes > start.HeapBytes + ExtraRegionBytes - 64 * 1024, "the region was added (less its page descriptors)");

            ok &= Check(FillBeyondBootHeap(start.HeapBytes), "more live data than the boot heap holds");

            Gc.Collect();
            GcStatistics after = Gc.GetStatistics();
            ok &= Check(after.BytesInUse <= start.BytesInUse + 4096, "dropping it brings usage back to the start");
            return ok;
        }

        // Keeps more than `bootHeapBytes` alive at once, checks it, then drops it
        // (in its own frame, so no stale reference stays in Run's stack slots,
        // which the collector scans conservatively).
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static bool FillBeyondBootHeap(ulong bootHeapBytes)
        {
            int chunks = (int)((bootHeapBytes + BeyondBootHeapBytes) / ChunkBytes);
            byte[][] live = new byte[chunks][];
            for (int i = 0; i < chunks; i++)
            {
                live[i] = new byte[ChunkBytes];
                live[i][ChunkBytes - 1] = (byte)i;
            }
            bool intact = Gc.GetStatistics().BytesInUse > bootHeapBytes;
            for (int i = 0; i < chunks; i++)
                intact &= live[i][ChunkBytes - 1] == (byte)i && Gc.IsInHeap(live[i]);
            return intact;
        }
    }
}
