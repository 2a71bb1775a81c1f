using Cowbird.Mm.Physical;
using Cowbird.Mm.Swap;

namespace Cowbird.Mm.Stats
{
    // Event counters and memory totals named as in Linux's /proc/vmstat and
    // /proc/meminfo, so the kernel can fill those files later. Counters only grow.
    public sealed class VmStat
    {
        readonly FrameAllocator frames;
        SwapSpace swap;

        // Every page fault handed to FaultHandler.Handle (vmstat: pgfault).
        public ulong PgFault;
        // Faults that mapped a fresh zeroed frame (demand-zero).
        public ulong DemandZeroFault;
        // Read faults that mapped the shared zero page (vmstat name pgzeropage, Cowbird's
        // own: Linux 6.1 counts no small zero-page mappings), and write faults that
        // replaced a zero-page mapping with a page of the process's own.
        public ulong ZeroPageFault;
        public ulong ZeroPageCow;
        // Write faults on a write-protected private page that copied it (copy-on-write;
        // vmstat name pgcowfault, which the user programs read).
        public ulong PgCowFault;
        // Write faults on a write-protected private page that reused it in place
        // because nobody else held it.
        public ulong CowReuse;
        // Faults that were already resolved when handled (a stale TLB entry).
        public ulong SpuriousFault;
        // Faults that ended in a SIGSEGV result.
        public ulong SegvFault;
        // Faults that could not get a frame.
        public ulong OomFault;
        // Faults on a swap PTE that mapped the page again (Linux counts the ones that
        // had to read as pgmajfault).
        public ulong SwapInFault;
        // Faults on a swap PTE whose read failed (an I/O error: SIGBUS).
        public ulong SwapInError;
        // Swap-ins that found the page in the swap cache (no read).
        public ulong SwapCacheHit;
        // Pages read ahead into the swap cache (swap_ra) and later faulted on (swap_ra_hit).
        public ulong SwapRa;
        public ulong SwapRaHit;
        // Pages reclaim looked at on the inactive list (pgscan) and freed (pgsteal).
        public ulong PgScan;
        public ulong PgSteal;
        // Inactive pages moved to the active list because they were referenced
        // (pgactivate), and active pages moved down for lack of use (pgdeactivate).
        public ulong PgActivate;
        public ulong PgDeactivate;
        // Swap-outs abandoned because the device failed to write (the page stays).
        public ulong SwapWriteError;
        // Last-level page tables fork shared instead of copying (vmstat name pt_share,
        // Cowbird's own), and shared tables a change later unshared: by a copy of their
        // entries (pt_unshare_copy) or by taking over a table nobody else shared any more
        // (pt_unshare_takeover).
        public ulong PageTablesShared;
        public ulong PageTablesCopied;
        public ulong PageTablesTakenOver;
        // Page-table pages currently allocated by all address spaces (meminfo: PageTables).
        public ulong PageTablePages;
        // Frames holding the contents of RAM file system files (meminfo: Shmem, and Cached,
        // as Linux counts tmpfs pages in both); the kernel's file system keeps it.
        public ulong ShmemPages;

        public VmStat(FrameAllocator frameAllocator)
        {
            frames = frameAllocator;
        }

        // meminfo MemFree and MemTotal, in frames.
        public ulong FreeFrames { get { return frames.FreeFrames; } }
        public ulong TotalFrames { get { return frames.TotalFrames; } }

        // vmstat pswpin/pswpout: pages read from and written to swap devices.
        public ulong PswpIn { get { return swap == null ? 0 : swap.PswpIn; } }
        public ulong PswpOut { get { return swap == null ? 0 : swap.PswpOut; } }
        // vmstat swap_read_commands/swap_write_commands (Cowbird's own names): device
        // requests that moved those pages, one per run of consecutive slots.
        public ulong SwapReadCommands { get { return swap == null ? 0 : swap.ReadCommands; } }
        public ulong SwapWriteCommands { get { return swap == null ? 0 : swap.WriteCommands; } }
        // meminfo SwapFree and SwapTotal, in pages (0 without swap).
        public ulong SwapFree { get { return swap == null ? 0 : swap.FreeSlots; } }
        public ulong SwapTotal { get { return swap == null ? 0 : swap.TotalSlots; } }

        // Called by MemoryManager.AttachSwap so the swap figures can be reported.
        internal void AttachSwap(SwapSpace swapSpace)
        {
            swap = swapSpace;
        }
    }
}
