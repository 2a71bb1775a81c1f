namespace Cowbird.Kernel.Syscalls
{
    // Linux x86-64 system call numbers Cowbird implements (arch/x86/entry/syscalls/syscall_64.tbl).
    public static class SyscallNumber
    {
        public const ulong Read = 0, Write = 1, Open = 2, Close = 3, Poll = 7, Mmap = 9, Mprotect = 10, Munmap = 11,
            Brk = 12, RtSigaction = 13, RtSigprocmask = 14, RtSigreturn = 15, Ioctl = 16, Readv = 19, Writev = 20, Pipe = 22, SchedYield = 24,
            Mremap = 25, Madvise = 28, Dup = 32, Dup2 = 33, Pause = 34, Nanosleep = 35, Getpid = 39, Clone = 56, Fork = 57, Vfork = 58, Execve = 59, Exit = 60,
            Wait4 = 61, Kill = 62, Uname = 63, Fcntl = 72, Getrlimit = 97, Sysinfo = 99, Getuid = 102, Getgid = 104, Setuid = 105, Setgid = 106,
            Geteuid = 107, Getegid = 108, Setpgid = 109, Getppid = 110, Getpgrp = 111, Setsid = 112, Getgroups = 115, Getresuid = 118, Getresgid = 120, Getpgid = 121, Getsid = 124, RtSigsuspend = 130, Prctl = 157, Setrlimit = 160, ArchPrctl = 158, Gettid = 186,
            Tkill = 200, SchedGetaffinity = 204, SetTidAddress = 218,
            ClockGettime = 228, ClockGetres = 229, ExitGroup = 231, Tgkill = 234, SetRobustList = 273, Dup3 = 292, Pipe2 = 293, Prlimit64 = 302,
            Getrandom = 318, Rseq = 334;
    }
}
