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
        // One swap-in's claimed slots and their frames, ascending by slot, and the frames'
        // addresses as the byte* list a device request takes.
        readonly ulong[] claimedSlots = new ulong[SwapReadAhead.MaxWindow];
        readonly ulong[] claimedFrames = new ulong[SwapReadAhead.MaxWindow];
        readonly ulong[] pageAddresses = new ulong[SwapReadAhead.MaxWindow];
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
            Errno error = ReadIntoCache(entry, readAhead, out pfn);
            if (error != Errno.None)
                return error;
            mm.Frames.Get(pfn);
            return Errno.None;
        }

        // Reads `entry` (not cached, count > 0) into a new frame and, when `readAhead`, the
        // other in-use, uncached slots of its window into more new frames, one device
        // command per run of consecutive slots (the whole window in one command when it is
        // contiguous). Each page read goes into the cache (holding the frame's only
        // reference) and onto the inactive list; the read-ahead ones are flagged ReadAhead
        // and counted swap_ra. Only the faulting slot's frame may reclaim: read-ahead takes
        // frames while more than Watermarks.Min are free, and its failures only shrink it.
        // `pfn` is the faulting slot's frame. Errno.None, ENOMEM or EIO (nothing of
        // `entry` cached, the slot keeps its count).
        Errno ReadIntoCache(SwapEntry entry, bool readAhead, out ulong pfn)
        {
            pfn = FrameAllocator.NoFrame;
            if (Swap.PrepareCache(entry) != 0)
                Mm.Panic("SwapState.ReadIntoCache: slot free or already being read");
            ulong frameNumber = mm.AllocateUserFrame();
            if (frameNumber == FrameAllocator.NoFrame)
            {
                Swap.ClearCache(entry);
                return Errno.ENOMEM;
            }
            int count = ClaimWindow(entry, frameNumber, readAhead);
            bool faultRead = false;
            int faultRunLength = 0;
            int runStart = 0;
            while (runStart < count)
            {
                int runEnd = RunEnd(runStart, count);
                bool hasFault = claimedSlots[runStart] <= entry.Slot && entry.Slot <= claimedSlots[runEnd - 1];
                bool read = ReadRun(entry.Type, runStart, runEnd, entry.Slot);
                if (hasFault)
                {
                    faultRead = read;
                    faultRunLength = runEnd - runStart;
                }
                runStart = runEnd;
            }
            if (!faultRead && !(faultRunLength > 1 && RetryAlone(entry, frameNumber)))
            {
                Release(entry, frameNumber);
                return Errno.EIO;
            }
            pfn = frameNumber;
            return Errno.None;
        }

        // Fills claimedSlots/claimedFrames, ascending by slot, with `entry`'s slot and
        // `frame` and, when `readAhead`, each read-ahead slot of its window whose HasCache
        // could be claimed and for which a frame was free. Returns how many.
        int ClaimWindow(SwapEntry entry, ulong frame, bool readAhead)
        {
            int n = readAhead ? Swap.ReadAheadWindow(entry, ReadAheadWindow, window) : 1;
            int count = 0;
            bool faultPlaced = false;
            for (int i = 1; i < n; i++)
            {
                if (mm.Frames.FreeFrames <= mm.Reclaimer.Watermarks.Min)
                    break;
                SwapEntry neighbour = new SwapEntry(entry.Type, window[i]);
                if (Swap.PrepareCache(neighbour) != 0)
                    Mm.Panic("SwapState.ClaimWindow: read-ahead slot free or already being read");
                ulong extra = mm.Frames.AllocFrame();
                if (extra == FrameAllocator.NoFrame)
                {
                    Swap.ClearCache(neighbour);
                    break;
                }
                if (!faultPlaced && window[i] > entry.Slot)
                {
                    Claim(count++, entry.Slot, frame);
                    faultPlaced = true;
                }
                Claim(count++, window[i], extra);
            }
            if (!faultPlaced)
                Claim(count++, entry.Slot, frame);
            return count;
        }

        void Claim(int index, ulong slot, ulong frame)
        {
            claimedSlots[index] = slot;
            claimedFrames[index] = frame;
        }

        // End (exclusive) of the run of consecutive slots that starts at claim `start`.
        int RunEnd(int start, int count)
        {
            int end = start + 1;
            while (end < count && claimedSlots[end] == claimedSlots[end - 1] + 1)
                end++;
            return end;
        }

        // Reads claims [start, end) of device `type` in one command. On success each page
        // joins the cache (the ones other than `faultSlot` as read-ahead); on failure the
        // read-ahead claims are released and the faulting one, if in the run, is left to the
        // caller. True on success.
        unsafe bool ReadRun(int type, int start, int end, ulong faultSlot)
        {
            for (int i = start; i < end; i++)
                pageAddresses[i] = (ulong)mm.Physical.Pointer(Page.FrameToAddress(claimedFrames[i]), Page.Size);
            int result;
            fixed (ulong* addresses = pageAddresses)
                result = Swap.ReadPages(new SwapEntry(type, claimedSlots[start]), (byte**)(addresses + start), (uint)(end - start));
            for (int i = start; i < end; i++)
            {
                bool isFault = claimedSlots[i] == faultSlot;
                if (result == 0)
                    Cache(new SwapEntry(type, claimedSlots[i]), claimedFrames[i], !isFault);
                else if (!isFault)
                    Release(new SwapEntry(type, claimedSlots[i]), claimedFrames[i]);
            }
            return result == 0;
        }

        // The faulting slot's run of several slots failed: reads the slot by itself (a bad
        // neighbour must not fail the fault). True when it was read and cached.
        unsafe bool RetryAlone(SwapEntry entry, ulong frame)
        {
            byte* page = mm.Physical.Pointer(Page.FrameToAddress(frame), Page.Size);
            if (Swap.ReadPage(entry, page) != 0)
                return false;
            Cache(entry, frame, false);
            return true;
        }

        // A slot just read into `frame` (its HasCache claimed) joins the swap cache and the
        // inactive list; `readAhead` flags it and counts swap_ra.
        void Cache(SwapEntry entry, ulong frame, bool readAhead)
        {
            if (Swap.Cache.Add(entry, frame) != 0)
                Mm.Panic("SwapState.Cache: swap cache full");
            ref PageFrame descriptor = ref mm.Frames.Frame(frame);
            descriptor.Flags |= PageFrameFlags.Anonymous | PageFrameFlags.SwapCache;
            descriptor.SwapEntry = entry.ToPte();
            mm.Lru.Add(frame);
            if (readAhead)
            {
                descriptor.Flags |= PageFrameFlags.ReadAhead;
                mm.Stat.SwapRa++;
            }
        }

        // A claim whose read failed or was not needed: HasCache cleared, frame freed.
        void Release(SwapEntry entry, ulong frame)
        {
            Swap.ClearCache(entry);
            mm.Frames.Put(frame);
        }
    }
}
