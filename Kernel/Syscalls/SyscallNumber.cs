namespace Cowbird.Kernel.Syscalls
{
    // Linux x86-64 system call numbers Cowbird implements (arch/x86/entry/syscalls/syscall_64.tbl).
    public static class SyscallNumber
    {
        public const ulong Read = 0, Write = 1, Open = 2, Close = 3, Stat = 4, Fstat = 5, Lstat = 6, Poll = 7,
            Lseek = 8, Mmap = 9, Mprotect = 10, Munmap = 11, Brk = 12, RtSigaction = 13, RtSigprocmask = 14,
            RtSigreturn = 15, Ioctl = 16, Pread64 = 17, Pwrite64 = 18, Readv = 19, Writev = 20, Access = 21,
            Pipe = 22, Select = 23, SchedYield = 24, Mremap = 25, Msync = 26, Mincore = 27, Madvise = 28, Dup = 32, Dup2 = 33, Pause = 34, Nanosleep = 35,
            Getitimer = 36, Alarm = 37, Setitimer = 38, Getpid = 39, Sendfile = 40, Clone = 56, Fork = 57, Vfork = 58, Execve = 59, Exit = 60, Wait4 = 61, Kill = 62,
            Uname = 63, Fcntl = 72, Flock = 73, Fsync = 74, Fdatasync = 75, Truncate = 76, Ftruncate = 77, Getdents = 78, Getcwd = 79,
            Chdir = 80, Fchdir = 81, Rename = 82, Mkdir = 83, Rmdir = 84, Creat = 85, Link = 86, Unlink = 87,
            Symlink = 88, Readlink = 89, Chmod = 90, Fchmod = 91, Chown = 92, Fchown = 93, Lchown = 94, Umask = 95, Gettimeofday = 96, Getrlimit = 97,
            Getrusage = 98, Sysinfo = 99, Times = 100, Getuid = 102, Syslog = 103, Getgid = 104, Setuid = 105, Setgid = 106,
            Geteuid = 107, Getegid = 108, Setpgid = 109, Getppid = 110, Getpgrp = 111, Setsid = 112, Getgroups = 115,
            Getresuid = 118, Getresgid = 120, Getpgid = 121, Getsid = 124, RtSigpending = 127, RtSigtimedwait = 128, RtSigsuspend = 130, Sigaltstack = 131, Utime = 132, Mknod = 133, Personality = 135, Statfs = 137, Fstatfs = 138,
            Getpriority = 140, Setpriority = 141, SchedSetparam = 142, SchedGetparam = 143, SchedSetscheduler = 144,
            SchedGetscheduler = 145, SchedGetPriorityMax = 146, SchedGetPriorityMin = 147, SchedRrGetInterval = 148,
            Mlock = 149, Munlock = 150, Mlockall = 151, Munlockall = 152,
            Prctl = 157, ArchPrctl = 158, Setrlimit = 160, Sync = 162, Gettid = 186, Tkill = 200, Time = 201,
            SchedSetaffinity = 203, SchedGetaffinity = 204, Getdents64 = 217, SetTidAddress = 218, Fadvise64 = 221, TimerCreate = 222, TimerSettime = 223,
            TimerGettime = 224, TimerGetoverrun = 225, TimerDelete = 226, ClockGettime = 228, ClockGetres = 229,
            ClockNanosleep = 230, ExitGroup = 231, Tgkill = 234, Utimes = 235, Waitid = 247, IoprioSet = 251, IoprioGet = 252, Openat = 257, Mkdirat = 258, Mknodat = 259, Fchownat = 260, Futimesat = 261,
            Newfstatat = 262, Unlinkat = 263, Renameat = 264, Linkat = 265, Symlinkat = 266, Readlinkat = 267,
            Fchmodat = 268, Faccessat = 269, Pselect6 = 270, Ppoll = 271, SetRobustList = 273, Utimensat = 280, Fallocate = 285, Dup3 = 292, Pipe2 = 293, Prlimit64 = 302, Syncfs = 306, Getcpu = 309,
            Renameat2 = 316, Getrandom = 318, Mlock2 = 325, Statx = 332, Rseq = 334, Faccessat2 = 439;
    }
}
