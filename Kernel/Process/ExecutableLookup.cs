using Cowbird.Kernel.Fs.Vfs;
using Cowbird.Mm;

namespace Cowbird.Kernel.Processes
{
    // Finds the file execve runs, with the errors of Linux's do_open_execat: the path walk's
    // (ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG; symlinks followed), then EACCES for anything
    // but a regular file (a directory, a device), for a /proc file (proc is mounted noexec),
    // and for a file with no execute bit at all (root may execute a file when any one of
    // its three execute bits is set).
    public static unsafe class ExecutableLookup
    {
        private const uint AnyExecuteBit = 0x49;    // 0111

        // The regular file `path` names, walked from `start`: 0 with its inode, or -errno.
        public static int Find(Inode start, byte* path, int pathLength, out Inode file)
        {
            int error = PathWalk.Lookup(start, path, pathLength, true, out file);
            if (error != 0)
                return error;
            if (!file.IsRegular || file.IsProc || (file.Mode & AnyExecuteBit) == 0)
                return -(int)Errno.EACCES;
            return 0;
        }
    }
}
