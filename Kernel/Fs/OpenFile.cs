namespace Cowbird.Kernel.Fs
{
    // An open file description (Linux: struct file), shared by the descriptors fork
    // copies: one offset for all of them. Either the console, or bytes in memory
    // (an initrd file in place, or a /proc file's text captured at open).
    public sealed unsafe class OpenFile
    {
        public readonly bool IsConsole;
        public readonly bool IsDirectory;
        private readonly byte* data;
        private readonly byte[] text;
        public readonly ulong Size;
        public ulong Offset;
        // Descriptors referring to this description (close frees at 0).
        public int References = 1;

        private OpenFile(bool console, bool directory, byte* bytes, byte[] captured, ulong size)
        {
            IsConsole = console;
            IsDirectory = directory;
            data = bytes;
            text = captured;
            Size = size;
        }

        public static OpenFile Console() => new OpenFile(true, false, null, null, 0);
        public static OpenFile InMemory(byte* bytes, ulong size) => new OpenFile(false, false, bytes, null, size);
        public static OpenFile Captured(TextBuilder builder) => new OpenFile(false, false, null, builder.Bytes, (ulong)builder.Length);
        public static OpenFile Directory() => new OpenFile(false, true, null, null, 0);

        // Byte `index` (< Size) of the file's contents.
        public byte At(ulong index) => text != null ? text[(int)index] : data[index];
    }
}
