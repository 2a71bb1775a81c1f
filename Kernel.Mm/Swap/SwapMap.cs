namespace Cowbird.Mm.Swap
{
    // ===================================================================================
    // Swap: the subsystem (Kernel.Mm/Swap). Read this block first.
    //
    // Pieces, bottom up:
    //   BlockDevice   the disk seam: 4096-byte pages, read/write, errno results.
    //   SwapHeader    page 0 of a swap area, validated exactly as Linux's swapon does.
    //   SwapEntry     (type, slot) and its encoding in a non-present PTE.
    //   SwapMap       per-slot use counts + HasCache flag, and the cluster slot allocator.
    //   SwapCache     (type, slot) -> frame number, so a swapped page is read only once.
    //   SwapReadAhead which neighbouring slots to read along with a faulting one.
    //   SwapDevice    one swap area: BlockDevice + SwapHeader + SwapMap (Linux swap_info_struct).
    //   SwapSpace     all swap areas by type number (swapon/swapoff), entry-level API, counters.
    //
    // Invariants (the invariant checker and SwapMap.Verify test them):
    //   S1  map[0] (the header) and every header-listed bad page hold BadSlot, forever.
    //   S2  For every other slot: count = number of swap PTEs holding the entry
    //       + number of shared-object (shmem-like) references to it; HasCache is set
    //       iff the swap cache holds a frame for the entry (or a reader has claimed it
    //       with PrepareCache and is about to add one).
    //   S3  A slot is free (map == 0) iff count == 0 and HasCache is clear. Only then may
    //       the allocator hand it out again; freeing is therefore the *last* of
    //       Free (count--) and ClearCache, whichever makes the value 0.
    //   S4  FreeSlots = number of slots with map == 0; TotalSlots = SlotCount - 1 - bad.
    //   S5  clusterUsed[c] = number of non-free slots (incl. header/bad) in cluster c.
    //   S6  A cluster is on the free-cluster list iff clusterUsed == 0 and it is not the
    //       current cluster. The list is FIFO: freed clusters go to the tail, so a just
    //       freed cluster is reused last and writes spread over the whole area.
    //
    // Ordering rules for callers (the Linux protocol):
    //   swap-out:  AllocateSlot (slot gets HasCache, count 0) -> SwapCache.Add(entry, pfn)
    //              -> for each PTE mapping the page: write the swap PTE, Duplicate (count++)
    //              -> write the page to the slot -> SwapCache.Delete + ClearCache -> free frame.
    //   swap-in:   SwapCache.Lookup hit: map that frame. Miss: PrepareCache (EEXIST = someone
    //              else is reading: retry the lookup) -> allocate frame -> SwapCache.Add ->
    //              read the slot -> map the frame, Free (count--) for the PTE replaced.
    //              When count reaches 0 the cached copy is the only one: SwapCache.Delete
    //              + ClearCache frees the slot (the frame stays as an ordinary page).
    //              While the frame stays cached, the slot is a valid copy only until the
    //              page is written: a write fault must drop it from the cache (ClearCache)
    //              or reclaim must write it to the slot again before freeing the frame.
    //   unmap/exit of a swap PTE: Free (count--); if then count == 0 and HasCache, the
    //              cached frame is unreachable: drop it (SwapCache.Delete, ClearCache).
    //   shared anonymous object (Eric Biederman, 1998): the object keeps the swap entry of each
    //              swapped-out page in its page index, holding count 1. Swap-out of page i:
    //              AllocateSlot -> SwapCache.Add -> clear the PTEs -> write -> Duplicate
    //              (the object's count) -> SwapCache.Delete + ClearCache. Swap-in: as above
    //              (cache first), then the object frees its count. Destroying the object:
    //              Free each entry it holds. Eric Biederman's (1998) "allocate swap slots contiguously":
    //              reclaim asks for the slot at the same distance from the object's last
    //              swapped page as their indexes (SharedAnonObject.PreferredSwapEntry,
    //              SwapSpace.AllocateGroupedEntry -> AllocateSlotAt); the object's first
    //              page (or one whose slot is taken) opens a wholly free cluster at offset
    //              index mod ClusterSize (AllocateSlotInFreeCluster), which the ordinary
    //              allocator leaves alone, so an object's pages sit on consecutive slots
    //              even when private pages are swapped out in between. With no free
    //              cluster left it gets an ordinary slot. (AllocateRange, which
    //              reserves a run up front, stays unused by the MM: it would hold slots for
    //              pages that may never be swapped.)
    // The frame side of these protocols (flags, references, LRU) is Swap/SwapState.cs;
    // the swap-out order is spelled out at the top of Reclaim/Reclaimer.cs.
    //
    // Slot allocation (Linux mm/swapfile.c, 2.6.x-5.x "cluster" design): slots are
    // grouped in clusters of ClusterSize. The allocator keeps a current cluster and hands
    // out its free slots in ascending order, so consecutive swap-outs (often neighbouring
    // pages of one process, Eric Biederman, 1998: "the more the pages are actually contiguous the
    // better usually, because they are related") land on neighbouring slots and read-ahead
    // pays off. When the current cluster is used up it takes the next wholly free cluster;
    // only when there is none (the area is fragmented) does it scan slot by slot.
    // ===================================================================================

    // Linux's swap_map for one swap area: one value per slot (use count | HasCache, or
    // BadSlot) plus the cluster allocator's bookkeeping.
    public sealed class SwapMap
    {
        public const uint ClusterSize = 256;
        public const uint HasCacheFlag = 1u << 30;   // Linux SWAP_HAS_CACHE
        public const uint BadSlot = 1u << 31;        // Linux SWAP_MAP_BAD: header or bad page
        public const uint CountMask = HasCacheFlag - 1;
        public const uint MaxCount = CountMask;
        const uint NoCluster = uint.MaxValue;

        readonly uint[] map;            // per slot: 0 free, BadSlot, or count | HasCacheFlag
        readonly uint[] clusterUsed;    // per cluster: non-free slots (S5)
        readonly uint[] clusterNext;    // free-cluster list links (S6)
        uint freeHead = NoCluster;
        uint freeTail = NoCluster;
        uint currentCluster;            // cluster being filled, or NoCluster
        ulong nextInCluster;            // first slot of currentCluster not yet looked at
        ulong scanCursor;               // where the fragmented-case scan resumes
        ulong freeSlots;
        readonly ulong totalSlots;

        // A map for slots 0..slotCount-1 with slot 0 and `badSlots` (each in
        // 1..slotCount-1, duplicates allowed) unusable. Panics if slotCount < 2 or a bad
        // slot is out of range (SwapHeader.Parse has already refused such headers).
        public SwapMap(ulong slotCount, uint[] badSlots)
        {
            if (slotCount < 2)
                Mm.Panic("SwapMap: need the header slot and at least one more");
            map = new uint[slotCount];
            ulong clusters = (slotCount + ClusterSize - 1) / ClusterSize;
            clusterUsed = new uint[clusters];
            clusterNext = new uint[clusters];
            MarkBad(0);
            if (badSlots != null)
                for (int i = 0; i < badSlots.Length; i++)
                {
                    if (badSlots[i] == 0 || badSlots[i] >= slotCount)
                        Mm.Panic("SwapMap: bad slot out of range");
                    MarkBad(badSlots[i]);
                }
            totalSlots = slotCount - 1 - CountBad();
            freeSlots = totalSlots;
            for (uint c = 1; c < clusters; c++)
                if (clusterUsed[c] == 0)
                    PushFreeCluster(c);
            currentCluster = 0;          // cluster 0 holds the header: start right after it
            nextInCluster = 1;
            scanCursor = 1;
        }

        // Number of slots, header included.
        public ulong SlotCount
        {
            get { return (ulong)map.Length; }
        }

        // Slots that can ever hold a page (excludes header and bad pages).
        public ulong TotalSlots
        {
            get { return totalSlots; }
        }

        // Slots free right now (S4).
        public ulong FreeSlots
        {
            get { return freeSlots; }
        }

        // True when `slot` exists and is neither the header nor a bad page.
        public bool IsUsable(ulong slot)
        {
            return slot != 0 && slot < SlotCount && map[slot] != BadSlot;
        }

        // True when `slot` is usable and currently holds nothing (S3).
        public bool IsFree(ulong slot)
        {
            return IsUsable(slot) && map[slot] == 0;
        }

        // Use count of a usable slot (0 for anything else).
        public uint Count(ulong slot)
        {
            return IsUsable(slot) ? map[slot] & CountMask : 0;
        }

        // True when a usable slot has its HasCache flag set.
        public bool HasCache(ulong slot)
        {
            return IsUsable(slot) && (map[slot] & HasCacheFlag) != 0;
        }

        // Linux get_swap_page: picks a free slot (current cluster, else a free cluster,
        // else a scan) and marks it HasCache with count 0: the caller is about to put the
        // page in the swap cache. Returns 0 and the slot, or ENOSPC (slot = 0) when full.
        public int AllocateSlot(out ulong slot)
        {
            slot = 0;
            if (freeSlots == 0)
                return -(int)Errno.ENOSPC;
            slot = TakeFromCurrentCluster();
            if (slot == 0 && freeHead != NoCluster)
            {
                currentCluster = PopFreeCluster();
                nextInCluster = (ulong)currentCluster * ClusterSize;
                slot = TakeFromCurrentCluster();
            }
            if (slot == 0)
                slot = ScanForFreeSlot();
            if (slot == 0)
                Mm.Panic("SwapMap.AllocateSlot: FreeSlots > 0 but no free slot found");
            Claim(slot, HasCacheFlag);
            return 0;
        }

        // AllocateSlot of one given slot: claims `slot` (HasCache, count 0) if it is usable
        // and free. A caller that knows where a related page went (a shared object's
        // neighbouring index) keeps the two on neighbouring slots this way. 0, or ENOSPC
        // when the slot is taken, bad or out of range (the caller falls back to AllocateSlot).
        public int AllocateSlotAt(ulong slot)
        {
            if (!IsFree(slot))
                return -(int)Errno.ENOSPC;
            ClaimOutsideCurrentCluster(slot, HasCacheFlag);
            return 0;
        }

        // Opens a wholly free cluster for a group of related pages (a shared object's):
        // claims its slot `offset` (HasCache, count 0). The cluster leaves the free list
        // and is not the allocator's current one, so AllocateSlot leaves the group's
        // neighbouring slots alone until the area is fragmented. 0, or ENOSPC when no
        // cluster is wholly free (or that slot lies past the end of the area).
        public int AllocateSlotInFreeCluster(ulong offset, out ulong slot)
        {
            slot = 0;
            if (freeHead == NoCluster || offset >= ClusterSize)
                return -(int)Errno.ENOSPC;
            ulong candidate = (ulong)freeHead * ClusterSize + offset;
            if (!IsFree(candidate))
                return -(int)Errno.ENOSPC;
            ClaimOutsideCurrentCluster(candidate, HasCacheFlag);
            slot = candidate;
            return 0;
        }

        // Eric Biederman, 1998 ("allocate the swap pages when you allocate the mapping, all at once"):
        // reserves `n` consecutive free slots for an object that will own them, e.g. the
        // backing object of a shared anonymous mapping, which then swaps page i to slot
        // first + i. Each slot gets count 1 (the object's reference, dropped with Free) and
        // no HasCache. First fit from slot 1. Returns 0 and the first slot; EINVAL for
        // n == 0; ENOSPC (first = 0) when no run of n free slots exists.
        public int AllocateRange(ulong n, out ulong first)
        {
            first = 0;
            if (n == 0)
                return -(int)Errno.EINVAL;
            if (n > freeSlots)
                return -(int)Errno.ENOSPC;
            ulong run = 0;
            for (ulong s = 1; s < SlotCount; s++)
            {
                run = map[s] == 0 ? run + 1 : 0;
                if (run < n)
                    continue;
                first = s + 1 - n;
                for (ulong t = first; t <= s; t++)
                    ClaimOutsideCurrentCluster(t, 1);
                return 0;
            }
            return -(int)Errno.ENOSPC;
        }

        // Linux swap_duplicate: one more PTE (or shared object) holds the entry.
        // EINVAL for a slot that is not usable, ENOENT for a free slot (a stale entry),
        // ENOMEM when the count would overflow MaxCount.
        public int Duplicate(ulong slot)
        {
            if (!IsUsable(slot))
                return -(int)Errno.EINVAL;
            uint value = map[slot];
            if (value == 0)
                return -(int)Errno.ENOENT;
            if ((value & CountMask) == MaxCount)
                return -(int)Errno.ENOMEM;
            map[slot] = value + 1;
            return 0;
        }

        // Linux swap_free: a holder of the entry is gone (count--). Frees the slot when
        // that leaves count 0 without HasCache (S3). EINVAL for an unusable slot; panics
        // when the count is already 0 (a double free).
        public int Free(ulong slot)
        {
            if (!IsUsable(slot))
                return -(int)Errno.EINVAL;
            uint value = map[slot];
            if ((value & CountMask) == 0)
                Mm.Panic("SwapMap.Free: count already zero");
            SetValue(slot, value - 1);
            return 0;
        }

        // Linux swapcache_prepare: claims the right to bring the slot into the swap cache.
        // EEXIST when HasCache is already set (another fault is reading it or the page is
        // cached: look it up again), ENOENT when the slot holds nothing, EINVAL if unusable.
        public int PrepareCache(ulong slot)
        {
            if (!IsUsable(slot))
                return -(int)Errno.EINVAL;
            uint value = map[slot];
            if ((value & HasCacheFlag) != 0)
                return -(int)Errno.EEXIST;
            if ((value & CountMask) == 0)
                return -(int)Errno.ENOENT;
            map[slot] = value | HasCacheFlag;
            return 0;
        }

        // Linux put_swap_folio / swapcache_free: the page left the swap cache. Frees the
        // slot when the count is 0 (S3). EINVAL for an unusable slot; panics if HasCache
        // was not set.
        public int ClearCache(ulong slot)
        {
            if (!IsUsable(slot))
                return -(int)Errno.EINVAL;
            uint value = map[slot];
            if ((value & HasCacheFlag) == 0)
                Mm.Panic("SwapMap.ClearCache: HasCache not set");
            SetValue(slot, value & ~HasCacheFlag);
            return 0;
        }

        // Recomputes S4-S6 from the per-slot values and compares. Returns 0 when they hold,
        // EINVAL otherwise. For tests and the invariant checker; O(slots).
        public int Verify()
        {
            ulong free = 0;
            uint[] used = new uint[clusterUsed.Length];
            for (ulong s = 0; s < SlotCount; s++)
            {
                if (map[s] == 0)
                    free++;
                else
                    used[s / ClusterSize]++;
            }
            if (free != freeSlots || map[0] != BadSlot)
                return -(int)Errno.EINVAL;
            bool[] listed = new bool[clusterUsed.Length];
            ulong listLength = 0;
            for (uint c = freeHead; c != NoCluster; c = clusterNext[c])
            {
                if (listed[c] || ++listLength > (ulong)clusterUsed.Length)
                    return -(int)Errno.EINVAL;
                listed[c] = true;
            }
            for (uint c = 0; c < clusterUsed.Length; c++)
            {
                if (used[c] != clusterUsed[c])
                    return -(int)Errno.EINVAL;
                bool shouldBeListed = used[c] == 0 && c != currentCluster;
                if (listed[c] != shouldBeListed)
                    return -(int)Errno.EINVAL;
            }
            return 0;
        }

        // Next free slot of the current cluster at or after nextInCluster, or 0 when the
        // cluster has none left; then the cluster is abandoned (back on the free list if
        // everything in it was freed meanwhile, S6).
        ulong TakeFromCurrentCluster()
        {
            if (currentCluster == NoCluster)
                return 0;
            ulong end = ((ulong)currentCluster + 1) * ClusterSize;
            if (end > SlotCount)
                end = SlotCount;
            for (ulong s = nextInCluster; s < end; s++)
            {
                if (map[s] == 0)
                {
                    nextInCluster = s + 1;
                    return s;
                }
            }
            uint abandoned = currentCluster;
            currentCluster = NoCluster;
            if (clusterUsed[abandoned] == 0)
                PushFreeCluster(abandoned);
            return 0;
        }

        // Fragmented case: the first free slot at or after scanCursor, wrapping once.
        // Returns 0 if there is none.
        ulong ScanForFreeSlot()
        {
            for (ulong i = 0; i < SlotCount; i++)
            {
                ulong s = (scanCursor + i) % SlotCount;
                if (map[s] == 0)
                {
                    scanCursor = s + 1;
                    return s;
                }
            }
            return 0;
        }

        // Turns free slot `slot` into a used one holding `value` (S4, S5).
        void Claim(ulong slot, uint value)
        {
            map[slot] = value;
            freeSlots--;
            clusterUsed[slot / ClusterSize]++;
        }

        // Claim for a slot picked without the allocator's cluster walk: a wholly free
        // cluster is on the free list (S6) and must leave it before its first slot is used.
        void ClaimOutsideCurrentCluster(ulong slot, uint value)
        {
            uint cluster = (uint)(slot / ClusterSize);
            if (clusterUsed[cluster] == 0 && cluster != currentCluster)
                RemoveFreeCluster(cluster);
            Claim(slot, value);
        }

        // Stores a new non-bad value; when it is 0 the slot is free again (S3-S6).
        void SetValue(ulong slot, uint value)
        {
            map[slot] = value;
            if (value != 0)
                return;
            freeSlots++;
            uint cluster = (uint)(slot / ClusterSize);
            clusterUsed[cluster]--;
            if (clusterUsed[cluster] == 0 && cluster != currentCluster)
                PushFreeCluster(cluster);
        }

        // Marks a slot permanently unusable (S1). Idempotent for duplicate bad pages.
        void MarkBad(ulong slot)
        {
            if (map[slot] == BadSlot)
                return;
            map[slot] = BadSlot;
            clusterUsed[slot / ClusterSize]++;
        }

        // Number of distinct bad slots other than the header (already in the map).
        ulong CountBad()
        {
            ulong bad = 0;
            for (ulong s = 1; s < SlotCount; s++)
                if (map[s] == BadSlot)
                    bad++;
            return bad;
        }

        // Appends cluster `c` to the tail of the free-cluster list.
        void PushFreeCluster(uint c)
        {
            clusterNext[c] = NoCluster;
            if (freeTail == NoCluster)
                freeHead = c;
            else
                clusterNext[freeTail] = c;
            freeTail = c;
        }

        // Unlinks cluster `c` from wherever it is in the free-cluster list. O(list length):
        // only AllocateRange needs it, the allocator itself always takes the head.
        void RemoveFreeCluster(uint c)
        {
            uint previous = NoCluster;
            uint at = freeHead;
            while (at != c)
            {
                if (at == NoCluster)
                    Mm.Panic("SwapMap.RemoveFreeCluster: cluster not on the free list");
                previous = at;
                at = clusterNext[at];
            }
            if (previous == NoCluster)
                freeHead = clusterNext[c];
            else
                clusterNext[previous] = clusterNext[c];
            if (freeTail == c)
                freeTail = previous;
        }

        // Removes and returns the head of the free-cluster list (which is non-empty).
        uint PopFreeCluster()
        {
            uint c = freeHead;
            freeHead = clusterNext[c];
            if (freeHead == NoCluster)
                freeTail = NoCluster;
            return c;
        }
    }
}
