using Cowbird.Mm.Physical;
using Cowbird.Mm.Swap;

namespace Cowbird.Mm.Vm
{
    // The backing object of one shared anonymous mapping (Linux: the shmem inode that
    // shmem_zero_setup gives every MAP_SHARED|MAP_ANONYMOUS mapping; Eric Biederman, 1998: "a single
    // inode per anonymous shared mapping"). Every process mapping it sees the same pages,
    // so there is no copy-on-write: faults map the object's page, writable if the VMA is.
    //
    // Invariants:
    //   - Pages holds, per page index, an entry: FrameEntry(pfn) for a resident page or
    //     SwapEntryOf's encoding for a swapped-out one (see below); holes read as zeros
    //     and are filled on first touch. Index = vma.PgOff + (address - vma.Start) / Page.Size.
    //   - Each resident page has Flags.Shmem, Mapping = this object, Index = its index,
    //     and one RefCount held by the object (RefCount = MapCount + 1 while it is here).
    //   - The object lists every VMA using it (Linux: i_mmap), linked through
    //     Vma.SharedNext/SharedPrev; MappingCount is their number. Splits, fork and
    //     mremap add VMAs, munmap and exit remove them; when the last one goes the
    //     object frees its pages and node frames and returns to the cache.
    // Reverse map: a page's mappings are found through the i_mmap list (WalkMappings);
    // MemoryManager.Rmap.Walk dispatches here for Shmem frames, so PageReferenced and
    // TryToUnmap work on shared pages. Shared VMAs never get an anon_vma.
    // Swap: an entry with SwapTag set holds a swap entry (SwapEntry.ToPte() << 1 | 1)
    // instead of a frame, kept in the object like shmem keeps swap entries in its
    // xarray, and holding one count of its slot: reclaim unmaps the page from every VMA
    // (TryToUnmap clears those PTEs: a shared page's swap entry lives here, not in the
    // page tables), stores the swap entry here (SwapOutPage) and frees the frame; a later
    // fault finds the tag and swaps in through GetPage; Release frees the slots.
    // Resident pages are on the LRU lists like private ones.
    public sealed class SharedAnonObject
    {
        // Low bit of a Pages entry: clear = frame entry, set = swap entry (later).
        public const ulong SwapTag = 1;

        PageIndexTree pages;
        MemoryManager mm;
        Vma firstMapping;
        int mappingCount;
        // True once released (catches a second release).
        bool released;
        // The last page given a swap slot and its entry (slot 0: none yet), so the next one can
        // go next to it (PreferredSwapEntry).
        SwapEntry lastSwapped;
        ulong lastSwappedIndex;
        readonly PageReleaser releaser = new PageReleaser();
        readonly HolePuncher holePuncher = new HolePuncher();

        // An empty object of `sizePages` pages with no mappings (made by mmap of a shared
        // anonymous range), holding `chargedPages` of commitment the caller charged for it
        // (0 for MAP_NORESERVE); it counts as live (MemoryManager.LiveSharedObjects) until
        // its last mapping goes, which uncharges them.
        internal SharedAnonObject(MemoryManager memoryManager, ulong sizePages, ulong chargedPages)
        {
            mm = memoryManager;
            pages = new PageIndexTree(memoryManager);
            SizePages = sizePages;
            ChargedPages = chargedPages;
            mm.LiveSharedObjects++;
        }

        // The object's size (Linux: the shmem inode's i_size), the length of the mmap that
        // made it. mremap may grow a mapping past it; a fault there is SIGBUS.
        public ulong SizePages { get; private set; }

        // Commitment held by the object (Linux: the shmem inode's VM_ACCT(size)), given
        // back when it is released.
        public ulong ChargedPages { get; private set; }

        public int MappingCount { get { return mappingCount; } }
        // First VMA of the i_mmap list; continue with Vma.SharedNext.
        public Vma FirstMapping { get { return firstMapping; } }
        // The page entries, for checkers and (later) swap.
        public PageIndexTree Pages { get { return pages; } }

        public static ulong FrameEntry(ulong pfn) { return pfn << 1; }
        public static bool IsFrameEntry(ulong entry) { return entry != 0 && (entry & SwapTag) == 0; }
        public static ulong FrameOf(ulong entry) { return entry >> 1; }
        public static ulong SwapTagOf(SwapEntry swapEntry) { return (swapEntry.ToPte() << 1) | SwapTag; }
        public static SwapEntry SwapEntryOf(ulong entry) { return SwapEntry.FromPte(entry >> 1); }

