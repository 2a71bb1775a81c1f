using Cowbird.Kernel.Fs.Proc;
using Cowbird.Kernel.Fs.Vfs;
using Cowbird.Kernel.Processes;

namespace Cowbird.Kernel.Fs
{
    // /proc: files generated as they are read (SeqFile), in Linux's formats. The tree and
    // its names are ProcPath's; the system-wide files are SystemFiles', a process's files
    // PidFiles'. "self" is the process that looks: the reader for Open and ListEntry, the
    // running process for IsFile and IsDirectory (both are asked during a system call).
    public static class ProcFiles
    {
        private const uint OwnerRead = 0x100, OwnerWrite = 0x80, OwnerExecute = 0x40, AllPermissions = 0x1FF,
            ReadSearchAll = 0x16D;    // 0555

        // The source of a /proc file's text, or null when `path` names no /proc file.
        public static unsafe SeqSource Open(byte* path, int length, Process process)
        {
            ProcPath node = ProcPath.Parse(path, length, process);
            if (!node.IsFile)
                return null;
            return node.Kind == ProcNodeKind.SystemFile ? SystemFiles.Open(node.Index) : PidFiles.Open(node.Index, node.Process);
        }

        // True when `path` names a /proc file (not a directory).
        public static unsafe bool IsFile(byte* path, int length) => ProcPath.Parse(path, length, Scheduler.Current).IsFile;

        // True when `path` names a directory /proc provides.
        public static unsafe bool IsDirectory(byte* path, int length) => ProcPath.Parse(path, length, Scheduler.Current).IsDirectory;

        // The permission bits of the /proc directory `path`: r-x for its owner only for a
        // process's fd directory, r-x for all for the others.
        public static unsafe uint DirectoryPermissions(byte* path, int length) =>
            ProcPath.Parse(path, length, Scheduler.Current).Kind == ProcNodeKind.FdDirectory ? OwnerRead | OwnerExecute : ReadSearchAll;

        // The target of the /proc link `path` names for `viewer`, or null when it names none:
        //   /proc/self          the viewer's pid, in decimal
        //   /proc/<pid>/exe     the program file's path (ExeTarget)
        //   /proc/<pid>/cwd     the current directory's path
        //   /proc/<pid>/fd/<n>  what descriptor n has open (OpenFilePath)
        // A zombie's links lead nowhere (null), as Linux's readlink of them is ENOENT.
        // `permissions`: 0777, or for a descriptor's link r-x, -wx or rwx for its owner as the
        // file is open for reading, writing or both (Linux's proc_fd_link modes).
        public static unsafe byte[] LinkTarget(byte* path, int length, Process viewer, out uint permissions)
        {
            permissions = AllPermissions;
            if (PathName.Is(path, length, "/proc/self"))
                return DecimalBytes(viewer.Pid);
            ProcPath node = ProcPath.Parse(path, length, viewer);
            if (node.Kind == ProcNodeKind.FdLink && !node.TrailingSlash)
            {
                OpenFile file = node.Process.Files.Get(node.Index);
                permissions = (file.CanRead ? OwnerRead | OwnerExecute : 0) | (file.CanWrite ? OwnerWrite | OwnerExecute : 0);
                return OpenFilePath.Of(file);
            }
            if (node.Kind != ProcNodeKind.PidLink || node.TrailingSlash || node.Process.IsZombie)
                return null;
            if (node.Index == PidFiles.ExeLink)
                return node.Process.ExePath;
            return DirectoryPath.Of(node.Process.Cwd ?? FileSystem.Root);
        }

        private static byte[] DecimalBytes(int value)
        {
            TextBuilder text = new TextBuilder();
            text.AppendDecimal((ulong)value, 0);
            return text.ToArray();
        }

        // The program file of the process `path` names when it is /proc/<pid>/exe or
        // /proc/self/exe (a link to that file on Linux), or null: for any other path, and
        // for a zombie, whose link is gone.
        public static unsafe byte[] ExeTarget(byte* path, int length, Process viewer)
        {
            const string Suffix = "/exe";
            if (length <= Suffix.Length || !PathName.Is(path + length - Suffix.Length, Suffix.Length, Suffix))
                return null;
            ProcPath directory = ProcPath.Parse(path, length - Suffix.Length, viewer);
            if (directory.Kind != ProcNodeKind.PidDirectory || directory.TrailingSlash || directory.Process.IsZombie)
                return null;
            return directory.Process.ExePath;
        }

