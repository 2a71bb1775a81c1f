using System.Runtime.CompilerServices;

namespace Cowbird.Runtime.Heap
{
    // One contiguous block of memory owned by the heap: the boot region, a region
    // the kernel added for good (Gc.AddRegion), or one the heap grew by
    // (kernel_heap_grow), which goes back to the kernel once all its pages are free.
    // Layout: [HeapSegment header | PageInfo per data page | pad to 4 KiB | data pages].
    // Segments are linked in the order they were added (allocation is first fit along
    // this list, so the permanent ones fill first and grown ones can empty out) and
    // indexed by address in SegmentTable and PageMap.
    internal unsafe struct HeapSegment
    {
        public const ulong PageSize = 4096;
        public const int PageShift = 12;

        public HeapSegment* Next;
        public byte* DataStart;     // first data page (4 KiB aligned)
        public ulong PageCount;     // number of data pages
        public PageInfo* Pages;     // PageCount descriptors
        public ulong FreePages;     // pages of kind Free
        public byte* RegionStart;   // the region as the kernel gave it (for kernel_heap_release)
        public ulong RegionBytes;
        public bool Releasable;     // grown by kernel_heap_grow: returned when empty
        public ulong FirstFreeHint; // no Free page below this index (searches start here)

        public byte* DataEnd
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => DataStart + PageCount * PageSize;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Contains(byte* address) => address >= DataStart && address < DataEnd;

        public bool IsEmpty => FreePages == PageCount;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public byte* PageAddress(ulong page) => DataStart + (page << PageShift);

        // Bytes a page-aligned region needs so that its segment has `dataPages` data pages.
        public static ulong RegionBytesFor(ulong dataPages)
        {
            ulong metadataBytes = (ulong)sizeof(HeapSegment) + dataPages * (ulong)sizeof(PageInfo);
            return ((metadataBytes + PageSize - 1) & ~(PageSize - 1)) + dataPages * PageSize;
        }

        // Turns [start, end) into a segment whose pages are all Free; null when too small.
        // The descriptors are zeroed here; data pages are zeroed when handed out.
        public static HeapSegment* Create(byte* start, byte* end)
        {
            ulong first = ((ulong)start + 7) & ~7UL;
            ulong last = (ulong)end & ~(PageSize - 1);
            if (last <= first)
                return null;
            ulong totalPages = (last - first) / PageSize;
            ulong metadataBytes = (ulong)sizeof(HeapSegment) + totalPages * (ulong)sizeof(PageInfo);
            ulong dataStart = (first + metadataBytes + PageSize - 1) & ~(PageSize - 1);
            if (dataStart >= last)
                return null;
            Memory.Fill((byte*)first, 0, dataStart - first);
            HeapSegment* segment = (HeapSegment*)first;
            segment->DataStart = (byte*)dataStart;
            segment->PageCount = (last - dataStart) / PageSize;
            segment->FreePages = segment->PageCount;
            segment->Pages = (PageInfo*)(segment + 1);
            segment->RegionStart = start;
            segment->RegionBytes = (ulong)(end - start);
            return segment;
        }

        // Finds `count` consecutive Free pages (first fit); returns the first index or -1.
        // Starts at FirstFreeHint and moves it up to the first Free page it meets, so
        // carving pages one by one walks the segment once, not once per page.
        public long FindFreeRun(ulong count)
        {
            if (FreePages < count)
                return -1;
            ulong run = 0;
            bool seenFree = false;
            for (ulong page = FirstFreeHint; page < PageCount; page++)
            {
                bool free = Pages[page].Kind == PageKind.Free;
                if (free && !seenFree)
                {
                    FirstFreeHint = page;
                    seenFree = true;
                }
                run = free ? run + 1 : 0;
                if (run == count)
                    return (long)(page + 1 - count);
            }
            return -1;
        }

        // Pages from `first` on became Free: searches must look there again.
        public void NoteFreed(ulong first)
        {
            if (first < FirstFreeHint)
                FirstFreeHint = first;
        }
    }
}
