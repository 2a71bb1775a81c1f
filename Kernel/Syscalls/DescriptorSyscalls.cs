using Cowbird.Kernel.Fs;
using Cowbird.Kernel.Processes;
using Cowbird.Mm;

namespace Cowbird.Kernel.Syscalls
{
    // dup, dup2, dup3 and fcntl: more descriptors for an open file, sharing its offset and
    // status flags, and the descriptor's own close-on-exec flag (fs/file.c, fs/fcntl.c).
    // New descriptors must lie below the soft RLIMIT_NOFILE; descriptors already open above
    // it (the limit was lowered after they were made) keep working.
    public static class DescriptorSyscalls
    {
        private const uint DupFd = 0, GetFd = 1, SetFd = 2, GetFl = 3, SetFl = 4, DupFdCloseOnExec = 1030,
            GetPipeSize = 1032;
        private const int FdCloseOnExec = 1;
        // O_DIRECT: F_SETFL accepts it only for files that support direct I/O (none here but
        // pipes, where it would ask for packet mode, which Cowbird ignores).
        private const int Direct = 0x4000;
        // The status flags F_SETFL changes; the access mode and the others stay.
        private const int SettableFlags = OpenFile.Append | OpenFile.NonBlocking;

        // dup(oldfd): the lowest free fd for oldfd's file. EBADF before EMFILE.
        public static long Dup(Process process, int oldFd)
        {
            OpenFile file = process.Files.Get(oldFd);
            if (file == null)
                return -(long)Errno.EBADF;
            return DupFrom(process, file, 0, false);
        }

        // dup2(oldfd, newfd): newfd == oldfd returns it if open (whatever the limit); otherwise
        // as dup3 without flags.
        public static long Dup2(Process process, uint oldFd, uint newFd)
        {
            if (oldFd == newFd)
                return process.Files.Get(ToIndex(oldFd)) != null ? oldFd : -(long)Errno.EBADF;
            return Dup3(process, oldFd, newFd, 0);
        }

        // dup3(oldfd, newfd, flags), in Linux's order: flags other than O_CLOEXEC and
        // newfd == oldfd are EINVAL; a newfd at or above the limit is EBADF even when oldfd
        // is bad; then a bad oldfd is EBADF; else newfd's file (if any) is closed and
        // replaced. The fds are unsigned to Linux, so a negative newfd is a huge one: EBADF.
        public static long Dup3(Process process, uint oldFd, uint newFd, int flags)
        {
            if ((flags & ~OpenFile.CloseOnExecFlag) != 0 || oldFd == newFd)
                return -(long)Errno.EINVAL;
            if (newFd >= process.Limits.Soft(ResourceLimits.OpenFiles) || newFd >= FileTable.MaxDescriptors)
                return -(long)Errno.EBADF;
            OpenFile file = process.Files.Get(ToIndex(oldFd));
            if (file == null)
                return -(long)Errno.EBADF;
            process.Files.Install((int)newFd, file, flags != 0);
            return newFd;
        }

        // fcntl(fd, cmd, arg): a bad fd is EBADF whatever the command; an unknown command is
        // EINVAL. F_DUPFD and F_DUPFD_CLOEXEC take the lowest free fd at or above arg (EINVAL
        // when arg is at or above the limit, EMFILE when none is free); F_GETFD/F_SETFD the
        // descriptor's FD_CLOEXEC; F_GETFL the access mode and status flags, F_SETFL changes
        // O_APPEND and O_NONBLOCK; F_GETPIPE_SZ a pipe's size (EBADF for other files).
        public static long Fcntl(Process process, int fd, uint command, ulong arg)
        {
            OpenFile file = process.Files.Get(fd);
            if (file == null)
                return -(long)Errno.EBADF;
            switch (command)
            {
                case DupFd:
                case DupFdCloseOnExec:
                    if ((uint)arg >= process.Limits.Soft(ResourceLimits.OpenFiles) || (uint)arg >= FileTable.MaxDescriptors)
                        return -(long)Errno.EINVAL;
                    return DupFrom(process, file, (int)(uint)arg, command == DupFdCloseOnExec);
                case GetFd:
                    return process.Files.IsCloseOnExec(fd) ? FdCloseOnExec : 0;
                case SetFd:
                    process.Files.SetCloseOnExec(fd, ((int)arg & FdCloseOnExec) != 0);
                    return 0;
                case GetFl:
                    return file.StatusFlags;
                case SetFl:
                    if (((int)arg & Direct) != 0 && file.Pipe == null)
                        return -(long)Errno.EINVAL;
                    file.StatusFlags = ((int)arg & SettableFlags) | (file.StatusFlags & ~SettableFlags);
                    return 0;
                case GetPipeSize:
                    return file.Pipe != null ? (long)Pipe.Capacity : -(long)Errno.EBADF;
                default:
                    return -(long)Errno.EINVAL;
            }
        }

        // The lowest free fd at or above `start` (below the limit) for `file`; EMFILE if none.
        private static long DupFrom(Process process, OpenFile file, int start, bool cloexec)
        {
            int fd = process.Files.LowestFree(start, process.Limits.Soft(ResourceLimits.OpenFiles));
            if (fd < 0)
                return -(int)Errno.EMFILE;
            process.Files.Install(fd, file, cloexec);
            return fd;
        }

        // An unsigned fd as FileTable's index (-1, which no fd has, when it is too big).
        private static int ToIndex(uint fd) => fd <= int.MaxValue ? (int)fd : -1;
    }
}
