namespace Cowbird.Kernel.Processes
{
    // Linux signal numbers and wait-status encoding the kernel uses. Cowbird has no
    // signal frames: a signal whose action is SIG_DFL (or a handler, which is not
    // delivered) terminates the process for SIGKILL/SIGTERM/SIGSEGV/SIGBUS; SIG_IGN ignores it.
    public static class Signal
    {
        public const int SIGBUS = 7;
        public const int SIGKILL = 9;
        public const int SIGSEGV = 11;
        public const int SIGTERM = 15;
        public const int SIGSTOP = 19;
        // Signals 1..64 (rt_sigaction's range).
        public const int Count = 64;

        public const ulong SigDfl = 0;
        public const ulong SigIgn = 1;

        // The bit of `signal` in a signal set (sigset_t: bit n-1 for signal n).
        public static ulong Bit(int signal) => 1UL << (signal - 1);

        // wait4's status for a normal exit with `code` (Linux: (code & 0xff) << 8).
        public static int ExitedStatus(int code) => (code & 0xFF) << 8;

        // wait4's status for a death by `signal` (no core dump).
        public static int KilledStatus(int signal) => signal & 0x7F;
    }
}
