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
    //
    // Collection (Collector.cs) runs when an allocation finds no free slot and
    // no free pages, or on Gc.Collect(): mark from the roots, then sweep every page.
    //
    // Invariants:
    //   - Allocated bit set <=> the slot holds a live-or-unreached object with a
    //     valid MethodTable; free slots are on exactly one free list.
    //   - Every slot is zeroed when handed out (free slots hold stale data).
    //   - Marked bits are all clear outside a collection.
    //   - The heap is not reentrant: interrupt handlers must not allocate (and a
    //     collection never runs inside one). One CPU.
    internal static unsafe class GcHeap
    {
        private const int HeaderSize = 8;

        private static HeapSegment* s_segments;
        private static byte** s_freeLists;          // SizeClasses.Count heads, in Runtime pages
        private static bool s_collecting;

        // Statistics (see Gc.GetStatistics).
        internal static ulong BytesInUse;           // slot / page bytes of allocated objects
        internal static ulong ObjectCount;
        internal static ulong Collections;
        internal static ulong TotalBytes;           // data pages in all segments
        internal static ulong BytesFreedLastCollection;

        internal static HeapSegment* Segments => s_segments;

        [RuntimeImport("kernel_heap_grow")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern byte* KernelHeapGrow(ulong minimumBytes, ulong* grantedBytes);

        // Takes [start, end) as the first segment. Called once, before any allocation.
        internal static void Initialize(byte* start, byte* end)
        {
            if (!AddRegion(start, end))
                RuntimePanic.Fail("GcHeap.Initialize: boot heap region too small");
            s_freeLists = (byte**)AllocateRuntimeMemory((ulong)SizeClasses.Count * (ulong)sizeof(byte*));
            Collector.Initialize();
        }

        // Adds [start, end) to the heap. The memory must be mapped, writable, and
        // never used by anything else again. Returns false when it is too small.
        internal static bool AddRegion(byte* start, byte* end)
        {
            HeapSegment* segment = HeapSegment.Create(start, end);
            if (segment == null)
                return false;
            segment->Next = s_segments;
            s_segments = segment;
            TotalBytes += segment->PageCount * HeapSegment.PageSize;
            return true;
        }

        // The segment whose data pages contain `address`, or null.
        internal static HeapSegment* FindSegment(byte* address)
        {
            for (HeapSegment* segment = s_segments; segment != null; segment = segment->Next)
                if (segment->Contains(address))
                    return segment;
            return null;
        }

        // Returns a zeroed block of `size` bytes (object header included); its
        // object reference is block + 8. Collects, then grows, before giving up.
        internal static byte* Allocate(ulong size)
        {
            if (s_collecting)
                RuntimePanic.Fail("GcHeap.Allocate: allocation during a collection");
            byte* block = TryAllocate(size);
            if (block == null)
            {
                Collector.Collect();
                block = TryAllocate(size);
            }
            if (block == null && Grow(size))
                block = TryAllocate(size);
            if (block == null)
                RuntimePanic.Fail("GcHeap.Allocate: out of memory");
            return block;
        }

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

        internal static void PushFree(int sizeClass, byte* slot)
        {
            *(byte**)slot = s_freeLists[sizeClass];
            s_freeLists[sizeClass] = slot;
        }

        // Empties every free list (the sweep rebuilds them).
        internal static void ClearFreeLists()
        {
            for (int i = 0; i < SizeClasses.Count; i++)
                s_freeLists[i] = null;
        }

        // A large object: a run of whole pages, zeroed.
        private static byte* TryAllocateLarge(ulong size)
        {
            ulong pages = (size + HeapSegment.PageSize - 1) / HeapSegment.PageSize;
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

        // Labels a run of pages: the first `headKind`, the rest tails pointing back at it.
        private static void MarkRun(HeapSegment* segment, ulong first, ulong pages, PageKind headKind)
        {
            segment->Pages[first].Kind = headKind;
            segment->Pages[first].RunPages = (uint)pages;
            for (ulong i = 1; i < pages; i++)
            {
                segment->Pages[first + i].Kind = PageKind.LargeTail;
                segment->Pages[first + i].RunPages = (uint)i;
            }
        }

        // First fit over all segments.
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
            ulong pages = (size + HeapSegment.PageSize - 1) / HeapSegment.PageSize;
            HeapSegment* segment;
            long first = FindFreePages(pages, out segment);
            if (first < 0)
                RuntimePanic.Fail("GcHeap.AllocateRuntimeMemory: out of memory");
            MarkRun(segment, (ulong)first, pages, PageKind.Runtime);
            byte* block = segment->PageAddress((ulong)first);
            Memory.Fill(block, 0, pages * HeapSegment.PageSize);
            return block;
        }

        // Asks the kernel for more memory (kernel_heap_grow); false when it has none.
        private static bool Grow(ulong size)
        {
            ulong wanted = size + 64 * HeapSegment.PageSize;
            ulong granted = 0;
            byte* region = KernelHeapGrow(wanted, &granted);
            return region != null && granted >= wanted && AddRegion(region, region + granted);
        }

        internal static bool Collecting
        {
            get => s_collecting;
            set => s_collecting = value;
        }
    }
}
