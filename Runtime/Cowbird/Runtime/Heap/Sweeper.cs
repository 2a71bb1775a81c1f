namespace Cowbird.Runtime.Heap
{
    // The sweep: every allocated-but-unmarked object is freed. Free lists are
    // rebuilt from scratch (so a slot is on a list iff its Allocated bit is clear);
    // a small page with no survivors, and every page of a dead large object, go
    // back to Free so any size class or large object can reuse them; grown segments
    // left with only Free pages go back to the kernel (GcHeap.ReleaseEmptySegments).
    internal static unsafe class Sweeper
    {
        internal static void Sweep()
        {
            GcHeap.ClearFreeLists();
            for (HeapSegment* segment = GcHeap.Segments; segment != null; segment = segment->Next)
                for (ulong page = 0; page < segment->PageCount; page++)
                {
                    PageInfo* info = &segment->Pages[page];
                    if (info->Kind == PageKind.Small)
                        SweepSmallPage(segment, page, info);
                    else if (info->Kind == PageKind.LargeHead)
                        SweepLargeObject(segment, page, info);
                }
            GcHeap.ReleaseEmptySegments(keepSlack: true);
        }

        // Keeps the marked slots, frees the others, clears the mark bits.
        private static void SweepSmallPage(HeapSegment* segment, ulong page, PageInfo* info)
        {
            ulong* allocated = info->AllocatedBits;
            ulong* marked = info->MarkedBits;
            ulong slotSize = SizeClasses.SlotSize(info->SizeClass);
            bool anyLive = false;
            for (int w = 0; w < PageInfo.BitmapWords; w++)
            {
                ulong dead = allocated[w] & ~marked[w];
                GcHeap.ObjectCount -= PopCount(dead);
                GcHeap.BytesInUse -= PopCount(dead) * slotSize;
                allocated[w] &= marked[w];
                marked[w] = 0;
                anyLive |= allocated[w] != 0;
            }
            if (!anyLive)
            {
                *info = default;
                GcHeap.ReturnPages(segment, page, 1);
                return;
            }
            byte* pageStart = segment->PageAddress(page);
            for (int i = 0; i < info->SlotCount; i++)
                if (!PageInfo.Test(allocated, i))
                    GcHeap.AppendFree(info->SizeClass, pageStart + (ulong)i * slotSize);
        }

        private static void SweepLargeObject(HeapSegment* segment, ulong page, PageInfo* info)
        {
            if (PageInfo.Test(info->MarkedBits, 0))
            {
                info->Marked0 = 0;
                return;
            }
            ulong pages = info->RunPages;
            GcHeap.ObjectCount--;
            GcHeap.BytesInUse -= pages * HeapSegment.PageSize;
            for (ulong i = 0; i < pages; i++)
                segment->Pages[page + i] = default;
            GcHeap.ReturnPages(segment, page, pages);
        }

        private static ulong PopCount(ulong value)
        {
            ulong count = 0;
            for (; value != 0; value &= value - 1)
                count++;
            return count;
        }
    }
}
