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
                case 7: return "poll";
                case 34: return "pause";
                case 56: return "clone";
                case 58: return "vfork";
                case 63: return "uname";
                case 102: return "getuid";
                case 104: return "getgid";
                case 107: return "geteuid";
                case 108: return "getegid";
                case 157: return "prctl";
                case 200: return "tkill";
                case 202: return "futex";
                case 234: return "tgkill";
                case 273: return "set_robust_list";
                case 318: return "getrandom";
                case 334: return "rseq";
                case 435: return "clone3";
                default: return null;
            }
        }
    }
}
