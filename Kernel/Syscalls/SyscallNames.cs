namespace Cowbird.Kernel.Syscalls
{
    // Names of Linux x86-64 system calls Cowbird does not implement but programs often
    // try (libc start-up, threads, sockets, busybox's mount, chroot, syslogd and watch), for
    // the "unknown syscall" log line.
    // Not a full table: other numbers are logged by number only.
    public static class SyscallNames
    {
        public static string Of(ulong number)
        {
            switch (number)
            {
                case 41: return "socket";
                case 42: return "connect";
                case 49: return "bind";
                case 53: return "socketpair";
                case 159: return "adjtimex";
                case 161: return "chroot";
                case 165: return "mount";
                case 166: return "umount2";
                case 202: return "futex";
                case 213: return "epoll_create";
                case 232: return "epoll_wait";
                case 233: return "epoll_ctl";
                case 253: return "inotify_init";
                case 272: return "unshare";
                case 283: return "timerfd_create";
                case 284: return "eventfd";
                case 290: return "eventfd2";
                case 291: return "epoll_create1";
                case 305: return "clock_adjtime";
                case 319: return "memfd_create";
                case 435: return "clone3";
                default: return null;
            }
        }
    }
}
