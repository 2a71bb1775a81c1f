namespace Cowbird.Kernel.Processes
{
    // What a process used (Linux: the task's utime, stime, min_flt, maj_flt; struct rusage):
    // CPU time in nanoseconds, split into time in ring 3 (User) and time the kernel worked
    // for the process (System), counted by CpuAccounting, and its page faults from ring 3
    // (PageFaultHandler): major when the page came from swap, minor otherwise.
    public struct ResourceUsage
    {
        // clock_t values (times, si_utime, si_stime) count USER_HZ (100) ticks a second.
        public const ulong NanosecondsPerClockTick = 10000000;

        public ulong User;
        public ulong System;
        public ulong MinorFaults;
        public ulong MajorFaults;

        // User + System: what the SCHED CPU clocks and CLOCK_PROCESS_CPUTIME_ID read.
        public ulong CpuTotal => User + System;

        // The sum of two usages (a process's own and its reaped children's).
        public static ResourceUsage Sum(ResourceUsage a, ResourceUsage b)
        {
            ResourceUsage sum;
            sum.User = a.User + b.User;
            sum.System = a.System + b.System;
            sum.MinorFaults = a.MinorFaults + b.MinorFaults;
            sum.MajorFaults = a.MajorFaults + b.MajorFaults;
            return sum;
        }
    }
}
