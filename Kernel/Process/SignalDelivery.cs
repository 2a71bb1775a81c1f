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
    //   - A pending unblocked signal wakes a sleeping process, and so does a blocked one that
    //     rt_sigtimedwait waits for (Process.WaitedSignals); a stopped one only for SIGKILL
    //     (other signals wait for SIGCONT). An unblocked SIGKILL, or a terminating signal at
    //     SIG_DFL without a core dump, decides the death already when sent (PendingKill): a
    //     later signal does not change it.
    //   - Acting (HandlePending, on the way back to ring 3 and in sleeps): a fault's signal
    //     (SIGSEGV, SIGBUS, ...) first, then lowest number first.
    //     Ignored signals are discarded, a stop signal stops the process there and then, a
    //     terminating one becomes PendingKill, which the caller dies of, and a caught one ends
    //     a sleep (the call returns EINTR, or runs again with SA_RESTART) and gets a signal
    //     frame on the way back to ring 3 (SignalFrame): the handler runs with the signal and
    //     its sa_mask blocked (not the signal itself with SA_NODEFER), SA_RESETHAND resets the
    //     action to SIG_DFL, and rt_sigreturn restores the registers, FP state and mask.
    //     Without SA_RESTORER (x86-64 has no vDSO restorer) or with a bad stack, the process
    //     dies of SIGSEGV.
    //   - Faults (Force): the CPU's signal is delivered to a handler if one is set and it is
    //     not blocked; otherwise it kills, blocked or ignored (Linux's force_sig_fault).
    //   - A stop or continue is reported to the parent's wait4 (WUNTRACED, WCONTINUED): the
    //     parent is woken, and SIGCHLD is sent unless its action has SA_NOCLDSTOP.
    //   - SIGTSTP, SIGTTIN and SIGTTOU stop the process, except in an orphaned process group
    //     (ProcessGroups.IsOrphaned), where they are discarded: nobody would continue it.
    public static unsafe class SignalDelivery
    {
        private const ulong SyscallInstructionBytes = 2;
        private const ulong SaNoCldStop = 1, SaRestart = 0x10000000, SaRestorer = 0x04000000, SaNoDefer = 0x40000000,
            SaResetHand = 0x80000000;
        // siginfo's si_code for a signal a process sent: kill() and the kernel (SI_USER), tkill()
        // and tgkill() (SI_TKILL); and for one the kernel sends on its own account, an interval
        // timer's (SI_KERNEL, Linux's SEND_SIG_PRIV).
        public const int SiUser = 0, SiTkill = -6, SiKernel = 0x80;

        // Sends `signal` (1..64) to `target`, as kill() does; `senderPid` is what a handler's
        // siginfo names (0 for the kernel; the first sender of a signal already pending stays),
        // `code` its si_code.
        public static void Send(Process target, int signal, int senderPid = 0, int code = SiUser)
        {
            SignalFrame.Info info = default;
            info.Code = code;
            info.SenderPid = senderPid;
            Send(target, signal, info);
        }

        // Sends `signal` with the siginfo `info` (kept if the signal is not pending yet). False
        // when nothing was sent: the target is a zombie, or ignores the signal.
        public static bool Send(Process target, int signal, SignalFrame.Info info)
        {
            if (target.IsZombie)
                return false;
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
                return false;
            if ((target.PendingSignals & bit) == 0)
                target.PendingInfo[signal] = info;
            target.PendingSignals |= bit;
            if (blocked && (target.WaitedSignals & bit) != 0 && target.State != ProcessState.Stopped)
                Scheduler.Wake(target);
            if (blocked || (target.State == ProcessState.Stopped && signal != Signal.SIGKILL))
                return true;
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
            return true;
        }

        // Acts on the current process's pending unblocked signals, in First's order, until none is
        // left or one is fatal (then PendingKill is set and stays set: the caller ends the
        // process). May stop the process: it returns once SIGCONT or SIGKILL arrives. Caught
        // signals get their handler's frame when `deliverHandlers` (on the way back to ring 3);
        // otherwise (in a sleep) they stay pending. True when a sleep must end: a fatal or a
        // caught signal is pending.
        public static bool HandlePending(Process current, bool deliverHandlers)
        {
            while (current.PendingKill == 0)
            {
                int signal = LowestDeliverable(current);
                if (signal == 0)
                    return false;
                SignalAction action = current.SignalActions[signal];
                if (IsHandler(action.Handler) && !deliverHandlers)
                    return true;
                Take(current, signal);
                if (IsHandler(action.Handler))
                    DeliverToHandler(current, signal, action, current.PendingInfo[signal]);
                else if (Ignores(current, signal))
                    continue;
                else if (Signal.IsStop(signal))
                {
                    if (signal != Signal.SIGSTOP && ProcessGroups.IsOrphaned(current.ProcessGroup))
                        continue;
                    Stop(current, signal);
                }
                else
                    current.PendingKill = signal;
            }
            return true;
        }

        // Takes pending `signal` off `process`'s pending set (Linux's dequeue_signal): a
        // periodic ITIMER_REAL arms again when its SIGALRM is taken, a periodic POSIX timer
        // when its signal is (its siginfo then gets the overrun count).
        public static void Take(Process process, int signal)
        {
            process.PendingSignals &= ~Signal.Bit(signal);
            IntervalTimers.RealSignalTaken(process, signal);
            PosixTimers.SignalTaken(process, ref process.PendingInfo[signal]);
        }

        // Whether ActOnPending has anything to do for `process`: a kill decided, an unblocked
        // signal pending, or a mask to restore.
        public static bool HasWork(Process process) =>
            process.PendingKill != 0 || (process.PendingSignals & ~process.SignalMask) != 0
            || process.RestoreMaskAfterSignal;

        // HandlePending, then the end of the process if a signal is fatal. Before every return
        // to ring 3.
        public static void ActOnPending(Process current)
        {
            HandlePending(current, true);
            if (current.PendingKill != 0)
                ProcessLifecycle.Exit(current, Signal.KilledStatus(current.PendingKill));
            if (current.RestoreMaskAfterSignal)
            {
                current.SignalMask = current.SavedSignalMask;
                current.RestoreMaskAfterSignal = false;
            }
        }

        // A CPU fault in ring 3 raised `signal` (Linux's force_sig_fault): its handler runs if
        // one is set and the signal is not blocked; otherwise the process dies of it, even if
        // it was blocked or ignored. `code` and `address` are the siginfo's si_code and si_addr.
        public static void Force(Process current, int signal, int code, ulong address)
        {
            SignalAction action = current.SignalActions[signal];
            if (!IsHandler(action.Handler) || (current.SignalMask & Signal.Bit(signal)) != 0)
                ProcessLifecycle.Exit(current, Signal.KilledStatus(signal));
            SignalFrame.Info info = default;
            info.Code = code;
            info.Address = address;
            info.IsFault = true;
            DeliverToHandler(current, signal, action, info);
            if (current.PendingKill != 0)
                ProcessLifecycle.Exit(current, Signal.KilledStatus(current.PendingKill));
        }

        // Sets up the handler's frame and the mask it runs with, and disarms an alternate
        // stack with SS_AUTODISARM (Linux's signal_delivered); a frame that cannot be made
        // (no SA_RESTORER, bad stack) kills the process with SIGSEGV (Linux's force_sigsegv).
        private static void DeliverToHandler(Process current, int signal, SignalAction action, SignalFrame.Info info)
        {
            RestartIfAsked(current, action);
            ulong frameMask = current.RestoreMaskAfterSignal ? current.SavedSignalMask : current.SignalMask;
            current.RestoreMaskAfterSignal = false;
            if ((action.Flags & SaRestorer) == 0 || !SignalFrame.Push(current, signal, action, info, frameMask))
            {
                current.PendingKill = Signal.SIGSEGV;
                return;
            }
            if (((uint)current.AltStack.Flags & SignalStack.SsAutoDisarm) != 0)
                current.AltStack.Reset();
            ulong blocked = action.Mask;
            if ((action.Flags & SaNoDefer) == 0)
                blocked |= Signal.Bit(signal);
            current.SignalMask = (current.SignalMask | blocked) & ~Signal.KernelOnly;
            if ((action.Flags & SaResetHand) != 0)
                current.SignalActions[signal].Handler = Signal.SigDfl;
        }

        // The first handler after a system call was interrupted decides: with SA_RESTART the
        // saved context re-runs the `syscall` instruction (2 bytes back, rax = the number)
        // once the handler returns; without it the call returns -EINTR.
        private static void RestartIfAsked(Process current, SignalAction action)
        {
            if (current.InterruptedSyscall == 0)
                return;
            if ((action.Flags & SaRestart) != 0)
            {
                current.Frame->Rip -= SyscallInstructionBytes;
                current.Frame->Rax = current.InterruptedSyscall - 1;
            }
            current.InterruptedSyscall = 0;
        }

        private static bool IsHandler(ulong handler) => handler != Signal.SigDfl && handler != Signal.SigIgn;

        // rt_sigaction installed a new action for `signal`: a pending instance that the action
        // now ignores is discarded, blocked or not (POSIX, as Linux's do_sigaction).
        public static void ActionChanged(Process process, int signal)
        {
            if (Signal.HandlerIgnores(process.SignalActions[signal].Handler, signal))
                process.PendingSignals &= ~Signal.Bit(signal);
        }

        // Whether the action of `signal` in `process` is to ignore it.
        private static bool Ignores(Process process, int signal) =>
            Signal.HandlerIgnores(process.SignalActions[signal].Handler, signal);

        // The pending signal the mask lets through that acts first, or 0. It runs before every
        // return to ring 3, so the usual answer (nothing pending) costs one test, not a loop.
        private static int LowestDeliverable(Process process) => First(process.PendingSignals & ~process.SignalMask);

        // The signal of `set` taken first (Linux's next_signal): a synchronous one (a fault's)
        // before any other, then the lowest number; 0 for an empty set.
        public static int First(ulong set)
        {
            if (set == 0)
                return 0;
            if ((set & Signal.Synchronous) != 0)
                set &= Signal.Synchronous;
            for (int signal = 1; signal <= Signal.Count; signal++)
                if ((set & Signal.Bit(signal)) != 0)
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
            {
                bool stopped = child.StopReport != 0;
                Send(parent, Signal.SIGCHLD, ChildInfo(child, stopped ? Signal.CldStopped : Signal.CldContinued,
                    stopped ? child.StopReport : Signal.SIGCONT));
            }
        }

        // The siginfo of the SIGCHLD that tells a parent how `child` changed (Linux's
        // do_notify_parent and do_notify_parent_cldstop): si_code `code` (CLD_*), the
        // child's pid, uid 0, si_status `status`, and its own CPU time in clock ticks.
        public static SignalFrame.Info ChildInfo(Process child, int code, int status)
        {
            SignalFrame.Info info = default;
            info.Code = code;
            info.SenderPid = child.Pid;
            info.IsChild = true;
            info.Status = status;
            info.UserTicks = child.Usage.User / ResourceUsage.NanosecondsPerClockTick;
            info.SystemTicks = child.Usage.System / ResourceUsage.NanosecondsPerClockTick;
            return info;
        }
    }
}
