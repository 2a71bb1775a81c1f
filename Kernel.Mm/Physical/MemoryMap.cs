namespace Cowbird.Mm.Physical
{
    // The usable RAM ranges the boot loader reported, after the kernel removed what it
    // occupies itself (kernel image, boot page tables, early heap). The frame allocator
    // hands out only whole frames inside these ranges.
    public sealed class MemoryMap
    {
        public const int MaxRanges = 64;

        readonly MemoryRange[] ranges = new MemoryRange[MaxRanges];
        int count;

        public int Count { get { return count; } }

        // Range number `i` (0 <= i < Count).
        public MemoryRange this[int i]
        {
            get
            {
                if (i < 0 || i >= count)
                    Mm.Panic("MemoryMap[]: index out of range");
                return ranges[i];
            }
        }

        // Adds a usable range. False when it is empty, wraps around, or the map is full.
        public bool Add(ulong baseAddress, ulong length)
        {
            if (length == 0 || baseAddress + length < baseAddress || count == MaxRanges)
                return false;
            ranges[count] = new MemoryRange(baseAddress, length);
            count++;
            return true;
        }
    }
}