        // Adds `vma` (now backed by this object) to the mapping list.
        public void Link(Vma vma)
        {
            if (vma.SharedObject != null)
                Mm.Panic("SharedAnonObject.Link: VMA already linked");
            vma.SharedObject = this;
            vma.SharedPrev = null;
            vma.SharedNext = firstMapping;
            if (firstMapping != null)
                firstMapping.SharedPrev = vma;
            firstMapping = vma;
            mappingCount++;
        }

        // Removes `vma` from the mapping list; the last one frees the object.
        public void Unlink(Vma vma)
        {
            if (vma.SharedObject != this || mappingCount <= 0)
                Mm.Panic("SharedAnonObject.Unlink: VMA not linked here");
            if (vma.SharedPrev != null) vma.SharedPrev.SharedNext = vma.SharedNext; else firstMapping = vma.SharedNext;
            if (vma.SharedNext != null) vma.SharedNext.SharedPrev = vma.SharedPrev;
            vma.SharedObject = null;
            vma.SharedNext = null;
            vma.SharedPrev = null;
            mappingCount--;
            if (mappingCount == 0)
                Release();
        }

        // Reverse map of a shared page (Linux: rmap_walk_file over i_mmap): calls `visitor`
        // for every VMA whose range covers page `index` of this object, with the address
        // the page has there: vma.Start + (index - vma.PgOff) pages. O(number of mappings);
        // Linux keeps i_mmap as an interval tree keyed by page offset to skip the rest.
        // Returns false when the visitor stopped the walk. The reverse map's walk of a
        // shared page (AnonVmaReverseMap.WalkObject) goes through here.
        public bool WalkMappings(ulong index, SharedMappingVisitor visitor)
        {
            for (Vma vma = firstMapping; vma != null; vma = vma.SharedNext)
            {
                ulong pages = vma.Length >> Page.Shift;
                if (index < vma.PgOff || index - vma.PgOff >= pages)
                    continue;
                if (!visitor.Visit(vma, vma.Start + ((index - vma.PgOff) << Page.Shift)))
                    return false;
            }
            return true;
        }

        // The frame of page `index` (Linux: shmem_get_folio): the resident one, a zeroed
        // one on first touch, or the swapped-out one read back (through the swap cache, so
        // a page read ahead by a private fault is adopted instead of read twice). The
        // object keeps its own reference; the caller takes one per PTE. Errno.None, ENOMEM
        // (no frame even after reclaim), or EIO (the swap read failed; still swapped).
        public Errno GetPage(ulong index, out ulong pfn)
        {
            ulong entry = pages.Lookup(index);
            pfn = FrameAllocator.NoFrame;
            if ((entry & SwapTag) != 0)
                return SwapInPage(index, SwapEntryOf(entry), out pfn);
            if (entry != 0)
            {
                pfn = FrameOf(entry);
                return Errno.None;
            }
            ulong fresh = mm.AllocateUserFrame();
            if (fresh == FrameAllocator.NoFrame)
                return Errno.ENOMEM;
            if (!pages.Store(index, FrameEntry(fresh)))
            {
                mm.Frames.Put(fresh);
                return Errno.ENOMEM;
            }
            mm.Physical.ZeroFrame(fresh);
            Adopt(fresh, index);
            mm.Lru.Add(fresh);
            pfn = fresh;
            return Errno.None;
        }

        // Drops pages [first, end) (MADV_REMOVE: Linux punches a hole in the shmem file):
        // the object's reference on each resident page, its count on each swap slot. No PTE
        // may map them any more; the range reads zeros on its next fault. The walk visits
        // the pages the object holds, not every index of the range, which may be huge.
        public void RemovePages(ulong first, ulong end)
        {
            releaser.Manager = mm;
            holePuncher.Start(this, first, end);
            pages.Walk(holePuncher);
            holePuncher.Start(null, 0, 0);
        }

        // Where reclaim should swap page `index` to (Eric Biederman, 1998: an object's swap slots
        // contiguous): the slot as far from the last swapped page's slot as `index` is
        // from its index, on the same device. Invalid (slot 0) when there is none yet or
        // it would fall below slot 1; the caller then takes any slot.
        public SwapEntry PreferredSwapEntry(ulong index)
        {
            ulong slot = lastSwapped.Slot + index - lastSwappedIndex;
            bool below = index < lastSwappedIndex && lastSwappedIndex - index >= lastSwapped.Slot;
            if (!lastSwapped.IsValid || below || slot > SwapEntry.MaxSlot)
                return new SwapEntry(0, 0);
            return new SwapEntry(lastSwapped.Type, slot);
        }

