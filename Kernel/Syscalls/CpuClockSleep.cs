using Cowbird.Kernel.Drivers;
using Cowbird.Kernel.Processes;
using Cowbird.Mm;

namespace Cowbird.Kernel.Syscalls
{
    // clock_nanosleep on a process CPU-time clock (Linux's posix_cpu_nsleep): the sleep
    // lasts until the named process has used the requested CPU time. The caller's own
    // clock does not move while it sleeps (one thread: nothing of it runs), so on that clock
    // only a deadline already passed or a signal ends the sleep, as on Linux. Another
    // process's clock is read again at every tick; if that process is gone its time no
    // longer moves and, as on Linux, a signal ends the sleep. Thread clocks are EINVAL
    // (Linux refuses the caller's own thread clock, and Cowbird has no other threads).
    public static class CpuClockSleep
    {
        private const int ClockProcessCputime = 2;
        // MAKE_PROCESS_CPUCLOCK(0, CPUCLOCK_SCHED): what CLOCK_PROCESS_CPUTIME_ID names.
        private const int OwnProcessSched = ~0 << 3 | 2;

        // Sleeps on CPU clock `clock` (CLOCK_PROCESS_CPUTIME_ID or a negative id) until it
        // reaches `requested` (absolute) or its value now + `requested`. 0, -EINVAL for a
        // clock that names no process, or -EINTR with the CPU time that was left.
        public static long Sleep(Process caller, int clock, bool absolute, ulong requested, out ulong left)
        {
            left = 0;
            if (clock == ClockProcessCputime)
                clock = OwnProcessSched;
            Process target = CpuClockId.Target(caller, clock, out bool thread);
            if (target == null || thread)
                return -(long)Errno.EINVAL;
            ulong deadline = absolute ? requested : TimeSyscalls.SaturatingAdd(CpuClockId.Read(target, clock), requested);
            while (true)
            {
                ulong now = CpuClockId.Read(target, clock);
                left = deadline > now ? deadline - now : 0;
                if (left == 0)
                    return 0;
                ulong wakeTick = target == caller ? ulong.MaxValue : PitTimer.Ticks + 1;
                if (!Scheduler.Sleep(WaitReason.Timer, wakeTick))
                    return -(long)Errno.EINTR;
            }
        }
    }
}
