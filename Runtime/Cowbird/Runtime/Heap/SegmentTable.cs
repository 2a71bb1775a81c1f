namespace Cowbird.Runtime.Heap
{
    // The heap's segments sorted by address: the complete answer to "which segment
    // holds this address?", a binary search, O(log segments). PageMap answers the
    // same question in O(1) for almost every address and asks here only for chunks
    // two segments share; PageMap.Update also builds its entries from this table.
    // A fixed array in the image's .bss: it exists before the first segment does.
    internal static unsafe class SegmentTable
    {
        public const int Capacity = 1024;

        private struct Entries
        {
            public fixed ulong Items[Capacity];
        }

        private static Entries s_entries;
        private static int s_count;

        public static bool IsFull => s_count == Capacity;

        private static HeapSegment* At(int index)
        {
            fixed (ulong* items = s_entries.Items)
                return (HeapSegment*)items[index];
        }

        private static void Set(int index, HeapSegment* segment)
        {
            fixed (ulong* items = s_entries.Items)
                items[index] = (ulong)segment;
        }

        // Adds a segment (segments never overlap). The caller checked IsFull.
        public static void Insert(HeapSegment* segment)
        {
            if (s_count == Capacity)
                RuntimePanic.Fail("SegmentTable.Insert: table full");
            int position = s_count;
            while (position > 0 && At(position - 1)->DataStart > segment->DataStart)
            {
                Set(position, At(position - 1));
                position--;
            }
            Set(position, segment);
            s_count++;
        }

        public static void Remove(HeapSegment* segment)
        {
            int index = IndexOf(segment->DataStart);
            if (index < 0 || At(index) != segment)
                RuntimePanic.Fail("SegmentTable.Remove: segment not in the table");
            for (int i = index; i < s_count - 1; i++)
                Set(i, At(i + 1));
            s_count--;
        }

        // The segment whose data pages contain `address`, or null.
        public static HeapSegment* Find(byte* address)
        {
            int index = IndexOf(address);
            return index >= 0 && At(index)->Contains(address) ? At(index) : null;
        }

        // How many segments have data pages in [low, high); `one` is one of them.
        public static int CountOverlapping(byte* low, byte* high, out HeapSegment* one)
        {
            one = null;
            int count = 0;
            for (int i = IndexOf(high - 1); i >= 0 && At(i)->DataEnd > low; i--)
            {
                one = At(i);
                count++;
            }
            return count;
        }

        // The index of the last segment starting at or below `address`, or -1.
        private static int IndexOf(byte* address)
        {
            int low = 0, high = s_count - 1, found = -1;
            while (low <= high)
            {
                int middle = (low + high) / 2;
                if (At(middle)->DataStart <= address)
                {
                    found = middle;
                    low = middle + 1;
                }
                else
                    high = middle - 1;
            }
            return found;
        }
    }
}
