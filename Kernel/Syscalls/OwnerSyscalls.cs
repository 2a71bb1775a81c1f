using Cowbird.Kernel.Fs;
using Cowbird.Kernel.Fs.Vfs;
using Cowbird.Kernel.Processes;
using Cowbird.Mm;

namespace Cowbird.Kernel.Syscalls
{
    // chown, fchown, lchown, fchownat (fs/open.c chown_common): a file's owner and group.
    // Every process is root, so any owner and group may be set; -1 leaves that one as it
    // is. As Linux, every call (even one changing nothing) sets ctime to now and, on a file
    // that is not a directory, clears the set-user-ID bit, and the set-group-ID bit when
    // the group execute bit is set (it marks mandatory locking otherwise). A /proc file
    // (made afresh at each lookup here), a pipe or the console has no inode that could keep
    // the change: the call succeeds without effect, as Linux's does for /proc.
    public static unsafe class OwnerSyscalls
    {
        private const uint Unchanged = 0xFFFFFFFF;
        private const uint SetUid = 0x800, SetGid = 0x400, GroupExecute = 0x8;

        public static long Chown(Process process, ulong pathAddress, uint uid, uint gid) =>
            Fchownat(process, PathArguments.AtFdCwd, pathAddress, uid, gid, 0);

        public static long Lchown(Process process, ulong pathAddress, uint uid, uint gid) =>
            Fchownat(process, PathArguments.AtFdCwd, pathAddress, uid, gid, PathArguments.AtSymlinkNofollow);

        // fchownat(dirfd, path, uid, gid, flags): flags other than AT_SYMLINK_NOFOLLOW and
        // AT_EMPTY_PATH are EINVAL, then the walk's errors.
        public static long Fchownat(Process process, int dirfd, ulong pathAddress, uint uid, uint gid, int flags)
        {
            if ((flags & ~(PathArguments.AtSymlinkNofollow | PathArguments.AtEmptyPath)) != 0)
                return -(long)Errno.EINVAL;
            int error = PathArguments.LookupAt(process, dirfd, pathAddress, flags, out Inode node, out _);
            return error != 0 ? error : SetOwner(node, uid, gid);
        }

        public static long Fchown(Process process, int fd, uint uid, uint gid)
        {
            OpenFile file = process.Files.Get(fd);
            if (file == null)
                return -(long)Errno.EBADF;
            return SetOwner(file.Node, uid, gid);
        }

        // The new owner and group of `node` (null: a pipe or the console, nothing to do).
        private static long SetOwner(Inode node, uint uid, uint gid)
        {
            if (node == null || node.IsProc)
                return 0;
            if (uid != Unchanged)
                node.Uid = uid;
            if (gid != Unchanged)
                node.Gid = gid;
            if (!node.IsDirectory)
            {
                node.Mode &= ~SetUid;
                if ((node.Mode & GroupExecute) != 0)
                    node.Mode &= ~SetGid;
            }
            node.Changed();
            return 0;
        }
    }
}
