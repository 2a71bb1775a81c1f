namespace Cowbird.Mm
{
    // Linux errno values Kernel.Mm returns (as negative ints from syscall-shaped calls,
    // e.g. Mmap returns -(long)Errno.ENOMEM). Numbers match Linux x86-64 so the
    // syscall layer can hand them to user space unchanged.
    public enum Errno
    {
        None = 0,
        EPERM = 1,
        ENOENT = 2,
        EINTR = 4,
        EIO = 5,
        EBADF = 9,
        EAGAIN = 11,
        ENOMEM = 12,
        EACCES = 13,
        EFAULT = 14,
        EBUSY = 16,
        EEXIST = 17,
        ENODEV = 19,
        EINVAL = 22,
        ENOSPC = 28,
        ENOSYS = 38,
    }
}
