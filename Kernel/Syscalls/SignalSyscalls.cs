using Cowbird.Kernel.Processes;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // rt_sigaction, rt_sigprocmask, rt_sigpending, kill, rt_sigreturn, sigaltstack, with Linux's order of checks (kernel/signal.c):
    // a new action or mask is in force before the old one is copied out, so a bad pointer
    // for the old one gives EFAULT after the change. Actions are stored as Linux stores them;
    // what the kernel does with them is SignalDelivery's.
    public static unsafe class SignalSyscalls
    {
        // The kernel's sigset_t: 64 signals in 8 bytes (rt_sig* calls give EINVAL for any other size).
        public const ulong SigsetSize = 8;
        // stack_t: ss_sp, ss_flags (an int, padded), ss_size.
        private const ulong StackTSize = 24;
        private const int SigBlock = 0, SigUnblock = 1, SigSetmask = 2;
        // The sa_flags bits Linux x86-64 keeps (UAPI_SA_FLAGS): SA_NOCLDSTOP, SA_NOCLDWAIT,
        // SA_SIGINFO, SA_EXPOSE_TAGBITS, SA_RESTORER, SA_ONSTACK, SA_RESTART, SA_NODEFER,
        // SA_RESETHAND. Others are cleared, so a program can tell which flags the kernel knows.
        private const ulong KnownFlags = 0x1 | 0x2 | 0x4 | 0x800 | 0x04000000 | 0x08000000 | 0x10000000
            | 0x40000000 | 0x80000000;

        // rt_sigaction(sig, act, oact, sigsetsize): sigsetsize, then reading act, then the
        // signal number (and SIGKILL/SIGSTOP with an act), then the change, then writing oact.
        public static long RtSigaction(Process process, int signal, ulong newAction, ulong oldAction, ulong setSize)
        {
            if (setSize != SigsetSize)
                return -(long)Errno.EINVAL;
            SignalAction action = default;
            if (newAction != 0
                && UserMemory.CopyFromUser(process.Space, (byte*)&action, newAction, (ulong)sizeof(SignalAction)) != Errno.None)
                return -(long)Errno.EFAULT;
            if (!Signal.IsValid(signal) || (newAction != 0 && (Signal.KernelOnly & Signal.Bit(signal)) != 0))
                return -(long)Errno.EINVAL;
            SignalAction old = process.SignalActions[signal];
            if (newAction != 0)
            {
                action.Flags &= KnownFlags;
                action.Mask &= ~Signal.KernelOnly;
                process.SignalActions[signal] = action;
                SignalDelivery.ActionChanged(process, signal);
            }
            if (oldAction != 0
                && UserMemory.CopyToUser(process.Space, oldAction, (byte*)&old, (ulong)sizeof(SignalAction)) != Errno.None)
                return -(long)Errno.EFAULT;
            return 0;
        }

        // rt_sigprocmask(how, set, oset, sigsetsize): sigsetsize, reading set, how, the change,
        // then writing the old mask. SIGKILL and SIGSTOP cannot be blocked.
        public static long RtSigprocmask(Process process, int how, ulong newSet, ulong oldSet, ulong setSize)
        {
            if (setSize != SigsetSize)
                return -(long)Errno.EINVAL;
            ulong old = process.SignalMask;
            if (newSet != 0)
            {
                ulong set = 0;
                if (UserMemory.CopyFromUser(process.Space, (byte*)&set, newSet, SigsetSize) != Errno.None)
                    return -(long)Errno.EFAULT;
                set &= ~Signal.KernelOnly;
                if (how == SigBlock) process.SignalMask |= set;
                else if (how == SigUnblock) process.SignalMask &= ~set;
                else if (how == SigSetmask) process.SignalMask = set;
                else return -(long)Errno.EINVAL;
            }
            if (oldSet != 0 && UserMemory.CopyToUser(process.Space, oldSet, (byte*)&old, SigsetSize) != Errno.None)
                return -(long)Errno.EFAULT;
            return 0;
        }

        // rt_sigpending(set, sigsetsize): the pending signals the mask blocks (Linux's
        // do_sigpending: the others have been acted on already), written as `sigsetsize`
        // bytes of the set. EINVAL for a size above 8; a smaller one writes that many bytes
        // (0: none, whatever the pointer). EFAULT for a bad set.
        public static long RtSigpending(Process process, ulong target, ulong setSize)
        {
            if (setSize > SigsetSize)
                return -(long)Errno.EINVAL;
            ulong pending = process.PendingSignals & process.SignalMask;
            if (setSize != 0 && UserMemory.CopyToUser(process.Space, target, (byte*)&pending, setSize) != Errno.None)
                return -(long)Errno.EFAULT;
            return 0;
        }

        // kill(pid, sig). pid > 0: that process (zombies still exist for kill); -1: every
        // process but pid 1 and the caller, zombies included; 0: the caller's process group;
        // < -1: group -pid (zombies count as members); INT_MIN: ESRCH. As in Linux, the
        // targets are looked up first: ESRCH when there is none, then EINVAL for a bad signal
        // (kill(99999, 999) is ESRCH, kill(getpid(), 999) EINVAL). Signal 0 only checks
        // existence. A signal the caller sends itself acts before the call returns
        // (Scheduler.OnReturnToUser).
        public static long Kill(Process process, int pid, int signal)
        {
            if (pid == int.MinValue)
                return -(int)Errno.ESRCH;
            if (pid > 0)
                return SendToOne(ProcessTable.Find(pid), signal, process.Pid, SignalDelivery.SiUser);
            if (pid == -1)
                return SendToAllButInit(process, signal);
            int group = pid == 0 ? process.ProcessGroup : -pid;
            if (!ProcessGroups.GroupExists(group))
                return -(int)Errno.ESRCH;
            if (!IsValid(signal))
                return -(long)Errno.EINVAL;
            SendToGroup(group, signal, process.Pid);
            return 0;
        }

        // tkill(tid, sig) (musl's raise()): tid must be positive (EINVAL) and name a thread
        // (ESRCH); every Cowbird process is one thread, whose tid is its pid. Then EINVAL for a
        // bad signal, as Linux's do_tkill checks.
        public static long Tkill(Process process, int tid, int signal)
        {
            if (tid <= 0)
                return -(long)Errno.EINVAL;
            return SendToOne(ProcessTable.Find(tid), signal, process.Pid, SignalDelivery.SiTkill);
        }

        // tgkill(tgid, tid, sig) (glibc's raise()): as tkill, with tgid positive too (EINVAL)
        // and the thread's process (ESRCH when tid is not in process tgid).
        public static long Tgkill(Process process, int tgid, int tid, int signal)
        {
            if (tid <= 0 || tgid <= 0)
                return -(long)Errno.EINVAL;
            Process target = ProcessTable.Find(tid);
            return SendToOne(target != null && target.Pid == tgid ? target : null, signal, process.Pid, SignalDelivery.SiTkill);
        }

        // Sends `signal` with si_code `code` to `target` (null: not found, ESRCH; a bad
        // signal: EINVAL).
        private static long SendToOne(Process target, int signal, int senderPid, int code)
        {
            if (target == null)
                return -(int)Errno.ESRCH;
            if (!IsValid(signal))
                return -(long)Errno.EINVAL;
            SendIfSignal(target, signal, senderPid, code);
            return 0;
        }

        // 0 (existence only) or a signal number, 1..64.
        private static bool IsValid(int signal) => signal >= 0 && signal <= Signal.Count;

        // kill(-1, sig): every unreaped process but init and the caller (Linux's for_each_process
        // sees zombies too, though a signal does nothing to them). ESRCH when there is none,
        // else EINVAL for a bad signal, else 0.
        private static long SendToAllButInit(Process process, int signal)
        {
            bool found = false;
            for (int i = 0; i < ProcessTable.MaxThreads; i++)
            {
                Process target = ProcessTable.At(i);
                if (target == null || target.Detached || target == process || target.Pid == ProcessLifecycle.InitPid)
                    continue;
                found = true;
                if (IsValid(signal))
                    SendIfSignal(target, signal, process.Pid);
            }
            if (!found)
                return -(int)Errno.ESRCH;
            return IsValid(signal) ? 0 : -(long)Errno.EINVAL;
        }

        // Sends `signal` (0: none) to every member of `group` (Linux's __kill_pgrp_info);
        // false when the group has no member. Also the terminal's way to signal its
        // foreground group (sender 0, the kernel).
        public static bool SendToGroup(int group, int signal, int senderPid)
        {
            bool found = false;
            for (int i = 0; i < ProcessTable.MaxThreads; i++)
            {
                Process target = ProcessTable.At(i);
                if (!ProcessGroups.IsMember(target, group))
                    continue;
                found = true;
                SendIfSignal(target, signal, senderPid);
            }
            return found;
        }

        // Sends `signal` with si_code `code` (SI_USER unless named), unless it is 0 (kill's
        // existence check).
        private static void SendIfSignal(Process target, int signal, int senderPid, int code = SignalDelivery.SiUser)
        {
            if (signal != 0)
                SignalDelivery.Send(target, signal, senderPid, code);
        }

        // sigaltstack(ss, old_ss): reads ss (EFAULT), changes the alternate stack as
        // SignalStack.Change rules from the caller's stack pointer, then writes the old one
        // (ss_sp, ss_flags as read back, ss_size) unless the change failed (EFAULT).
        public static long Sigaltstack(Process process, ulong newAddress, ulong oldAddress)
        {
            ulong* stack = stackalloc ulong[3];
            if (newAddress != 0 && UserMemory.CopyFromUser(process.Space, (byte*)stack, newAddress, StackTSize) != Errno.None)
                return -(long)Errno.EFAULT;
            SignalStack altStack = process.AltStack;
            ulong sp = process.Frame->Rsp;
            ulong* old = stackalloc ulong[3];
            old[0] = altStack.Base;
            old[1] = (uint)altStack.ReadBackFlags(sp);
            old[2] = altStack.Size;
            if (newAddress != 0)
            {
                int error = altStack.Change(sp, stack[0], (int)stack[1], stack[2]);
                if (error != 0)
                    return -error;
            }
            if (oldAddress != 0 && UserMemory.CopyToUser(process.Space, oldAddress, (byte*)old, StackTSize) != Errno.None)
                return -(long)Errno.EFAULT;
            return 0;
        }

        // rt_sigreturn: back from a handler to the interrupted code (SignalFrame.Return). The
        // result is the restored rax; a frame that cannot be read kills with SIGSEGV.
        public static long RtSigreturn(Process process)
        {
            long rax = SignalFrame.Return(process, out bool bad);
            if (bad)
                process.PendingKill = Signal.SIGSEGV;
            return rax;
        }
    }
}
