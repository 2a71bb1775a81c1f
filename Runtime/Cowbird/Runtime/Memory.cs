namespace Cowbird.Runtime
{
    // Byte-level copy and fill used by the runtime and by the helpers ILC binds
    // (SpanHelpers, Buffer). Plain loops: simple to read, fast enough for a kernel
    // that copies little; word-sized steps when both sides allow it.
    public static unsafe class Memory
    {
        // Copies `count` bytes; the ranges may overlap (memmove semantics).
        public static void Copy(byte* destination, byte* source, ulong count)
        {
            if (destination == source || count == 0)
                return;
            if (destination < source || destination >= source + count)
            {
                ulong i = 0;
                if ((((ulong)destination | (ulong)source) & 7) == 0)
                    for (; i + 8 <= count; i += 8)
                        *(ulong*)(destination + i) = *(ulong*)(source + i);
                for (; i < count; i++)
                    destination[i] = source[i];
            }
            else
            {
                for (ulong i = count; i > 0; i--)
                    destination[i - 1] = source[i - 1];
            }
        }

        // Sets `count` bytes at `destination` to `value` (word stores when aligned:
        // the heap zeroes every object it hands out).
        public static void Fill(byte* destination, byte value, ulong count)
        {
            ulong i = 0;
            if (((ulong)destination & 7) == 0)
            {
                ulong word = value * 0x0101010101010101UL;
                for (; i + 8 <= count; i += 8)
                    *(ulong*)(destination + i) = word;
            }
            for (; i < count; i++)
                destination[i] = value;
        }
    }
}
