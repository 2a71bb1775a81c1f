namespace Cowbird.Mm
{
    // Linux x86-64 errno values: the one list for Kernel.Mm and the whole kernel. Calls
    // return them negated (e.g. Mmap returns -(long)Errno.ENOMEM), with Linux's numbers so
    // the syscall layer hands them to user space unchanged.
    public enum Errno
    {
        None = 0,
        EPERM = 1,
        ENOENT = 2,
        ESRCH = 3,
        EINTR = 4,
        EIO = 5,
        ENXIO = 6,
        E2BIG = 7,
        ENOEXEC = 8,
        EBADF = 9,
        ECHILD = 10,
        EAGAIN = 11,
        ENOMEM = 12,
        EACCES = 13,
        EFAULT = 14,
        EBUSY = 16,
        EEXIST = 17,
        EXDEV = 18,
        ENODEV = 19,
        ENOTDIR = 20,
        EISDIR = 21,
        EINVAL = 22,
        EMFILE = 24,
        ENOTTY = 25,
        EFBIG = 27,
        ENOSPC = 28,
        ESPIPE = 29,
        EPIPE = 32,
        ERANGE = 34,
        ENAMETOOLONG = 36,
        ENOSYS = 38,
        ENOTEMPTY = 39,
        ELOOP = 40,
        EOPNOTSUPP = 95,
    }
}
