using Cowbird.Kernel.Drivers;
using Cowbird.Kernel.Syscalls;
using Cowbird.Kernel.Time;

namespace Cowbird.Kernel.Processes
{
    // One POSIX timer (Linux: struct k_itimer), on Clock.Monotonic: timer_settime turns an
    // absolute wall-clock time into monotonic time (nothing ever sets the wall clock).
    public sealed class PosixTimer
    {
        public int Id;
        // The clock timer_create named (timer_settime's TIMER_ABSTIME values are its times).
        public int ClockId;
        // SIGEV_NONE: the timer runs but never fires; timer_gettime still reads it.
        public bool NoSignal;
        public int Signal;
        // sigev_value, handed to the handler as si_value.
        public ulong Value;
        // The Clock.Monotonic ns it expires at, kept after it fired (the next expiry is an
        // interval later).
        public ulong Expires;
        public ulong Interval;
        // Armed and not fired yet (never for SIGEV_NONE).
        public bool Active;
        // Linux's it_requeue_pending: odd from a periodic expiry until its signal is taken
        // (then the timer is armed again); timer_settime moves it on by 2, so the signal of
        // an earlier setting re-arms nothing.
        public int Requeue;
        // Expiries missed since the last signal taken, minus one (Linux's it_overrun), and
        // the count the last taken signal reported (it_overrun_last: timer_getoverrun).
        public long Overrun = -1;
        public long OverrunLast;
    }

    // A process's POSIX timers (Linux: kernel/time/posix-timers.c, signal_struct's
    // posix_timers and posix_timer_id), and what fires them: the timer tick.
    //   - Ids count up from 0 in each process and are not reused until they wrap; a
    //     timer_create that fails after taking an id (a bad sigevent, a bad pointer) still
    //     uses it up, as on Linux.
    //   - An expiry sends the timer's signal (si_code SI_TIMER, si_timerid, si_value). As in
    //     Linux a periodic timer is armed again only when the process takes the signal
    //     (SignalTaken), which reports the expiries missed meanwhile as si_overrun and
    //     timer_getoverrun's count; an expiry while the signal still waits adds to its
    //     si_overrun. A signal the process ignores is not sent, and a periodic timer then
    //     moves on at once, counting its overruns.
    //   - A process has one pending instance of each signal: a timer's signal that finds the
    //     same signal pending from another sender is lost (Linux queues it).
    // fork gives the child no timers and ids from 0; execve and exit delete them.
    public sealed class PosixTimers
    {
        // SI_TIMER: the si_code of a timer's signal.
        public const int SiTimer = -2;

        private PosixTimer[] timers;
        private int count;
        private int nextId;

        // The earliest expiry any process's active timer may have: ticks before it look at no
        // process (as IntervalTimers' ITIMER_REAL).
        private static ulong s_nextExpiry = ulong.MaxValue;

        public int Count => count;

        // The timer with `id`, or null.
        public PosixTimer Find(int id)
        {
            for (int i = 0; i < count; i++)
                if (timers[i].Id == id)
                    return timers[i];
            return null;
        }

        // The next free id (Linux's posix_timer_add): the counter, skipping ids in use and
        // wrapping from int.MaxValue to 0; -1 when every id is in use.
        public int TakeId()
        {
            int first = nextId;
            do
            {
                int id = nextId;
                nextId = nextId == int.MaxValue ? 0 : nextId + 1;
                if (Find(id) == null)
                    return id;
            }
            while (nextId != first);
            return -1;
        }

        public void Add(PosixTimer timer)
        {
            if (timers == null || count == timers.Length)
            {
                PosixTimer[] bigger = new PosixTimer[count == 0 ? 4 : count * 2];
                for (int i = 0; i < count; i++)
                    bigger[i] = timers[i];
                timers = bigger;
            }
            timers[count++] = timer;
        }

        public void Remove(PosixTimer timer)
        {
            for (int i = 0; i < count; i++)
                if (timers[i] == timer)
                {
                    timers[i] = timers[--count];
                    timers[count] = null;
                    return;
                }
        }

        // Deletes every timer (execve, exit); the id counter goes on.
        public void RemoveAll()
        {
            for (int i = 0; i < count; i++)
                timers[i] = null;
            count = 0;
        }

        // Arms `timer` to expire at monotonic `expires`, then every `interval` ns, or with
        // `disarm` turns it off (Linux's common_timer_set, once the old setting was read).
        public static void Arm(PosixTimer timer, bool disarm, ulong expires, ulong interval)
        {
            timer.Interval = 0;
            timer.Active = false;
            timer.Requeue = (timer.Requeue + 2) & ~1;
            timer.OverrunLast = 0;
            if (disarm)
                return;
            timer.Interval = interval;
            timer.Expires = expires;
            timer.Active = !timer.NoSignal;
            if (timer.Active && expires < s_nextExpiry)
                s_nextExpiry = expires;
        }

