namespace Cowbird.Kernel.Processes
{
    // argv or envp in kernel memory while a program image is built: the strings,
    // each NUL-terminated, one after the other (Linux limits the total; so does this).
    public sealed unsafe class ArgumentList
    {
        public const int MaxBytes = 128 * 1024;
        public const int MaxStrings = 4096;

        public readonly byte[] Bytes = new byte[MaxBytes];
        public int Length;
        public int Count;

        // Appends one string of `length` bytes (without its NUL). False when full.
        public bool Add(byte* text, int length)
        {
            if (Length + length + 1 > MaxBytes || Count == MaxStrings)
                return false;
            for (int i = 0; i < length; i++)
                Bytes[Length + i] = text[i];
            Bytes[Length + length] = 0;
            Length += length + 1;
            Count++;
            return true;
        }

        // Offset in Bytes of string `index`.
        public int OffsetOf(int index)
        {
            int offset = 0;
            for (int i = 0; i < index; i++)
            {
                while (Bytes[offset] != 0)
                    offset++;
                offset++;
            }
            return offset;
        }

        // Length of the string starting at `offset`.
        public int LengthAt(int offset)
        {
            int length = 0;
            while (Bytes[offset + length] != 0)
                length++;
            return length;
        }
    }
}