        // Reclaim gave page `index` the slot `swapEntry` and will write it there: the
        // next page's PreferredSwapEntry is measured from it, before the write is done, so
        // the pages of one reclaim batch get consecutive slots too.
        public void NoteSwapSlot(ulong index, SwapEntry swapEntry)
        {
            lastSwapped = swapEntry;
            lastSwappedIndex = index;
        }

        // Reclaim's last step for page `index` (resident in `pfn`, unmapped, written to
        // `swapEntry`, still in the swap cache): the object now holds the swap entry (one
        // count of the slot) instead of the frame, and drops its reference to the frame.
        public void SwapOutPage(ulong index, ulong pfn, SwapEntry swapEntry)
        {
            if (pages.Lookup(index) != FrameEntry(pfn) || mm.Frames.Frame(pfn).MapCount != 0)
                Mm.Panic("SharedAnonObject.SwapOutPage: page not resident here, or still mapped");
            if (mm.Swap.Duplicate(swapEntry) != 0)
                Mm.Panic("SharedAnonObject.SwapOutPage: swap count overflow");
            if (!pages.Store(index, SwapTagOf(swapEntry)))
                Mm.Panic("SharedAnonObject.SwapOutPage: replacing an entry needed a node");
            mm.PutUserPage(pfn);
        }

        // Swap-in of page `index`: the page comes back (from the swap cache or the
        // device), the object's entry becomes its frame again, and the slot is released.
        Errno SwapInPage(ulong index, SwapEntry swapEntry, out ulong pfn)
        {
            Errno error = mm.SwapState.ReadPage(swapEntry, false, out pfn);
            if (error != Errno.None)
                return error;
            // The caller's reference from ReadPage becomes the object's.
            Adopt(pfn, index);
            mm.Frames.Frame(pfn).Flags &= ~PageFrameFlags.Anonymous;
            mm.SwapState.DeleteFromCache(pfn);
            if (!pages.Store(index, FrameEntry(pfn)))
                Mm.Panic("SharedAnonObject.SwapInPage: replacing an entry needed a node");
            mm.SwapState.FreeEntry(swapEntry);
            return Errno.None;
        }

        // Marks `pfn` as this object's page `index`.
        void Adopt(ulong pfn, ulong index)
        {
            ref PageFrame frame = ref mm.Frames.Frame(pfn);
            frame.Flags |= PageFrameFlags.Shmem;
            frame.Mapping = this;
            frame.Index = index;
        }

        // Frees every page (dropping the object's reference: no PTE may map them any
        // more, the VMAs are gone), every swap slot it holds and every node, and gives
        // back its commitment; the object is dead (the collector frees it) and leaves the
        // live count.
        void Release()
        {
            if (released || mappingCount != 0)
                Mm.Panic("SharedAnonObject.Release: released twice, or still mapped");
            releaser.Manager = mm;
            pages.Walk(releaser);
            pages.Clear();
            mm.Commit.Uncharge(ChargedPages);
            ChargedPages = 0;
            released = true;
            mm.LiveSharedObjects--;
        }

        // RemovePages' walk: erases and releases each entry in [first, end).
        sealed class HolePuncher : PageIndexVisitor
        {
            SharedAnonObject owner;
            ulong first;
            ulong end;

            // Arms the walk for `target`'s pages [from, to); null forgets the object.
            public void Start(SharedAnonObject target, ulong from, ulong to)
            {
                owner = target;
                first = from;
                end = to;
            }

            public override void VisitEntry(ulong index, ulong entry)
            {
                if (index < first || index >= end)
                    return;
                owner.pages.Erase(index);
                owner.releaser.VisitEntry(index, entry);
            }

            public override void VisitNode(ulong pfn) { }
        }

        // Drops the object's reference on each resident page and its count on each slot.
        sealed class PageReleaser : PageIndexVisitor
        {
            public MemoryManager Manager;

            public override void VisitEntry(ulong index, ulong entry)
            {
                if (!IsFrameEntry(entry))
                {
                    Manager.SwapState.FreeEntry(SwapEntryOf(entry));
                    return;
                }
                ulong pfn = FrameOf(entry);
                if (Manager.Frames.Frame(pfn).MapCount != 0)
                    Mm.Panic("SharedAnonObject.Release: page still mapped");
                Manager.PutUserPage(pfn);
            }

            public override void VisitNode(ulong pfn) { }
        }
    }
}
