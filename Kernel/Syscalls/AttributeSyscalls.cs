using Cowbird.Kernel.Fs;
using Cowbird.Kernel.Fs.RamFs;
using Cowbird.Kernel.Fs.Vfs;
using Cowbird.Kernel.Processes;
using Cowbird.Mm;

namespace Cowbird.Kernel.Syscalls
{
    // What a file's inode says and how it changes: access/faccessat/faccessat2, umask,
    // chmod/fchmod/fchmodat, truncate/ftruncate, fsync/fdatasync. Every process is root:
    // it may read and write anything, and execute a file (not a directory) only when one of
    // its execute bits is set (X_OK, as Linux's generic_permission for CAP_DAC_OVERRIDE).
    public static unsafe class AttributeSyscalls
    {
        private const int ExecuteOk = 1, AccessModes = 7;
        private const uint AnyExecuteBit = 0x49;    // 0111
        private const uint ModeBits = 0xFFF;        // S_IALLUGO

        public static long Access(Process process, ulong pathAddress, int mode) =>
            Faccessat2(process, PathArguments.AtFdCwd, pathAddress, mode, 0);

        public static long Faccessat(Process process, int dirfd, ulong pathAddress, int mode) =>
            Faccessat2(process, dirfd, pathAddress, mode, 0);

        // faccessat2(dirfd, path, mode, flags): EINVAL for modes other than F_OK/R_OK/W_OK/
        // X_OK and flags other than AT_EACCESS, AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH; the walk's
        // errors; EACCES for X_OK on a file without execute bits.
        public static long Faccessat2(Process process, int dirfd, ulong pathAddress, int mode, int flags)
        {
            if ((mode & ~AccessModes) != 0)
                return -(long)Errno.EINVAL;
            if ((flags & ~(PathArguments.AtEaccess | PathArguments.AtSymlinkNofollow | PathArguments.AtEmptyPath)) != 0)
                return -(long)Errno.EINVAL;
            int error = PathArguments.Lookup(process, dirfd, pathAddress, (flags & PathArguments.AtSymlinkNofollow) == 0, out Inode node);
            if (error != 0)
                return error;
            if ((mode & ExecuteOk) != 0 && !node.IsDirectory && (node.Mode & AnyExecuteBit) == 0)
                return -(long)Errno.EACCES;
            return 0;
        }

        // umask(mask): sets the creation mask to mask & 0777, returns the old one.
        public static long Umask(Process process, uint mask)
        {
            uint old = process.Umask;
            process.Umask = mask & 0x1FF;
            return old;
        }

        public static long Chmod(Process process, ulong pathAddress, uint mode) =>
            Fchmodat(process, PathArguments.AtFdCwd, pathAddress, mode);

        // fchmodat(dirfd, path, mode): follows symlinks (the syscall has no flags).
        public static long Fchmodat(Process process, int dirfd, ulong pathAddress, uint mode)
        {
            int error = PathArguments.Lookup(process, dirfd, pathAddress, true, out Inode node);
            return error != 0 ? error : SetMode(node, mode);
        }

        public static long Fchmod(Process process, int fd, uint mode)
        {
            OpenFile file = process.Files.Get(fd);
            if (file == null)
                return -(long)Errno.EBADF;
            if (file.Node == null)
                return 0;
            return SetMode(file.Node, mode);
        }

        // The new permission bits of `node` (its type stays); /proc's cannot change (EPERM).
        private static long SetMode(Inode node, uint mode)
        {
            if (node.IsProc)
                return -(long)Errno.EPERM;
            node.Mode = (node.Mode & Inode.TypeMask) | (mode & ModeBits);
            node.Changed();
            return 0;
        }

        // truncate(path, length): EINVAL for a negative length, the walk's errors, EISDIR for
        // a directory, EINVAL for anything but a RAM file.
        public static long Truncate(Process process, ulong pathAddress, long length)
        {
            if (length < 0)
                return -(long)Errno.EINVAL;
            int error = PathArguments.Lookup(process, PathArguments.AtFdCwd, pathAddress, true, out Inode node);
            if (error != 0)
                return error;
            if (node.IsDirectory)
                return -(int)Errno.EISDIR;
            if (!node.IsRegular || node.IsProc)
                return -(long)Errno.EINVAL;
            FileContents.Resize(node, (ulong)length);
            return 0;
        }

        // ftruncate(fd, length): EINVAL for a negative length, EBADF for no fd, EINVAL for an
        // fd not open for writing or not a RAM file.
        public static long Ftruncate(Process process, int fd, long length)
        {
            if (length < 0)
                return -(long)Errno.EINVAL;
            OpenFile file = process.Files.Get(fd);
            if (file == null)
                return -(long)Errno.EBADF;
            if (!file.IsRegular || !file.CanWrite)
                return -(long)Errno.EINVAL;
            FileContents.Resize(file.Node, (ulong)length);
            return 0;
        }

        // fsync and fdatasync: RAM files and directories have nothing to write back (tmpfs's
        // noop_fsync). EBADF for no fd, EINVAL for what has no fsync method in Linux: pipes,
        // FIFOs, devices, the console and /proc.
        public static long Fsync(Process process, int fd)
        {
            OpenFile file = process.Files.Get(fd);
            if (file == null)
                return -(long)Errno.EBADF;
            bool ramFile = file.IsRegular || (file.IsDirectory && !file.Node.IsProc);
            return ramFile ? 0 : -(long)Errno.EINVAL;
        }

        // sync: the RAM file system has nothing to write back; always 0 (Linux's returns
        // nothing else either).
        public static long Sync() => 0;

        // syncfs(fd): the file system of `fd`, whatever file it is, has nothing to write
        // back: EBADF for no fd, else 0.
        public static long Syncfs(Process process, int fd) => process.Files.Get(fd) == null ? -(long)Errno.EBADF : 0;
    }
}
