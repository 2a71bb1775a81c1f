namespace Cowbird.Kernel.Syscalls
{
    // Linux x86-64 errno values the syscall layer needs beyond Kernel.Mm's Errno.
    public static class LinuxErrno
    {
        public const int ESRCH = 3;
        public const int ENXIO = 6;
        public const int E2BIG = 7;
        public const int ENOEXEC = 8;
        public const int ECHILD = 10;
        public const int EXDEV = 18;
        public const int ENOTDIR = 20;
        public const int EISDIR = 21;
        public const int EMFILE = 24;
        public const int ENOTTY = 25;
        public const int EFBIG = 27;
        public const int ESPIPE = 29;
        public const int EPIPE = 32;
        public const int ERANGE = 34;
        public const int ENAMETOOLONG = 36;
        public const int ENOTEMPTY = 39;
        public const int ELOOP = 40;
        public const int EOPNOTSUPP = 95;
    }
}
