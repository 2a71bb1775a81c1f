using Cowbird.Kernel.Fs;
using Cowbird.Kernel.Fs.RamFs;
using Cowbird.Kernel.Processes;
using Cowbird.Mm;

namespace Cowbird.Kernel.Syscalls
{
    // fallocate(fd, mode, offset, len) (fs/open.c vfs_fallocate, then tmpfs's
    // shmem_fallocate), in Linux 6.1's order:
    //   - EBADF for no fd;
    //   - EINVAL for a negative offset or a length not above 0;
    //   - EOPNOTSUPP for an unknown mode bit, PUNCH_HOLE with ZERO_RANGE, or PUNCH_HOLE
    //     without KEEP_SIZE; EINVAL for COLLAPSE_RANGE or INSERT_RANGE with another bit, or
    //     UNSHARE_RANGE with a bit other than KEEP_SIZE;
    //   - EBADF for an fd not open for writing;
    //   - ESPIPE for a pipe or FIFO, EISDIR for a directory, ENODEV for anything else but a
    //     regular file;
    //   - EFBIG when offset + len passes the largest file size (or wraps);
    //   - EOPNOTSUPP for a /proc file, and for the modes tmpfs lacks (ZERO_RANGE,
    //     COLLAPSE_RANGE, INSERT_RANGE, UNSHARE_RANGE);
    //   - then PUNCH_HOLE (with KEEP_SIZE) zeroes the range, and 0 or KEEP_SIZE gives it
    //     frames (FileContents).
    public static class FallocateSyscall
    {
        private const int KeepSize = 0x1, PunchHole = 0x2, CollapseRange = 0x8, ZeroRange = 0x10,
            InsertRange = 0x20, UnshareRange = 0x40;
        private const int Supported = KeepSize | PunchHole | CollapseRange | ZeroRange | InsertRange | UnshareRange;

        public static long Fallocate(Process process, int fd, int mode, long offset, long length)
        {
            OpenFile file = process.Files.Get(fd);
            if (file == null)
                return -(long)Errno.EBADF;
            if (offset < 0 || length <= 0)
                return -(long)Errno.EINVAL;
            int error = CheckMode(mode);
            if (error != 0)
                return error;
            if (!file.CanWrite)
                return -(long)Errno.EBADF;
            if (file.Pipe != null)
                return -(long)Errno.ESPIPE;
            if (file.IsDirectory)
                return -(long)Errno.EISDIR;
            if (file.Node == null || !file.Node.IsRegular)
                return -(long)Errno.ENODEV;
            if (offset + length < 0)
                return -(long)Errno.EFBIG;
            if (file.Node.IsProc || (mode & ~(KeepSize | PunchHole)) != 0)
                return -(long)Errno.EOPNOTSUPP;
            if ((mode & PunchHole) != 0)
            {
                FileContents.PunchHole(file.Node, (ulong)offset, (ulong)length);
                return 0;
            }
            return FileContents.Allocate(file.Node, (ulong)offset, (ulong)length, (mode & KeepSize) != 0);
        }

        // vfs_fallocate's checks of the mode bits alone: 0, -EOPNOTSUPP or -EINVAL.
        private static int CheckMode(int mode)
        {
            if ((mode & ~Supported) != 0 || (mode & (PunchHole | ZeroRange)) == (PunchHole | ZeroRange))
                return -(int)Errno.EOPNOTSUPP;
            if ((mode & PunchHole) != 0 && (mode & KeepSize) == 0)
                return -(int)Errno.EOPNOTSUPP;
            if (((mode & CollapseRange) != 0 && mode != CollapseRange) || ((mode & InsertRange) != 0 && mode != InsertRange))
                return -(int)Errno.EINVAL;
            if ((mode & UnshareRange) != 0 && (mode & ~(UnshareRange | KeepSize)) != 0)
                return -(int)Errno.EINVAL;
            return 0;
        }
    }
}
