using Cowbird.Kernel.Fs;
using Cowbird.Kernel.Processes;
using Cowbird.Mm;

namespace Cowbird.Kernel.Syscalls
{
    // dup and dup2: a second descriptor for an open file, sharing its offset (fs/file.c).
    // New descriptors must lie below the soft RLIMIT_NOFILE; descriptors already open above
    // it (the limit was lowered after they were made) keep working.
    public static class DescriptorSyscalls
    {
        // dup(oldfd): the lowest free fd for oldfd's file. EBADF before EMFILE.
        public static long Dup(Process process, int oldFd)
        {
            OpenFile file = process.Files.Get(oldFd);
            if (file == null)
                return -(long)Errno.EBADF;
            int fd = process.Files.LowestFree(process.Limits.Soft(ResourceLimits.OpenFiles));
            if (fd < 0)
                return -LinuxErrno.EMFILE;
            process.Files.Install(fd, file);
            return fd;
        }

        // dup2(oldfd, newfd), in Linux's order: newfd == oldfd returns it if open (whatever the
        // limit); a newfd at or above the limit is EBADF even when oldfd is bad; then a bad
        // oldfd is EBADF; else newfd's file (if any) is closed and replaced. The fds are
        // unsigned to Linux, so a negative newfd is a huge one: EBADF.
        public static long Dup2(Process process, uint oldFd, uint newFd)
        {
            if (oldFd == newFd)
                return process.Files.Get(ToIndex(oldFd)) != null ? oldFd : -(long)Errno.EBADF;
            if (newFd >= process.Limits.Soft(ResourceLimits.OpenFiles) || newFd >= FileTable.MaxDescriptors)
                return -(long)Errno.EBADF;
            OpenFile file = process.Files.Get(ToIndex(oldFd));
            if (file == null)
                return -(long)Errno.EBADF;
            process.Files.Install((int)newFd, file);
            return newFd;
        }

        // An unsigned fd as FileTable's index (-1, which no fd has, when it is too big).
        private static int ToIndex(uint fd) => fd <= int.MaxValue ? (int)fd : -1;
    }
}
