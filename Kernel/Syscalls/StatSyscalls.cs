using Cowbird.Kernel.Fs;
using Cowbird.Kernel.Fs.Vfs;
using Cowbird.Kernel.Processes;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // stat, fstat, lstat, newfstatat: x86-64's struct stat (144 bytes) for an inode, a pipe
    // or the console. Owner and group are root's; st_blksize is a page, st_blocks counts the
    // 512-byte units of the frames a RAM file holds. st_dev tells the file systems apart:
    // the RAM file system, /proc, and pipes.
    public static unsafe class StatSyscalls
    {
        private const int StatSize = 144;
        private const ulong RamFsDevice = 2, ProcDevice = 4, PipeDevice = 0xd;
        private const uint PipeMode = Inode.Fifo | 0x180;               // prw-------
        private const uint ConsoleMode = Inode.CharDevice | 0x180;      // crw-------

        public static long Fstat(Process process, int fd, ulong buffer)
        {
            OpenFile file = process.Files.Get(fd);
            if (file == null)
                return -(long)Errno.EBADF;
            return CopyOut(process, buffer, file);
        }

        public static long Stat(Process process, ulong pathAddress, ulong buffer) =>
            Newfstatat(process, PathArguments.AtFdCwd, pathAddress, buffer, 0);

        public static long Lstat(Process process, ulong pathAddress, ulong buffer) =>
            Newfstatat(process, PathArguments.AtFdCwd, pathAddress, buffer, PathArguments.AtSymlinkNofollow);

        // newfstatat(dirfd, path, buffer, flags), in Linux's order: unknown flags are EINVAL,
        // then the path is copied and walked (an empty path with AT_EMPTY_PATH is dirfd's
        // own file), then the buffer is written (EFAULT).
        public static long Newfstatat(Process process, int dirfd, ulong pathAddress, ulong buffer, int flags)
        {
            if ((flags & ~(PathArguments.AtSymlinkNofollow | PathArguments.AtNoAutomount | PathArguments.AtEmptyPath)) != 0)
                return -(long)Errno.EINVAL;
            byte* path = stackalloc byte[Fs.Vfs.PathWalk.MaxPath];
            int length = PathArguments.Copy(process, pathAddress, path);
            if (length < 0)
                return length;
            if (length == 0)
            {
                if ((flags & PathArguments.AtEmptyPath) == 0)
                    return -(long)Errno.ENOENT;
                if (dirfd != PathArguments.AtFdCwd)
                    return Fstat(process, dirfd, buffer);
            }
            int error = PathArguments.Start(process, dirfd, path, length, out Inode start);
            if (error != 0)
                return error;
            Inode node = start;
            if (length > 0)
                error = PathWalk.Lookup(start, path, length, (flags & PathArguments.AtSymlinkNofollow) == 0, out node);
            return error != 0 ? error : CopyOut(process, buffer, node, null);
        }

        private static long CopyOut(Process process, ulong buffer, OpenFile file) => CopyOut(process, buffer, file.Node, file);

        // Writes the stat of `node` (or, without one, of the pipe or console `file`).
        private static long CopyOut(Process process, ulong buffer, Inode node, OpenFile file)
        {
            ulong* stat = stackalloc ulong[StatSize / 8];
            for (int i = 0; i < StatSize / 8; i++)
                stat[i] = 0;
            if (node != null)
                Fill(stat, node);
            else
            {
                stat[0] = file.Pipe != null ? PipeDevice : RamFsDevice;
                stat[2] = 1;
                *(uint*)((byte*)stat + 24) = file.Pipe != null ? PipeMode : ConsoleMode;
                if (file.Pipe == null)
                    stat[5] = DeviceFiles.Console;
                stat[7] = Page.Size;
            }
            return UserMemory.CopyToUser(process.Space, buffer, (byte*)stat, StatSize) == Errno.None ? 0 : -(long)Errno.EFAULT;
        }

        // struct stat: st_dev, st_ino, st_nlink, st_mode/st_uid (0)/st_gid (0), st_rdev,
        // st_size, st_blksize, st_blocks, then (seconds, nanoseconds) of st_atim, st_mtim, st_ctim.
        private static void Fill(ulong* stat, Inode node)
        {
            stat[0] = node.IsProc ? ProcDevice : RamFsDevice;
            stat[1] = node.Number;
            stat[2] = (ulong)node.Links;
            *(uint*)((byte*)stat + 24) = node.Mode;
            stat[5] = node.Device;
            stat[6] = node.IsSymlink ? (ulong)node.Target.Length : node.Size;
            stat[7] = Page.Size;
            stat[8] = node.Pages != null ? node.Pages.FrameCount * (Page.Size / 512) : 0;
            Time(stat + 9, node.AccessTime);
            Time(stat + 11, node.ModifyTime);
            Time(stat + 13, node.ChangeTime);
        }

        private static void Time(ulong* pair, ulong nanoseconds)
        {
            pair[0] = nanoseconds / 1000000000;
            pair[1] = nanoseconds % 1000000000;
        }
    }
}
