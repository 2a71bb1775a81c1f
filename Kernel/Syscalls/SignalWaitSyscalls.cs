using Cowbird.Kernel.Processes;
using Cowbird.Kernel.Time;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // The calls that wait for a signal and nothing else (Linux: kernel/signal.c), and the
    // temporary signal mask of rt_sigsuspend, pselect6 and ppoll. They return -EINTR once a
    // signal has been acted on that a handler catches or that ends the process
    // (Scheduler.Sleep returns false); SA_RESTART does not restart them (SyscallDispatcher).
    // A stop and a continue, or a signal that is ignored, do not end the wait.
    public static unsafe class SignalWaitSyscalls
    {
        // pause(): sleeps until a signal is caught or kills. Always -EINTR.
        public static long Pause()
        {
            while (Scheduler.Sleep(WaitReason.Signal, 0))
            {
            }
            return -(long)Errno.EINTR;
        }

        // rt_sigsuspend(mask, sigsetsize): waits as pause() does with `mask` as the signal mask
        // (SIGKILL and SIGSTOP cannot be blocked), then puts the caller's mask back: the first
        // handler's frame saves the caller's mask for rt_sigreturn, or, with no handler, it
        // comes back before the return to ring 3 (Process.RestoreMaskAfterSignal). EINVAL for
        // a sigsetsize other than 8, EFAULT for a bad mask. Always -EINTR otherwise.
        public static long RtSigsuspend(Process process, ulong maskAddress, ulong setSize)
        {
            if (setSize != SignalSyscalls.SigsetSize)
                return -(long)Errno.EINVAL;
            ulong mask;
            if (UserMemory.CopyFromUser(process.Space, (byte*)&mask, maskAddress, SignalSyscalls.SigsetSize) != Errno.None)
                return -(long)Errno.EFAULT;
            BeginTemporaryMask(process, mask);
            return Pause();
        }

        // The mask argument of pselect6 and ppoll (Linux's set_user_sigmask): NULL leaves the
        // mask alone; otherwise EINVAL for a sigsetsize other than 8, EFAULT for a bad mask, or
        // 0 with the mask in force until EndTemporaryMask.
        public static long SetTemporaryMask(Process process, ulong maskAddress, ulong setSize)
        {
            if (maskAddress == 0)
                return 0;
            if (setSize != SignalSyscalls.SigsetSize)
                return -(long)Errno.EINVAL;
            ulong mask;
            if (UserMemory.CopyFromUser(process.Space, (byte*)&mask, maskAddress, SignalSyscalls.SigsetSize) != Errno.None)
                return -(long)Errno.EFAULT;
            BeginTemporaryMask(process, mask);
            return 0;
        }

        // The call that set a temporary mask ends with `result`: the caller's mask comes back
        // now, unless a signal interrupted the call (-EINTR): then its handler runs under the
        // temporary mask and the caller's comes back after it (Linux's
        // restore_saved_sigmask_unless).
        public static long EndTemporaryMask(Process process, long result)
        {
            if (process.RestoreMaskAfterSignal && result != -(long)Errno.EINTR)
            {
                process.SignalMask = process.SavedSignalMask;
                process.RestoreMaskAfterSignal = false;
            }
            return result;
        }

        // `mask` (SIGKILL and SIGSTOP cannot be blocked) replaces the caller's mask, which comes
        // back after the first handler or on the way back to ring 3 (Process.RestoreMaskAfterSignal).
        private static void BeginTemporaryMask(Process process, ulong mask)
        {
            process.SavedSignalMask = process.SignalMask;
            process.RestoreMaskAfterSignal = true;
            process.SignalMask = mask & ~Signal.KernelOnly;
        }

        // rt_sigtimedwait(set, info, timeout, sigsetsize) (Linux's do_sigtimedwait): takes the
        // first pending signal of `set` (never SIGKILL or SIGSTOP), blocked or not, without
        // acting on it, and returns its number, with its siginfo written to info unless info is
        // NULL (EFAULT then, the signal taken). With none pending it waits, for ever with a
        // NULL timeout, until one comes (blocked ones too: the caller normally blocks them),
        // the timeout passes (EAGAIN; a zero timeout does not wait) or another signal is
        // caught or kills (EINTR, never restarted). Checked first: sigsetsize 8 (EINVAL), the
        // set (EFAULT), the timeout (EFAULT; EINVAL for tv_sec < 0 or tv_nsec outside
        // 0..999999999).
        public static long RtSigtimedwait(Process process, ulong setAddress, ulong infoAddress, ulong timeoutAddress, ulong setSize)
        {
            if (setSize != SignalSyscalls.SigsetSize)
                return -(long)Errno.EINVAL;
            ulong set;
            if (UserMemory.CopyFromUser(process.Space, (byte*)&set, setAddress, SignalSyscalls.SigsetSize) != Errno.None)
                return -(long)Errno.EFAULT;
            ulong deadline = ulong.MaxValue;
            if (timeoutAddress != 0)
            {
                long* time = stackalloc long[2];
                if (UserMemory.CopyFromUser(process.Space, (byte*)time, timeoutAddress, 16) != Errno.None)
                    return -(long)Errno.EFAULT;
                if (time[0] < 0 || (ulong)time[1] >= Clock.NanosecondsPerSecond)
                    return -(long)Errno.EINVAL;
                deadline = TimeSyscalls.SaturatingAdd(Clock.Monotonic, TimeSyscalls.Saturate((ulong)time[0], (ulong)time[1]));
            }
            int signal = WaitForOneOf(process, set & ~Signal.KernelOnly, deadline);
            if (signal < 0)
                return signal;
            SignalDelivery.Take(process, signal);
            SignalFrame.Info info = process.PendingInfo[signal];
            if (infoAddress != 0 && !SignalFrame.CopyInfoToUser(process, infoAddress, signal, info))
                return -(long)Errno.EFAULT;
            return signal;
        }

        // Waits until a signal of `set` is pending or Clock.Monotonic reaches `deadline`
        // (ulong.MaxValue: never). The signal, -EAGAIN, or -EINTR when another signal is
        // caught or kills.
        private static int WaitForOneOf(Process process, ulong set, ulong deadline)
        {
            process.WaitedSignals = set;
            int result;
            while (true)
            {
                result = SignalDelivery.First(process.PendingSignals & set);
                if (result != 0)
                    break;
                ulong now = Clock.Monotonic;
                if (now >= deadline)
                {
                    result = -(int)Errno.EAGAIN;
                    break;
                }
                ulong wakeTick = deadline == ulong.MaxValue ? 0 : TimeSyscalls.WakeTick(deadline - now);
                if (!Scheduler.Sleep(WaitReason.Signal, wakeTick))
                {
                    result = SignalDelivery.First(process.PendingSignals & set);
                    if (result == 0)
                        result = -(int)Errno.EINTR;
                    break;
                }
            }
            process.WaitedSignals = 0;
            return result;
        }
    }
}
