using Cowbird.Mm.Paging;
using Cowbird.Mm.Physical;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Swap;
using Cowbird.Mm.Vm;

namespace Cowbird.Mm.Reclaim
{
    // ===================================================================================
    // Reclaim (Linux mm/vmscan.c, anonymous pages only): frees frames by writing
    // swap-backed pages to swap. Read this block first.
    //
    // When: MemoryManager.AllocateFrameWithReclaim (every user page, page-table page,
    // PML4 and page-index node) reclaims up to Watermarks.High when it finds fewer than
    // Watermarks.Low free frames, and once more when the allocator is empty; the kernel
    // and tests may call Reclaim(n) directly.
    //
    // What: the LRU (Lru.cs). Scan the inactive tail; a page whose PTEs show it was used
    // since the last scan (PageReferenced: test-and-clear the Accessed bits through the
    // rmap) goes to the active list instead (second chance, pgactivate); an unreferenced
    // one is swapped out (pgsteal). While the inactive list is shorter than the active
    // one, the active tail is aged: referenced pages rotate back to the active head,
    // the others move down to the inactive list (pgdeactivate).
    //
    // Swap-out of one page, in this order (each step relies on the previous one):
    //   1. swap slot: a private page not yet in the swap cache gets a new slot
    //      (SwapSpace.AllocateEntry: HasCache set, count 0, handed out by clusters) and
    //      joins the swap cache marked Dirty; a page already cached keeps its slot; a
    //      shared page gets the slot next to its object's other swapped pages if free
    //      (SharedAnonObject.PreferredSwapEntry, Eric Biederman, 1998);
    //   2. the reclaimer takes its own reference (the page is "isolated");
    //   3. TryToUnmap through the rmap: every private PTE in every process becomes the
    //      swap PTE (TLB invalidated through the Tlb seam), count += 1 per PTE; a shared
    //      object's PTEs are cleared instead (the object will hold the entry);
    //   4. write the page to its slot unless it is clean (in the cache, not Dirty: the
    //      slot already holds an identical copy, e.g. a page swapped in read-only or read
    //      ahead and never written, so no write is needed; cached pages are never mapped
    //      writable, so they cannot be dirtied behind our back). Pages to write wait in a
    //      batch (SwapOutBatch, up to 32) until it is full or the pass ends; the batch is
    //      then written one device command per run of consecutive slots, and since the
    //      cluster allocator hands out slots in a row, a pass is usually one command per
    //      32 pages. A page in the batch is unmapped, in the swap cache and held by the
    //      reclaimer, so nothing can map, free or pick it again until it is written;
    //   5. a shared page's object replaces its frame entry with the swap entry (count 1);
    //   6. the page leaves the swap cache (ClearCache) and the last reference is dropped:
    //      the frame is free.
    // Failure keeps everything consistent: no slot (no swap device, swap full) leaves the
    // page mapped; a write error (EIO) leaves a private page resident in the swap cache,
    // Dirty, with its PTEs holding the swap entry (a fault finds it in the cache; a later
    // reclaim writes it again), and a shared page in its object with its slot released.
    // A page with references beyond its mappings, the swap cache and its object is
    // pinned (someone is using it) and skipped; so is a page a Locked VMA maps (mlock:
    // PageReferenced finds it before step 1). When nothing can be freed the allocation
    // fails and the fault returns FaultResult.OutOfMemory: never a corrupt page.
    //
    // Invariants (Tests.Host/Invariants.cs checks them after every step):
    //   R1 each slot's count = swap PTEs naming it + shared objects naming it;
    //   R2 HasCache <=> the entry is in the swap cache <=> its frame has Flags.SwapCache,
    //      and the cache holds one RefCount of that frame;
    //   R3 the LRU invariants of Lru.cs; no free frame is on a list;
    //   R4 reclaim never runs inside itself: it does not allocate.
    // ===================================================================================
    public sealed class Reclaimer
    {
        readonly MemoryManager mm;
        readonly PageReferenced referenced;
        readonly TryToUnmap unmapper;
        readonly SwapOutBatch batch;
        public readonly Watermarks Watermarks;
        bool running;

        public Reclaimer(MemoryManager memoryManager)
        {
            mm = memoryManager;
            referenced = new PageReferenced(memoryManager);
            unmapper = new TryToUnmap(memoryManager);
            batch = new SwapOutBatch(memoryManager);
            Watermarks = new Watermarks(memoryManager.Frames.TotalFrames);
        }

