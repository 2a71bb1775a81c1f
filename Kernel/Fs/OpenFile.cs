namespace Cowbird.Kernel.Fs
{
    // An open file description (Linux: struct file), shared by the descriptors fork
    // copies: one offset for all of them. Either the console, bytes in memory (an initrd
    // file in place), or a /proc file generated as it is read (Generated).
    public sealed unsafe class OpenFile
    {
        public readonly bool IsConsole;
        public readonly bool IsDirectory;
        private readonly byte* data;
        public readonly SeqFile Generated;
        public readonly ulong Size;
        public ulong Offset;
        // Descriptors referring to this description, in every process (FileTable counts them).
        public int References;

        private OpenFile(bool console, bool directory, byte* bytes, SeqFile generated, ulong size)
        {
            IsConsole = console;
            IsDirectory = directory;
            data = bytes;
            Generated = generated;
            Size = size;
        }

        public static OpenFile Console() => new OpenFile(true, false, null, null, 0);
        public static OpenFile InMemory(byte* bytes, ulong size) => new OpenFile(false, false, bytes, null, size);
        public static OpenFile Generating(SeqSource source) => new OpenFile(false, false, null, new SeqFile(source), 0);
        public static OpenFile Directory() => new OpenFile(false, true, null, null, 0);

        // Byte `index` (< Size) of an in-memory file's contents.
        public byte At(ulong index) => data[index];
    }
}
