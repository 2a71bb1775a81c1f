using Cowbird.Kernel.Drivers;
using Cowbird.Kernel.Syscalls;
using Cowbird.Kernel.Time;

namespace Cowbird.Kernel.Processes
{
    // A process's three interval timers (Linux: kernel/time/itimer.c, the real_timer,
    // it_real_incr and it[] of signal_struct), and what fires them: the timer tick.
    //
    //   - ITIMER_REAL counts Clock.Monotonic time and sends SIGALRM. As in Linux, an
    //     expiry disarms it and sends the signal; a periodic timer is armed again, one
    //     interval after the last expiry and past now, only when the process takes the
    //     SIGALRM off its pending set (RealSignalTaken). So while SIGALRM stays blocked the
    //     timer reads as disarmed, and with SIGALRM ignored a periodic timer fires once.
    //   - ITIMER_VIRTUAL counts the process's user time and sends SIGVTALRM; ITIMER_PROF
    //     counts user + system time and sends SIGPROF. Their expiries are absolute CPU
    //     times (0: off); one that has passed is moved on by its interval, or turned off,
    //     and sends its signal. They are checked on the ticks that interrupt the process in
    //     ring 3 (kernel code runs with interrupts off, so a tick never lands inside it).
    // Every expiry is a signal from the kernel (si_code SI_KERNEL), at the first tick past
    // the expiry: at most one tick late, never early. fork gives the child none of them,
    // execve keeps them, exit turns them off.
    public sealed class IntervalTimers
    {
        // What getitimer reads for an ITIMER_REAL expiry the tick has not yet seen: 1 µs.
        private const ulong MinimumRemaining = 1000;

        // One CPU-time timer (Linux: struct cpu_itimer).
        public struct CpuTimer
        {
            public ulong Expires;    // the CPU time it fires at, ns; 0: off
            public ulong Interval;   // ns added at each expiry; 0: one shot
        }

        // The ITIMER_REAL expiry in Clock.Monotonic ns, kept after it fires (the next one is
        // an interval after it); RealArmed while it has not fired yet.
        public ulong RealExpires;
        public bool RealArmed;
        public ulong RealInterval;
        public CpuTimer Virtual;
        public CpuTimer Prof;

        // The earliest ITIMER_REAL expiry any process may have armed: ticks before it look
        // at no process. It may be earlier than every armed timer (one was turned off), which
        // costs one scan of the process table.
        private static ulong s_nextRealExpiry = ulong.MaxValue;

        // Arms ITIMER_REAL to fire `value` ns from now (0: disarms it), then `interval` ns
        // apart.
        public void SetReal(ulong value, ulong interval)
        {
            RealArmed = value != 0;
            RealInterval = RealArmed ? interval : 0;
            if (!RealArmed)
                return;
            RealExpires = TimeSyscalls.SaturatingAdd(Clock.Monotonic, value);
            if (RealExpires < s_nextRealExpiry)
                s_nextRealExpiry = RealExpires;
        }

        // The ns left until ITIMER_REAL fires: 0 when it is not armed, at least 1 µs when it
        // is (Linux's itimer_get_remtime: an expiry the tick has not yet seen reads 1 µs).
        public ulong RealRemaining()
        {
            if (!RealArmed)
                return 0;
            ulong now = Clock.Monotonic;
            return RealExpires > now ? RealExpires - now : MinimumRemaining;
        }

        // Turns every timer off (the process exits).
        public void DisarmAll()
        {
            RealArmed = false;
            RealInterval = 0;
            Virtual = default;
            Prof = default;
        }

        // `process` took a pending SIGALRM (it is delivered, discarded, or waited for): a
        // periodic ITIMER_REAL that has fired is armed again at the first multiple of its
        // interval after the last expiry that is still to come (Linux's dequeue_signal with
        // hrtimer_forward).
        public static void RealSignalTaken(Process process, int signal)
        {
            IntervalTimers timers = process.Timers;
            if (signal != Signal.SIGALRM || timers.RealArmed || timers.RealInterval == 0)
                return;
            Forward(ref timers.RealExpires, Clock.Monotonic, timers.RealInterval);
            timers.RealArmed = true;
            if (timers.RealExpires < s_nextRealExpiry)
                s_nextRealExpiry = timers.RealExpires;
        }

        // Moves an expiry that `now` has reached on by whole `interval`s until it is past now
        // (Linux's hrtimer_forward); the number of intervals added, 0 for an expiry still to
        // come.
        public static ulong Forward(ref ulong expires, ulong now, ulong interval)
        {
            if (now < expires)
                return 0;
            ulong count = (now - expires) / interval;
            expires += count * interval;
            if (expires <= now)
            {
                expires = TimeSyscalls.SaturatingAdd(expires, interval);
                count++;
            }
            return count;
        }

        // One timer tick (interrupt context): the interrupted process's CPU timers when the
        // tick came from ring 3, then every ITIMER_REAL whose expiry has passed.
        public static void OnTick(bool fromUserMode)
        {
            Process current = Scheduler.Current;
            if (fromUserMode && current != null)
            {
                CheckCpuTimer(current, ref current.Timers.Prof, current.Usage.CpuTotal, Signal.SIGPROF);
                CheckCpuTimer(current, ref current.Timers.Virtual, current.Usage.User, Signal.SIGVTALRM);
            }
            ulong now = Clock.Monotonic;
            if (now >= s_nextRealExpiry)
                FireRealTimers(now);
        }

        // Linux's check_cpu_itimer: a timer whose expiry `cpuTime` has reached moves on by its
        // interval (or turns off) and sends `signal`.
        private static void CheckCpuTimer(Process process, ref CpuTimer timer, ulong cpuTime, int signal)
        {
            if (timer.Expires == 0 || cpuTime < timer.Expires)
                return;
            timer.Expires = timer.Interval != 0 ? timer.Expires + timer.Interval : 0;
            SignalDelivery.Send(process, signal, 0, SignalDelivery.SiKernel);
        }

        // Fires every armed ITIMER_REAL whose expiry is at or before `now` and finds the next
        // expiry to come.
        private static void FireRealTimers(ulong now)
        {
            ulong next = ulong.MaxValue;
            for (int i = 0; i < ProcessTable.MaxThreads; i++)
            {
                Process process = ProcessTable.At(i);
                if (process == null || !process.Timers.RealArmed)
                    continue;
                if (process.Timers.RealExpires <= now)
                {
                    process.Timers.RealArmed = false;
                    SignalDelivery.Send(process, Signal.SIGALRM, 0, SignalDelivery.SiKernel);
                }
                if (process.Timers.RealArmed && process.Timers.RealExpires < next)
                    next = process.Timers.RealExpires;
            }
            s_nextRealExpiry = next;
        }

        // A CPU timer's time left from `cpuTime`, as Linux's get_cpu_itimer and
        // set_process_cpu_timer report it: an expiry already passed (the tick has not seen
        // it yet) reads one tick.
        public static ulong CpuRemaining(CpuTimer timer, ulong cpuTime)
        {
            if (timer.Expires == 0)
                return 0;
            return timer.Expires > cpuTime ? timer.Expires - cpuTime : PitTimer.NanosecondsPerTick;
        }
    }
}