        // The name of entry `index` of the /proc directory `dirPath` as `viewer` lists it:
        // its length (the name is written to nameOut when it fits `capacity`), or -1 past
        // the last entry or when dirPath is no /proc directory. /proc lists its files, sys
        // and self, then a directory per process in pid order; /proc/<pid> lists PidFiles.
        public static unsafe int ListEntry(byte* dirPath, int dirLength, Process viewer, int index, byte* nameOut,
            int capacity, out bool isDirectory)
        {
            isDirectory = false;
            ProcPath directory = ProcPath.Parse(dirPath, dirLength, viewer);
            if (index < 0)
                return -1;
            switch (directory.Kind)
            {
                case ProcNodeKind.Root: return RootEntry(index, nameOut, capacity, out isDirectory);
                case ProcNodeKind.SysDirectory: return SysEntry(directory.Index, index, nameOut, capacity, out isDirectory);
                case ProcNodeKind.PidDirectory:
                    return index < PidFiles.Listing.Length ? Name(PidFiles.Listing[index], nameOut, capacity) : -1;
                case ProcNodeKind.FdDirectory:
                    int fd = NthOpenDescriptor(directory.Process, index);
                    return fd >= 0 ? Decimal(fd, nameOut, capacity) : -1;
                default: return -1;
            }
        }

        // /proc: the system files, "sys", "self", then the pids.
        private static unsafe int RootEntry(int index, byte* nameOut, int capacity, out bool isDirectory)
        {
            isDirectory = index >= SystemFiles.RootFileCount;
            if (index < SystemFiles.RootFileCount)
                return Name(SystemFiles.Names[index], nameOut, capacity);
            index -= SystemFiles.RootFileCount;
            if (index == 0)
                return Name("sys", nameOut, capacity);
            if (index == 1)
                return Name("self", nameOut, capacity);
            int pid = NthPid(index - 2);
            return pid > 0 ? Decimal(pid, nameOut, capacity) : -1;
        }

        // The entries of /proc/sys (directory 0) and its directories: the names that
        // extend the directory's own by one component.
        private static unsafe int SysEntry(int directory, int index, byte* nameOut, int capacity, out bool isDirectory)
        {
            string parent = SystemFiles.Directories[directory];
            isDirectory = true;
            for (int i = 0; i < SystemFiles.Directories.Length; i++)
                if (IsChild(SystemFiles.Directories[i], parent) && index-- == 0)
                    return Name(SystemFiles.Directories[i], parent.Length + 1, nameOut, capacity);
            isDirectory = false;
            for (int i = 0; i < SystemFiles.Names.Length; i++)
                if (IsChild(SystemFiles.Names[i], parent) && index-- == 0)
                    return Name(SystemFiles.Names[i], parent.Length + 1, nameOut, capacity);
            return -1;
        }

        // True when `name` lies directly in the directory `parent`: "parent/last".
        private static bool IsChild(string name, string parent)
        {
            if (name.Length <= parent.Length + 1 || name[parent.Length] != '/')
                return false;
            for (int i = 0; i < parent.Length; i++)
                if (name[i] != parent[i])
                    return false;
            for (int i = parent.Length + 1; i < name.Length; i++)
                if (name[i] == '/')
                    return false;
            return true;
        }

        // The n-th lowest descriptor `process` has open, or -1 when it has fewer (none for a zombie).
        private static int NthOpenDescriptor(Process process, int n)
        {
            if (process.IsZombie)
                return -1;
            for (int fd = 0; fd < process.Files.Capacity; fd++)
                if (process.Files.Get(fd) != null && n-- == 0)
                    return fd;
            return -1;
        }

        // The n-th smallest pid of the processes that exist (zombies included, reaped ones
        // not), or 0 when there are fewer: O(n * table size), for listings of /proc.
        private static int NthPid(int n)
        {
            int previous = 0;
            for (int k = 0; k <= n; k++)
            {
                int smallest = 0;
                for (int i = 0; i < ProcessTable.MaxThreads; i++)
                {
                    Process process = ProcessTable.At(i);
                    if (process != null && !process.Detached && process.Pid > previous && (smallest == 0 || process.Pid < smallest))
                        smallest = process.Pid;
                }
                if (smallest == 0)
                    return 0;
                previous = smallest;
            }
            return previous;
        }

        private static unsafe int Name(string name, byte* nameOut, int capacity) => Name(name, 0, nameOut, capacity);

        // The part of `name` from `start` on.
        private static unsafe int Name(string name, int start, byte* nameOut, int capacity)
        {
            int length = name.Length - start;
            if (length <= capacity)
                for (int i = 0; i < length; i++)
                    nameOut[i] = (byte)name[start + i];
            return length;
        }

        private static unsafe int Decimal(int value, byte* nameOut, int capacity)
        {
            int length = 1;
            for (int rest = value / 10; rest != 0; rest /= 10)
                length++;
            if (length <= capacity)
                for (int i = length - 1, rest = value; i >= 0; i--, rest /= 10)
                    nameOut[i] = (byte)('0' + rest % 10);
            return length;
        }
    }
}
