namespace Cowbird.Kernel.Processes
{
    // Linux's signal numbers, their default actions (signal(7)) and the wait-status encodings
    // wait4 reports (include/linux/signal.h, kernel/exit.c).
    //
    // Default actions: Term (terminate), Core (terminate with a core dump), Ign (ignore),
    // Stop (stop the process) and Cont (continue it; SIGCONT is otherwise ignored).
    // Cowbird never writes a core file, so a Core signal ends the process exactly as Linux
    // does with RLIMIT_CORE 0: the status has no core-dump bit (0x80).
    public static class Signal
    {
        public const int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6,
            SIGBUS = 7, SIGFPE = 8, SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13,
            SIGALRM = 14, SIGTERM = 15, SIGSTKFLT = 16, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19,
            SIGTSTP = 20, SIGTTIN = 21, SIGTTOU = 22, SIGURG = 23, SIGXCPU = 24, SIGXFSZ = 25,
            SIGVTALRM = 26, SIGPROF = 27, SIGWINCH = 28, SIGIO = 29, SIGPWR = 30, SIGSYS = 31;
        // Signals 1..64 (rt_sigaction's range).
        public const int Count = 64;

        public const ulong SigDfl = 0;
        public const ulong SigIgn = 1;

        // SIGKILL and SIGSTOP can be neither caught, ignored nor blocked (sig_kernel_only).
        public const ulong KernelOnly = 1UL << (SIGKILL - 1) | 1UL << (SIGSTOP - 1);
        // The stop signals (SIG_KERNEL_STOP_MASK).
        public const ulong StopSignals = 1UL << (SIGSTOP - 1) | 1UL << (SIGTSTP - 1) | 1UL << (SIGTTIN - 1) | 1UL << (SIGTTOU - 1);
        // Ignored unless a handler is set (SIG_KERNEL_IGNORE_MASK).
        public const ulong IgnoredByDefault = 1UL << (SIGCONT - 1) | 1UL << (SIGCHLD - 1) | 1UL << (SIGWINCH - 1) | 1UL << (SIGURG - 1);

        // Terminate with a core dump (SIG_KERNEL_COREDUMP_MASK); Linux sends these itself for
        // CPU faults, and decides on them only when it acts on them, not when they are sent.
        public const ulong CoreByDefault = 1UL << (SIGQUIT - 1) | 1UL << (SIGILL - 1) | 1UL << (SIGTRAP - 1)
            | 1UL << (SIGABRT - 1) | 1UL << (SIGBUS - 1) | 1UL << (SIGFPE - 1) | 1UL << (SIGSEGV - 1)
            | 1UL << (SIGXCPU - 1) | 1UL << (SIGXFSZ - 1) | 1UL << (SIGSYS - 1);

        // The signals a CPU fault raises, which are taken before any other pending one
        // (SYNCHRONOUS_MASK).
        public const ulong Synchronous = 1UL << (SIGSEGV - 1) | 1UL << (SIGBUS - 1) | 1UL << (SIGILL - 1)
            | 1UL << (SIGTRAP - 1) | 1UL << (SIGFPE - 1) | 1UL << (SIGSYS - 1);

        // si_code of SIGCHLD and of waitid's siginfo (CLD_*): how a child changed.
        public const int CldExited = 1, CldKilled = 2, CldDumped = 3, CldStopped = 5, CldContinued = 6;

        // wait4's status for a child continued by SIGCONT (WIFCONTINUED).
        public const int ContinuedStatus = 0xFFFF;
        // The low byte of a stopped child's status (WIFSTOPPED).
        private const int StoppedLowByte = 0x7F;
        // WCOREDUMP's bit, which Cowbird never sets.
        private const int CoreDumpBit = 0x80;

        // The bit of `signal` in a signal set (sigset_t: bit n-1 for signal n).
        public static ulong Bit(int signal) => 1UL << (signal - 1);

        public static bool IsValid(int signal) => signal >= 1 && signal <= Count;

        public static bool IsStop(int signal) => (StopSignals & Bit(signal)) != 0;

        // Whether the default action of `signal` is Term (not Core, Ign or Stop).
        public static bool TerminatesWithoutCore(int signal) =>
            ((IgnoredByDefault | StopSignals | CoreByDefault) & Bit(signal)) == 0;

        // Whether `handler` makes `signal` be discarded (sig_handler_ignored): SIG_IGN, or
        // SIG_DFL of a signal whose default action is to ignore it.
        public static bool HandlerIgnores(ulong handler, int signal) =>
            handler == SigIgn || (handler == SigDfl && (IgnoredByDefault & Bit(signal)) != 0);

        // wait4's status for a normal exit with `code` (Linux: (code & 0xff) << 8).
        public static int ExitedStatus(int code) => (code & 0xFF) << 8;

        // wait4's status for a death by `signal`; never a core-dump bit (no core is written).
        public static int KilledStatus(int signal) => signal & 0x7F;

        // The si_code of an ended child with wait status `status` (Linux's wait_task_zombie).
        public static int ExitCode(int status) =>
            (status & 0x7F) == 0 ? CldExited : (status & CoreDumpBit) != 0 ? CldDumped : CldKilled;

        // The si_status of an ended child: its exit code, or the signal that killed it.
        public static int ExitInfoStatus(int status) => (status & 0x7F) == 0 ? (status >> 8) & 0xFF : status & 0x7F;

        // wait4's status for a child stopped by `signal`: (signal << 8) | 0x7f.
        public static int StoppedStatus(int signal) => (signal << 8) | StoppedLowByte;
    }
}
