using Cowbird.Kernel.Processes;

namespace Cowbird.Kernel.Syscalls
{
    // Linux's dynamic CPU-time clock ids (include/linux/posix-timers.h, kernel/time/
    // posix-cpu-timers.c): a negative clockid_t is (~pid << 3) | thread << 2 | which,
    // MAKE_PROCESS_CPUCLOCK / MAKE_THREAD_CPUCLOCK, where which is PROF (0: user + system),
    // VIRT (1: user) or SCHED (2: user + system, as the scheduler counts it). Its low three
    // bits 3 name a clock file descriptor instead (CLOCKFD), which Cowbird has none of.
    // pid 0 is the caller; a process clock may name any live process (zombies too), a
    // thread clock only a thread of the caller: Cowbird's processes have one thread, whose
    // id is the pid. The times are CpuAccounting's.
    public static class CpuClockId
    {
        private const int WhichMask = 3, ThreadBit = 4, PidShift = 3;
        private const int Virt = 1;
        // `which` 3 (CPUCLOCK_MAX) is no CPU clock: with the thread bit clear it is CLOCKFD.
        private const int NoCpuClock = 3;

        // CLOCK_PROCESS_CPUTIME_ID and CLOCK_THREAD_CPUTIME_ID: the caller's SCHED clock.
        public static ulong OwnSched(Process caller) => caller.Usage.CpuTotal;

        // Whether `clock` (negative) names a clock file descriptor (CLOCKFD).
        public static bool IsClockFd(int clock) => (clock & WhichMask) == NoCpuClock && (clock & ThreadBit) == 0;

        // The process whose CPU time `clock` (negative) names, from `caller`'s view; null
        // (EINVAL) for a positive id, a clock fd, an unknown `which`, or a process or thread
        // that is not there. `thread` tells a thread clock.
        public static Process Target(Process caller, int clock, out bool thread)
        {
            thread = (clock & ThreadBit) != 0;
            if (clock >= 0 || (clock & WhichMask) == NoCpuClock)
                return null;
            int pid = ~(clock >> PidShift);
            Process target = pid == 0 ? caller : ProcessTable.Find(pid);
            if (target == null || (thread && target != caller))
                return null;
            return target;
        }

        // The CPU time `clock` (negative) names, in nanoseconds; false as Target.
        public static bool TryRead(Process caller, int clock, out ulong nanoseconds)
        {
            Process target = Target(caller, clock, out _);
            nanoseconds = target == null ? 0 : Read(target, clock);
            return target != null;
        }

        // The value of `target`'s clock of kind `clock & WhichMask`.
        public static ulong Read(Process target, int clock)
        {
            int which = clock & WhichMask;
            return which == Virt ? target.Usage.User : target.Usage.CpuTotal;
        }
    }
}
