using Cowbird.Kernel.Drivers;
using Cowbird.Kernel.Processes;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // nanosleep and clock_gettime, on the 100 Hz PIT tick. Resolution 10 ms.
    //   - CLOCK_MONOTONIC, MONOTONIC_RAW, MONOTONIC_COARSE, BOOTTIME and BOOTTIME_ALARM
    //     count ticks since boot (Cowbird never suspends, so boot time is monotonic time);
    //   - CLOCK_REALTIME, REALTIME_COARSE, REALTIME_ALARM and TAI add the CMOS clock read
    //     at boot (TAI with offset 0: nothing sets one, as on a Linux no NTP daemon told);
    //   - the ALARM clocks work as on a Linux machine with an RTC (Cowbird has the CMOS one);
    //   - CPU-time clocks (PROCESS_CPUTIME_ID, THREAD_CPUTIME_ID, and the negative ids of
    //     CpuClockId) read the ticks the process spent in ring 3.
    // Any other id is EINVAL (10, SGI_CYCLE, is gone from Linux too).
    public static unsafe class TimeSyscalls
    {
        private const int ClockRealtime = 0, ClockMonotonic = 1, ClockProcessCputime = 2, ClockThreadCputime = 3,
            ClockMonotonicRaw = 4, ClockRealtimeCoarse = 5, ClockMonotonicCoarse = 6, ClockBoottime = 7,
            ClockRealtimeAlarm = 8, ClockBoottimeAlarm = 9, ClockTai = 11;
        private const ulong NanosecondsPerSecond = 1000000000;
        public const ulong NanosecondsPerTick = NanosecondsPerSecond / PitTimer.FrequencyHz;

        private static ulong s_bootUnixTime;

        public static void Initialize() => s_bootUnixTime = CmosRtc.ReadUnixTime();

        // nanosleep(req, rem): sleeps at least the requested time, rounded up to ticks. A
        // time too long to count in ticks sleeps until a signal ends it (Linux clamps it
        // to KTIME_MAX, about 292 years).
        public static long Nanosleep(Process process, ulong request, ulong remaining)
        {
            long* time = stackalloc long[2];
            if (UserMemory.CopyFromUser(process.Space, (byte*)time, request, 16) != Errno.None)
                return -(long)Errno.EFAULT;
            if (time[0] < 0 || time[1] < 0 || (ulong)time[1] >= NanosecondsPerSecond)
                return -(long)Errno.EINVAL;
            ulong wake = WakeTick((ulong)time[0], (ulong)time[1]);
            while (PitTimer.Ticks < wake)
                if (!Scheduler.Sleep(WaitReason.Timer, wake))
                    return -(long)Errno.EINTR;
            return 0;
        }

        // The tick at which a sleep of `seconds` + `nanoseconds` from now ends; ulong.MaxValue
        // (never) when it would not fit.
        private static ulong WakeTick(ulong seconds, ulong nanoseconds)
        {
            ulong now = PitTimer.Ticks;
            ulong partial = (nanoseconds + NanosecondsPerTick - 1) / NanosecondsPerTick;
            ulong limit = (ulong.MaxValue - now - partial) / PitTimer.FrequencyHz;
            if (seconds >= limit)
                return ulong.MaxValue;
            return now + seconds * PitTimer.FrequencyHz + partial;
        }

        // clock_gettime(clock, tp): 0, -EINVAL for an unknown clock, -EFAULT for a bad tp.
        public static long ClockGettime(Process process, int clock, ulong target)
        {
            ulong nanoseconds;
            if (!TryRead(process, clock, out nanoseconds))
                return -(long)Errno.EINVAL;
            ulong* time = stackalloc ulong[2];
            time[0] = nanoseconds / NanosecondsPerSecond;
            time[1] = nanoseconds % NanosecondsPerSecond;
            return UserMemory.CopyToUser(process.Space, target, (byte*)time, 16) == Errno.None ? 0 : -(long)Errno.EFAULT;
        }

        // The time of `clock` in nanoseconds, as `process` asks for it; false for an id
        // Linux rejects.
        private static bool TryRead(Process process, int clock, out ulong nanoseconds)
        {
            ulong uptime = PitTimer.Ticks * NanosecondsPerTick;
            switch (clock)
            {
                case ClockRealtime:
                case ClockRealtimeCoarse:
                case ClockRealtimeAlarm:
                case ClockTai:
                    nanoseconds = uptime + s_bootUnixTime * NanosecondsPerSecond;
                    return true;
                case ClockMonotonic:
                case ClockMonotonicRaw:
                case ClockMonotonicCoarse:
                case ClockBoottime:
                case ClockBoottimeAlarm:
                    nanoseconds = uptime;
                    return true;
                case ClockProcessCputime:
                case ClockThreadCputime:
                    nanoseconds = process.CpuTicks * NanosecondsPerTick;
                    return true;
                default:
                    return CpuClockId.TryRead(process, clock, out nanoseconds);
            }
        }
    }
}
