using Cowbird.Kernel.Drivers;
using Cowbird.Kernel.Processes;
using Cowbird.Kernel.Time;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // nanosleep, clock_gettime and clock_getres, on Time/Clock.cs (nanoseconds from the
    // calibrated TSC, or 10 ms PIT ticks without one):
    //   - CLOCK_MONOTONIC, MONOTONIC_RAW, BOOTTIME and BOOTTIME_ALARM are Clock.Monotonic
    //     (Cowbird never suspends, so boot time is monotonic time, and nothing slews it);
    //   - CLOCK_REALTIME, REALTIME_ALARM and TAI add the CMOS clock read at boot (TAI with
    //     offset 0: nothing sets one, as on a Linux no NTP daemon told);
    //   - the _COARSE clocks are the same time lines rounded down to a tick, as Linux's are
    //     the time at the last tick;
    //   - the ALARM clocks work as on a Linux machine with an RTC (Cowbird has the CMOS one);
    //   - CPU-time clocks (PROCESS_CPUTIME_ID, THREAD_CPUTIME_ID, and the negative ids of
    //     CpuClockId) read the ticks the process spent in ring 3.
    // Any other id is EINVAL (10, SGI_CYCLE, is gone from Linux too).
    public static unsafe class TimeSyscalls
    {
        private const int ClockRealtime = 0, ClockMonotonic = 1, ClockProcessCputime = 2, ClockThreadCputime = 3,
            ClockMonotonicRaw = 4, ClockRealtimeCoarse = 5, ClockMonotonicCoarse = 6, ClockBoottime = 7,
            ClockRealtimeAlarm = 8, ClockBoottimeAlarm = 9, ClockTai = 11;
        private const ulong NanosecondsPerSecond = Clock.NanosecondsPerSecond;

        // nanosleep(req, rem): sleeps until Clock.Monotonic has passed now + req, never less.
        // The scheduler wakes sleepers on ticks, so the sleep ends at the first tick past the
        // deadline: at most one tick late. A deadline past 2^64 ns (584 years) is never
        // reached and the sleep lasts until a signal ends it (Linux clamps it to KTIME_MAX,
        // about 292 years).
        public static long Nanosleep(Process process, ulong request, ulong remaining)
        {
            long* time = stackalloc long[2];
            if (UserMemory.CopyFromUser(process.Space, (byte*)time, request, 16) != Errno.None)
                return -(long)Errno.EFAULT;
            if (time[0] < 0 || time[1] < 0 || (ulong)time[1] >= NanosecondsPerSecond)
                return -(long)Errno.EINVAL;
            ulong deadline = Deadline((ulong)time[0], (ulong)time[1]);
            while (true)
            {
                ulong now = Clock.Monotonic;
                if (now >= deadline)
                    return 0;
                if (!Scheduler.Sleep(WaitReason.Timer, WakeTick(deadline - now)))
                    return -(long)Errno.EINTR;
            }
        }

        // Clock.Monotonic + `seconds` + `nanoseconds`; ulong.MaxValue (never) when it would not fit.
        private static ulong Deadline(ulong seconds, ulong nanoseconds)
        {
            ulong start = Clock.Monotonic + nanoseconds;
            if (seconds > (ulong.MaxValue - start) / NanosecondsPerSecond)
                return ulong.MaxValue;
            return start + seconds * NanosecondsPerSecond;
        }

        // The tick to sleep until for `nanoseconds` to pass: ticks come every NanosecondsPerTick
        // at an unknown phase, so this wake is at most one tick late, and may come before
        // `nanoseconds` have passed (the sleeper then reads the clock and sleeps on).
        private static ulong WakeTick(ulong nanoseconds)
        {
            ulong ticks = PitTimer.Ticks;
            ulong count = nanoseconds / PitTimer.NanosecondsPerTick + 1;
            return count > ulong.MaxValue - ticks ? ulong.MaxValue : ticks + count;
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
                    nanoseconds = process.CpuTicks * PitTimer.NanosecondsPerTick;
                    return true;
                default:
                    return CpuClockId.TryRead(process, clock, out nanoseconds);
            }
        }

        // The step in which `clock` moves; false for an id TryRead rejects. CPU time is
        // counted in ticks (Linux reports 1 ns for its SCHED CPU clocks, which count cycles).
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
                    nanoseconds = PitTimer.NanosecondsPerTick;
                    return true;
                default:
                    nanoseconds = PitTimer.NanosecondsPerTick;
                    return CpuClockId.TryRead(process, clock, out _);
            }
        }
    }
}
