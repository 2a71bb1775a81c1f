using Cowbird.Kernel.Drivers;
using Cowbird.Kernel.Processes;
using Cowbird.Kernel.Time;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // getitimer, setitimer and alarm (Linux: kernel/time/itimer.c) on the process's
    // IntervalTimers. Values travel as struct itimerval (it_interval, then it_value, each a
    // struct timeval), in nanoseconds inside the kernel, and are written back truncated to
    // microseconds.
    //   - setitimer reads the new value first (EFAULT; a NULL value means zero, as Linux 6.1
    //     still accepts), checks both timevals (EINVAL for tv_sec < 0 or tv_usec outside
    //     0..999999), then `which` (EINVAL), makes the change, and writes the old value last
    //     (EFAULT after the change).
    //   - An ITIMER_REAL value of 0 disarms it and drops its interval; a CPU timer keeps the
    //     interval it is given even with a value of 0, and, as Linux's set_cpu_itimer does,
    //     runs one tick longer than asked (it cannot fire between ticks).
    //   - alarm(s) is setitimer(ITIMER_REAL, s seconds) returning the old time left in whole
    //     seconds, rounded to nearest, and never 0 while an alarm was pending.
    public static unsafe class ItimerSyscalls
    {
        private const int ItimerReal = 0, ItimerVirtual = 1, ItimerProf = 2;
        private const ulong NanosecondsPerMicrosecond = 1000;
        private const ulong NanosecondsPerSecond = Clock.NanosecondsPerSecond;
        private const long MicrosecondsPerSecond = 1000000;
        // struct itimerval: four longs.
        private const ulong ItimervalSize = 32;

        // getitimer(which, value): 0, -EINVAL for an unknown `which`, -EFAULT for a bad value.
        public static long Getitimer(Process process, int which, ulong target)
        {
            if (!IsKnown(which))
                return -(long)Errno.EINVAL;
            Read(process, which, out ulong value, out ulong interval);
            return CopyOut(process, target, value, interval);
        }

        // setitimer(which, value, ovalue), in Linux's order of checks (see the top).
        public static long Setitimer(Process process, int which, ulong source, ulong oldTarget)
        {
            ulong value = 0, interval = 0;
            if (source != 0)
            {
                long* fields = stackalloc long[4];
                if (UserMemory.CopyFromUser(process.Space, (byte*)fields, source, ItimervalSize) != Errno.None)
                    return -(long)Errno.EFAULT;
                if (!IsValidTimeval(fields[0], fields[1]) || !IsValidTimeval(fields[2], fields[3]))
                    return -(long)Errno.EINVAL;
                interval = ToNanoseconds(fields[0], fields[1]);
                value = ToNanoseconds(fields[2], fields[3]);
            }
            if (!IsKnown(which))
                return -(long)Errno.EINVAL;
            Swap(process, which, value, interval, out ulong oldValue, out ulong oldInterval);
            return oldTarget == 0 ? 0 : CopyOut(process, oldTarget, oldValue, oldInterval);
        }

        // alarm(seconds): ITIMER_REAL set to `seconds` (0 cancels it), no interval; returns the
        // seconds the previous alarm had left, rounded as Linux's alarm_setitimer rounds them.
        public static long Alarm(Process process, uint seconds)
        {
            Swap(process, ItimerReal, seconds * NanosecondsPerSecond, 0, out ulong old, out _);
            ulong whole = old / NanosecondsPerSecond, fraction = old % NanosecondsPerSecond;
            if ((whole == 0 && fraction != 0) || fraction >= NanosecondsPerSecond / 2)
                whole++;
            return (long)whole;
        }

        private static bool IsKnown(int which) => which == ItimerReal || which == ItimerVirtual || which == ItimerProf;

        // Linux's timeval_valid for itimers: no negative seconds, microseconds below a second.
        private static bool IsValidTimeval(long seconds, long microseconds) =>
            seconds >= 0 && (ulong)microseconds < MicrosecondsPerSecond;

        private static ulong ToNanoseconds(long seconds, long microseconds) =>
            TimeSyscalls.Saturate((ulong)seconds, (ulong)microseconds * NanosecondsPerMicrosecond);

        // The time left on timer `which` and its interval, in ns.
        private static void Read(Process process, int which, out ulong value, out ulong interval)
        {
            IntervalTimers timers = process.Timers;
            if (which == ItimerReal)
            {
                value = timers.RealRemaining();
                interval = timers.RealInterval;
                return;
            }
            IntervalTimers.CpuTimer timer = which == ItimerVirtual ? timers.Virtual : timers.Prof;
            value = IntervalTimers.CpuRemaining(timer, CpuTime(process, which));
            interval = timer.Interval;
        }

        // Sets timer `which` to fire `value` ns from now (0: off), then every `interval` ns,
        // giving the time it had left and its interval.
        private static void Swap(Process process, int which, ulong value, ulong interval, out ulong oldValue, out ulong oldInterval)
        {
            Read(process, which, out oldValue, out oldInterval);
            IntervalTimers timers = process.Timers;
            if (which == ItimerReal)
            {
                timers.SetReal(value, interval);
                return;
            }
            IntervalTimers.CpuTimer timer;
            timer.Expires = value == 0 ? 0 : value + PitTimer.NanosecondsPerTick + CpuTime(process, which);
            timer.Interval = interval;
            if (which == ItimerVirtual)
                timers.Virtual = timer;
            else
                timers.Prof = timer;
        }

        // The CPU time CPU timer `which` counts: user time for ITIMER_VIRTUAL, user + system
        // for ITIMER_PROF.
        private static ulong CpuTime(Process process, int which) =>
            which == ItimerVirtual ? process.Usage.User : process.Usage.CpuTotal;

        // Writes a struct itimerval of `value` and `interval` ns to `target`. 0 or -EFAULT.
        private static long CopyOut(Process process, ulong target, ulong value, ulong interval)
        {
            long* fields = stackalloc long[4];
            fields[0] = (long)(interval / NanosecondsPerSecond);
            fields[1] = (long)(interval % NanosecondsPerSecond / NanosecondsPerMicrosecond);
            fields[2] = (long)(value / NanosecondsPerSecond);
            fields[3] = (long)(value % NanosecondsPerSecond / NanosecondsPerMicrosecond);
            return UserMemory.CopyToUser(process.Space, target, (byte*)fields, ItimervalSize) == Errno.None ? 0 : -(long)Errno.EFAULT;
        }
    }
}
