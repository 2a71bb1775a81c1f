using Cowbird.Mm.Physical;

namespace Cowbird.Mm.Swap
{
    // The swap cache seen from the frames (Linux mm/swap_state.c): putting a frame into
    // the cache and taking it out again with the flags, reference and HasCache bit kept
    // in step, reading a slot through the cache (with read-ahead), and letting go of a
    // swap entry (free_swap_and_cache). The fault handler, the zap and fork paths, the
    // shared anonymous objects and the reclaimer all go through here; the protocol they
    // follow is at the top of SwapMap.cs.
    //
    // A frame in the cache has Flags.SwapCache, PageFrame.SwapEntry = its entry's PTE
    // encoding, one RefCount held by the cache, and is on an LRU list. Its entry's count
    // is > 0 (a swap PTE or a shared object still names the slot) except for the moment
    // inside reclaim between adding a page and unmapping it: an entry whose count drops
    // to 0 is dropped from the cache at once, so a cached page is never unreachable.
    // Cached pages are clean (the slot holds their data) unless Flags.Dirty says the
    // reclaimer still has to write them; they are never mapped writable.
    public sealed class SwapState
    {
        readonly MemoryManager mm;
        readonly ulong[] window = new ulong[SwapReadAhead.MaxWindow];
        // Slots read per private swap-in fault, the faulting one included (a power of
        // two, 1..SwapReadAhead.MaxWindow; Linux: 1 << page_cluster). 1 turns read-ahead off.
        public uint ReadAheadWindow = SwapReadAhead.DefaultWindow;

        public SwapState(MemoryManager memoryManager)
        {
            mm = memoryManager;
        }

        SwapSpace Swap
        {
            get
            {
                if (mm.Swap == null)
                    Mm.Panic("SwapState: no swap space attached");
                return mm.Swap;
            }
        }

        // add_to_swap_cache: `pfn` (allocated, on an LRU list) holds the data of `entry`,
        // whose HasCache the caller claimed (AllocateEntry or PrepareCache). The cache
        // takes its own reference. False when the cache is full (nothing changed).
        public bool AddToCache(SwapEntry entry, ulong pfn)
        {
            if (Swap.Cache.Add(entry, pfn) != 0)
                return false;
            ref PageFrame frame = ref mm.Frames.Frame(pfn);
            frame.Flags |= PageFrameFlags.SwapCache;
            frame.SwapEntry = entry.ToPte();
            mm.Frames.Get(pfn);
            return true;
        }

        // delete_from_swap_cache: forgets the cached frame `pfn`, clears its entry's
        // HasCache (which frees the slot when no count is left) and drops the cache's
        // reference (which frees the frame when nobody else holds it).
        public void DeleteFromCache(ulong pfn)
        {
            ref PageFrame frame = ref mm.Frames.Frame(pfn);
            if ((frame.Flags & PageFrameFlags.SwapCache) == 0)
                Mm.Panic("SwapState.DeleteFromCache: page not in the swap cache");
            SwapEntry entry = SwapEntry.FromPte(frame.SwapEntry);
            ulong cached;
            if (Swap.Cache.Delete(entry, out cached) != 0 || cached != pfn)
                Mm.Panic("SwapState.DeleteFromCache: cache does not hold this page");
            frame.Flags &= ~(PageFrameFlags.SwapCache | PageFrameFlags.ReadAhead | PageFrameFlags.Dirty);
            frame.SwapEntry = 0;
            if (Swap.ClearCache(entry) != 0)
                Mm.Panic("SwapState.DeleteFromCache: HasCache was not set");
            mm.PutUserPage(pfn);
        }

        // free_swap_and_cache: one holder of `entry` (a zapped swap PTE, a swapped-in PTE,
        // a destroyed shared object) lets go. When that was the last one, a page still in
        // the cache for it is unreachable through the slot and leaves the cache.
        public void FreeEntry(SwapEntry entry)
        {
            if (Swap.Free(entry) != 0)
                Mm.Panic("SwapState.FreeEntry: entry holds no count");
            ulong pfn;
            if (Swap.Count(entry) == 0 && Swap.Cache.Lookup(entry, out pfn))
                DeleteFromCache(pfn);
        }

