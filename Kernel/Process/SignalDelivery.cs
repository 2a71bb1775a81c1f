namespace Cowbird.Kernel.Processes
{
    // Sending signals to a process and acting on them (Linux: kernel/signal.c, prepare_signal,
    // complete_signal, get_signal, do_signal_stop), for processes of one thread.
    //
    // Rules, as Linux's:
    //   - Sending: SIGCONT continues a stopped process and discards pending stop signals, and
    //     a stop signal discards a pending SIGCONT, whatever their actions and the mask. Then a
    //     signal that its action ignores is dropped, unless it is blocked (the action may change
    //     before it is unblocked). Otherwise it is pending: one bit, so a second instance of a
    //     pending signal is lost.
    //   - A pending unblocked signal wakes a sleeping process; a stopped one only for SIGKILL
    //     (other signals wait for SIGCONT). An unblocked SIGKILL, or a terminating signal at
    //     SIG_DFL without a core dump, decides the death already when sent (PendingKill): a
    //     later signal does not change it.
    //   - Acting (HandlePending, on the way back to ring 3 and in sleeps): lowest number first.
    //     Ignored signals are discarded, a stop signal stops the process there and then, and a
    //     terminating one becomes PendingKill, which the caller dies of.
    //   - A stop or continue is reported to the parent's wait4 (WUNTRACED, WCONTINUED): the
    //     parent is woken, and SIGCHLD is sent unless its action has SA_NOCLDSTOP.
    //   - Handlers are not called (there are no signal frames yet): a caught signal gets its
    //     default action.
    //   - SIGTSTP, SIGTTIN and SIGTTOU stop the process. Cowbird has no process groups yet: its
    //     one group counts as a shell's job, not as an orphaned group (where Linux discards them).
    public static class SignalDelivery
    {
        private const ulong SaNoCldStop = 1;

        // Sends `signal` (1..64) to `target`, as kill() does.
        public static void Send(Process target, int signal)
        {
            if (target.IsZombie)
                return;
            ulong bit = Signal.Bit(signal);
            if (Signal.IsStop(signal))
                target.PendingSignals &= ~Signal.Bit(Signal.SIGCONT);
            else if (signal == Signal.SIGCONT)
            {
                target.PendingSignals &= ~Signal.StopSignals;
                if (target.State == ProcessState.Stopped)
                    Continue(target);
            }
            bool blocked = (target.SignalMask & bit) != 0;
            if (!blocked && Ignores(target, signal))
                return;
            target.PendingSignals |= bit;
            if (blocked || (target.State == ProcessState.Stopped && signal != Signal.SIGKILL))
                return;
            if (target.PendingKill == 0 && (signal == Signal.SIGKILL
                || (Signal.TerminatesWithoutCore(signal) && target.SignalActions[signal].Handler == Signal.SigDfl)))
            {
                target.PendingKill = signal;
                target.StopReport = 0;
                target.ContinueReport = false;
            }
            if (target.State == ProcessState.Stopped)
                Scheduler.MakeRunnable(target);
            else
                Scheduler.Wake(target);
        }

        // Acts on the current process's pending unblocked signals, lowest first, until none is
        // left or one is fatal (then PendingKill is set and stays set: the caller ends the
        // process). May stop the process: it returns once SIGCONT or SIGKILL arrives.
        public static void HandlePending(Process current)
        {
            while (current.PendingKill == 0)
            {
                int signal = LowestDeliverable(current);
                if (signal == 0)
                    return;
                current.PendingSignals &= ~Signal.Bit(signal);
                if (Ignores(current, signal))
                    continue;
                if (Signal.IsStop(signal))
                    Stop(current, signal);
                else
                    current.PendingKill = signal;
            }
        }

        // HandlePending, then the end of the process if a signal is fatal. Before every return
        // to ring 3.
        public static void ActOnPending(Process current)
        {
            HandlePending(current);
            if (current.PendingKill != 0)
                ProcessLifecycle.Exit(current, Signal.KilledStatus(current.PendingKill));
        }

        // rt_sigaction installed a new action for `signal`: a pending instance that the action
        // now ignores is discarded, blocked or not (POSIX, as Linux's do_sigaction).
        public static void ActionChanged(Process process, int signal)
        {
            if (Signal.HandlerIgnores(process.SignalActions[signal].Handler, signal))
                process.PendingSignals &= ~Signal.Bit(signal);
        }

        // Whether the action of `signal` in `process` is to ignore it. A handler counts as the
        // default action, since handlers are not called.
        private static bool Ignores(Process process, int signal) =>
            process.SignalActions[signal].Handler == Signal.SigIgn
            || (Signal.IgnoredByDefault & Signal.Bit(signal)) != 0;

        private static int LowestDeliverable(Process process)
        {
            ulong deliverable = process.PendingSignals & ~process.SignalMask;
            for (int signal = 1; signal <= Signal.Count; signal++)
                if ((deliverable & Signal.Bit(signal)) != 0)
                    return signal;
            return 0;
        }

        // Stops the current process for `signal` until SIGCONT or SIGKILL makes it runnable.
        private static void Stop(Process current, int signal)
        {
            current.State = ProcessState.Stopped;
            current.StopReport = signal;
            current.ContinueReport = false;
            NotifyParentOfStopOrContinue(current);
            Scheduler.Schedule();
        }

        // SIGCONT arrived for the stopped `target`: it runs again, and its parent may learn so.
        private static void Continue(Process target)
        {
            target.StopReport = 0;
            target.ContinueReport = true;
            Scheduler.MakeRunnable(target);
            NotifyParentOfStopOrContinue(target);
        }

        // Linux's do_notify_parent_cldstop: wakes a parent in wait4, and sends it SIGCHLD
        // unless its SIGCHLD action has SA_NOCLDSTOP.
        private static void NotifyParentOfStopOrContinue(Process child)
        {
            Process parent = child.Parent;
            if (parent == null)
                return;
            Scheduler.Wake(parent);
            if ((parent.SignalActions[Signal.SIGCHLD].Flags & SaNoCldStop) == 0)
                Send(parent, Signal.SIGCHLD);
        }
    }
}
