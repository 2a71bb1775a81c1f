using System.Runtime;
using System.Runtime.CompilerServices;

namespace Cowbird.Runtime.Heap
{
    // The kernel's garbage-collected heap: non-moving mark-sweep.
    //
    // Why a collector and not malloc/free: kernel code is written in ordinary C#
    // (Kernel.Mm allocates Vma/AnonVma objects and simply drops them); C# has no
    // `delete`, so without a collector every dropped object would leak. Why
    // mark-sweep and non-moving: objects never move, so raw pointers taken with
    // `fixed`, addresses handed to hardware and conservatively found stack
    // references all stay valid; no write barrier, no read barrier, no
    // generations: simple enough to read in one sitting.
    //
    // Layout. Memory comes in segments (HeapSegment), cut into 4 KiB pages, each
    // described by a PageInfo outside the page:
    //   - small objects (<= 2 KiB) live in pages of equal-size slots (SizeClasses);
    //     free slots of each class are threaded on a free list;
    //   - large objects take a run of whole pages (LargeHead + LargeTail pages).
    // A slot is [8-byte object header | MethodTable* | fields]; the reference
    // points at the MethodTable pointer.
    // "Which segment holds this address?" is PageMap (O(1)); SegmentTable keeps the
    // segments sorted for the addresses PageMap cannot answer alone.
    //
    // Collection (Collector.cs) runs when an allocation finds no free slot and
    // no free pages, or on Gc.Collect(): mark from the roots, then sweep every page.
    //
    // Growth and the reserve. The heap grows by regions the kernel maps for it
    // (kernel_heap_grow) and gives back the ones that empty out (kernel_heap_release).
    // Growth that may reclaim user pages happens only at the kernel's checkpoints
    // (EnsureHeadroom at syscall and fault entry), where no kernel operation is half
    // done; an allocation that finds the heap full grows without reclaim. The kernel
    // checks headroom for the work it is about to do plus ReservePages, so the paths
    // that free memory (exit, munmap, reclaim, the OOM kill), which do not check, always
    // find those pages. Running out inside an allocation is a kernel bug and panics.
    //
    // Invariants:
    //   - Allocated bit set <=> the slot holds a live-or-unreached object with a
    //     valid MethodTable (while the collector marks, a pending object has it
    //     cleared: see PageInfo); free slots are on exactly one free list.
    //   - Every slot is zeroed when handed out (free slots hold stale data).
    //   - Marked bits are all clear outside a collection.
    //   - The heap is not reentrant: interrupt handlers must not allocate (and a
    //     collection never runs inside one). One CPU.
    internal static unsafe class GcHeap
    {
        // Free pages EnsureHeadroom keeps beyond any request (256 KiB).
        internal const ulong ReservePages = 64;
        // Growth adds at least this many data pages (1 MiB), or an eighth of the heap.
        private const ulong GrowStepPages = 256;

        private static HeapSegment* s_segments;     // in the order they were added
        private static HeapSegment* s_lastSegment;
        private static byte** s_freeLists;          // SizeClasses.Count heads, in Runtime pages
        private static byte** s_freeTails;          // their tails while the sweep rebuilds them
        private static bool s_collecting;
        private static bool s_growing;

        // Statistics (see Gc.GetStatistics).
        internal static ulong BytesInUse;           // slot / page bytes of allocated objects
        internal static ulong ObjectCount;
        internal static ulong Collections;
        internal static ulong TotalBytes;           // data pages in all segments
        internal static ulong FreePages;            // Free pages in all segments
        internal static ulong BytesFreedLastCollection;

        internal static HeapSegment* Segments => s_segments;

        private static ulong TotalPages => TotalBytes / HeapSegment.PageSize;

