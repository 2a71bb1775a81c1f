namespace Cowbird.Kernel.Fs
{
    // An open file description (Linux: struct file), shared by the descriptors fork and dup
    // copy: one offset and one set of status flags for all of them. Either the console, bytes
    // in memory (an initrd file in place), a /proc file generated as it is read (Generated),
    // or one end of a pipe (Pipe; the access mode tells which end).
    public sealed unsafe class OpenFile
    {
        // The status flags (open(2), fcntl F_GETFL) Cowbird keeps, with Linux's values.
        public const int ReadOnly = 0, WriteOnly = 1, ReadWrite = 2, AccessModeMask = 3,
            Append = 0x400, NonBlocking = 0x800, LargeFile = 0x8000;
        // O_CLOEXEC: open and pipe2 take it, but it marks the descriptor (FileTable), not this.
        public const int CloseOnExecFlag = 0x80000;

        public readonly bool IsConsole;
        public readonly bool IsDirectory;
        private readonly byte* data;
        public readonly SeqFile Generated;
        public readonly Pipe Pipe;
        public readonly ulong Size;
        public ulong Offset;
        // Access mode and status flags (fcntl F_SETFL changes Append and NonBlocking).
        public int StatusFlags;
        // Descriptors referring to this description, in every process (FileTable counts them).
        public int References;

        private OpenFile(bool console, bool directory, byte* bytes, SeqFile generated, Pipe pipe, ulong size, int statusFlags)
        {
            IsConsole = console;
            IsDirectory = directory;
            data = bytes;
            Generated = generated;
            Pipe = pipe;
            Size = size;
            StatusFlags = statusFlags;
        }

        public static OpenFile Console() => new OpenFile(true, false, null, null, null, 0, ReadWrite | LargeFile);
        public static OpenFile InMemory(byte* bytes, ulong size) => new OpenFile(false, false, bytes, null, null, size, ReadOnly | LargeFile);
        public static OpenFile Generating(SeqSource source) => new OpenFile(false, false, null, new SeqFile(source), null, 0, ReadOnly | LargeFile);
        public static OpenFile Directory() => new OpenFile(false, true, null, null, null, 0, ReadOnly | LargeFile);
        // One end of `pipe`: its reading end, or its writing end. Linux gives pipes no O_LARGEFILE.
        public static OpenFile PipeEnd(Pipe pipe, bool writeEnd, int statusFlags) =>
            new OpenFile(false, false, null, null, pipe, 0, (writeEnd ? WriteOnly : ReadOnly) | statusFlags);

        public bool CanRead => (StatusFlags & AccessModeMask) != WriteOnly;
        public bool CanWrite => (StatusFlags & AccessModeMask) != ReadOnly;
        public bool IsNonBlocking => (StatusFlags & NonBlocking) != 0;

        // The last descriptor referring to this description was closed (FileTable).
        public void Release()
        {
            if (Pipe != null)
                Pipe.CloseEnd(CanWrite);
        }

        // Byte `index` (< Size) of an in-memory file's contents.
        public byte At(ulong index) => data[index];
    }
}
