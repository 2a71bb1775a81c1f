namespace Cowbird.Kernel.Processes
{
    // A process's resource limits (Linux: signal->rlim): a soft and a hard value for each of
    // the 16 RLIMIT_* resources, numbered as on x86-64. fork copies them, execve keeps them.
    // The soft value is the one enforced; the hard value caps what the soft value may be set
    // to (LimitSyscalls holds the rules for changing them). Cowbird enforces NOFILE (open, dup,
    // dup2: FileTable), STACK (the stack execve maps and its argument space: ProgramImage,
    // ExecArguments; its growth: AddressSpace.StackLimit), AS (the total size of the
    // mappings: AddressSpace.SizeLimit, from execve's image on; the image itself is built
    // without it) and, as Linux does for root, not NPROC; the others are kept and reported.
    public sealed class ResourceLimits
    {
        public const int Count = 16;                 // RLIM_NLIMITS
        public const ulong Infinity = ulong.MaxValue; // RLIM_INFINITY
        public const int Cpu = 0, FileSize = 1, Data = 2, Stack = 3, Core = 4, Rss = 5, Processes = 6,
            OpenFiles = 7, MemoryLock = 8, AddressSpace = 9, Locks = 10, PendingSignals = 11,
            MessageQueue = 12, Nice = 13, RealtimePriority = 14, RealtimeTime = 15;

        // Linux's defaults for init (include/asm-generic/resource.h, INIT_RLIMITS).
        public const ulong DefaultStack = Cowbird.Mm.Vm.AddressSpace.DefaultStackLimit;   // _STK_LIM
        public const ulong DefaultOpenFiles = 1024;          // INR_OPEN_CUR
        public const ulong DefaultOpenFilesHard = 4096;      // INR_OPEN_MAX
        private const ulong DefaultMemoryLock = 8UL << 20;   // MLOCK_LIMIT
        private const ulong DefaultMessageQueue = 819200;    // MQ_BYTES_MAX

        private readonly ulong[] soft = new ulong[Count];
        private readonly ulong[] hard = new ulong[Count];

        public ulong Soft(int resource) => soft[resource];
        public ulong Hard(int resource) => hard[resource];

        public void Set(int resource, ulong softValue, ulong hardValue)
        {
            soft[resource] = softValue;
            hard[resource] = hardValue;
        }

        // pid 1's limits: INIT_RLIMITS, with NPROC and SIGPENDING at half of max_threads
        // as Linux's fork_init sets them.
        public static ResourceLimits ForInit(int maxThreads)
        {
            ResourceLimits limits = new ResourceLimits();
            for (int i = 0; i < Count; i++)
                limits.Set(i, Infinity, Infinity);
            limits.Set(Stack, DefaultStack, Infinity);
            limits.Set(Core, 0, Infinity);
            ulong half = (ulong)maxThreads / 2;
            limits.Set(Processes, half, half);
            limits.Set(PendingSignals, half, half);
            limits.Set(OpenFiles, DefaultOpenFiles, DefaultOpenFilesHard);
            limits.Set(MemoryLock, DefaultMemoryLock, DefaultMemoryLock);
            limits.Set(MessageQueue, DefaultMessageQueue, DefaultMessageQueue);
            limits.Set(Nice, 0, 0);
            limits.Set(RealtimePriority, 0, 0);
            return limits;
        }

        // A copy for a forked child.
        public ResourceLimits Copy()
        {
            ResourceLimits copy = new ResourceLimits();
            for (int i = 0; i < Count; i++)
                copy.Set(i, soft[i], hard[i]);
            return copy;
        }
    }
}
