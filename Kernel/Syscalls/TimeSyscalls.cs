using Cowbird.Kernel.Drivers;
using Cowbird.Kernel.Processes;
using Cowbird.Kernel.Time;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // nanosleep, clock_nanosleep, clock_gettime, clock_getres, gettimeofday and time, on
    // Time/Clock.cs (nanoseconds from the calibrated TSC, or 10 ms PIT ticks without one):
    //   - CLOCK_MONOTONIC, MONOTONIC_RAW, BOOTTIME and BOOTTIME_ALARM are Clock.Monotonic
    //     (Cowbird never suspends, so boot time is monotonic time, and nothing slews it);
    //   - CLOCK_REALTIME, REALTIME_ALARM and TAI add the CMOS clock read at boot (TAI with
    //     offset 0: nothing sets one, as on a Linux no NTP daemon told);
    //   - the _COARSE clocks are the same time lines rounded down to a tick, as Linux's are
    //     the time at the last tick;
    //   - the ALARM clocks work as on a Linux machine with an RTC (Cowbird has the CMOS one);
    //   - CPU-time clocks (PROCESS_CPUTIME_ID, THREAD_CPUTIME_ID, and the negative ids of
    //     CpuClockId) read CpuAccounting's user and system time.
    // Any other id is EINVAL (10, SGI_CYCLE, is gone from Linux too).
    public static unsafe class TimeSyscalls
    {
        private const int ClockRealtime = 0, ClockMonotonic = 1, ClockProcessCputime = 2, ClockThreadCputime = 3,
            ClockMonotonicRaw = 4, ClockRealtimeCoarse = 5, ClockMonotonicCoarse = 6, ClockBoottime = 7,
            ClockRealtimeAlarm = 8, ClockBoottimeAlarm = 9, ClockTai = 11;
        private const int TimerAbstime = 1;
        private const ulong NanosecondsPerSecond = Clock.NanosecondsPerSecond;
        private const ulong NanosecondsPerMicrosecond = 1000;
        // Linux's KTIME_MAX: deadlines saturate here (about 292 years).
        private const ulong Never = long.MaxValue;

        // nanosleep(req, rem): clock_nanosleep on CLOCK_MONOTONIC, relative.
        public static long Nanosleep(Process process, ulong request, ulong remaining) =>
            ClockNanosleep(process, ClockMonotonic, 0, request, remaining);

        // clock_nanosleep(clock, flags, req, rem), in Linux's order of checks
        // (kernel/time/posix-timers.c): an unknown clock is EINVAL, a clock without a sleep
        // (MONOTONIC_RAW, the _COARSE ones, THREAD_CPUTIME_ID, clock fds) EOPNOTSUPP, then
        // req is read (EFAULT) and checked (EINVAL). Only TIMER_ABSTIME of `flags` means
        // anything (the ALARM clocks refuse other bits with EINVAL). The sleep ends at the
        // deadline or with EINTR when a signal is caught or kills; an interrupted relative
        // sleep writes the time left to rem (EFAULT when it cannot). The dispatcher never
        // restarts it after a handler, as Linux's -ERESTART_RESTARTBLOCK/-ERESTARTNOHAND.
        public static long ClockNanosleep(Process process, int clock, int flags, ulong request, ulong remaining)
        {
            if (!IsKnown(process, clock))
                return -(long)Errno.EINVAL;
            if (!CanSleepOn(clock))
                return -(int)Errno.EOPNOTSUPP;
            long* time = stackalloc long[2];
            if (UserMemory.CopyFromUser(process.Space, (byte*)time, request, 16) != Errno.None)
                return -(long)Errno.EFAULT;
            if (time[0] < 0 || time[1] < 0 || (ulong)time[1] >= NanosecondsPerSecond)
                return -(long)Errno.EINVAL;
            bool absolute = (flags & TimerAbstime) != 0;
            if ((clock == ClockRealtimeAlarm || clock == ClockBoottimeAlarm) && (flags & ~TimerAbstime) != 0)
                return -(long)Errno.EINVAL;
            ulong requested = Saturate((ulong)time[0], (ulong)time[1]);
            ulong left;
            long result = clock < 0 || clock == ClockProcessCputime
                ? CpuClockSleep.Sleep(process, clock, absolute, requested, out left)
                : SleepOnMonotonic(MonotonicDeadline(clock, absolute, requested), out left);
            if (result != -(long)Errno.EINTR || absolute || remaining == 0)
                return result;
            return CopyTimespec(process, remaining, left) == 0 ? result : -(long)Errno.EFAULT;
        }

        // `seconds` s + `nanoseconds` ns in nanoseconds, saturated at Never.
        public static ulong Saturate(ulong seconds, ulong nanoseconds)
        {
            if (seconds >= (Never - nanoseconds) / NanosecondsPerSecond)
                return Never;
            return seconds * NanosecondsPerSecond + nanoseconds;
        }

        // a + b, saturated at Never.
        public static ulong SaturatingAdd(ulong a, ulong b) => b >= Never - a ? Never : a + b;

        // Whether Linux's clockid_to_kclock knows `clock`: the ids TryRead reads, and any
        // negative id (a CPU clock, checked when slept on, or a clock fd).
        private static bool IsKnown(Process process, int clock) => clock < 0 || TryRead(process, clock, out _);

        // Whether `clock` has an nsleep in Linux: not MONOTONIC_RAW, the _COARSE clocks,
        // THREAD_CPUTIME_ID or clock fds.
        private static bool CanSleepOn(int clock)
        {
            if (clock < 0)
                return !CpuClockId.IsClockFd(clock);
            return clock != ClockMonotonicRaw && clock != ClockRealtimeCoarse && clock != ClockMonotonicCoarse
                && clock != ClockThreadCputime;
        }

        // The Clock.Monotonic time a sleep of `requested` ns on `clock` ends at.
        private static ulong MonotonicDeadline(int clock, bool absolute, ulong requested)
        {
            if (!absolute)
                return SaturatingAdd(Clock.Monotonic, requested);
            bool wallClock = clock == ClockRealtime || clock == ClockRealtimeAlarm || clock == ClockTai;
            ulong offset = wallClock ? Clock.BootUnixNanoseconds : 0;
            return requested <= offset ? 0 : requested - offset;
        }

        // Sleeps until Clock.Monotonic reaches `deadline`, never less. The scheduler wakes
        // sleepers on ticks, so the sleep ends at the first tick past the deadline: at most
        // one tick late. 0, or -EINTR with the time that was left.
        private static long SleepOnMonotonic(ulong deadline, out ulong left)
        {
            while (true)
            {
                ulong now = Clock.Monotonic;
                left = deadline > now ? deadline - now : 0;
                if (left == 0)
                    return 0;
                if (!Scheduler.Sleep(WaitReason.Timer, WakeTick(left)))
                    return -(long)Errno.EINTR;
            }
        }

        // The tick to sleep until for `nanoseconds` to pass: ticks come every NanosecondsPerTick
        // at an unknown phase, so this wake is at most one tick late, and may come before
        // `nanoseconds` have passed (the sleeper then reads the clock and sleeps on).
        public static ulong WakeTick(ulong nanoseconds)
        {
            ulong ticks = PitTimer.Ticks;
            ulong count = nanoseconds / PitTimer.NanosecondsPerTick + 1;
            return count > ulong.MaxValue - ticks ? ulong.MaxValue : ticks + count;
        }

        // gettimeofday(tv, tz): CLOCK_REALTIME in microseconds to tv, and a zero struct
        // timezone to tz (no settimeofday ever set one); either may be NULL. 0 or -EFAULT.
        public static long Gettimeofday(Process process, ulong timeAddress, ulong zoneAddress)
        {
            ulong now = Clock.BootUnixNanoseconds + Clock.Monotonic;
            ulong* value = stackalloc ulong[2];
            value[0] = now / NanosecondsPerSecond;
            value[1] = now % NanosecondsPerSecond / NanosecondsPerMicrosecond;
            if (timeAddress != 0 && UserMemory.CopyToUser(process.Space, timeAddress, (byte*)value, 16) != Errno.None)
                return -(long)Errno.EFAULT;
            value[0] = 0;
            if (zoneAddress != 0 && UserMemory.CopyToUser(process.Space, zoneAddress, (byte*)value, 8) != Errno.None)
                return -(long)Errno.EFAULT;
            return 0;
        }

        // time(tloc): the seconds of CLOCK_REALTIME, also stored at tloc unless it is NULL.
        // The seconds, or -EFAULT.
        public static long Time(Process process, ulong target)
        {
            ulong seconds = (Clock.BootUnixNanoseconds + Clock.Monotonic) / NanosecondsPerSecond;
            if (target != 0 && UserMemory.CopyToUser(process.Space, target, (byte*)&seconds, 8) != Errno.None)
                return -(long)Errno.EFAULT;
            return (long)seconds;
        }

        // clock_gettime(clock, tp): 0, -EINVAL for an unknown clock, -EFAULT for a bad tp.
        public static long ClockGettime(Process process, int clock, ulong target)
        {
            ulong nanoseconds;
            if (!TryRead(process, clock, out nanoseconds))
                return -(long)Errno.EINVAL;
            return CopyTimespec(process, target, nanoseconds);
        }

        // clock_getres(clock, res): the step of `clock`, in *res unless res is NULL; -EINVAL
        // for an unknown clock, -EFAULT for a bad res.
        public static long ClockGetres(Process process, int clock, ulong target)
        {
            ulong nanoseconds;
            if (!TryResolution(process, clock, out nanoseconds))
                return -(long)Errno.EINVAL;
            return target == 0 ? 0 : CopyTimespec(process, target, nanoseconds);
        }

        // Writes `nanoseconds` as a struct timespec to `target`. 0 or -EFAULT.
        private static long CopyTimespec(Process process, ulong target, ulong nanoseconds)
        {
            ulong* time = stackalloc ulong[2];
            time[0] = nanoseconds / NanosecondsPerSecond;
            time[1] = nanoseconds % NanosecondsPerSecond;
            return UserMemory.CopyToUser(process.Space, target, (byte*)time, 16) == Errno.None ? 0 : -(long)Errno.EFAULT;
        }

        // The time of `clock` in nanoseconds, as `process` asks for it; false for an id
        // Linux rejects.
        private static bool TryRead(Process process, int clock, out ulong nanoseconds)
        {
            switch (clock)
            {
                case ClockRealtime:
                case ClockRealtimeAlarm:
                case ClockTai:
                    nanoseconds = Clock.BootUnixNanoseconds + Clock.Monotonic;
                    return true;
                case ClockRealtimeCoarse:
                    nanoseconds = Clock.BootUnixNanoseconds + Clock.MonotonicCoarse;
                    return true;
                case ClockMonotonic:
                case ClockMonotonicRaw:
                case ClockBoottime:
                case ClockBoottimeAlarm:
                    nanoseconds = Clock.Monotonic;
                    return true;
                case ClockMonotonicCoarse:
                    nanoseconds = Clock.MonotonicCoarse;
                    return true;
                case ClockProcessCputime:
                case ClockThreadCputime:
                    nanoseconds = CpuClockId.OwnSched(process);
                    return true;
                default:
                    return CpuClockId.TryRead(process, clock, out nanoseconds);
            }
        }

        // The step in which `clock` moves; false for an id TryRead rejects. CPU time moves
        // in the monotonic clock's steps (Linux reports 1 ns for its CPU clocks).
        private static bool TryResolution(Process process, int clock, out ulong nanoseconds)
        {
            switch (clock)
            {
                case ClockRealtime:
                case ClockRealtimeAlarm:
                case ClockTai:
                case ClockMonotonic:
                case ClockMonotonicRaw:
                case ClockBoottime:
                case ClockBoottimeAlarm:
                    nanoseconds = Clock.Resolution;
                    return true;
                case ClockRealtimeCoarse:
                case ClockMonotonicCoarse:
                    nanoseconds = Clock.CoarseResolution;
                    return true;
                case ClockProcessCputime:
                case ClockThreadCputime:
                    nanoseconds = Clock.Resolution;
                    return true;
                default:
                    nanoseconds = Clock.Resolution;
                    return CpuClockId.TryRead(process, clock, out _);
            }
        }
    }
}
