using Cowbird.Kernel.Fs;
using Cowbird.Kernel.Syscalls;
using Cowbird.Mm;

namespace Cowbird.Kernel.Processes
{
    // Finds the file execve runs, with the errors of Linux's path walk and do_open_execat:
    //   - a path component that is a regular file (a file followed by "/", or by "/name"): ENOTDIR;
    //   - nothing there: ENOENT;
    //   - a directory (the root, /proc, a folder of the initrd) or a /proc file (proc is
    //     mounted noexec, and its files have no execute bit): EACCES;
    //   - an initrd file that is not regular, or has no execute bit at all: EACCES (root may
    //     execute a file when any one of its three execute bits is set).
    public static unsafe class ExecutableLookup
    {
        private const uint AnyExecuteBit = 0x49;    // 0111

        // The initrd file at `path`: 0 with its bytes, or -errno.
        public static int Find(byte* path, int pathLength, out byte* file, out ulong size)
        {
            file = null;
            size = 0;
            uint mode;
            for (int i = 1; i < pathLength; i++)
                if (path[i] == '/' && path[i - 1] != '/' && IsFile(path, i))
                    return -LinuxErrno.ENOTDIR;
            int length = pathLength;
            while (length > 1 && path[length - 1] == '/')
                length--;
            if (Initrd.IsRoot(path, length) || ProcFiles.IsDirectory(path, length) || ProcFiles.IsFile(path, length))
                return -(int)Errno.EACCES;
            if (!Initrd.Find(path, length, out file, out size, out mode))
                return Initrd.HasEntriesBelow(path, length) ? -(int)Errno.EACCES : -(int)Errno.ENOENT;
            if ((mode & Initrd.ModeTypeMask) != Initrd.ModeRegular || (mode & AnyExecuteBit) == 0)
                return -(int)Errno.EACCES;
            return 0;
        }

        // True when `path` is a file, not a directory (so nothing can lie below it).
        private static bool IsFile(byte* path, int length)
        {
            uint mode;
            if (ProcFiles.IsFile(path, length))
                return true;
            return Initrd.Find(path, length, out _, out _, out mode) && (mode & Initrd.ModeTypeMask) != Initrd.ModeDirectory;
        }
    }
}
