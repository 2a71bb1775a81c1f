using Cowbird.Kernel.Processes;
using Cowbird.Kernel.Time;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // timer_create, timer_settime, timer_gettime, timer_getoverrun and timer_delete (Linux:
    // kernel/time/posix-timers.c) on the process's PosixTimers, for the clocks that run on
    // Clock.Monotonic: REALTIME, MONOTONIC, BOOTTIME, TAI and the ALARM ones. A timer id that
    // names none of the caller's timers is EINVAL. Values travel as struct itimerspec
    // (it_interval, then it_value, each a struct timespec).
    public static unsafe class PosixTimerSyscalls
    {
        private const int ClockRealtime = 0, ClockMonotonic = 1, ClockMonotonicRaw = 4, ClockRealtimeCoarse = 5, ClockMonotonicCoarse = 6, ClockBoottime = 7,
            ClockRealtimeAlarm = 8, ClockBoottimeAlarm = 9, ClockTai = 11;
        private const int SigevSignal = 0, SigevNone = 1, SigevThread = 2, SigevThreadId = 4;
        private const int TimerAbstime = 1;
        // struct sigevent: sigev_value (8 bytes), sigev_signo, sigev_notify, then the union
        // whose first int is the thread id of SIGEV_THREAD_ID; 64 bytes in all.
        private const int SigeventSize = 64;
        private const ulong ItimerspecSize = 32;

        // timer_create(clock, sevp, timerid), in Linux's order: sevp is read (EFAULT); an
        // unknown clock is EINVAL, a clock without timers (MONOTONIC_RAW, the COARSE ones)
        // EOPNOTSUPP; more timers than the soft RLIMIT_SIGPENDING EAGAIN; then an id is
        // taken, sevp checked (EINVAL: a notification other than SIGEV_SIGNAL, SIGEV_NONE,
        // SIGEV_THREAD (a signal, as the kernel sees it) or SIGEV_THREAD_ID naming the
        // caller, or a signal outside 1..64), and the id written (EFAULT). A NULL sevp means
        // SIGALRM with the timer id as si_value. The timer starts disarmed.
        // The CPU-time clocks have no timers in Cowbird: EINVAL.
        public static long TimerCreate(Process process, int clock, ulong eventAddress, ulong idAddress)
        {
            byte* sigevent = stackalloc byte[SigeventSize];
            if (eventAddress != 0 && UserMemory.CopyFromUser(process.Space, sigevent, eventAddress, SigeventSize) != Errno.None)
                return -(long)Errno.EFAULT;
            long clockError = CheckClock(clock);
            if (clockError != 0)
                return clockError;
            if ((ulong)process.PosixTimers.Count >= process.Limits.Soft(ResourceLimits.PendingSignals))
                return -(long)Errno.EAGAIN;
            int id = process.PosixTimers.TakeId();
            if (id < 0)
                return -(long)Errno.EAGAIN;
            PosixTimer timer = new PosixTimer();
            timer.Id = id;
            timer.Signal = Signal.SIGALRM;
            timer.Value = (ulong)id;
            if (eventAddress != 0 && !TakeEvent(process, timer, sigevent))
                return -(long)Errno.EINVAL;
            if (UserMemory.CopyToUser(process.Space, idAddress, (byte*)&id, sizeof(int)) != Errno.None)
                return -(long)Errno.EFAULT;
            timer.ClockId = clock;
            process.PosixTimers.Add(timer);
            return 0;
        }

        // 0 for a clock with timers, -EOPNOTSUPP for a known clock without, else -EINVAL.
        private static long CheckClock(int clock)
        {
            switch (clock)
            {
                case ClockRealtime:
                case ClockMonotonic:
                case ClockBoottime:
                case ClockRealtimeAlarm:
                case ClockBoottimeAlarm:
                case ClockTai:
                    return 0;
                case ClockMonotonicRaw:
                case ClockRealtimeCoarse:
                case ClockMonotonicCoarse:
                    return -(long)Errno.EOPNOTSUPP;
                default:
                    return -(long)Errno.EINVAL;
            }
        }

        // Linux's good_sigevent: fills `timer` from struct sigevent; false for one it refuses.
        private static bool TakeEvent(Process process, PosixTimer timer, byte* sigevent)
        {
            int signal = *(int*)(sigevent + 8), notify = *(int*)(sigevent + 12);
            if (notify == SigevThreadId && *(int*)(sigevent + 16) != process.Pid)
                return false;
            if (notify != SigevSignal && notify != SigevNone && notify != SigevThread && notify != SigevThreadId)
                return false;
            if (notify != SigevNone && !Signal.IsValid(signal))
                return false;
            timer.NoSignal = notify == SigevNone;
            timer.Signal = signal;
            timer.Value = *(ulong*)sigevent;
            return true;
        }

        // timer_settime(timerid, flags, new, old): EINVAL for a NULL new, EFAULT, EINVAL for a
        // timespec with tv_sec < 0 or tv_nsec outside 0..999999999, EINVAL for an unknown
        // timer; then the old setting (as timer_gettime reads it) is written (EFAULT after the
        // change). A zero it_value disarms; TIMER_ABSTIME makes it_value a time of the
        // timer's clock, otherwise it counts from now.
        public static long TimerSettime(Process process, int id, int flags, ulong newAddress, ulong oldAddress)
        {
            if (newAddress == 0)
                return -(long)Errno.EINVAL;
            long* spec = stackalloc long[4];
            if (UserMemory.CopyFromUser(process.Space, (byte*)spec, newAddress, ItimerspecSize) != Errno.None)
                return -(long)Errno.EFAULT;
            if (!IsValid(spec[0], spec[1]) || !IsValid(spec[2], spec[3]))
                return -(long)Errno.EINVAL;
            PosixTimer timer = process.PosixTimers.Find(id);
            if (timer == null)
                return -(long)Errno.EINVAL;
            PosixTimers.Read(timer, out ulong oldValue, out ulong oldInterval);
            ulong interval = TimeSyscalls.Saturate((ulong)spec[0], (ulong)spec[1]);
            ulong value = TimeSyscalls.Saturate((ulong)spec[2], (ulong)spec[3]);
            PosixTimers.Arm(timer, value == 0, Expiry(timer.ClockId, (flags & TimerAbstime) != 0, value), interval);
            return oldAddress == 0 ? 0 : CopyOut(process, oldAddress, oldValue, oldInterval);
        }

        private static bool IsValid(long seconds, long nanoseconds) =>
            seconds >= 0 && (ulong)nanoseconds < Clock.NanosecondsPerSecond;

        // The Clock.Monotonic time a setting of `value` ns expires at: from now, or, with
        // `absolute`, a time of `clock` (a wall-clock time before boot: at once).
        private static ulong Expiry(int clock, bool absolute, ulong value)
        {
            if (!absolute)
                return TimeSyscalls.SaturatingAdd(Clock.Monotonic, value);
            bool wallClock = clock == ClockRealtime || clock == ClockRealtimeAlarm || clock == ClockTai;
            ulong offset = wallClock ? Clock.BootUnixNanoseconds : 0;
            return value <= offset ? 0 : value - offset;
        }

        // timer_gettime(timerid, curr): the time left and the interval (PosixTimers.Read).
        // EINVAL for an unknown timer, EFAULT for a bad curr.
        public static long TimerGettime(Process process, int id, ulong target)
        {
            PosixTimer timer = process.PosixTimers.Find(id);
            if (timer == null)
                return -(long)Errno.EINVAL;
            PosixTimers.Read(timer, out ulong value, out ulong interval);
            return CopyOut(process, target, value, interval);
        }

        // timer_getoverrun(timerid): the expiries the last taken signal of the timer missed.
        public static long TimerGetoverrun(Process process, int id)
        {
            PosixTimer timer = process.PosixTimers.Find(id);
            return timer == null ? -(long)Errno.EINVAL : PosixTimers.OverrunCount(timer, 0);
        }

        // timer_delete(timerid): the timer stops and its id may be used again; a signal of it
        // already pending stays pending. EINVAL for an unknown timer.
        public static long TimerDelete(Process process, int id)
        {
            PosixTimer timer = process.PosixTimers.Find(id);
            if (timer == null)
                return -(long)Errno.EINVAL;
            process.PosixTimers.Remove(timer);
            return 0;
        }

        // Writes a struct itimerspec of `value` and `interval` ns to `target`. 0 or -EFAULT.
        private static long CopyOut(Process process, ulong target, ulong value, ulong interval)
        {
            ulong* fields = stackalloc ulong[4];
            fields[0] = interval / Clock.NanosecondsPerSecond;
            fields[1] = interval % Clock.NanosecondsPerSecond;
            fields[2] = value / Clock.NanosecondsPerSecond;
            fields[3] = value % Clock.NanosecondsPerSecond;
            return UserMemory.CopyToUser(process.Space, target, (byte*)fields, ItimerspecSize) == Errno.None ? 0 : -(long)Errno.EFAULT;
        }
    }
}