        // byte* kernel_heap_grow(ulong minimumBytes, ulong preferredBytes, bool mayReclaim,
        // ulong* grantedBytes): a mapped region for a new segment, or null (Native/GcStubs.S).
        [RuntimeImport("kernel_heap_grow")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern byte* KernelHeapGrow(ulong minimumBytes, ulong preferredBytes, bool mayReclaim, ulong* grantedBytes);

        // Takes back a region kernel_heap_grow gave; the heap no longer touches it.
        [RuntimeImport("kernel_heap_release")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern void KernelHeapRelease(byte* start, ulong bytes);

        // Takes [start, end) as the first segment. Called once, before any allocation.
        internal static void Initialize(byte* start, byte* end)
        {
            if (!AddRegion(start, end))
                RuntimePanic.Fail("GcHeap.Initialize: boot heap region too small");
            s_freeLists = (byte**)AllocateRuntimeMemory((ulong)SizeClasses.Count * (ulong)sizeof(byte*));
            s_freeTails = (byte**)AllocateRuntimeMemory((ulong)SizeClasses.Count * (ulong)sizeof(byte*));
            Collector.Initialize();
        }

        // Adds [start, end) to the heap for good. The memory must be mapped, writable, and
        // never used by anything else again. Returns false when it is too small (or the
        // segment table is full).
        internal static bool AddRegion(byte* start, byte* end) => AddSegment(start, end, false) != null;

        // Makes [start, end) a segment at the end of the list; null when it cannot.
        private static HeapSegment* AddSegment(byte* start, byte* end, bool releasable)
        {
            if (SegmentTable.IsFull)
                return null;
            HeapSegment* segment = HeapSegment.Create(start, end);
            if (segment == null)
                return null;
            segment->Releasable = releasable;
            if (s_lastSegment == null)
                s_segments = segment;
            else
                s_lastSegment->Next = segment;
            s_lastSegment = segment;
            SegmentTable.Insert(segment);
            PageMap.Update(segment);
            TotalBytes += segment->PageCount * HeapSegment.PageSize;
            FreePages += segment->PageCount;
            return segment;
        }

        // The segment whose data pages contain `address`, or null: O(1) (PageMap).
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static HeapSegment* FindSegment(byte* address) => PageMap.Find(address);

        // Returns a zeroed block of `size` bytes (object header included); its
        // object reference is block + 8. Collects, then grows (without reclaim), before
        // giving up: running out here means a headroom estimate was wrong.
        internal static byte* Allocate(ulong size)
        {
            if (s_collecting)
                RuntimePanic.Fail("GcHeap.Allocate: allocation during a collection");
            byte* block = TryAllocate(size);
            ulong pages = PagesFor(size);
            if (block == null)
            {
                MakeRoom(pages, false);
                block = TryAllocate(size);
            }
            if (block == null && Grow(pages, false))
                block = TryAllocate(size);       // a large object needs a run: a new segment has one
            if (block == null)
                RuntimePanic.Fail("GcHeap.Allocate: out of memory");
            return block;
        }

        // True when `bytes` can be allocated with `keptPages` still free afterwards:
        // collects and grows (reclaiming user pages when the kernel must) when the free
        // pages fall short. Counts whole free pages only, so it errs on the safe side.
        internal static bool EnsureHeadroom(ulong bytes, ulong keptPages)
        {
            ulong needed = PagesFor(bytes) + keptPages;
            if (FreePages >= needed)
                return true;
            if (s_collecting || s_growing)
                return false;
            MakeRoom(needed, true);
            return FreePages >= needed;
        }

        // Collects, then grows when fewer than `pages` pages are free, or less than an
        // eighth of the heap (so the next collection is not due right away).
        private static void MakeRoom(ulong pages, bool mayReclaim)
        {
            Collector.Collect();
            if (FreePages < pages || FreePages < TotalPages / 8)
                Grow(pages > FreePages ? pages - FreePages : 1, mayReclaim);
        }

        private static ulong PagesFor(ulong bytes) => (bytes + HeapSegment.PageSize - 1) / HeapSegment.PageSize;

        private static byte* TryAllocate(ulong size) =>
            size <= SizeClasses.MaxSmallSize ? TryAllocateSmall(SizeClasses.ClassOf(size)) : TryAllocateLarge(size);

        // Pops a slot of `sizeClass`, carving a fresh page when the list is empty.
        private static byte* TryAllocateSmall(int sizeClass)
        {
            if (s_freeLists[sizeClass] == null && !CarveSmallPage(sizeClass))
                return null;
            byte* slot = s_freeLists[sizeClass];
            s_freeLists[sizeClass] = *(byte**)slot;
            ulong slotSize = SizeClasses.SlotSize(sizeClass);
            HeapSegment* segment = FindSegment(slot);
            ulong pageIndex = (ulong)(slot - segment->DataStart) >> HeapSegment.PageShift;
            int index = (int)((ulong)(slot - segment->PageAddress(pageIndex)) / slotSize);
            PageInfo.Set(segment->Pages[pageIndex].AllocatedBits, index);
            Memory.Fill(slot, 0, slotSize);
            BytesInUse += slotSize;
            ObjectCount++;
            return slot;
        }

        // Turns one Free page into slots of `sizeClass`, all on the free list.
        private static bool CarveSmallPage(int sizeClass)
        {
            HeapSegment* segment;
            long page = FindFreePages(1, out segment);
            if (page < 0)
                return false;
            TakePages(segment, 1);
            PageInfo* info = &segment->Pages[page];
            ulong slotSize = SizeClasses.SlotSize(sizeClass);
            info->Kind = PageKind.Small;
            info->SizeClass = (byte)sizeClass;
            info->SlotCount = (ushort)(HeapSegment.PageSize / slotSize);
            byte* pageStart = segment->PageAddress((ulong)page);
            for (int i = info->SlotCount - 1; i >= 0; i--)
                PushFree(sizeClass, pageStart + (ulong)i * slotSize);
            return true;
        }

        private static void PushFree(int sizeClass, byte* slot)
        {
            *(byte**)slot = s_freeLists[sizeClass];
            s_freeLists[sizeClass] = slot;
        }

        // Empties every free list (the sweep rebuilds them with AppendFree).
        internal static void ClearFreeLists()
        {
            for (int i = 0; i < SizeClasses.Count; i++)
            {
                s_freeLists[i] = null;
                s_freeTails[i] = null;
            }
        }

        // Adds a slot at the end of its list. The sweep appends in segment order, so
        // allocation reuses the oldest segments' slots first and grown segments can empty.
        internal static void AppendFree(int sizeClass, byte* slot)
        {
            *(byte**)slot = null;
            if (s_freeTails[sizeClass] == null)
                s_freeLists[sizeClass] = slot;
            else
                *(byte**)s_freeTails[sizeClass] = slot;
            s_freeTails[sizeClass] = slot;
        }

        // `count` Free pages of `segment` are now in use.
        private static void TakePages(HeapSegment* segment, ulong count)
        {
            segment->FreePages -= count;
            FreePages -= count;
        }

        // `count` pages of `segment` from `first` on became Free (the sweep).
        internal static void ReturnPages(HeapSegment* segment, ulong first, ulong count)
        {
            segment->NoteFreed(first);
            segment->FreePages += count;
            FreePages += count;
        }

        // A large object: a run of whole pages, zeroed.
        private static byte* TryAllocateLarge(ulong size)
        {
            ulong pages = PagesFor(size);
            HeapSegment* segment;
            long first = FindFreePages(pages, out segment);
            if (first < 0)
                return null;
            MarkRun(segment, (ulong)first, pages, PageKind.LargeHead);
            PageInfo.Set(segment->Pages[first].AllocatedBits, 0);
            byte* block = segment->PageAddress((ulong)first);
            Memory.Fill(block, 0, pages * HeapSegment.PageSize);
            BytesInUse += pages * HeapSegment.PageSize;
            ObjectCount++;
            return block;
        }

        // Labels a run of Free pages: the first `headKind`, the rest tails pointing back at it.
        private static void MarkRun(HeapSegment* segment, ulong first, ulong pages, PageKind headKind)
        {
            TakePages(segment, pages);
            segment->Pages[first].Kind = headKind;
            segment->Pages[first].RunPages = (uint)pages;
            for (ulong i = 1; i < pages; i++)
            {
                segment->Pages[first + i].Kind = PageKind.LargeTail;
                segment->Pages[first + i].RunPages = (uint)i;
            }
        }

        // First fit over all segments, oldest first.
        private static long FindFreePages(ulong count, out HeapSegment* found)
        {
            for (HeapSegment* segment = s_segments; segment != null; segment = segment->Next)
            {
                long page = segment->FindFreeRun(count);
                if (page >= 0)
                {
                    found = segment;
                    return page;
                }
            }
            found = null;
            return -1;
        }

        // Zeroed memory for the runtime itself (mark stack, dispatch caches), never
        // collected or freed; call only at start-up or with interrupts excluded.
        internal static byte* AllocateRuntimeMemory(ulong size)
        {
            ulong pages = PagesFor(size);
            HeapSegment* segment;
            long first = FindFreePages(pages, out segment);
            if (first < 0)
                RuntimePanic.Fail("GcHeap.AllocateRuntimeMemory: out of memory");
            MarkRun(segment, (ulong)first, pages, PageKind.Runtime);
            byte* block = segment->PageAddress((ulong)first);
            Memory.Fill(block, 0, pages * HeapSegment.PageSize);
            return block;
        }

        // Asks the kernel for a segment with at least `pages` data pages, preferably an
        // eighth of the heap or GrowStepPages; false when it has no memory for it.
        // `mayReclaim`: the kernel may swap user pages out for it (only at a checkpoint).
        // Not reentrant: an allocation made by the kernel while it grows the heap cannot
        // grow it again.
        private static bool Grow(ulong pages, bool mayReclaim)
        {
            if (s_growing)
                return false;
            ulong preferred = TotalPages / 8;
            if (preferred < GrowStepPages)
                preferred = GrowStepPages;
            if (preferred < pages)
                preferred = pages;
            ulong granted = 0;
            s_growing = true;
            byte* region = KernelHeapGrow(HeapSegment.RegionBytesFor(pages), HeapSegment.RegionBytesFor(preferred), mayReclaim, &granted);
            s_growing = false;
            if (region == null)
                return false;
            if (granted >= HeapSegment.RegionBytesFor(pages) && AddSegment(region, region + granted, true) != null)
                return true;
            KernelHeapRelease(region, granted);
            return false;
        }

        // After a sweep: gives every grown segment whose pages are all free back to the
        // kernel, as long as the reserve stays free, plus an eighth of the heap when
        // `keepSlack` (so the heap does not shrink and grow again on every collection).
        internal static void ReleaseEmptySegments(bool keepSlack)
        {
            HeapSegment* previous = null;
            HeapSegment* segment = s_segments;
            while (segment != null)
            {
                HeapSegment* next = segment->Next;
                ulong keep = ReservePages + (keepSlack ? (TotalPages - segment->PageCount) / 8 : 0);
                if (segment->Releasable && segment->IsEmpty && FreePages - segment->PageCount >= keep)
                    Release(segment, previous);
                else
                    previous = segment;
                segment = next;
            }
        }

        // Unlinks an empty segment (its predecessor in the list is `previous`) and
        // returns its region to the kernel.
        private static void Release(HeapSegment* segment, HeapSegment* previous)
        {
            if (previous == null)
                s_segments = segment->Next;
            else
                previous->Next = segment->Next;
            if (s_lastSegment == segment)
                s_lastSegment = previous;
            SegmentTable.Remove(segment);
            PageMap.Update(segment);
            TotalBytes -= segment->PageCount * HeapSegment.PageSize;
            FreePages -= segment->PageCount;
            KernelHeapRelease(segment->RegionStart, segment->RegionBytes);
        }

        internal static bool Collecting
        {
            get => s_collecting;
            set => s_collecting = value;
        }
    }
}
