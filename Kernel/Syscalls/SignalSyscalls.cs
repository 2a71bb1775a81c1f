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

        // kill(pid, sig). pid > 0: that process (zombies still exist for kill); -1: every
        // process but pid 1 and the caller; 0: every process (Cowbird has one process group);
        // < -1: a group that does not exist. ESRCH when nobody was found, EINVAL for a bad signal.
        public static long Kill(Process process, int pid, int signal)
        {
            if (signal < 0 || signal > Signal.Count)
                return -(long)Errno.EINVAL;
            if (pid < -1)
                return -LinuxErrno.ESRCH;
            bool found = false;
            if (pid > 0)
            {
                Process target = ProcessTable.Find(pid);
                if (target != null)
                {
                    found = true;
                    ProcessLifecycle.SendSignal(target, signal);
                }
            }
            else
            {
                for (int i = 0; i < ProcessTable.MaxProcesses; i++)
                {
                    Process target = ProcessTable.At(i);
                    if (target == null || target == process || target.IsZombie
                        || (pid == -1 && target.Pid == ProcessLifecycle.InitPid))
                        continue;
                    found = true;
                    ProcessLifecycle.SendSignal(target, signal);
                }
                if (pid == 0)
                {
                    found = true;
                    ProcessLifecycle.SendSignal(process, signal);
                }
            }
            if (!found)
                return -LinuxErrno.ESRCH;
            if (process.PendingKill != 0)
                ProcessLifecycle.Exit(process, Signal.KilledStatus(process.PendingKill));
            return 0;
        }
    }
}
