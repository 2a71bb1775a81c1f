using Cowbird.Kernel.Fs.Vfs;

namespace Cowbird.Kernel.Fs
{
    // An open file description (Linux: struct file), shared by the descriptors fork and dup
    // copy: one offset and one set of status flags for all of them. Either the console, an
    // inode of the tree (a RAM file, a directory, a device, or a /proc file generated as it
    // is read: Generated), or one end of a pipe (Pipe; the access mode tells which end), or
    // an open FIFO: its inode and the pipe it shares (O_RDWR holds both ends).
    public sealed class OpenFile
    {
        // The status flags (open(2), fcntl F_GETFL) Cowbird keeps, with Linux's values.
        public const int ReadOnly = 0, WriteOnly = 1, ReadWrite = 2, AccessModeMask = 3,
            Append = 0x400, NonBlocking = 0x800, LargeFile = 0x8000;
        // O_CLOEXEC: open and pipe2 take it, but it marks the descriptor (FileTable), not this.
        public const int CloseOnExecFlag = 0x80000;

        public readonly bool IsConsole;
        // The file's inode; null for pipe() ends and the console of fds 0-2.
        public readonly Inode Node;
        public readonly SeqFile Generated;
        public readonly Pipe Pipe;
        // For a regular file the byte offset; for a directory the position of the next entry
        // getdents returns.
        public ulong Offset;
        // Access mode and status flags (fcntl F_SETFL changes Append and NonBlocking).
        public int StatusFlags;
        // Descriptors referring to this description, in every process (FileTable counts them).
        public int References;
        // A FIFO's reading end opened with O_NONBLOCK while it had no writer: the pipe's
        // WriteOpens then (Linux: f_version), so that poll reports no hang-up until a writer
        // has come since; 0 for every other file.
        public uint WriterOpensAtOpen;

        private OpenFile(bool console, Inode node, SeqFile generated, Pipe pipe, int statusFlags)
        {
            IsConsole = console;
            Node = node;
            Generated = generated;
            Pipe = pipe;
            StatusFlags = statusFlags;
            if (node != null)
                node.Opens++;
        }

        // The console: fds 0-2 of the first process (no inode), or /dev/console and /dev/tty.
        public static OpenFile Console(Inode node = null) => new OpenFile(true, node, null, null, ReadWrite | LargeFile);
        // A /proc file: `node`'s text from `source`.
        public static OpenFile Generating(Inode node, SeqSource source) => new OpenFile(false, node, new SeqFile(source), null, ReadOnly | LargeFile);
        // A RAM file, directory or device of the tree.
        public static OpenFile OfInode(Inode node) => new OpenFile(false, node, null, null, ReadOnly | LargeFile);
        // One end of `pipe`: its reading end, or its writing end. Linux gives pipes no O_LARGEFILE.
        public static OpenFile PipeEnd(Pipe pipe, bool writeEnd, int statusFlags) =>
            new OpenFile(false, null, null, pipe, (writeEnd ? WriteOnly : ReadOnly) | statusFlags);
        // The FIFO `node` open on its `pipe` with `accessMode` (Fifo took the ends it holds).
        public static OpenFile FifoEnd(Inode node, Pipe pipe, int accessMode) => new OpenFile(false, node, null, pipe, accessMode);

        public bool CanRead => (StatusFlags & AccessModeMask) != WriteOnly;
        public bool CanWrite => (StatusFlags & AccessModeMask) != ReadOnly;
        public bool IsNonBlocking => (StatusFlags & NonBlocking) != 0;
        public bool IsDirectory => Node != null && Node.IsDirectory;
        // A RAM file's contents (not a device, /proc file or directory).
        public bool IsRegular => Node != null && Node.IsRegular && !Node.IsProc;
        // Whether lseek and pread/pwrite work: not on pipes and terminals (ESPIPE).
        public bool IsSeekable => Pipe == null && !IsConsole;

        // The last descriptor referring to this description was closed (FileTable): its
        // flock lock goes, then what is behind it is told.
        public void Release()
        {
            FileLocks.Unlock(this);
            if (Pipe != null)
                ReleasePipeEnds();
            if (Node != null)
                Node.Closed();
        }

        // Closes the pipe ends this description holds (both for a FIFO opened O_RDWR); a
        // FIFO whose last open file this was lets its pipe go.
        private void ReleasePipeEnds()
        {
            if (CanRead)
                Pipe.CloseEnd(false);
            if (CanWrite)
                Pipe.CloseEnd(true);
            if (Node != null)
                Fifo.Forget(Node);
        }
    }
}
