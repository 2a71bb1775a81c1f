using Cowbird.Kernel.Processes;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // rt_sigaction, rt_sigprocmask, kill. Actions are stored and returned exactly; the
    // kernel acts only on SIG_DFL/SIG_IGN (ProcessLifecycle.SendSignal): no handler is
    // ever called (no signal frames).
    public static unsafe class SignalSyscalls
    {
        private const ulong SigsetSize = 8;
        private const int SigBlock = 0, SigUnblock = 1, SigSetmask = 2;
        private const ulong Unblockable = (1UL << (Signal.SIGKILL - 1)) | (1UL << (Signal.SIGSTOP - 1));

        public static long RtSigaction(Process process, int signal, ulong newAction, ulong oldAction, ulong setSize)
        {
            if (setSize != SigsetSize || signal < 1 || signal > Signal.Count)
                return -(long)Errno.EINVAL;
            SignalAction action = default;
            if (newAction != 0)
            {
                if (UserMemory.CopyFromUser(process.Space, (byte*)&action, newAction, (ulong)sizeof(SignalAction)) != Errno.None)
                    return -(long)Errno.EFAULT;
                if (signal == Signal.SIGKILL || signal == Signal.SIGSTOP)
                    return -(long)Errno.EINVAL;
            }
            if (oldAction != 0)
            {
                SignalAction old = process.SignalActions[signal];
                if (UserMemory.CopyToUser(process.Space, oldAction, (byte*)&old, (ulong)sizeof(SignalAction)) != Errno.None)
                    return -(long)Errno.EFAULT;
            }
            if (newAction != 0)
            {
                process.SignalActions[signal] = action;
                ProcessLifecycle.DeliverUnblocked(process);
            }
            return 0;
        }

        public static long RtSigprocmask(Process process, int how, ulong newSet, ulong oldSet, ulong setSize)
        {
            if (setSize != SigsetSize)
                return -(long)Errno.EINVAL;
            ulong set = 0;
            if (newSet != 0)
            {
                if (UserMemory.CopyFromUser(process.Space, (byte*)&set, newSet, SigsetSize) != Errno.None)
                    return -(long)Errno.EFAULT;
                if (how != SigBlock && how != SigUnblock && how != SigSetmask)
                    return -(long)Errno.EINVAL;
            }
            ulong old = process.SignalMask;
            if (oldSet != 0 && UserMemory.CopyToUser(process.Space, oldSet, (byte*)&old, SigsetSize) != Errno.None)
                return -(long)Errno.EFAULT;
            if (newSet != 0)
            {
                if (how == SigBlock) process.SignalMask |= set;
                else if (how == SigUnblock) process.SignalMask &= ~set;
                else process.SignalMask = set;
                process.SignalMask &= ~Unblockable;
                ProcessLifecycle.DeliverUnblocked(process);
            }
            return 0;
        }

        // kill(pid, sig): pid > 0 only (no process groups). ESRCH for no such process
        // (zombies still exist for kill), EINVAL for a bad signal.
        public static long Kill(Process process, int pid, int signal)
        {
            if (signal < 0 || signal > Signal.Count)
                return -(long)Errno.EINVAL;
            if (pid <= 0)
                return -(long)Errno.EPERM;
            Process target = ProcessTable.Find(pid);
            if (target == null)
                return -LinuxErrno.ESRCH;
            ProcessLifecycle.SendSignal(target, signal);
            if (target == process && process.PendingKill != 0)
                ProcessLifecycle.Exit(process, Signal.KilledStatus(process.PendingKill));
            return 0;
        }
    }
}