        // The frame holding the data of `entry`, with one reference for the caller
        // (Linux: swapin_readahead -> read_swap_cache_async). A cache hit shares the frame
        // (two processes faulting the same slot after fork read it once); a miss reads
        // the slot into a new cached frame and, when `readAhead`, neighbouring slots too.
        // Errno.None, ENOMEM (no frame, even after reclaim) or EIO (the device failed:
        // nothing is cached, the slot keeps its count).
        public Errno ReadPage(SwapEntry entry, bool readAhead, out ulong pfn)
        {
            if (Swap.Cache.Lookup(entry, out pfn))
            {
                ref PageFrame frame = ref mm.Frames.Frame(pfn);
                mm.Stat.SwapCacheHit++;
                if ((frame.Flags & PageFrameFlags.ReadAhead) != 0)
                {
                    frame.Flags &= ~PageFrameFlags.ReadAhead;
                    mm.Stat.SwapRaHit++;
                }
                mm.Frames.Get(pfn);
                return Errno.None;
            }
            Errno error = ReadIntoCache(entry, true, out pfn);
            if (error != Errno.None)
                return error;
            mm.Frames.Get(pfn);
            if (readAhead)
                ReadAround(entry);
            return Errno.None;
        }

        // Reads `entry` (not cached, count > 0) into a new frame that goes into the cache
        // (holding the frame's only reference) and onto the inactive list. Allocation may
        // reclaim only when `mayReclaim` (not for read-ahead).
        Errno ReadIntoCache(SwapEntry entry, bool mayReclaim, out ulong pfn)
        {
            pfn = FrameAllocator.NoFrame;
            if (Swap.PrepareCache(entry) != 0)
                Mm.Panic("SwapState.ReadIntoCache: slot free or already being read");
            ulong frameNumber = mayReclaim ? mm.AllocateUserFrame() : mm.Frames.AllocFrame();
            if (frameNumber == FrameAllocator.NoFrame)
            {
                Swap.ClearCache(entry);
                return Errno.ENOMEM;
            }
            unsafe
            {
                byte* page = mm.Physical.Pointer(Page.FrameToAddress(frameNumber), Page.Size);
                if (Swap.ReadPage(entry, page) != 0)
                {
                    Swap.ClearCache(entry);
                    mm.Frames.Put(frameNumber);
                    return Errno.EIO;
                }
            }
            if (Swap.Cache.Add(entry, frameNumber) != 0)
                Mm.Panic("SwapState.ReadIntoCache: swap cache full");
            ref PageFrame frame = ref mm.Frames.Frame(frameNumber);
            frame.Flags |= PageFrameFlags.Anonymous | PageFrameFlags.SwapCache;
            frame.SwapEntry = entry.ToPte();
            mm.Lru.Add(frameNumber);
            pfn = frameNumber;
            return Errno.None;
        }

        // Read-ahead: brings the other in-use, uncached slots of entry's aligned window
        // into the cache (flagged ReadAhead, counted swap_ra), while that leaves more than
        // Watermarks.Min frames free. Errors just stop it: read-ahead is only a guess.
        void ReadAround(SwapEntry entry)
        {
            int n = Swap.ReadAheadWindow(entry, ReadAheadWindow, window);
            for (int i = 1; i < n; i++)
            {
                if (mm.Frames.FreeFrames <= mm.Reclaimer.Watermarks.Min)
                    return;
                ulong pfn;
                if (ReadIntoCache(new SwapEntry(entry.Type, window[i]), false, out pfn) != Errno.None)
                    return;
                mm.Frames.Frame(pfn).Flags |= PageFrameFlags.ReadAhead;
                mm.Stat.SwapRa++;
            }
        }
    }
}
