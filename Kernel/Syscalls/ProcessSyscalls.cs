using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Processes;
using Cowbird.Mm;
using Cowbird.Mm.Paging;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // execve, wait4, arch_prctl: the argument handling in front of ProcessLifecycle.
    public static unsafe class ProcessSyscalls
    {
        private const int MaxPath = 4096;
        private const int WaitNoHang = 1, WaitUntraced = 2, WaitContinued = 8;
        // Thread and clone selectors: __WNOTHREAD means nothing without threads; __WALL and
        // __WCLONE choose children by the signal they report their exit with (all use SIGCHLD).
        private const int WaitNoThread = 0x20000000, WaitAll = 0x40000000, WaitClone = unchecked((int)0x80000000);
        private const int RusageSize = 144;
        private const int ArchSetFs = 0x1002;
        private const int ArchGetFs = 0x1003;

        public static long Execve(Process process, ulong pathAddress, ulong argvAddress, ulong envpAddress)
        {
            byte* path = stackalloc byte[MaxPath];
            int length = UserStrings.Copy(process.Space, pathAddress, path, MaxPath);
            if (length < 0)
                return length;
            if (length == 0)
                return -(long)Errno.ENOENT;
            int error = ExecArguments.Copy(process, length, argvAddress, envpAddress, out ArgumentList argv, out ArgumentList envp);
            if (error == 0)
                error = ProcessLifecycle.Exec(process, path, length, argv, envp);
            return error;
        }

        // wait4(pid, status, options, rusage): pid -1 (or 0) = any child, > 0 = that child.
        // Linux's order (kernel/exit.c kernel_wait4, sys_wait4): options, INT_MIN, the wait,
        // then the status and the rusage are written. So a bad pointer gets EFAULT only after
        // the child was reaped (or its stop reported), and never when nothing was reported.
        public static long Wait4(Process process, int pid, ulong statusAddress, int options, ulong rusage)
        {
            if ((options & ~(WaitNoHang | WaitUntraced | WaitContinued | WaitNoThread | WaitAll | WaitClone)) != 0)
                return -(long)Errno.EINVAL;
            if (pid == int.MinValue)
                return -LinuxErrno.ESRCH;
            // One process group for everything: pid 0 ("my group") is any child, and no
            // other group exists.
            if (pid < -1)
                return -LinuxErrno.ECHILD;
            if (pid == 0)
                pid = -1;
            ProcessLifecycle.WaitOptions wait;
            wait.NoHang = (options & WaitNoHang) != 0;
            wait.Stopped = (options & WaitUntraced) != 0;
            wait.Continued = (options & WaitContinued) != 0;
            wait.CloneOnly = (options & WaitClone) != 0 && (options & WaitAll) == 0;
            int status;
            int result = ProcessLifecycle.Wait(process, pid, wait, out status);
            if (result <= 0)
                return result;
            if (statusAddress != 0 && UserMemory.CopyToUser(process.Space, statusAddress, (byte*)&status, 4) != Errno.None)
                return -(long)Errno.EFAULT;
            if (rusage != 0)
            {
                byte* zeros = stackalloc byte[RusageSize];
                for (int i = 0; i < RusageSize; i++)
                    zeros[i] = 0;
                if (UserMemory.CopyToUser(process.Space, rusage, zeros, RusageSize) != Errno.None)
                    return -(long)Errno.EFAULT;
            }
            return result;
        }

        public static long ArchPrctl(Process process, int code, ulong address)
        {
            if (code == ArchSetFs)
            {
                if (address >= PageTable.UserEnd)
                    return -(long)Errno.EPERM;
                process.FsBase = address;
                UserModeCpu.WriteMsr(UserModeCpu.MsrFsBase, address);
                return 0;
            }
            if (code == ArchGetFs)
            {
                ulong value = process.FsBase;
                return UserMemory.CopyToUser(process.Space, address, (byte*)&value, 8) == Errno.None ? 0 : -(long)Errno.EFAULT;
            }
            return -(long)Errno.EINVAL;
        }
    }
}
