using Cowbird.Kernel.Processes;

namespace Cowbird.Kernel.Fs.Proc
{
    // What a /proc path names. The tree:
    //   /proc                      directory: the system files, sys, self, one directory a live pid
    //   /proc/<name>               a system file (SystemFiles.Names)
    //   /proc/sys, /proc/sys/vm, /proc/sys/kernel   directories of sysctl files
    //   /proc/<pid>, /proc/self    a process's directory (self: the reader's own)
    //   /proc/<pid>/<name>         a process file (PidFiles.Names)
    public enum ProcNodeKind
    {
        None,
        Root,
        SysDirectory,      // Index: SystemFiles.Directories
        SystemFile,        // Index: SystemFiles.Names
        PidDirectory,      // Process
        PidFile,           // Process, Index: PidFiles.Names
    }

    public unsafe struct ProcPath
    {
        public ProcNodeKind Kind;
        public int Index;
        public Process Process;
        // The path ended in "/": it can only name a directory.
        public bool TrailingSlash;

        private const string Prefix = "/proc";

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
            index = PidFiles.Index(rest + first + 1, restLength - first - 1);
            return index >= 0 ? Found(result, ProcNodeKind.PidFile, index, process) : result;
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
            if (length == 0 || length > 9 || name[0] == '0')
                return null;
            int pid = 0;
            for (int i = 0; i < length; i++)
            {
                if (name[i] < '0' || name[i] > '9')
                    return null;
                pid = pid * 10 + (name[i] - '0');
            }
            return ProcessTable.Find(pid);
        }

        public bool IsDirectory => Kind == ProcNodeKind.Root || Kind == ProcNodeKind.SysDirectory || Kind == ProcNodeKind.PidDirectory;

        public bool IsFile => (Kind == ProcNodeKind.SystemFile || Kind == ProcNodeKind.PidFile) && !TrailingSlash;
    }
}
