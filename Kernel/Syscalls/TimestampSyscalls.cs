using Cowbird.Kernel.Fs;
using Cowbird.Kernel.Fs.Vfs;
using Cowbird.Kernel.Processes;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // Setting a file's access and modification times (fs/utimes.c): utimensat, futimesat,
    // utimes and utime. Each gives two times, access then modification, or none (NULL: both
    // become now); ctime becomes now whatever is set. utimensat's timespecs may say
    // UTIME_NOW (that one becomes now) or UTIME_OMIT (that one stays); both omitted is 0
    // at once, before the path is even looked at. Linux's order of checks: the times are
    // copied (EFAULT), a nanosecond field outside 0..999999999 that is neither special
    // is EINVAL (a microsecond field outside 0..999999 for the timeval calls), flags other
    // than AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH are EINVAL, then the path's walk (or, for a
    // NULL path with a dirfd, that fd: EBADF; flags with it are EINVAL). Every process is
    // root, so no permission is checked. A pipe or the console has no inode to change here:
    // the call succeeds without effect. Times are kept as unsigned nanoseconds since 1970
    // (Inode), so a time before 1970 is kept as 1970.
    public static unsafe class TimestampSyscalls
    {
        private const long UtimeNow = (1L << 30) - 1, UtimeOmit = (1L << 30) - 2;
        private const long NanosecondsPerSecond = 1000000000;

        // utimensat(dirfd, path, times[2], flags).
        public static long Utimensat(Process process, int dirfd, ulong pathAddress, ulong timesAddress, int flags)
        {
            long* times = stackalloc long[4];
            if (timesAddress != 0)
            {
                if (UserMemory.CopyFromUser(process.Space, (byte*)times, timesAddress, 32) != Errno.None)
                    return -(long)Errno.EFAULT;
                if (times[1] == UtimeOmit && times[3] == UtimeOmit)
                    return 0;
                if (!ValidNanoseconds(times[1]) || !ValidNanoseconds(times[3]))
                    return -(long)Errno.EINVAL;
            }
            return Apply(process, dirfd, pathAddress, timesAddress != 0 ? times : null, flags);
        }

        // futimesat(dirfd, path, timeval[2]): utimensat without flags, with microseconds.
        public static long Futimesat(Process process, int dirfd, ulong pathAddress, ulong timesAddress)
        {
            long* times = stackalloc long[4];
            if (timesAddress != 0)
            {
                if (UserMemory.CopyFromUser(process.Space, (byte*)times, timesAddress, 32) != Errno.None)
                    return -(long)Errno.EFAULT;
                for (int i = 1; i < 4; i += 2)
                {
                    if (times[i] < 0 || times[i] >= 1000000)
                        return -(long)Errno.EINVAL;
                    times[i] *= 1000;
                }
            }
            return Apply(process, dirfd, pathAddress, timesAddress != 0 ? times : null, 0);
        }

        public static long Utimes(Process process, ulong pathAddress, ulong timesAddress) =>
            Futimesat(process, PathArguments.AtFdCwd, pathAddress, timesAddress);

        // utime(path, struct utimbuf *): whole seconds, access then modification.
        public static long Utime(Process process, ulong pathAddress, ulong timesAddress)
        {
            long* times = stackalloc long[4];
            if (timesAddress != 0)
            {
                if (UserMemory.CopyFromUser(process.Space, (byte*)times, timesAddress, 16) != Errno.None)
                    return -(long)Errno.EFAULT;
                times[2] = times[1];
                times[1] = 0;
                times[3] = 0;
            }
            return Apply(process, PathArguments.AtFdCwd, pathAddress, timesAddress != 0 ? times : null, 0);
        }

        // Linux's nsec_valid: a nanosecond count, UTIME_NOW or UTIME_OMIT.
        private static bool ValidNanoseconds(long nanoseconds) =>
            nanoseconds == UtimeNow || nanoseconds == UtimeOmit || (nanoseconds >= 0 && nanoseconds < NanosecondsPerSecond);

        // do_utimes: finds the inode (the path from dirfd, or dirfd itself for a NULL path)
        // and sets its times from `times` (seconds, nanoseconds twice; null: now).
        private static long Apply(Process process, int dirfd, ulong pathAddress, long* times, int flags)
        {
            if ((flags & ~(PathArguments.AtSymlinkNofollow | PathArguments.AtEmptyPath)) != 0)
                return -(long)Errno.EINVAL;
            Inode node;
            if (pathAddress == 0 && dirfd != PathArguments.AtFdCwd)
            {
                if (flags != 0)
                    return -(long)Errno.EINVAL;
                OpenFile file = process.Files.Get(dirfd);
                if (file == null)
                    return -(long)Errno.EBADF;
                node = file.Node;
            }
            else
            {
                int error = PathArguments.LookupAt(process, dirfd, pathAddress, flags, out node, out OpenFile file);
                if (error != 0)
                    return error;
                node = node ?? file.Node;
            }
            if (node != null)
                SetTimes(node, times);
            return 0;
        }

        // Sets atime and mtime of `node` as `times` say, and ctime to now.
        private static void SetTimes(Inode node, long* times)
        {
            ulong now = FileSystem.Now();
            if (times == null || times[1] != UtimeOmit)
                node.AccessTime = TimeOf(times, 0, now);
            if (times == null || times[3] != UtimeOmit)
                node.ModifyTime = TimeOf(times, 2, now);
            node.ChangeTime = now;
        }

        // The time the pair at `times[at]` names: now for none or UTIME_NOW, else its
        // seconds and nanoseconds (before 1970: 1970; past what 64 bits of nanoseconds hold:
        // the most they hold).
        private static ulong TimeOf(long* times, int at, ulong now)
        {
            if (times == null || times[at + 1] == UtimeNow)
                return now;
            long seconds = times[at];
            if (seconds < 0)
                return 0;
            if ((ulong)seconds > ulong.MaxValue / NanosecondsPerSecond - 1)
                return ulong.MaxValue;
            return (ulong)seconds * NanosecondsPerSecond + (ulong)times[at + 1];
        }
    }
}