        // The time left and the interval, in ns (Linux's common_timer_get): a periodic timer
        // whose signal waits, or a SIGEV_NONE one, is moved past now first (counting
        // overruns); an expired timer reads 1 ns while its signal may still come, a
        // SIGEV_NONE one 0; a disarmed or spent one-shot timer reads 0.
        public static void Read(PosixTimer timer, out ulong value, out ulong interval)
        {
            value = 0;
            interval = timer.Interval;
            if (timer.Interval == 0 && !timer.Active && !timer.NoSignal)
                return;
            ulong now = Clock.Monotonic;
            if (timer.Interval != 0 && ((timer.Requeue & 1) != 0 || timer.NoSignal))
                timer.Overrun += (long)IntervalTimers.Forward(ref timer.Expires, now, timer.Interval);
            if (timer.Expires > now)
                value = timer.Expires - now;
            else if (!timer.NoSignal)
                value = 1;
        }

        // timer_getoverrun's answer: the last taken signal's overrun count, at most int.MaxValue.
        public static int OverrunCount(PosixTimer timer, long baseCount) =>
            timer.OverrunLast + baseCount > int.MaxValue ? int.MaxValue : (int)(timer.OverrunLast + baseCount);

        // `process` took pending `signal` whose siginfo is `info` (Linux's posixtimer_rearm):
        // a timer's periodic signal of its current setting arms it again past now, and the
        // expiries missed become the signal's si_overrun and timer_getoverrun's count.
        public static void SignalTaken(Process process, ref SignalFrame.Info info)
        {
            if (!info.IsTimer)
                return;
            PosixTimer timer = process.PosixTimers.Find(info.TimerId);
            if (timer == null || timer.Interval == 0 || timer.Requeue != info.TimerPrivate)
                return;
            timer.Overrun += (long)IntervalTimers.Forward(ref timer.Expires, Clock.Monotonic, timer.Interval);
            timer.Active = true;
            timer.OverrunLast = timer.Overrun;
            timer.Overrun = -1;
            timer.Requeue++;
            info.Overrun = OverrunCount(timer, info.Overrun);
            if (timer.Expires < s_nextExpiry)
                s_nextExpiry = timer.Expires;
        }

        // One timer tick (interrupt context): fires every active timer whose expiry has passed
        // and finds the next expiry to come.
        public static void OnTick()
        {
            ulong now = Clock.Monotonic;
            if (now < s_nextExpiry)
                return;
            ulong next = ulong.MaxValue;
            for (int i = 0; i < ProcessTable.MaxThreads; i++)
            {
                Process process = ProcessTable.At(i);
                if (process == null)
                    continue;
                PosixTimers own = process.PosixTimers;
                for (int t = 0; t < own.count; t++)
                {
                    PosixTimer timer = own.timers[t];
                    if (timer.Active && timer.Expires <= now)
                        Fire(process, timer, now);
                    if (timer.Active && timer.Expires < next)
                        next = timer.Expires;
                }
            }
            s_nextExpiry = next;
        }

        // Linux's posix_timer_fn: the timer expired. Its signal goes out; one the process
        // ignores is not sent, and a periodic timer then moves on at once, at least a tick
        // ahead.
        private static void Fire(Process process, PosixTimer timer, ulong now)
        {
            timer.Active = false;
            int requeue = 0;
            if (timer.Interval != 0)
                requeue = ++timer.Requeue;
            if (Send(process, timer, requeue) || timer.Interval == 0)
                return;
            ulong from = timer.Interval < PitTimer.NanosecondsPerTick ? now + PitTimer.NanosecondsPerTick : now;
            timer.Overrun += (long)IntervalTimers.Forward(ref timer.Expires, from, timer.Interval);
            timer.Requeue++;
            timer.Active = true;
        }

        // Linux's send_sigqueue: false when the process ignores the signal (nothing is sent).
        // A signal of this timer already pending counts one more overrun instead.
        private static bool Send(Process process, PosixTimer timer, int requeue)
        {
            int signal = timer.Signal;
            ref SignalFrame.Info pending = ref process.PendingInfo[signal];
            if ((process.PendingSignals & Signal.Bit(signal)) != 0 && pending.IsTimer && pending.TimerId == timer.Id)
            {
                pending.Overrun++;
                pending.TimerPrivate = requeue;
                return true;
            }
            SignalFrame.Info info = default;
            info.Code = SiTimer;
            info.IsTimer = true;
            info.TimerId = timer.Id;
            info.TimerPrivate = requeue;
            info.Value = timer.Value;
            return SignalDelivery.Send(process, signal, info);
        }

        // execve: every timer goes, and so do their pending signals (Linux's exit_itimers and
        // flush_itimer_signals).
        public static void ForgetOnExec(Process process)
        {
            process.PosixTimers.RemoveAll();
            for (int signal = 1; signal <= Signal.Count; signal++)
                if ((process.PendingSignals & Signal.Bit(signal)) != 0 && process.PendingInfo[signal].IsTimer)
                    process.PendingSignals &= ~Signal.Bit(signal);
        }
    }
}
