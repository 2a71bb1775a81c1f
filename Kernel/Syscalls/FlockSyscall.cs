using Cowbird.Kernel.Fs;
using Cowbird.Kernel.Processes;
using Cowbird.Mm;

namespace Cowbird.Kernel.Syscalls
{
    // flock(fd, operation) (fs/locks.c), on FileLocks. Linux 6.1's order:
    //   - LOCK_MAND (a long broken kind of lock) is ignored: 0 at once, whatever the fd;
    //   - the operation without LOCK_NB must be exactly LOCK_SH, LOCK_EX or LOCK_UN, else
    //     EINVAL (before the fd is looked at);
    //   - a bad fd, EBADF;
    //   - LOCK_SH or LOCK_EX takes the lock, waiting for it unless LOCK_NB (EWOULDBLOCK);
    //     LOCK_UN lets it go (0 also when none was held).
    public static class FlockSyscall
    {
        private const uint LockShared = 1, LockExclusive = 2, LockNonBlocking = 4, LockUnlock = 8, LockMandatory = 32;

        public static long Flock(Process process, int fd, uint operation)
        {
            if ((operation & LockMandatory) != 0)
                return 0;
            uint kind = operation & ~LockNonBlocking;
            if (kind != LockShared && kind != LockExclusive && kind != LockUnlock)
                return -(long)Errno.EINVAL;
            OpenFile file = process.Files.Get(fd);
            if (file == null)
                return -(long)Errno.EBADF;
            if (kind == LockUnlock)
            {
                FileLocks.Unlock(file);
                return 0;
            }
            return FileLocks.Lock(file, kind == LockExclusive, (operation & LockNonBlocking) == 0);
        }
    }
}
