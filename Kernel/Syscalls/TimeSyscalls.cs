using Cowbird.Kernel.Drivers;
using Cowbird.Kernel.Processes;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // nanosleep and clock_gettime, on the 100 Hz PIT tick: CLOCK_MONOTONIC (and BOOTTIME,
    // MONOTONIC_RAW, the COARSE ones) count ticks since boot; CLOCK_REALTIME adds the
    // CMOS clock read at boot. Resolution 10 ms.
    public static unsafe class TimeSyscalls
    {
        private const int ClockRealtime = 0, ClockMonotonic = 1, ClockMonotonicRaw = 4,
            ClockRealtimeCoarse = 5, ClockMonotonicCoarse = 6, ClockBoottime = 7;
        private const ulong NanosecondsPerSecond = 1000000000;
        private const ulong NanosecondsPerTick = NanosecondsPerSecond / PitTimer.FrequencyHz;

        private static ulong s_bootUnixTime;

        public static void Initialize() => s_bootUnixTime = CmosRtc.ReadUnixTime();

        // nanosleep(req, rem): sleeps at least the requested time, rounded up to ticks.
        public static long Nanosleep(Process process, ulong request, ulong remaining)
        {
            long* time = stackalloc long[2];
            if (UserMemory.CopyFromUser(process.Space, (byte*)time, request, 16) != Errno.None)
                return -(long)Errno.EFAULT;
            if (time[0] < 0 || time[1] < 0 || (ulong)time[1] >= NanosecondsPerSecond)
                return -(long)Errno.EINVAL;
            ulong ticks = (ulong)time[0] * PitTimer.FrequencyHz + ((ulong)time[1] + NanosecondsPerTick - 1) / NanosecondsPerTick;
            ulong wake = PitTimer.Ticks + ticks;
            while (PitTimer.Ticks < wake)
                if (!Scheduler.Sleep(WaitReason.Timer, wake))
                    return -(long)Errno.EINTR;
            return 0;
        }

        public static long ClockGettime(Process process, int clock, ulong target)
        {
            ulong ticks = PitTimer.Ticks;
            ulong seconds = ticks / PitTimer.FrequencyHz;
            ulong nanoseconds = (ticks % PitTimer.FrequencyHz) * NanosecondsPerTick;
            if (clock == ClockRealtime || clock == ClockRealtimeCoarse)
                seconds += s_bootUnixTime;
            else if (clock != ClockMonotonic && clock != ClockMonotonicRaw && clock != ClockMonotonicCoarse && clock != ClockBoottime)
                return -(long)Errno.EINVAL;
            ulong* time = stackalloc ulong[2];
            time[0] = seconds;
            time[1] = nanoseconds;
            return UserMemory.CopyToUser(process.Space, target, (byte*)time, 16) == Errno.None ? 0 : -(long)Errno.EFAULT;
        }
    }
}
