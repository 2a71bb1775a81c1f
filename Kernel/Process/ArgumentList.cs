namespace Cowbird.Kernel.Processes
{
    // argv or envp in kernel memory while a program image is built: the strings, each
    // NUL-terminated, one after the other, and where each starts. The room is fixed when the
    // list is made: execve measures the strings first (ExecArguments), so it allocates once.
    public sealed unsafe class ArgumentList
    {
        public readonly byte[] Bytes;
        public int Length;
        public int Count;
        private readonly int[] starts;

        // A list for at most `strings` strings of `bytes` bytes in all, NULs included.
        public ArgumentList(int bytes, int strings)
        {
            Bytes = new byte[bytes];
            starts = new int[strings];
        }

        // Appends one string of `length` bytes (without its NUL). False when full.
        public bool Add(byte* text, int length)
        {
            if (Count == starts.Length || length + 1 > Bytes.Length - Length)
                return false;
            for (int i = 0; i < length; i++)
                Bytes[Length + i] = text[i];
            return Added(length);
        }

        // Takes in a string of `length` bytes someone wrote at Bytes[Length..] (its NUL is
        // put after it here). False when full.
        public bool Added(int length)
        {
            if (Count == starts.Length || length + 1 > Bytes.Length - Length)
                return false;
            Bytes[Length + length] = 0;
            starts[Count++] = Length;
            Length += length + 1;
            return true;
        }

        // Offset in Bytes of string `index` (< Count).
        public int OffsetOf(int index) => starts[index];

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
