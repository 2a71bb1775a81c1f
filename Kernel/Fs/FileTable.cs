namespace Cowbird.Kernel.Fs
{
    // A process's file descriptors (Linux: files_struct): fd n refers to an OpenFile or to
    // nothing. The table starts small and doubles when a descriptor beyond it is installed, so
    // a process pays for the descriptors it uses, not for RLIMIT_NOFILE. Which fds may be
    // handed out is the caller's rule (the soft RLIMIT_NOFILE): this class only stores them.
    // Each fd also has its own close-on-exec flag (FD_CLOEXEC), which execve acts on.
    // A file whose last descriptor goes, in any process, is released (OpenFile.Release).
    public sealed class FileTable
    {
        private const int InitialSize = 64;
        // fs.nr_open (Linux's default): no fd reaches it, whatever the limit says.
        public const int MaxDescriptors = 1024 * 1024;

        private OpenFile[] files = new OpenFile[InitialSize];
        private bool[] closeOnExec = new bool[InitialSize];

        // The file `fd` refers to; null when none (any fd, negative or huge, may be asked).
        // How many descriptors the table has room for; it grows as descriptors are opened
        // beyond it. /proc/<pid>/status shows it as FDSize.
        public int Capacity => files.Length;

        public OpenFile Get(int fd) => fd >= 0 && fd < files.Length ? files[fd] : null;

        // The lowest fd with no file, if it is below `limit`; -1 otherwise (Linux's alloc_fd).
        public int LowestFree(ulong limit) => LowestFree(0, limit);

        // The lowest fd at or above `start` with no file, if it is below `limit`; -1 otherwise.
        public int LowestFree(int start, ulong limit)
        {
            int fd = start;
            while (fd < files.Length && files[fd] != null)
                fd++;
            return (ulong)fd < limit && fd < MaxDescriptors ? fd : -1;
        }

        // Makes `fd` (>= 0, < MaxDescriptors) refer to `file`, which gains a reference;
        // a file `fd` referred to before loses one. The fd's close-on-exec flag is `cloexec`.
        public void Install(int fd, OpenFile file, bool cloexec = false)
        {
            Grow(fd + 1);
            file.References++;
            Close(fd);
            files[fd] = file;
            closeOnExec[fd] = cloexec;
        }

        // Drops `fd`'s file; false when `fd` referred to none.
        public bool Close(int fd)
        {
            OpenFile file = Get(fd);
            if (file == null)
                return false;
            files[fd] = null;
            closeOnExec[fd] = false;
            file.References--;
            if (file.References == 0)
                file.Release();
            return true;
        }

        // Whether `fd` (an open one) is closed by execve.
        public bool IsCloseOnExec(int fd) => closeOnExec[fd];

        public void SetCloseOnExec(int fd, bool value) => closeOnExec[fd] = value;

        // execve's do_close_on_exec: closes every fd with close-on-exec set.
        public void CloseOnExec()
        {
            for (int fd = 0; fd < files.Length; fd++)
                if (closeOnExec[fd])
                    Close(fd);
        }

        public void CloseAll()
        {
            for (int fd = 0; fd < files.Length; fd++)
                Close(fd);
        }

        // A table for a forked child: the same files, each with one more reference, and the
        // same close-on-exec flags.
        public FileTable Copy()
        {
            FileTable copy = new FileTable();
            copy.Grow(files.Length);
            for (int fd = 0; fd < files.Length; fd++)
                if (files[fd] != null)
                    copy.Install(fd, files[fd], closeOnExec[fd]);
            return copy;
        }

        private void Grow(int size)
        {
            if (size <= files.Length)
                return;
            int newSize = files.Length;
            while (newSize < size)
                newSize *= 2;
            OpenFile[] bigger = new OpenFile[newSize];
            bool[] biggerFlags = new bool[newSize];
            for (int i = 0; i < files.Length; i++)
            {
                bigger[i] = files[i];
                biggerFlags[i] = closeOnExec[i];
            }
            files = bigger;
            closeOnExec = biggerFlags;
        }
    }
}
