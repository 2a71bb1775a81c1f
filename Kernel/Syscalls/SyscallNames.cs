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
                case 202: return "futex";
                case 435: return "clone3";
                default: return null;
            }
        }
    }
}
