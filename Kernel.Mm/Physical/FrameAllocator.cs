namespace Cowbird.Mm.Physical
{
    // Binary buddy allocator for physical frames (Linux: mm/page_alloc.c, much reduced).
    //
    // Invariants:
    //   - Free memory is a set of blocks of 2^order frames, 0 <= order <= MaxOrder, each
    //     starting at a frame number that is a multiple of 2^order; free list `order`
    //     links the heads of the free blocks of that order through PageFrame.Next/Prev.
    //   - Every frame of a free block has PageFrameFlags.Free; only its head has BuddyHead
    //     and Order. Two free buddies of the same order never coexist: Free merges them.
    //   - Frame 0 is never managed, so frame number 0 (NoFrame) can mean "none".
    //   - FreeFrames = frames carrying the Free flag; TotalFrames = usable frames.
    // The descriptors live in one array indexed by (frame number - first frame).
    public sealed class FrameAllocator
    {
        // Largest block: 2^10 frames = 4 MiB, as in Linux.
        public const int MaxOrder = 10;
        // Largest span of frame numbers (first usable to last usable) covered by
        // descriptors: 2^28 frames = 1 TiB of physical address space.
        public const ulong MaxDescriptors = 1UL << 28;
        // Returned by Alloc when no block is available; also "no link" in free lists.
        public const ulong NoFrame = 0;

        readonly PageFrame[] frames;
        readonly ulong firstFrame;
        readonly ulong[] freeLists = new ulong[MaxOrder + 1];
        ulong freeFrames;
        ulong totalFrames;

        // Builds the allocator over every whole frame inside the map's usable ranges.
        // Overlapping ranges are a boot bug: panic.
        public FrameAllocator(MemoryMap map) : this(map, new MemoryRange(0, 0))
        {
        }

        // The same, with descriptors also for the frames of `later` (reserved until
        // AddReserved hands them over: the initrd, once unpacked).
        public FrameAllocator(MemoryMap map, MemoryRange later)
        {
            ulong lowest = ulong.MaxValue;
            ulong highest = 0;
            if (FirstWholeFrame(later) < EndWholeFrame(later))
            {
                lowest = FirstWholeFrame(later);
                highest = EndWholeFrame(later);
            }
            for (int i = 0; i < map.Count; i++)
            {
                ulong first = FirstWholeFrame(map[i]);
                ulong end = EndWholeFrame(map[i]);
                if (first >= end)
                    continue;
                if (first < lowest) lowest = first;
                if (end > highest) highest = end;
            }
            if (lowest == ulong.MaxValue)
            {
                lowest = 1;
                highest = 1;
            }
            if (highest - lowest > MaxDescriptors)
                Mm.Panic("FrameAllocator: memory map spans too many frames");
            firstFrame = lowest;
            // An int count: an array size from a ulong needs an overflow-checking helper
            // the kernel's corelib does not have.
            int count = (int)(highest - lowest);
            frames = new PageFrame[count];
            for (int i = 0; i < count; i++)
                frames[i].Flags = PageFrameFlags.Reserved;
            for (int i = 0; i < map.Count; i++)
                AddRange(map[i]);
        }

        // Bytes of descriptor paid per frame of RAM (Linux's struct page is 64).
        // PageFrame holds one object reference (Mapping), hence CS8500; sizeof is exact.
#pragma warning disable CS8500
        public static unsafe int DescriptorBytesPerFrame { get { return sizeof(PageFrame); } }
#pragma warning restore CS8500

        public ulong FreeFrames { get { return freeFrames; } }
        public ulong TotalFrames { get { return totalFrames; } }
        // First frame number with a descriptor, and one past the last.
        public ulong FirstFrame { get { return firstFrame; } }
        public ulong EndFrame { get { return firstFrame + (ulong)frames.Length; } }

        // True when `pfn` is usable RAM managed by this allocator.
        public bool Manages(ulong pfn)
        {
            // One unsigned compare: below firstFrame the difference wraps to a huge index.
            ulong index = pfn - firstFrame;
            return index < (ulong)frames.Length && (frames[index].Flags & PageFrameFlags.Reserved) == 0;
        }

        // The descriptor of frame `pfn`. Panics on a frame the allocator does not manage.
        // Every fault calls it many times, so it tests Manages' conditions inline.
        public ref PageFrame Frame(ulong pfn)
        {
            ulong index = pfn - firstFrame;
            if (index >= (ulong)frames.Length || (frames[index].Flags & PageFrameFlags.Reserved) != 0)
                Mm.Panic("FrameAllocator.Frame: frame not managed");
            return ref frames[index];
        }

        // Allocates 2^order contiguous frames, aligned to their size; the head gets
        // RefCount 1. Contents are not zeroed. Returns the head's frame number, or NoFrame.
        public ulong Alloc(int order)
        {
            if (order < 0 || order > MaxOrder)
                Mm.Panic("FrameAllocator.Alloc: bad order");
            int found = order;
            while (found <= MaxOrder && freeLists[found] == NoFrame)
                found++;
            if (found > MaxOrder)
                return NoFrame;
            ulong pfn = freeLists[found];
            RemoveFromFreeList(pfn, found);
            // Split: keep the lower half, give the upper half back at the next order down.
            while (found > order)
            {
                found--;
                PushFreeBlock(pfn + (1UL << found), found);
            }
            ulong count = 1UL << order;
            for (ulong i = 0; i < count; i++)
                Slot(pfn + i) = new PageFrame();
            ref PageFrame head = ref Slot(pfn);
            head.Order = (byte)order;
            head.RefCount = 1;
            freeFrames -= count;
            return pfn;
        }

        // Allocates one frame (RefCount 1), or NoFrame.
        public ulong AllocFrame()
        {
            return Alloc(0);
        }

        // Returns a block from Alloc(order) to the allocator, merging it with free
        // buddies. Panics on a double free, a mapped frame or a wrong order.
        public void Free(ulong pfn, int order)
        {
            if (order < 0 || order > MaxOrder || (pfn & ((1UL << order) - 1)) != 0)
                Mm.Panic("FrameAllocator.Free: bad order or misaligned block");
            ulong count = 1UL << order;
            for (ulong i = 0; i < count; i++)
            {
                ref PageFrame frame = ref Frame(pfn + i);
                if ((frame.Flags & PageFrameFlags.Free) != 0)
                    Mm.Panic("FrameAllocator.Free: double free");
                if (frame.MapCount != 0)
                    Mm.Panic("FrameAllocator.Free: frame still mapped");
                if ((frame.Flags & (PageFrameFlags.Lru | PageFrameFlags.SwapCache)) != 0)
                    Mm.Panic("FrameAllocator.Free: frame still on an LRU list or in the swap cache");
            }
            if (Slot(pfn).Order != order)
                Mm.Panic("FrameAllocator.Free: order differs from allocation");
            for (ulong i = 0; i < count; i++)
            {
                ref PageFrame frame = ref Slot(pfn + i);
                frame = new PageFrame();
                frame.Flags = PageFrameFlags.Free;
            }
            freeFrames += count;
            MergeAndPush(pfn, order);
        }

        // Takes one more reference on an allocated frame (Linux: get_page).
        public void Get(ulong pfn)
        {
            ref PageFrame frame = ref Frame(pfn);
            if (frame.RefCount <= 0 || (frame.Flags & PageFrameFlags.Free) != 0)
                Mm.Panic("FrameAllocator.Get: frame not allocated");
            frame.RefCount++;
        }

        // Drops one reference to a single frame and frees it at zero (Linux: put_page).
        public void Put(ulong pfn)
        {
            ref PageFrame frame = ref Frame(pfn);
            if (frame.RefCount <= 0 || (frame.Flags & PageFrameFlags.Free) != 0)
                Mm.Panic("FrameAllocator.Put: reference count already zero");
            if (frame.RefCount - 1 < frame.MapCount)
                Mm.Panic("FrameAllocator.Put: fewer references than mappings");
            frame.RefCount--;
            if (frame.RefCount == 0)
                Free(pfn, 0);
        }

        // Frame number at the head of free list `order` (NoFrame when empty); with
        // NextFree, lets checkers walk the free lists without touching them.
        public ulong FirstFree(int order)
        {
            return freeLists[order];
        }

        // The free block after `pfn` on its free list, or NoFrame.
        public ulong NextFree(ulong pfn)
        {
            return Frame(pfn).Next;
        }

        // Hands the reserved frames wholly inside `range` that have descriptors to the
        // allocator (Linux: free_initrd_mem, once the boot module was unpacked); frames
        // outside the descriptors' span stay unused. Returns how many were added.
        public ulong AddReserved(MemoryRange range)
        {
            ulong added = 0;
            ulong end = EndWholeFrame(range);
            for (ulong pfn = FirstWholeFrame(range); pfn < end; pfn++)
            {
                if (pfn < firstFrame || pfn >= EndFrame || (Slot(pfn).Flags & PageFrameFlags.Reserved) == 0)
                    continue;
                Slot(pfn).Flags = PageFrameFlags.Free;
                freeFrames++;
                totalFrames++;
                MergeAndPush(pfn, 0);
                added++;
            }
            return added;
        }

        // First frame number lying wholly inside `range`.
        static ulong FirstWholeFrame(MemoryRange range)
        {
            ulong aligned;
            if (!Page.TryAlignUp(range.Base, out aligned))
                return ulong.MaxValue;
            ulong pfn = Page.AddressToFrame(aligned);
            return pfn == 0 ? 1 : pfn;
        }

        // One past the last frame number lying wholly inside `range`.
        static ulong EndWholeFrame(MemoryRange range)
        {
            ulong end = range.Base + range.Length;
            if (end < range.Base)
                end = ulong.MaxValue;
            return Page.AddressToFrame(Page.AlignDown(end));
        }

        // Hands the whole frames of one usable range to the free lists, merging as it goes.
        void AddRange(MemoryRange range)
        {
            ulong end = EndWholeFrame(range);
            for (ulong pfn = FirstWholeFrame(range); pfn < end; pfn++)
            {
                ref PageFrame frame = ref Slot(pfn);
                if ((frame.Flags & PageFrameFlags.Reserved) == 0)
                    Mm.Panic("FrameAllocator: memory map ranges overlap");
                frame.Flags = PageFrameFlags.Free;
                freeFrames++;
                totalFrames++;
                MergeAndPush(pfn, 0);
            }
        }

        // The descriptor slot of a frame known to be in range. (An int index: indexing
        // with a ulong needs an overflow-checking helper the kernel's corelib lacks.)
        ref PageFrame Slot(ulong pfn)
        {
            return ref frames[(int)(pfn - firstFrame)];
        }

        // Merges the free block (pfn, order) with its free buddies, then lists the result.
        void MergeAndPush(ulong pfn, int order)
        {
            while (order < MaxOrder)
            {
                ulong buddy = pfn ^ (1UL << order);
                if (!IsFreeHead(buddy, order))
                    break;
                RemoveFromFreeList(buddy, order);
                if (buddy < pfn)
                    pfn = buddy;
                order++;
            }
            PushFreeBlock(pfn, order);
        }

        // True when `pfn` heads a free block of exactly `order`.
        bool IsFreeHead(ulong pfn, int order)
        {
            if (pfn < firstFrame || pfn >= EndFrame)
                return false;
            ref PageFrame frame = ref Slot(pfn);
            return (frame.Flags & PageFrameFlags.BuddyHead) != 0 && frame.Order == order;
        }

        // Marks (pfn, order) as a free block head and puts it first on its list.
        void PushFreeBlock(ulong pfn, int order)
        {
            ref PageFrame head = ref Slot(pfn);
            head.Flags = PageFrameFlags.Free | PageFrameFlags.BuddyHead;
            head.Order = (byte)order;
            head.Prev = NoFrame;
            head.Next = freeLists[order];
            if (head.Next != NoFrame)
                Slot(head.Next).Prev = pfn;
            freeLists[order] = pfn;
        }

        // Unlinks the free block head `pfn` from list `order`; its frames stay Free.
        void RemoveFromFreeList(ulong pfn, int order)
        {
            ref PageFrame head = ref Slot(pfn);
            if (head.Prev != NoFrame)
                Slot(head.Prev).Next = head.Next;
            else
                freeLists[order] = head.Next;
            if (head.Next != NoFrame)
                Slot(head.Next).Prev = head.Prev;
            head.Next = NoFrame;
            head.Prev = NoFrame;
            head.Order = 0;
            head.Flags = PageFrameFlags.Free;
        }
    }
}
