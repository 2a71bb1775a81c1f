namespace Cowbird.Kernel.Syscalls
{
    // Names of Linux x86-64 system calls Cowbird does not implement but programs often
    // try (musl's stdio, libc start-up, threads), for the "unknown syscall" log line.
    // Not a full table: other numbers are logged by number only.
    public static class SyscallNames
    {
        public static string Of(ulong number)
        {
            switch (number)
            {
                case 4: return "stat";
                case 5: return "fstat";
                case 6: return "lstat";
                case 8: return "lseek";
                case 17: return "pread64";
                case 21: return "access";
                case 79: return "getcwd";
                case 80: return "chdir";
                case 89: return "readlink";
                case 96: return "gettimeofday";
                case 131: return "sigaltstack";
                case 200: return "tkill";
                case 202: return "futex";
                case 230: return "clock_nanosleep";
                case 234: return "tgkill";
                case 257: return "openat";
                case 262: return "newfstatat";
                case 435: return "clone3";
                default: return null;
            }
        }
    }
}
