using Cowbird.Kernel.Fs;
using Cowbird.Kernel.Fs.Vfs;
using Cowbird.Kernel.Processes;
using Cowbird.Mm;

namespace Cowbird.Kernel.Syscalls
{
    // What every call taking a path does first, in Linux's order: copy the path from user
    // memory (getname: EFAULT, ENAMETOOLONG at PATH_MAX), then choose where a relative path
    // starts (path_init): the cwd for AT_FDCWD, else the directory open as `dirfd` (EBADF
    // when none is open, ENOTDIR when it is not a directory). An absolute path ignores
    // `dirfd`.
    public static unsafe class PathArguments
    {
        public const int AtFdCwd = -100;
        public const int AtSymlinkNofollow = 0x100, AtRemoveDir = 0x200, AtEaccess = 0x200, AtSymlinkFollow = 0x400,
            AtNoAutomount = 0x800, AtEmptyPath = 0x1000;

        // The working directory of `process`.
        public static Inode Cwd(Process process) => process.Cwd ?? FileSystem.Root;

        // Copies the path at `address` into `buffer` (PathWalk.MaxPath bytes): its length
        // (0 for ""), or -errno.
        public static int Copy(Process process, ulong address, byte* buffer) =>
            UserStrings.Copy(process.Space, address, buffer, PathWalk.MaxPath);

        // Copies the path at `address` into `buffer`: its length, or -errno (ENOENT for "").
        public static int CopyNonEmpty(Process process, ulong address, byte* buffer)
        {
            int length = Copy(process, address, buffer);
            return length == 0 ? -(int)Errno.ENOENT : length;
        }

        // The directory the `length`-byte `path` starts from, for `dirfd`: 0, or -errno.
        public static int Start(Process process, int dirfd, byte* path, int length, out Inode start)
        {
            start = null;
            if (length > 0 && path[0] == '/')
            {
                start = FileSystem.Root;
                return 0;
            }
            return DirectoryOf(process, dirfd, out start);
        }

        // The directory `dirfd` stands for (AT_FDCWD: the cwd): 0, or -EBADF/-ENOTDIR.
        public static int DirectoryOf(Process process, int dirfd, out Inode dir)
        {
            dir = null;
            if (dirfd == AtFdCwd)
            {
                dir = Cwd(process);
                return 0;
            }
            OpenFile file = process.Files.Get(dirfd);
            if (file == null)
                return -(int)Errno.EBADF;
            if (!file.IsDirectory)
                return -(int)Errno.ENOTDIR;
            dir = file.Node;
            return 0;
        }

        // Copies the path at `address` and walks it from `dirfd`: 0 with the inode, or -errno.
        public static int Lookup(Process process, int dirfd, ulong address, bool followLast, out Inode node)
        {
            node = null;
            byte* path = stackalloc byte[PathWalk.MaxPath];
            int length = CopyNonEmpty(process, address, path);
            if (length < 0)
                return length;
            int error = Start(process, dirfd, path, length, out Inode start);
            return error != 0 ? error : PathWalk.Lookup(start, path, length, followLast, out node);
        }

        // The file a call taking (dirfd, path, AT_* flags) names (fstatat, statx, utimensat,
        // fchownat): the path walked from dirfd, its last symlink followed unless
        // AT_SYMLINK_NOFOLLOW; or, for an empty path with AT_EMPTY_PATH, the file open as
        // dirfd (the cwd for AT_FDCWD), where `node` is null for a pipe or the console and
        // `file` says which. 0, or -errno (ENOENT for an empty path without AT_EMPTY_PATH).
        public static int LookupAt(Process process, int dirfd, ulong address, int flags, out Inode node, out OpenFile file)
        {
            node = null;
            file = null;
            byte* path = stackalloc byte[PathWalk.MaxPath];
            int length = Copy(process, address, path);
            if (length < 0)
                return length;
            if (length == 0)
            {
                if ((flags & AtEmptyPath) == 0)
                    return -(int)Errno.ENOENT;
                if (dirfd != AtFdCwd)
                {
                    file = process.Files.Get(dirfd);
                    if (file == null)
                        return -(int)Errno.EBADF;
                    node = file.Node;
                    return 0;
                }
            }
            int error = Start(process, dirfd, path, length, out Inode start);
            if (error != 0)
                return error;
            node = start;
            return length > 0 ? PathWalk.Lookup(start, path, length, (flags & AtSymlinkNofollow) == 0, out node) : 0;
        }
    }
}
