using Cowbird.Mm.Physical;
using Cowbird.Mm.Swap;

namespace Cowbird.Mm.Reclaim
{
    // The pages one reclaim pass has unmapped and still has to write (Linux: the folio
    // list shrink_folio_list gathers, whose writes the block layer merges by slot). Each
    // page is in the swap cache, its PTEs (or its shared object) wait for it, and the
    // reclaimer holds a reference to it. Writing sorts the pages by (device, slot) and
    // sends each run of consecutive slots to the device as one request, so the usual
    // case, a batch whose slots the cluster allocator handed out in a row, is one command:
    //
    //   LRU inactive tail -> batch (pfn 907, 412, 388, ...) -> slots 40, 41, 42, ...
    //                     -> SwapSpace.WritePages(slot 40, [907, 412, 388, ...]) : 1 command
    public sealed class SwapOutBatch
    {
        // Pages gathered before writing (Linux SWAP_CLUSTER_MAX).
        public const int Capacity = 32;

        readonly MemoryManager mm;
        readonly ulong[] pfns = new ulong[Capacity];
        readonly ulong[] pageAddresses = new ulong[Capacity];
        int count;

        public SwapOutBatch(MemoryManager memoryManager)
        {
            mm = memoryManager;
        }

        public int Count { get { return count; } }
        public bool IsFull { get { return count == Capacity; } }

        // The page at position `i` (in slot order once SortBySlot has run).
        public ulong Pfn(int i) { return pfns[i]; }

        // Queues `pfn` (in the swap cache, unmapped, held by the reclaimer). Not when full.
        public void Add(ulong pfn)
        {
            if (count == Capacity)
                Mm.Panic("SwapOutBatch.Add: batch full");
            pfns[count++] = pfn;
        }

        // Empties the batch (the caller has finished every page).
        public void Clear()
        {
            count = 0;
        }

        // Orders the pages by swap entry (device type, then slot): an insertion sort,
        // since the batch is small and usually in order already.
        public void SortBySlot()
        {
            for (int i = 1; i < count; i++)
            {
                ulong pfn = pfns[i];
                SwapEntry entry = EntryOf(pfn);
                int j = i;
                while (j > 0 && Before(entry, EntryOf(pfns[j - 1])))
                {
                    pfns[j] = pfns[j - 1];
                    j--;
                }
                pfns[j] = pfn;
            }
        }

        // End (exclusive) of the run of consecutive slots on one device starting at `start`
        // (after SortBySlot).
        public int RunEnd(int start)
        {
            SwapEntry previous = EntryOf(pfns[start]);
            int end = start + 1;
            while (end < count)
            {
                SwapEntry next = EntryOf(pfns[end]);
                if (next.Type != previous.Type || next.Slot != previous.Slot + 1)
                    break;
                previous = next;
                end++;
            }
            return end;
        }

        // Writes pages [start, end), a run from RunEnd, in one device request. True on
        // success (pswpout and the write command counted by SwapSpace).
        public unsafe bool WriteRun(int start, int end)
        {
            for (int i = start; i < end; i++)
                pageAddresses[i] = (ulong)mm.Physical.Pointer(Page.FrameToAddress(pfns[i]), Page.Size);
            fixed (ulong* addresses = pageAddresses)
                return mm.Swap.WritePages(EntryOf(pfns[start]), (byte**)(addresses + start), (uint)(end - start)) == 0;
        }

        SwapEntry EntryOf(ulong pfn)
        {
            return SwapEntry.FromPte(mm.Frames.Frame(pfn).SwapEntry);
        }

        static bool Before(SwapEntry a, SwapEntry b)
        {
            return a.Type < b.Type || (a.Type == b.Type && a.Slot < b.Slot);
        }
    }
}