        // Frees up to `target` frames by swapping pages out. Returns the number freed
        // (0 without a swap device, with a full one, or when every page is pinned or in
        // use). Looks at each LRU page a bounded number of times, so it always ends.
        public ulong Reclaim(ulong target)
        {
            if (running || target == 0 || !CanFreeAnything())
                return 0;
            running = true;
            ulong freed = 0;
            ulong budget = 3 * (mm.Lru.ActiveCount + mm.Lru.InactiveCount) + 8;
            bool listsEmpty = false;
            while (freed < target && budget > 0 && !listsEmpty)
            {
                while (freed + (ulong)batch.Count < target && budget > 0 && !batch.IsFull && !listsEmpty)
                {
                    budget--;
                    listsEmpty = !ScanOne(ref freed);
                }
                freed += WriteBatch();
            }
            running = false;
            return freed;
        }

        // One step of the scan: ages the active list while it is the longer one, then
        // shrinks the inactive tail; a page freed at once is added to `freed`, a page that
        // must be written joins the batch. False when both lists are empty.
        bool ScanOne(ref ulong freed)
        {
            Lru lru = mm.Lru;
            if (lru.InactiveCount < lru.ActiveCount || lru.InactiveCount == 0)
                AgeActive(lru);
            ulong pfn = lru.InactiveTail;
            if (pfn == FrameAllocator.NoFrame)
                return lru.ActiveCount != 0;    // aging refills the inactive list
            mm.Stat.PgScan++;
            if (ShrinkPage(pfn))
            {
                freed++;
                mm.Stat.PgSteal++;
            }
            return true;
        }

        // False when anonymous pages are not worth scanning: no swap, or no free slot
        // (Linux: can_reclaim_anon_pages). With swap full, a scan could still drop a page
        // that is already in the swap cache, but finding one costs a walk of the whole
        // LRU on every allocation, and the machine thrashes instead of making progress;
        // failing at once lets the OOM killer free memory, as Linux does.
        bool CanFreeAnything()
        {
            SwapSpace swap = mm.Swap;
            return swap != null && swap.FreeSlots > 0;
        }

        // Reclaims until Watermarks.High frames are free, if fewer than Watermarks.Low are.
        public void BalanceIfLow()
        {
            ulong free = mm.Frames.FreeFrames;
            if (free < Watermarks.Low)
                Reclaim(Watermarks.High - free);
        }

        // shrink_active_list for one page: the active tail either rotates (referenced
        // since the last look, or locked) or moves down to the inactive list.
        void AgeActive(Lru lru)
        {
            ulong pfn = lru.ActiveTail;
            if (pfn == FrameAllocator.NoFrame)
                return;
            ref PageFrame frame = ref mm.Frames.Frame(pfn);
            if (referenced.Count(pfn) > 0 || referenced.FoundLocked)
            {
                frame.Flags |= PageFrameFlags.Referenced;
                lru.Activate(pfn);
                return;
            }
            frame.Flags &= ~PageFrameFlags.Referenced;
            lru.Deactivate(pfn);
            mm.Stat.PgDeactivate++;
        }

        // shrink_folio_list for one inactive page: second chance if referenced, back to
        // the active list if a Locked VMA maps it (Linux moves it to the unevictable list,
        // which Cowbird does not have), else swap it out. True when the frame was freed.
        bool ShrinkPage(ulong pfn)
        {
            ref PageFrame frame = ref mm.Frames.Frame(pfn);
            if (IsPinned(ref frame))
            {
                mm.Lru.Activate(pfn);
                return false;
            }
            if (referenced.Count(pfn) > 0 || referenced.FoundLocked)
            {
                frame.Flags |= PageFrameFlags.Referenced;
                mm.Lru.Activate(pfn);
                mm.Stat.PgActivate++;
                return false;
            }
            if ((frame.Flags & PageFrameFlags.Shmem) != 0)
                return SwapOutShared(pfn);
            return SwapOutPrivate(pfn);
        }

        // True when someone beyond the page's PTEs, the swap cache and its shared object
        // holds a reference (a kernel pin): such a page must stay where it is.
        static bool IsPinned(ref PageFrame frame)
        {
            int expected = frame.MapCount;
            if ((frame.Flags & PageFrameFlags.SwapCache) != 0)
                expected++;
            if ((frame.Flags & PageFrameFlags.Shmem) != 0)
                expected++;
            return frame.RefCount != expected;
        }

        // Steps 1-3 for a private anonymous page (or a cached page nobody maps); a clean
        // page is freed at once (step 6, true), a Dirty one joins the batch (false).
        bool SwapOutPrivate(ulong pfn)
        {
            ref PageFrame frame = ref mm.Frames.Frame(pfn);
            if ((frame.Flags & PageFrameFlags.SwapCache) == 0)
            {
                SwapEntry fresh;
                if (mm.Swap.AllocateEntry(out fresh) != 0)
                    return KeepActive(pfn);
                if (!mm.SwapState.AddToCache(fresh, pfn))
                {
                    mm.Swap.ClearCache(fresh);
                    return KeepActive(pfn);
                }
                frame.Flags |= PageFrameFlags.Dirty;
            }
            SwapEntry entry = SwapEntry.FromPte(frame.SwapEntry);
            mm.Frames.Get(pfn);
            UnmapEverywhere(pfn, entry);
            if ((frame.Flags & PageFrameFlags.Dirty) != 0)
                return Queue(pfn);
            mm.SwapState.DeleteFromCache(pfn);
            mm.PutUserPage(pfn);
            return true;
        }

