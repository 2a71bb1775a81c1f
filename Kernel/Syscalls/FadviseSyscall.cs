using Cowbird.Kernel.Fs;
using Cowbird.Kernel.Processes;
using Cowbird.Mm;

namespace Cowbird.Kernel.Syscalls
{
    // fadvise64(fd, offset, len, advice) (mm/fadvise.c generic_fadvise): how a file will be
    // read, advice a RAM file system, every page of it in memory, has no use for, as Linux's
    // tmpfs ignores it. Linux 6.1's checks: EBADF for no fd, ESPIPE for a pipe or FIFO,
    // EINVAL for a negative len (a size_t read as loff_t) or an advice other than
    // POSIX_FADV_NORMAL, RANDOM, SEQUENTIAL, WILLNEED, DONTNEED and NOREUSE (0-5); the
    // offset is not checked. Else 0.
    public static class FadviseSyscall
    {
        private const int LastAdvice = 5;    // POSIX_FADV_NOREUSE

        public static long Fadvise64(Process process, int fd, long length, int advice)
        {
            OpenFile file = process.Files.Get(fd);
            if (file == null)
                return -(long)Errno.EBADF;
            if (file.Pipe != null)
                return -(long)Errno.ESPIPE;
            if (length < 0 || advice < 0 || advice > LastAdvice)
                return -(long)Errno.EINVAL;
            return 0;
        }
    }
}
