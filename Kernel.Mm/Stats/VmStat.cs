using Cowbird.Mm.Physical;

namespace Cowbird.Mm.Stats
{
    // Event counters and memory totals named as in Linux's /proc/vmstat and
    // /proc/meminfo, so the kernel can fill those files later. Counters only grow.
    public sealed class VmStat
    {
        readonly FrameAllocator frames;

        // Every page fault handed to FaultHandler.Handle (vmstat: pgfault).
        public ulong PgFault;
        // Faults that mapped a fresh zeroed frame (demand-zero).
        public ulong DemandZeroFault;
        // Write faults on a write-protected private page that copied it (copy-on-write).
        public ulong CowFault;
        // Write faults on a write-protected private page that reused it in place
        // because nobody else held it.
        public ulong CowReuse;
        // Faults that were already resolved when handled (a stale TLB entry).
        public ulong SpuriousFault;
        // Faults that ended in a SIGSEGV result.
        public ulong SegvFault;
        // Faults that could not get a frame.
        public ulong OomFault;
        // Page-table pages currently allocated by all address spaces (meminfo: PageTables).
        public ulong PageTablePages;

        public VmStat(FrameAllocator frameAllocator)
        {
            frames = frameAllocator;
        }

        // meminfo MemFree and MemTotal, in frames.
        public ulong FreeFrames { get { return frames.FreeFrames; } }
        public ulong TotalFrames { get { return frames.TotalFrames; } }
    }
}
