using Cowbird.Kernel.Processes;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // The calls that wait for a signal and nothing else (Linux: kernel/signal.c). Both return
    // -EINTR once a signal has been acted on that a handler catches or that ends the process
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
            process.SavedSignalMask = process.SignalMask;
            process.RestoreMaskAfterSignal = true;
            process.SignalMask = mask & ~Signal.KernelOnly;
            return Pause();
        }
    }
}
