using Cowbird.Kernel.Fs;
using Cowbird.Kernel.Fs.Vfs;
using Cowbird.Kernel.Processes;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // stat, fstat, lstat, newfstatat: x86-64's struct stat (144 bytes); statx: struct statx
    // (256 bytes). Both show a FileStatus: an inode, a pipe or the console.
    public static unsafe class StatSyscalls
    {
        private const int StatSize = 144, StatxSize = 256;
        private const int AtStatxSyncType = 0x6000;
        // STATX_BASIC_STATS: type, mode, nlink, uid, gid, atime, mtime, ctime, ino, size,
        // blocks: what Cowbird knows (no birth time, no mount id).
        private const uint StatxBasicStats = 0x7ff;
        private const uint StatxReserved = 0x80000000;

        public static long Fstat(Process process, int fd, ulong buffer)
        {
            OpenFile file = process.Files.Get(fd);
            if (file == null)
                return -(long)Errno.EBADF;
            return CopyStat(process, buffer, FileStatus.Of(file.Node, file));
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
            int error = PathArguments.LookupAt(process, dirfd, pathAddress, flags, out Inode node, out OpenFile file);
            return error != 0 ? error : CopyStat(process, buffer, FileStatus.Of(node, file));
        }

        // statx(dirfd, path, flags, mask, buffer), in Linux's order: a reserved mask bit
        // (STATX__RESERVED) is EINVAL, so are flags other than AT_SYMLINK_NOFOLLOW,
        // AT_NO_AUTOMOUNT, AT_EMPTY_PATH and the AT_STATX_SYNC_TYPE values (both sync bits
        // together too); then the walk as newfstatat's, then the buffer (EFAULT). Whatever
        // the mask asks, stx_mask says what is filled: STATX_BASIC_STATS.
        public static long Statx(Process process, int dirfd, ulong pathAddress, int flags, uint mask, ulong buffer)
        {
            if ((mask & StatxReserved) != 0)
                return -(long)Errno.EINVAL;
            if ((flags & ~(PathArguments.AtSymlinkNofollow | PathArguments.AtNoAutomount | PathArguments.AtEmptyPath | AtStatxSyncType)) != 0
                || (flags & AtStatxSyncType) == AtStatxSyncType)
                return -(long)Errno.EINVAL;
            int error = PathArguments.LookupAt(process, dirfd, pathAddress, flags, out Inode node, out OpenFile file);
            return error != 0 ? error : CopyStatx(process, buffer, FileStatus.Of(node, file));
        }

        // struct stat: st_dev, st_ino, st_nlink, st_mode/st_uid/st_gid, st_rdev, st_size,
        // st_blksize, st_blocks, then (seconds, nanoseconds) of st_atim, st_mtim, st_ctim.
        private static long CopyStat(Process process, ulong buffer, FileStatus status)
        {
            ulong* stat = stackalloc ulong[StatSize / 8];
            for (int i = 0; i < StatSize / 8; i++)
                stat[i] = 0;
            stat[0] = status.Device;
            stat[1] = status.Number;
            stat[2] = status.Links;
            *(uint*)((byte*)stat + 24) = status.Mode;
            *(uint*)((byte*)stat + 28) = status.Uid;
            *(uint*)((byte*)stat + 32) = status.Gid;
            stat[5] = status.RDevice;
            stat[6] = status.Size;
            stat[7] = Page.Size;
            stat[8] = status.Blocks;
            Time(stat + 9, status.AccessTime);
            Time(stat + 11, status.ModifyTime);
            Time(stat + 13, status.ChangeTime);
            return UserMemory.CopyToUser(process.Space, buffer, (byte*)stat, StatSize) == Errno.None ? 0 : -(long)Errno.EFAULT;
        }

        // struct statx: stx_mask, stx_blksize (u32 each), stx_attributes, stx_nlink, stx_uid,
        // stx_gid (u32), stx_mode (u16), stx_ino, stx_size, stx_blocks, stx_attributes_mask,
        // four statx_timestamps (atime, btime: left 0, ctime, mtime: seconds as i64,
        // nanoseconds as u32, 16 bytes each) from byte 64, then stx_rdev_major/minor and
        // stx_dev_major/minor (u32 each) from byte 128; the rest 0.
        private static long CopyStatx(Process process, ulong buffer, FileStatus status)
        {
            byte* statx = stackalloc byte[StatxSize];
            for (int i = 0; i < StatxSize; i++)
                statx[i] = 0;
            *(uint*)statx = StatxBasicStats;
            *(uint*)(statx + 4) = (uint)Page.Size;
            *(uint*)(statx + 16) = (uint)status.Links;
            *(uint*)(statx + 20) = status.Uid;
            *(uint*)(statx + 24) = status.Gid;
            *(ushort*)(statx + 28) = (ushort)status.Mode;
            *(ulong*)(statx + 32) = status.Number;
            *(ulong*)(statx + 40) = status.Size;
            *(ulong*)(statx + 48) = status.Blocks;
            Time((ulong*)(statx + 64), status.AccessTime);
            Time((ulong*)(statx + 96), status.ChangeTime);
            Time((ulong*)(statx + 112), status.ModifyTime);
            *(uint*)(statx + 128) = FileStatus.Major(status.RDevice);
            *(uint*)(statx + 132) = FileStatus.Minor(status.RDevice);
            *(uint*)(statx + 136) = FileStatus.Major(status.Device);
            *(uint*)(statx + 140) = FileStatus.Minor(status.Device);
            return UserMemory.CopyToUser(process.Space, buffer, statx, StatxSize) == Errno.None ? 0 : -(long)Errno.EFAULT;
        }

        // A time as (seconds, nanoseconds) in two 64-bit words (statx's nanoseconds are the
        // low half of the second word; the high half is its padding, 0).
        private static void Time(ulong* pair, ulong nanoseconds)
        {
            pair[0] = nanoseconds / 1000000000;
            pair[1] = nanoseconds % 1000000000;
        }
    }
}
