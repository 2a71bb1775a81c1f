namespace Cowbird.Kernel.Syscalls
{
    // The i386 system call numbers `int $0x80` understands (arch/x86/entry/syscalls/
    // syscall_32.tbl) and the x86-64 call each one runs. Only calls whose arguments and
    // results mean the same in both ABIs are listed (Ia32Syscalls says why).
    public static class Ia32Number
    {
        // Native's answer for a 32-bit number Cowbird does not run.
        public const ulong None = ulong.MaxValue;

        private const uint Exit = 1, Fork = 2, Read = 3, Write = 4, Close = 6, Unlink = 10, Chdir = 12, Chmod = 15,
            Lseek = 19, Getpid = 20, Getuid16 = 24, Pause = 29, Access = 33, Kill = 37, Rename = 38, Mkdir = 39,
            Rmdir = 40, Dup = 41, Pipe = 42, Brk = 45, Getgid16 = 47, Geteuid16 = 49, Getegid16 = 50, Setpgid = 57,
            Umask = 60, Dup2 = 63, Getppid = 64, Getpgrp = 65, Setsid = 66, Symlink = 83, Readlink = 85, Munmap = 91,
            Fchmod = 94, Fsync = 118, Uname = 122, Mprotect = 125, Getpgid = 132, Fchdir = 133, Getsid = 147,
            Fdatasync = 148, SchedYield = 158, Poll = 168, Getcwd = 183, Vfork = 190, Getuid32 = 199, Getgid32 = 200,
            Geteuid32 = 201, Getegid32 = 202, Madvise = 219, Getdents64 = 220, Gettid = 224, Tkill = 238,
            ExitGroup = 252, Tgkill = 270, Dup3 = 330, Pipe2 = 331, Getrandom = 355,
            Sync = 36, Getpriority = 96, Setpriority = 97, Syslog = 103, Personality = 136, Flock = 143, Msync = 144,
            Mlock = 150, Munlock = 151, Mlockall = 152, Munlockall = 153, Prctl = 172, Mincore = 218, IoprioSet = 289,
            IoprioGet = 290, Getcpu = 318, Syncfs = 344, Mlock2 = 376;

        // The x86-64 number of 32-bit call `number`, or None.
        public static ulong Native(uint number)
        {
            switch (number)
            {
                case Exit: return SyscallNumber.Exit;
                case Fork: return SyscallNumber.Fork;
                case Read: return SyscallNumber.Read;
                case Write: return SyscallNumber.Write;
                case Close: return SyscallNumber.Close;
                case Unlink: return SyscallNumber.Unlink;
                case Chdir: return SyscallNumber.Chdir;
                case Chmod: return SyscallNumber.Chmod;
                case Lseek: return SyscallNumber.Lseek;
                case Getpid: return SyscallNumber.Getpid;
                case Getuid16: case Getuid32: return SyscallNumber.Getuid;
                case Pause: return SyscallNumber.Pause;
                case Access: return SyscallNumber.Access;
                case Kill: return SyscallNumber.Kill;
                case Rename: return SyscallNumber.Rename;
                case Mkdir: return SyscallNumber.Mkdir;
                case Rmdir: return SyscallNumber.Rmdir;
                case Dup: return SyscallNumber.Dup;
                case Pipe: return SyscallNumber.Pipe;
                case Brk: return SyscallNumber.Brk;
                case Getgid16: case Getgid32: return SyscallNumber.Getgid;
                case Geteuid16: case Geteuid32: return SyscallNumber.Geteuid;
                case Getegid16: case Getegid32: return SyscallNumber.Getegid;
                case Setpgid: return SyscallNumber.Setpgid;
                case Umask: return SyscallNumber.Umask;
                case Dup2: return SyscallNumber.Dup2;
                case Getppid: return SyscallNumber.Getppid;
                case Getpgrp: return SyscallNumber.Getpgrp;
                case Setsid: return SyscallNumber.Setsid;
                case Symlink: return SyscallNumber.Symlink;
                case Readlink: return SyscallNumber.Readlink;
                case Munmap: return SyscallNumber.Munmap;
                case Fchmod: return SyscallNumber.Fchmod;
                case Fsync: return SyscallNumber.Fsync;
                case Uname: return SyscallNumber.Uname;
                case Mprotect: return SyscallNumber.Mprotect;
                case Getpgid: return SyscallNumber.Getpgid;
                case Fchdir: return SyscallNumber.Fchdir;
                case Getsid: return SyscallNumber.Getsid;
                case Fdatasync: return SyscallNumber.Fdatasync;
                case SchedYield: return SyscallNumber.SchedYield;
                case Poll: return SyscallNumber.Poll;
                case Getcwd: return SyscallNumber.Getcwd;
                case Vfork: return SyscallNumber.Vfork;
                case Madvise: return SyscallNumber.Madvise;
                case Getdents64: return SyscallNumber.Getdents64;
                case Gettid: return SyscallNumber.Gettid;
                case Tkill: return SyscallNumber.Tkill;
                case ExitGroup: return SyscallNumber.ExitGroup;
                case Tgkill: return SyscallNumber.Tgkill;
                case Dup3: return SyscallNumber.Dup3;
                case Pipe2: return SyscallNumber.Pipe2;
                case Getrandom: return SyscallNumber.Getrandom;
                case Sync: return SyscallNumber.Sync;
                case Getpriority: return SyscallNumber.Getpriority;
                case Setpriority: return SyscallNumber.Setpriority;
                case Syslog: return SyscallNumber.Syslog;
                case Personality: return SyscallNumber.Personality;
                case Flock: return SyscallNumber.Flock;
                case Msync: return SyscallNumber.Msync;
                case Mlock: return SyscallNumber.Mlock;
                case Munlock: return SyscallNumber.Munlock;
                case Mlockall: return SyscallNumber.Mlockall;
                case Munlockall: return SyscallNumber.Munlockall;
                case Prctl: return SyscallNumber.Prctl;
                case Mincore: return SyscallNumber.Mincore;
                case IoprioSet: return SyscallNumber.IoprioSet;
                case IoprioGet: return SyscallNumber.IoprioGet;
                case Getcpu: return SyscallNumber.Getcpu;
                case Syncfs: return SyscallNumber.Syncfs;
                case Mlock2: return SyscallNumber.Mlock2;
                default: return None;
            }
        }

        // The 16-bit identity calls of the first i386 ABI: an id above 65535 reads as
        // Linux's overflowuid.
        public static bool ReturnsUid16(uint number) =>
            number == Getuid16 || number == Getgid16 || number == Geteuid16 || number == Getegid16;

        // True for argument `index` of `number` when it is a signed 32-bit type that the
        // x86-64 implementation reads as 64 bits: lseek's offset (compat_off_t) and
        // readlink's buffer size (int).
        public static bool IsSignedArgument(uint number, int index) =>
            (number == Lseek && index == 1) || (number == Readlink && index == 2);
    }
}
