using Cowbird.Kernel.Processes;

namespace Cowbird.Kernel.Fs.Proc
{
    // What a /proc path names. The tree:
    //   /proc                      directory: the system files, sys, self, one directory a live pid
    //   /proc/<name>               a system file (SystemFiles.Names)
    //   /proc/sys, /proc/sys/vm, /proc/sys/kernel   directories of sysctl files
    //   /proc/<pid>, /proc/self    a process's directory (self: the reader's own; /proc/self
    //                              itself is a link to the reader's pid, ProcFiles.LinkTarget)
    //   /proc/<pid>/<name>         a process file (PidFiles.Names)
    //   /proc/<pid>/cwd, exe       links to the process's directory and program (PidFiles.Links)
    //   /proc/<pid>/fd             directory: one link a open descriptor
    //   /proc/<pid>/fd/<n>         a link to what descriptor n has open (OpenFilePath)
    public enum ProcNodeKind
    {
        None,
        Root,
        SysDirectory,      // Index: SystemFiles.Directories
        SystemFile,        // Index: SystemFiles.Names
        PidDirectory,      // Process
        PidFile,           // Process, Index: PidFiles.Names
        PidLink,           // Process, Index: PidFiles.Links
        FdDirectory,       // Process
        FdLink,            // Process, Index: the descriptor
    }

    public unsafe struct ProcPath
    {
        public ProcNodeKind Kind;
        public int Index;
        public Process Process;
        // The path ended in "/": it can only name a directory.
        public bool TrailingSlash;

        private const string Prefix = "/proc";
        private const string FdName = "fd";

        // Takes `path` apart for `viewer` (whose pid "self" means). Kind None when /proc has
        // no such entry, or the pid is not a live or zombie process.
        public static ProcPath Parse(byte* path, int length, Process viewer)
        {
            ProcPath result = default;
            while (length > 1 && path[length - 1] == '/')
            {
                length--;
                result.TrailingSlash = true;
            }
            if (length < Prefix.Length || !PathName.Is(path, Prefix.Length, Prefix))
                return result;
            if (length == Prefix.Length)
            {
                result.Kind = ProcNodeKind.Root;
                return result;
            }
            if (path[Prefix.Length] != '/')
                return result;
            byte* rest = path + Prefix.Length + 1;
            int restLength = length - Prefix.Length - 1;
            int index = SystemFiles.DirectoryIndex(rest, restLength);
            if (index >= 0)
                return Found(result, ProcNodeKind.SysDirectory, index, null);
            index = SystemFiles.FileIndex(rest, restLength);
            if (index >= 0)
                return Found(result, ProcNodeKind.SystemFile, index, null);
            int first = 0;
            while (first < restLength && rest[first] != '/')
                first++;
            Process process = ProcessNamed(rest, first, viewer);
            if (process == null)
                return result;
            if (first == restLength)
                return Found(result, ProcNodeKind.PidDirectory, 0, process);
            byte* inner = rest + first + 1;
            int innerLength = restLength - first - 1;
            index = PidFiles.Index(inner, innerLength);
            if (index >= 0)
                return Found(result, ProcNodeKind.PidFile, index, process);
            if (innerLength >= FdName.Length && PathName.Is(inner, FdName.Length, FdName)
                && (innerLength == FdName.Length || inner[FdName.Length] == '/'))
                return FdNode(result, process, inner + FdName.Length, innerLength - FdName.Length);
            index = PathName.IndexIn(PidFiles.Links, rest + first + 1, restLength - first - 1);
            return index >= 0 ? Found(result, ProcNodeKind.PidLink, index, process) : result;
        }

        // /proc/<pid>/fd (`rest` empty) or /proc/<pid>/fd/<n> (`rest` is "/<n>", n an open
        // descriptor in decimal without leading zeros).
        private static ProcPath FdNode(ProcPath result, Process process, byte* rest, int length)
        {
            if (length == 0)
                return Found(result, ProcNodeKind.FdDirectory, 0, process);
            int fd = DecimalName(rest + 1, length - 1);
            if (fd < 0 || process.IsZombie || process.Files.Get(fd) == null)
                return result;
            return Found(result, ProcNodeKind.FdLink, fd, process);
        }

        private static ProcPath Found(ProcPath result, ProcNodeKind kind, int index, Process process)
        {
            result.Kind = kind;
            result.Index = index;
            result.Process = process;
            return result;
        }

        // The process a /proc directory name names: "self" (the viewer) or a decimal pid
        // without leading zeros; null for anything else or a pid with no process.
        private static Process ProcessNamed(byte* name, int length, Process viewer)
        {
            if (PathName.Is(name, length, "self"))
                return viewer;
            int pid = DecimalName(name, length);
            return pid > 0 ? ProcessTable.Find(pid) : null;
        }

        // The number a name of decimal digits spells (no leading zeros, at most 9 digits), or -1.
        private static int DecimalName(byte* name, int length)
        {
            if (length == 0 || length > 9 || (name[0] == '0' && length > 1))
                return -1;
            int value = 0;
            for (int i = 0; i < length; i++)
            {
                if (name[i] < '0' || name[i] > '9')
                    return -1;
                value = value * 10 + (name[i] - '0');
            }
            return value;
        }

        public bool IsDirectory => Kind == ProcNodeKind.Root || Kind == ProcNodeKind.SysDirectory || Kind == ProcNodeKind.PidDirectory
            || Kind == ProcNodeKind.FdDirectory;

        public bool IsFile => (Kind == ProcNodeKind.SystemFile || Kind == ProcNodeKind.PidFile) && !TrailingSlash;
    }
}
