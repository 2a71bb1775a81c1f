using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Fs;
using Cowbird.Kernel.Processes;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // execve, wait4, waitid, arch_prctl: the argument handling in front of ProcessLifecycle.
    public static unsafe class ProcessSyscalls
    {
        private const int MaxPath = 4096;
        private const int WaitNoHang = 1, WaitUntraced = 2, WaitExited = 4, WaitContinued = 8, WaitNoWait = 0x01000000;
        // Thread and clone selectors: __WNOTHREAD means nothing without threads; __WALL and
        // __WCLONE choose children by the signal they report their exit with (all use SIGCHLD).
        private const int WaitNoThread = 0x20000000, WaitAll = 0x40000000, WaitClone = unchecked((int)0x80000000);
        private const int IdAll = 0, IdPid = 1, IdGroup = 2, IdPidFd = 3;
        private const int ArchSetGs = 0x1001, ArchSetFs = 0x1002, ArchGetFs = 0x1003, ArchGetGs = 0x1004,
            ArchGetCpuid = 0x1011, ArchSetCpuid = 0x1012;

        public static long Execve(Process process, ulong pathAddress, ulong argvAddress, ulong envpAddress)
        {
            byte* path = stackalloc byte[MaxPath];
            int length = UserStrings.Copy(process.Space, pathAddress, path, MaxPath);
            if (length < 0)
                return length;
            if (length == 0)
                return -(long)Errno.ENOENT;
            bool followed = FollowExeLink(process, path, ref length);
            int error = ExecArguments.Copy(process, length, argvAddress, envpAddress, out ArgumentList argv, out ArgumentList envp);
            if (error == 0)
                error = ProcessLifecycle.Exec(process, path, length, argv, envp);
            // Linux names the process after the path execve was given: "exe" for the link.
            if (error == 0 && followed)
            {
                byte* exe = stackalloc byte[] { (byte)'e', (byte)'x', (byte)'e' };
                process.SetName(exe, 3);
            }
            return error;
        }

        // /proc/self/exe and /proc/<pid>/exe are links to the program file: execve runs that
        // file (busybox runs its applets this way). Replaces `path` (MaxPath bytes) and its
        // `length` with the target when it names one; true then.
        private static bool FollowExeLink(Process process, byte* path, ref int length)
        {
            byte[] target = ProcFiles.ExeTarget(path, length, process);
            if (target == null || target.Length > MaxPath)
                return false;
            for (int i = 0; i < target.Length; i++)
                path[i] = target[i];
            length = target.Length;
            return true;
        }

        // wait4(pid, status, options, rusage): pid -1 = any child, > 0 = that child, 0 = a
        // child in the caller's process group, < -1 = a child in group -pid.
        // Linux's order (kernel/exit.c kernel_wait4, sys_wait4): options, INT_MIN, the wait,
        // then the status and the rusage are written. So a bad pointer gets EFAULT only after
        // the child was reaped (or its stop reported), and never when nothing was reported.
        public static long Wait4(Process process, int pid, ulong statusAddress, int options, ulong rusage)
        {
            if ((options & ~(WaitNoHang | WaitUntraced | WaitContinued | WaitNoThread | WaitAll | WaitClone)) != 0)
                return -(long)Errno.EINVAL;
            if (pid == int.MinValue)
                return -(int)Errno.ESRCH;
            ProcessLifecycle.WaitOptions wait = Decode(options | WaitExited);
            int result = ProcessLifecycle.Wait(process, pid, wait, out ProcessLifecycle.WaitReport report);
            if (result <= 0)
                return result;
            if (statusAddress != 0 && UserMemory.CopyToUser(process.Space, statusAddress, (byte*)&report.Status, 4) != Errno.None)
                return -(long)Errno.EFAULT;
            if (rusage != 0 && UsageSyscalls.WriteRusage(process, rusage, report.Usage) != 0)
                return -(long)Errno.EFAULT;
            return result;
        }

        // waitid(idtype, id, infop, options, rusage), in Linux's order (kernel_waitid):
        // unknown options, or none of WEXITED/WSTOPPED/WCONTINUED, are EINVAL; P_ALL any
        // child, P_PID child `id` (> 0), P_PGID a child in group `id` (0: the caller's);
        // P_PIDFD takes a pidfd, which Cowbird has none of (EBADF); other types EINVAL. Then
        // the wait; a report writes the rusage (EFAULT), then infop gets si_signo SIGCHLD,
        // si_code, si_pid, si_uid and si_status, all zero when WNOHANG found nothing. 0.
        public static long Waitid(Process process, int idType, int id, ulong infoAddress, int options, ulong rusage)
        {
            const int known = WaitNoHang | WaitExited | WaitUntraced | WaitContinued | WaitNoWait | WaitNoThread
                | WaitAll | WaitClone;
            if ((options & ~known) != 0 || (options & (WaitExited | WaitUntraced | WaitContinued)) == 0)
                return -(long)Errno.EINVAL;
            ProcessLifecycle.WaitOptions wait = Decode(options);
            int pid;
            if (idType == IdAll)
                pid = -1;
            else if (idType == IdPid && id > 0)
                pid = id;
            else if (idType == IdGroup && id >= 0)
            {
                pid = id == 0 ? process.ProcessGroup : id;
                wait.ByGroup = true;
            }
            else if (idType == IdPidFd && id >= 0)
                return -(long)Errno.EBADF;
            else
                return -(long)Errno.EINVAL;
            int result = ProcessLifecycle.Wait(process, pid, wait, out ProcessLifecycle.WaitReport report);
            if (result < 0)
                return result;
            if (result > 0 && rusage != 0 && UsageSyscalls.WriteRusage(process, rusage, report.Usage) != 0)
                return -(long)Errno.EFAULT;
            return infoAddress == 0 ? 0 : WriteWaitInfo(process, infoAddress, result > 0, report);
        }

        // The wait options of wait4 and waitid, decoded.
        private static ProcessLifecycle.WaitOptions Decode(int options)
        {
            ProcessLifecycle.WaitOptions wait = default;
            wait.NoHang = (options & WaitNoHang) != 0;
            wait.Exited = (options & WaitExited) != 0;
            wait.Stopped = (options & WaitUntraced) != 0;
            wait.Continued = (options & WaitContinued) != 0;
            wait.NoWait = (options & WaitNoWait) != 0;
            wait.CloneOnly = (options & WaitClone) != 0 && (options & WaitAll) == 0;
            return wait;
        }

        // waitid's siginfo: signo, errno, code, pid, uid, status; the rest of the 128 bytes is
        // left as it was. All zero when nothing was `reported`. 0 or -EFAULT.
        private static long WriteWaitInfo(Process process, ulong address, bool reported, ProcessLifecycle.WaitReport report)
        {
            int* info = stackalloc int[7];
            info[0] = reported ? Signal.SIGCHLD : 0;
            info[1] = 0;
            info[2] = reported ? report.Code : 0;
            info[3] = 0;
            info[4] = reported ? report.Pid : 0;
            info[5] = 0;
            info[6] = reported ? report.InfoStatus : 0;
            return UserMemory.CopyToUser(process.Space, address, (byte*)info, 28) == Errno.None ? 0 : -(long)Errno.EFAULT;
        }

        // arch_prctl(code, address) as Linux 6.1's do_arch_prctl_64 (+ the CPUID codes):
        // ARCH_SET_FS/ARCH_SET_GS take any base below TASK_SIZE (EPERM from there on, so a
        // non-canonical or kernel address never reaches the MSR); ARCH_GET_FS/ARCH_GET_GS
        // write the base to `address`; ARCH_GET_CPUID is 1 (CPUID works); ARCH_SET_CPUID is
        // ENODEV (Cowbird does not use CPUID faulting, like a CPU without it); anything
        // else EINVAL.
        public static long ArchPrctl(Process process, int code, ulong address)
        {
            switch (code)
            {
                case ArchSetFs:
                    return SetBase(address, UserModeCpu.MsrFsBase, ref process.FsBase);
                case ArchSetGs:
                    // The user's GS base sits in KERNEL_GS_BASE until swapgs on the way out.
                    return SetBase(address, UserModeCpu.MsrKernelGsBase, ref process.GsBase);
                case ArchGetFs:
                    return PutBase(process, address, process.FsBase);
                case ArchGetGs:
                    return PutBase(process, address, process.GsBase);
                case ArchGetCpuid:
                    return 1;
                case ArchSetCpuid:
                    return -(long)Errno.ENODEV;
                default:
                    return -(long)Errno.EINVAL;
            }
        }

        // Makes `address` a segment base of the running process: its `field` and the MSR
        // that holds it now. 0, or -EPERM from TASK_SIZE on.
        private static long SetBase(ulong address, uint msr, ref ulong field)
        {
            if (address >= AddressSpace.TaskSize)
                return -(long)Errno.EPERM;
            field = address;
            UserModeCpu.WriteMsr(msr, address);
            return 0;
        }

        // Writes a segment base to the user's `address`: 0 or -EFAULT.
        private static long PutBase(Process process, ulong address, ulong value)
        {
            return UserMemory.CopyToUser(process.Space, address, (byte*)&value, 8) == Errno.None ? 0 : -(long)Errno.EFAULT;
        }
    }
}
