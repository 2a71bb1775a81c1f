namespace Cowbird.Runtime
{
    // Phase-1 kernel heap: a bump allocator over one region handed over at boot.
    // Allocation is a pointer increment and memory is never given back; it keeps
    // the runtime working until the freeing heap replaces it. All memory handed
    // out is zeroed (the region starts zeroed, in .bss, and is never reused).
    public static unsafe class BumpHeap
    {
        private static byte* s_next;
        private static byte* s_end;
        private static byte* s_start;

        // Alignment of every allocation: enough for any field ILC lays out.
        public const int Alignment = 8;

        // Takes ownership of [start, end); must be zero-filled. Called once at boot.
        public static void Initialize(byte* start, byte* end)
        {
            s_start = start;
            s_next = start;
            s_end = end;
        }

        // Returns `size` zeroed bytes, 8-byte aligned; panics when the region is exhausted.
        public static byte* Allocate(ulong size)
        {
            ulong rounded = (size + Alignment - 1) & ~(ulong)(Alignment - 1);
            if (rounded < size || rounded > (ulong)(s_end - s_next))
                RuntimePanic.Fail("BumpHeap.Allocate: out of memory");
            byte* result = s_next;
            s_next += rounded;
            return result;
        }

        // Bytes handed out so far.
        public static ulong BytesUsed => (ulong)(s_next - s_start);

        // Bytes still available.
        public static ulong BytesFree => (ulong)(s_end - s_next);
    }
}
