using Cowbird.Kernel.Drivers;
using Cowbird.Kernel.Processes;

namespace Cowbird.Kernel.Syscalls
{
    // Linux's dynamic CPU-time clock ids (include/linux/posix-timers.h, kernel/time/
    // posix-cpu-timers.c): a negative clockid_t is (~pid << 3) | thread << 2 | which,
    // MAKE_PROCESS_CPUCLOCK / MAKE_THREAD_CPUCLOCK, where which is PROF (0), VIRT (1) or
    // SCHED (2). Its low three bits 3 name a clock file descriptor instead (CLOCKFD),
    // which Cowbird has none of. pid 0 is the caller; a process clock may name any live
    // process (zombies too), a thread clock only a thread of the caller: Cowbird's
    // processes have one thread, whose id is the pid. All three read the same ticks:
    // the kernel's own time is not counted (Process.CpuTicks), so user time is all there is.
    public static class CpuClockId
    {
        private const int WhichMask = 3, ThreadBit = 4, PidShift = 3;
        // `which` 3 (CPUCLOCK_MAX) is no CPU clock: with the thread bit clear it is CLOCKFD.
        private const int NoCpuClock = 3;

        // The CPU time `clock` (negative) names, from `caller`'s view, in nanoseconds; false
        // (EINVAL) for a positive id, a clock fd, an unknown `which`, or a process or
        // thread that is not there.
        public static bool TryRead(Process caller, int clock, out ulong nanoseconds)
        {
            nanoseconds = 0;
            if (clock >= 0 || (clock & WhichMask) == NoCpuClock)
                return false;
            int pid = ~(clock >> PidShift);
            Process target = pid == 0 ? caller : ProcessTable.Find(pid);
            if (target == null)
                return false;
            if ((clock & ThreadBit) != 0 && target != caller)
                return false;
            nanoseconds = target.CpuTicks * PitTimer.NanosecondsPerTick;
            return true;
        }
    }
}
