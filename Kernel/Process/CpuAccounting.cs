using Cowbird.Kernel.Time;

namespace Cowbird.Kernel.Processes
{
    // Counts each process's user and system time on Clock.Monotonic (the TSC: nanosecond
    // steps) at the points where the CPU changes hands, as Linux does with precise accounting
    // (CONFIG_VIRT_CPU_ACCOUNTING_GEN):
    //   - entering the kernel from ring 3 (a syscall, an interrupt or an exception): the
    //     time since the process's stamp was user time;
    //   - returning to ring 3, and giving up the CPU (Scheduler.Schedule): the time since
    //     the stamp was system time;
    //   - getting the CPU: a fresh stamp, so time spent idle or in other processes is
    //     nobody's.
    // Page faults and the kernel's copies into user memory are system time, as on Linux.
    // With `clock=pit` the clock moves in 10 ms steps and most intervals read as 0.
    public static class CpuAccounting
    {
        // The current process entered the kernel from ring 3.
        public static void EnterKernel(Process current)
        {
            ulong now = Clock.Monotonic;
            current.Usage.User += now - current.CpuStamp;
            current.CpuStamp = now;
        }

        // The current process returns to ring 3 or gives up the CPU.
        public static void LeaveKernel(Process current)
        {
            ulong now = Clock.Monotonic;
            current.Usage.System += now - current.CpuStamp;
            current.CpuStamp = now;
        }

        // `next` gets the CPU.
        public static void StartRunning(Process next)
        {
            next.CpuStamp = Clock.Monotonic;
        }
    }
}
