using System.Runtime.CompilerServices;

namespace Cowbird.Runtime.Heap
{
    // The collector's own page table: "which segment holds this address?" in three
    // loads, whatever the number of segments. The collector asks it for every word it
    // scans (every reference field, every stack word) and the allocator for every slot.
    //
    // Shape. The address space is cut into 2 MiB chunks; a radix tree shaped like the
    // x86-64 page tables (nodes of 512 entries indexed by address bits 47..39, 38..30,
    // 29..21) gives each chunk an entry:
    //   0            no segment has data pages in the chunk;
    //   SharedChunk  two or more segments do (their edges meet inside the chunk): ask
    //                SegmentTable, a binary search;
    //   otherwise    the one segment that does.
    // Then the page is arithmetic: (address - segment->DataStart) >> PageShift. Chunks
    // are shared only at the edges of segments that are not 2 MiB aligned (the boot
    // region, regions added with Gc.AddRegion); the kernel grows the heap in regions
    // that start on 2 MiB boundaries, so almost every chunk has a single owner.
    //
    // Nodes come from a fixed pool in the image's .bss (it exists before the first
    // segment, and a node never pins a heap segment). Each gigabyte of address space
    // holding heap needs one leaf; should the pool run out, the chunks without a leaf
    // are answered by SegmentTable: O(log segments) instead of O(1), never wrong.
    //
    // Invariants:
    //   - every chunk of an existing leaf holds the entry SegmentTable implies for it
    //     (updated by Update for every chunk a segment covers when it comes and goes);
    //   - bits 63..48 are not part of the index, so an entry is only a candidate: Find
    //     checks that the segment really contains the address.
    internal static unsafe class PageMap
    {
        public const int ChunkShift = 21;
        private const int IndexBits = 9;
        private const ulong IndexMask = (1UL << IndexBits) - 1;
        private const int NodeEntries = 1 << IndexBits;
        // The root, one middle node per 512 GiB the heap touches (the image, the direct
        // map, the kernel's heap area: 3), and 8 leaves: 8 GiB of heap address space in
        // 48 KiB of .bss, which the smallest machine Cowbird boots on pays for too.
        private const int PoolNodes = 12;
        private const ulong SharedChunk = 1;
        private const int Levels = 3;               // bits 47..39, 38..30, 29..21

        private struct NodePool
        {
            public fixed ulong Words[PoolNodes * NodeEntries];
        }

        private static NodePool s_pool;
        private static int s_usedNodes;
        private static ulong* s_root;               // the first node of the pool, once made
        private static bool s_poolExhausted;        // some chunk has no leaf: ask SegmentTable

        // The segment whose data pages contain `address`, or null. The walk is written
        // out (three loads, like the MMU's), not looped: every scanned word comes here.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static HeapSegment* Find(byte* address)
        {
            ulong a = (ulong)address;
            ulong* root = s_root;
            ulong middle = root == null ? 0 : root[(a >> (ChunkShift + 2 * IndexBits)) & IndexMask];
            ulong leaf = middle == 0 ? 0 : ((ulong*)middle)[(a >> (ChunkShift + IndexBits)) & IndexMask];
            if (leaf == 0)
                return s_poolExhausted ? SegmentTable.Find(address) : null;
            ulong entry = ((ulong*)leaf)[(a >> ChunkShift) & IndexMask];
            if (entry == SharedChunk)
                return SegmentTable.Find(address);
            HeapSegment* segment = (HeapSegment*)entry;
            return segment != null && segment->Contains(address) ? segment : null;
        }

        // Recomputes, from SegmentTable, the entry of every chunk `segment` covers: call
        // after inserting it in the table, and after removing it.
        public static void Update(HeapSegment* segment)
        {
            ulong first = (ulong)segment->DataStart >> ChunkShift;
            ulong last = ((ulong)segment->DataEnd - 1) >> ChunkShift;
            for (ulong chunk = first; chunk <= last; chunk++)
            {
                byte* chunkStart = (byte*)(chunk << ChunkShift);
                ulong* entry = EntryOf(chunkStart);
                if (entry != null)
                    *entry = EntryFor(chunkStart, chunkStart + (1UL << ChunkShift));
            }
        }

        // What a chunk's entry should be, from the segments overlapping [low, high).
        private static ulong EntryFor(byte* low, byte* high)
        {
            HeapSegment* one;
            int count = SegmentTable.CountOverlapping(low, high, out one);
            return count == 0 ? 0 : count == 1 ? (ulong)one : SharedChunk;
        }

        // The leaf entry of the chunk holding `address`, making the nodes on the way;
        // null when the pool is out of nodes.
        private static ulong* EntryOf(byte* address)
        {
            if (s_root == null)
                s_root = NewNode();
            ulong* node = s_root;
            for (int level = 0; node != null && level < Levels - 1; level++)
            {
                ulong* slot = node + Index(address, level);
                if (*slot == 0)
                    *slot = (ulong)NewNode();
                node = (ulong*)*slot;
            }
            return node == null ? null : node + Index(address, Levels - 1);
        }

        // Index into a node of `level` (0 = the root).
        private static ulong Index(byte* address, int level) =>
            ((ulong)address >> (ChunkShift + IndexBits * (Levels - 1 - level))) & IndexMask;

        // A zeroed node from the pool, or null (and lookups fall back) when it is empty.
        private static ulong* NewNode()
        {
            if (s_usedNodes == PoolNodes)
            {
                s_poolExhausted = true;
                return null;
            }
            return Node(s_usedNodes++);
        }

        private static ulong* Node(int index)
        {
            fixed (ulong* words = s_pool.Words)
                return words + index * NodeEntries;
        }
    }
}