        // Steps 1-3 for a page of a shared anonymous object, which then joins the batch.
        bool SwapOutShared(ulong pfn)
        {
            ref PageFrame frame = ref mm.Frames.Frame(pfn);
            SharedAnonObject owner = frame.Mapping as SharedAnonObject;
            if (owner == null || (frame.Flags & PageFrameFlags.SwapCache) != 0)
                Mm.Panic("Reclaimer.SwapOutShared: shared page without object, or already cached");
            SwapEntry entry;
            if (mm.Swap.AllocateGroupedEntry(owner.PreferredSwapEntry(frame.Index), frame.Index, out entry) != 0)
                return KeepActive(pfn);
            if (!mm.SwapState.AddToCache(entry, pfn))
            {
                mm.Swap.ClearCache(entry);
                return KeepActive(pfn);
            }
            owner.NoteSwapSlot(frame.Index, entry);
            mm.Frames.Get(pfn);
            UnmapEverywhere(pfn, entry);
            return Queue(pfn);
        }

        // Puts an unmapped page that must be written into the batch, and out of the way of
        // the scan (the inactive list's head) until the batch is written. Returns false:
        // nothing is freed yet.
        bool Queue(ulong pfn)
        {
            batch.Add(pfn);
            mm.Lru.Deactivate(pfn);
            return false;
        }

        // Step 4 for the batch, one device command per run of consecutive slots, then
        // steps 5-6 for every page written (Finish). Returns the number of frames freed.
        ulong WriteBatch()
        {
            batch.SortBySlot();
            ulong freed = 0;
            int start = 0;
            while (start < batch.Count)
            {
                int end = batch.RunEnd(start);
                bool written = batch.WriteRun(start, end);
                for (int i = start; i < end; i++)
                    if (Finish(batch.Pfn(i), written))
                        freed++;
                start = end;
            }
            batch.Clear();
            mm.Stat.PgSteal += freed;
            return freed;
        }

        // Steps 5-6 for one page of the batch: written, a shared page's object takes the
        // swap entry, the page leaves the swap cache and the reclaimer's reference frees
        // it (true). Not written (an I/O error): a private page stays in the cache, Dirty;
        // a shared one leaves the cache, releasing its slot, and stays in its object; both
        // go to the active list (false).
        bool Finish(ulong pfn, bool written)
        {
            ref PageFrame frame = ref mm.Frames.Frame(pfn);
            bool shared = (frame.Flags & PageFrameFlags.Shmem) != 0;
            if (!written)
            {
                mm.Stat.SwapWriteError++;
                if (shared)
                    mm.SwapState.DeleteFromCache(pfn);
                mm.Lru.Activate(pfn);
                mm.PutUserPage(pfn);
                return false;
            }
            frame.Flags &= ~PageFrameFlags.Dirty;
            if (shared)
                ((SharedAnonObject)frame.Mapping).SwapOutPage(frame.Index, pfn, SwapEntry.FromPte(frame.SwapEntry));
            mm.SwapState.DeleteFromCache(pfn);
            mm.PutUserPage(pfn);
            return true;
        }

        // Step 3: every PTE of `pfn` becomes the swap PTE of `entry` (private) or none
        // (shared), and the slot counts one holder per private PTE written.
        void UnmapEverywhere(ulong pfn, SwapEntry entry)
        {
            ref PageFrame frame = ref mm.Frames.Frame(pfn);
            int privateMappings = (frame.Flags & PageFrameFlags.Shmem) != 0 ? 0 : frame.MapCount;
            if (frame.MapCount > 0 && !unmapper.Unmap(pfn, new Pte(entry.ToPte())))
                Mm.Panic("Reclaimer.UnmapEverywhere: the rmap walk missed a mapping, or found a lock ShrinkPage did not");
            for (int i = 0; i < privateMappings; i++)
                if (mm.Swap.Duplicate(entry) != 0)
                    Mm.Panic("Reclaimer.UnmapEverywhere: swap count overflow");
        }

        // The page cannot be swapped out now (no slot): give it a round on the active list.
        bool KeepActive(ulong pfn)
        {
            mm.Lru.Activate(pfn);
            return false;
        }
    }
}
