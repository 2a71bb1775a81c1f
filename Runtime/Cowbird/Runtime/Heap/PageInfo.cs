using System.Runtime.CompilerServices;

namespace Cowbird.Runtime.Heap
{
    // What a heap page is used for.
    internal enum PageKind : byte
    {
        Free = 0,       // available for a new small-object page or a large object
        Small = 1,      // slots of one size class
        LargeHead = 2,  // first page of a large object (one object, RunPages pages)
        LargeTail = 3,  // a following page of a large object; RunPages = distance back to its head
        Runtime = 4,    // runtime-internal memory (mark stack, dispatch caches): never swept
    }

    // The descriptor of one 4 KiB heap page, kept outside the page (in the
    // segment header) so the page itself is nothing but object slots.
    // Small pages: bit i of the Allocated/Marked bitmaps is slot i (at most
    // 4096 / 16 = 256 slots, so four words each). Large heads use bit 0.
    // Pending objects (only while the collector marks): marked objects the full mark
    // stack could not take. A pending object has its Marked bit set and its Allocated
    // bit cleared, a pair nothing else produces (a free slot is never marked), so it
    // needs no third bitmap, and it still counts as visited; the collector sets the
    // Allocated bit again when it queues the object. A page holding pending objects is
    // on the collector's pending-page list, linked through NextPending (null: not on it).
    internal unsafe struct PageInfo
    {
        public PageKind Kind;
        public byte SizeClass;
        public ushort SlotCount;
        public uint RunPages;
        public ulong Allocated0, Allocated1, Allocated2, Allocated3;
        public ulong Marked0, Marked1, Marked2, Marked3;
        public byte* NextPending;           // the next page on the pending-page list

        public const int BitmapWords = 4;

        // The Allocated bitmap as four words (the struct lives in unmanaged memory, never moves).
        public ulong* AllocatedBits
        {
            get { fixed (ulong* bits = &Allocated0) return bits; }
        }

        public ulong* MarkedBits
        {
            get { fixed (ulong* bits = &Marked0) return bits; }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool Test(ulong* bits, int index) => (bits[index >> 6] & (1UL << (index & 63))) != 0;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Set(ulong* bits, int index) => bits[index >> 6] |= 1UL << (index & 63);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Clear(ulong* bits, int index) => bits[index >> 6] &= ~(1UL << (index & 63));

        // The index of the lowest set bit of `value` (not 0), by halving.
        public static int LowestBit(ulong value)
        {
            int index = 0;
            for (int width = 32; width > 0; width >>= 1)
                if ((value & ((1UL << width) - 1)) == 0)
                {
                    value >>= width;
                    index += width;
                }
            return index;
        }
    }
}
