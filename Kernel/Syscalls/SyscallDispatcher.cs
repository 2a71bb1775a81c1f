using System.Runtime;
using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Processes;
using Cowbird.Mm;

namespace Cowbird.Kernel.Syscalls
{
    // The C# side of `syscall` (UserEntry.S builds the TrapFrame): Linux's x86-64 ABI,
    // number in rax, arguments in rdi, rsi, rdx, r10, r8, r9, result (or -errno) in rax.
    // Interrupts stay disabled (SFMASK clears IF) except while a process sleeps.
    // A call whose kernel heap needs cannot be met gets ENOMEM before it starts
    // (SyscallHeadroom).
    // A call runs under the kernel lock (KernelLock), taken here and released on the way back
    // to ring 3. Before returning to ring 3: a pending kill ends the process, a spent time
    // slice lets another run (Scheduler.OnReturnToUser).
    // The number is the low 32 bits of rax, as Linux 6.1's do_syscall_64 reads it (an
    // int): 0x100000027 is getpid. Numbers with the x32 bit (0x40000000) are ENOSYS, as on
    // a Linux without CONFIG_X86_X32_ABI, and so is -1.
    public static unsafe class SyscallDispatcher
    {
        [RuntimeExport("syscall_dispatch")]
        private static void Dispatch(TrapFrame* frame)
        {
            Process current = Scheduler.Current;
            CpuAccounting.EnterKernel(current);
            KernelLock.Acquire();
            ulong number = Number(frame);
            long result = Call(current, number, frame->Rdi, frame->Rsi, frame->Rdx, frame->R10, frame->R8, frame->R9);
            Finish(current, frame, result, number, number);
            Scheduler.OnReturnToUser();
        }

        // Ends system call `number` (x86-64 numbering) with `result` in rax. Linux's
        // -ERESTARTSYS: a call a caught signal interrupted restarts if the handler has
        // SA_RESTART, except the calls that give EINTR whenever a handler ran; the restart
        // re-runs the 2-byte `syscall` or `int $0x80` with rax = `restartNumber`, the number as
        // the caller gave it. Scheduler.OnReturnToUser acts on that and forgets it.
        internal static void Finish(Process current, TrapFrame* frame, long result, ulong number, ulong restartNumber)
        {
            ProcessTable.TrimHeapIfDue();
            frame->Rax = (ulong)result;
            if (result == -(long)Errno.EINTR && !EintrAfterAnyHandler(number))
                current.InterruptedSyscall = restartNumber + 1;
        }

        // nanosleep, clock_nanosleep and poll (Linux's -ERESTART_RESTARTBLOCK, -ERESTARTNOHAND
        // for TIMER_ABSTIME), pause, rt_sigsuspend, select, pselect6 and ppoll
        // (-ERESTARTNOHAND), rt_sigtimedwait (-EINTR): a handler ends them with EINTR,
        // SA_RESTART or not.
        private static bool EintrAfterAnyHandler(ulong number) =>
            number == SyscallNumber.Nanosleep || number == SyscallNumber.ClockNanosleep || number == SyscallNumber.Pause
            || number == SyscallNumber.RtSigsuspend || number == SyscallNumber.Poll || number == SyscallNumber.Select
            || number == SyscallNumber.Pselect6 || number == SyscallNumber.Ppoll || number == SyscallNumber.RtSigtimedwait;

        // The system call number: rax's low 32 bits.
        private static ulong Number(TrapFrame* frame)
        {
            return (uint)frame->Rax;
        }

        // Runs system call `number` (x86-64 numbering) with arguments a0..a5; the result or -errno.
        internal static long Call(Process current, ulong number, ulong a0, ulong a1, ulong a2, ulong a3, ulong a4, ulong a5)
        {
            if (!SyscallHeadroom.Enough(current, number))
                return -(long)Errno.ENOMEM;
            switch (number)
            {
                case SyscallNumber.Read: return FileSyscalls.Read(current, (int)a0, a1, a2);
                case SyscallNumber.Write: return FileSyscalls.Write(current, (int)a0, a1, a2);
                case SyscallNumber.Open: return OpenSyscalls.Open(current, a0, (int)a1, (uint)a2);
                case SyscallNumber.Close: return FileSyscalls.Close(current, (int)a0);
                case SyscallNumber.Stat: return StatSyscalls.Stat(current, a0, a1);
                case SyscallNumber.Fstat: return StatSyscalls.Fstat(current, (int)a0, a1);
                case SyscallNumber.Lstat: return StatSyscalls.Lstat(current, a0, a1);
                case SyscallNumber.Lseek: return FileSyscalls.Lseek(current, (int)a0, (long)a1, (int)a2);
                case SyscallNumber.Poll: return PollSyscalls.Poll(current, a0, a1, (int)a2);
                case SyscallNumber.Ppoll: return PollSyscalls.Ppoll(current, a0, (uint)a1, a2, a3, a4);
                case SyscallNumber.Select: return SelectSyscalls.Select(current, (int)a0, a1, a2, a3, a4);
                case SyscallNumber.Pselect6: return SelectSyscalls.Pselect6(current, (int)a0, a1, a2, a3, a4, a5);
                case SyscallNumber.Ioctl: return TerminalIoctls.Ioctl(current, (int)a0, (uint)a1, a2);
                case SyscallNumber.Pread64: return FileSyscalls.Pread64(current, (int)a0, a1, a2, (long)a3);
                case SyscallNumber.Pwrite64: return FileSyscalls.Pwrite64(current, (int)a0, a1, a2, (long)a3);
                case SyscallNumber.Sendfile: return SendfileSyscall.Sendfile(current, (int)a0, (int)a1, a2, a3);
                case SyscallNumber.Dup: return DescriptorSyscalls.Dup(current, (int)a0);
                case SyscallNumber.Dup2: return DescriptorSyscalls.Dup2(current, (uint)a0, (uint)a1);
                case SyscallNumber.Dup3: return DescriptorSyscalls.Dup3(current, (uint)a0, (uint)a1, (int)a2);
                case SyscallNumber.Fcntl: return DescriptorSyscalls.Fcntl(current, (int)a0, (uint)a1, a2);
                case SyscallNumber.Flock: return FlockSyscall.Flock(current, (int)a0, (uint)a1);
                case SyscallNumber.Fadvise64: return FadviseSyscall.Fadvise64(current, (int)a0, (long)a2, (int)a3);
                case SyscallNumber.Fallocate: return FallocateSyscall.Fallocate(current, (int)a0, (int)a1, (long)a2, (long)a3);
                case SyscallNumber.Fsync:
                case SyscallNumber.Fdatasync: return AttributeSyscalls.Fsync(current, (int)a0);
                case SyscallNumber.Sync: return AttributeSyscalls.Sync();
                case SyscallNumber.Syncfs: return AttributeSyscalls.Syncfs(current, (int)a0);
                case SyscallNumber.Truncate: return AttributeSyscalls.Truncate(current, a0, (long)a1);
                case SyscallNumber.Ftruncate: return AttributeSyscalls.Ftruncate(current, (int)a0, (long)a1);
                case SyscallNumber.Getcwd: return DirectorySyscalls.Getcwd(current, a0, a1);
                case SyscallNumber.Chdir: return DirectorySyscalls.Chdir(current, a0);
                case SyscallNumber.Fchdir: return DirectorySyscalls.Fchdir(current, (int)a0);
                case SyscallNumber.Rename: return NameSyscalls.Rename(current, a0, a1);
                case SyscallNumber.Mkdir: return DirectorySyscalls.Mkdir(current, a0, (uint)a1);
                case SyscallNumber.Rmdir: return NameSyscalls.Rmdir(current, a0);
                case SyscallNumber.Creat: return OpenSyscalls.Creat(current, a0, (uint)a1);
                case SyscallNumber.Link: return NameSyscalls.Link(current, a0, a1);
                case SyscallNumber.Unlink: return NameSyscalls.Unlink(current, a0);
                case SyscallNumber.Symlink: return NameSyscalls.Symlink(current, a0, a1);
                case SyscallNumber.Readlink: return NameSyscalls.Readlink(current, a0, a1, (long)a2);
                case SyscallNumber.Chmod: return AttributeSyscalls.Chmod(current, a0, (uint)a1);
                case SyscallNumber.Fchmod: return AttributeSyscalls.Fchmod(current, (int)a0, (uint)a1);
                case SyscallNumber.Chown: return OwnerSyscalls.Chown(current, a0, (uint)a1, (uint)a2);
                case SyscallNumber.Fchown: return OwnerSyscalls.Fchown(current, (int)a0, (uint)a1, (uint)a2);
                case SyscallNumber.Lchown: return OwnerSyscalls.Lchown(current, a0, (uint)a1, (uint)a2);
                case SyscallNumber.Umask: return AttributeSyscalls.Umask(current, (uint)a0);
                case SyscallNumber.Utime: return TimestampSyscalls.Utime(current, a0, a1);
                case SyscallNumber.Statfs: return StatfsSyscalls.Statfs(current, a0, a1);
                case SyscallNumber.Fstatfs: return StatfsSyscalls.Fstatfs(current, (int)a0, a1);
                case SyscallNumber.Utimes: return TimestampSyscalls.Utimes(current, a0, a1);
                case SyscallNumber.Pipe: return PipeSyscalls.Pipe(current, a0);
                case SyscallNumber.Pipe2: return PipeSyscalls.Pipe2(current, a0, (int)a1);
                case SyscallNumber.Getdents: return DirectorySyscalls.Getdents(current, (int)a0, a1, (uint)a2);
                case SyscallNumber.Getdents64: return DirectorySyscalls.Getdents64(current, (int)a0, a1, a2);
                case SyscallNumber.Openat: return OpenSyscalls.Openat(current, (int)a0, a1, (int)a2, (uint)a3);
                case SyscallNumber.Mkdirat: return DirectorySyscalls.Mkdirat(current, (int)a0, a1, (uint)a2);
                case SyscallNumber.Mknod: return NodeSyscalls.Mknod(current, a0, (uint)a1, (uint)a2);
                case SyscallNumber.Mknodat: return NodeSyscalls.Mknodat(current, (int)a0, a1, (uint)a2, (uint)a3);
                case SyscallNumber.Fchownat: return OwnerSyscalls.Fchownat(current, (int)a0, a1, (uint)a2, (uint)a3, (int)a4);
                case SyscallNumber.Futimesat: return TimestampSyscalls.Futimesat(current, (int)a0, a1, a2);
                case SyscallNumber.Newfstatat: return StatSyscalls.Newfstatat(current, (int)a0, a1, a2, (int)a3);
                case SyscallNumber.Unlinkat: return NameSyscalls.Unlinkat(current, (int)a0, a1, (int)a2);
                case SyscallNumber.Renameat: return NameSyscalls.Renameat(current, (int)a0, a1, (int)a2, a3);
                case SyscallNumber.Linkat: return NameSyscalls.Linkat(current, (int)a0, a1, (int)a2, a3, (int)a4);
                case SyscallNumber.Symlinkat: return NameSyscalls.Symlinkat(current, a0, (int)a1, a2);
                case SyscallNumber.Readlinkat: return NameSyscalls.Readlinkat(current, (int)a0, a1, a2, (long)a3);
                case SyscallNumber.Fchmodat: return AttributeSyscalls.Fchmodat(current, (int)a0, a1, (uint)a2);
                case SyscallNumber.Faccessat: return AttributeSyscalls.Faccessat(current, (int)a0, a1, (int)a2);
                case SyscallNumber.Utimensat: return TimestampSyscalls.Utimensat(current, (int)a0, a1, a2, (int)a3);
                case SyscallNumber.Renameat2: return NameSyscalls.Renameat2(current, (int)a0, a1, (int)a2, a3, (uint)a4);
                case SyscallNumber.Statx: return StatSyscalls.Statx(current, (int)a0, a1, (int)a2, (uint)a3, a4);
                case SyscallNumber.Faccessat2: return AttributeSyscalls.Faccessat2(current, (int)a0, a1, (int)a2, (int)a3);
                case SyscallNumber.Getrlimit: return LimitSyscalls.Getrlimit(current, (uint)a0, a1);
                case SyscallNumber.Setrlimit: return LimitSyscalls.Setrlimit(current, (uint)a0, a1);
                case SyscallNumber.Prlimit64: return LimitSyscalls.Prlimit64(current, (int)a0, (uint)a1, a2, a3);
                case SyscallNumber.Readv: return FileSyscalls.Readv(current, (int)a0, a1, (long)a2);
                case SyscallNumber.Writev: return FileSyscalls.Writev(current, (int)a0, a1, (long)a2);
                case SyscallNumber.Access: return AttributeSyscalls.Access(current, a0, (int)a1);
                case SyscallNumber.Mmap: return MemorySyscalls.Mmap(current, a0, a1, a2, a3, (long)a4, a5);
                case SyscallNumber.Mprotect: return MemorySyscalls.Mprotect(current, a0, a1, a2);
                case SyscallNumber.Munmap: return current.Space.Munmap(a0, a1);
                case SyscallNumber.Brk: return (long)current.Space.Brk(a0);
                case SyscallNumber.Mremap: return MemorySyscalls.Mremap(current, a0, a1, a2, a3, a4);
                case SyscallNumber.Madvise: return current.Space.Madvise(a0, a1, (int)a2);
                case SyscallNumber.Mincore: return current.Space.Mincore(a0, a1, a2);
                case SyscallNumber.Msync: return current.Space.Msync(a0, a1, (int)a2);
                case SyscallNumber.Mlock: return current.Space.Mlock(a0, a1, 0);
                case SyscallNumber.Mlock2: return current.Space.Mlock(a0, a1, (int)a2);
                case SyscallNumber.Munlock: return current.Space.Munlock(a0, a1);
                case SyscallNumber.Mlockall: return current.Space.Mlockall((int)a0);
                case SyscallNumber.Munlockall: return current.Space.Munlockall();
                case SyscallNumber.RtSigaction: return SignalSyscalls.RtSigaction(current, (int)a0, a1, a2, a3);
                case SyscallNumber.RtSigprocmask: return SignalSyscalls.RtSigprocmask(current, (int)a0, a1, a2, a3);
                case SyscallNumber.RtSigreturn: return SignalSyscalls.RtSigreturn(current);
                case SyscallNumber.Sigaltstack: return SignalSyscalls.Sigaltstack(current, a0, a1);
                case SyscallNumber.Kill: return SignalSyscalls.Kill(current, (int)a0, (int)a1);
                case SyscallNumber.Tkill: return SignalSyscalls.Tkill(current, (int)a0, (int)a1);
                case SyscallNumber.Tgkill: return SignalSyscalls.Tgkill(current, (int)a0, (int)a1, (int)a2);
                case SyscallNumber.Pause: return SignalWaitSyscalls.Pause();
                case SyscallNumber.RtSigsuspend: return SignalWaitSyscalls.RtSigsuspend(current, a0, a1);
                case SyscallNumber.RtSigpending: return SignalSyscalls.RtSigpending(current, a0, a1);
                case SyscallNumber.RtSigtimedwait: return SignalWaitSyscalls.RtSigtimedwait(current, a0, a1, a2, a3);
                case SyscallNumber.Uname: return SystemInfoSyscalls.Uname(current, a0);
                case SyscallNumber.Sysinfo: return SystemInfoSyscalls.Sysinfo(current, a0);
                case SyscallNumber.Syslog: return SyslogSyscall.Syslog(current, (int)a0, a1, (int)a2);
                case SyscallNumber.SchedYield: Scheduler.Yield(); return 0;
                case SyscallNumber.Getpriority: return SchedulingSyscalls.Getpriority(current, (int)a0, (int)a1);
                case SyscallNumber.Setpriority: return SchedulingSyscalls.Setpriority(current, (int)a0, (int)a1, (int)a2);
                case SyscallNumber.SchedGetscheduler: return SchedulingSyscalls.SchedGetscheduler(current, (int)a0);
                case SyscallNumber.SchedSetscheduler: return SchedulingSyscalls.SchedSetscheduler(current, (int)a0, (int)a1, a2);
                case SyscallNumber.SchedGetparam: return SchedulingSyscalls.SchedGetparam(current, (int)a0, a1);
                case SyscallNumber.SchedSetparam: return SchedulingSyscalls.SchedSetparam(current, (int)a0, a1);
                case SyscallNumber.SchedGetPriorityMax: return SchedulingSyscalls.SchedGetPriorityMax((int)a0);
                case SyscallNumber.SchedGetPriorityMin: return SchedulingSyscalls.SchedGetPriorityMin((int)a0);
                case SyscallNumber.SchedRrGetInterval: return SchedulingSyscalls.SchedRrGetInterval(current, (int)a0, a1);
                case SyscallNumber.Getcpu: return SchedulingSyscalls.Getcpu(current, a0, a1);
                case SyscallNumber.SchedGetaffinity: return ThreadSyscalls.SchedGetaffinity(current, (int)a0, (uint)a1, a2);
                case SyscallNumber.SchedSetaffinity: return ThreadSyscalls.SchedSetaffinity(current, (int)a0, (uint)a1, a2);
                case SyscallNumber.Nanosleep: return TimeSyscalls.Nanosleep(current, a0, a1);
                case SyscallNumber.ClockGettime: return TimeSyscalls.ClockGettime(current, (int)a0, a1);
                case SyscallNumber.ClockGetres: return TimeSyscalls.ClockGetres(current, (int)a0, a1);
                case SyscallNumber.ClockNanosleep: return TimeSyscalls.ClockNanosleep(current, (int)a0, (int)a1, a2, a3);
                case SyscallNumber.Gettimeofday: return TimeSyscalls.Gettimeofday(current, a0, a1);
                case SyscallNumber.Time: return TimeSyscalls.Time(current, a0);
                case SyscallNumber.Getitimer: return ItimerSyscalls.Getitimer(current, (int)a0, a1);
                case SyscallNumber.Setitimer: return ItimerSyscalls.Setitimer(current, (int)a0, a1, a2);
                case SyscallNumber.Alarm: return ItimerSyscalls.Alarm(current, (uint)a0);
                case SyscallNumber.TimerCreate: return PosixTimerSyscalls.TimerCreate(current, (int)a0, a1, a2);
                case SyscallNumber.TimerSettime: return PosixTimerSyscalls.TimerSettime(current, (int)a0, (int)a1, a2, a3);
                case SyscallNumber.TimerGettime: return PosixTimerSyscalls.TimerGettime(current, (int)a0, a1);
                case SyscallNumber.TimerGetoverrun: return PosixTimerSyscalls.TimerGetoverrun(current, (int)a0);
                case SyscallNumber.TimerDelete: return PosixTimerSyscalls.TimerDelete(current, (int)a0);
                case SyscallNumber.Times: return UsageSyscalls.Times(current, a0);
                case SyscallNumber.Getrusage: return UsageSyscalls.Getrusage(current, (int)a0, a1);
                case SyscallNumber.Getpid: return current.Pid;
                case SyscallNumber.Gettid: return current.Pid;
                case SyscallNumber.Getppid: return current.Parent != null ? current.Parent.Pid : 0;
                case SyscallNumber.Getuid:
                case SyscallNumber.Getgid:
                case SyscallNumber.Geteuid:
                case SyscallNumber.Getegid:
                    return 0;
                case SyscallNumber.Setuid:
                case SyscallNumber.Setgid:
                    return IdentitySyscalls.SetId((uint)a0);
                case SyscallNumber.Getgroups: return IdentitySyscalls.Getgroups((int)a0);
                case SyscallNumber.Getresuid:
                case SyscallNumber.Getresgid:
                    return IdentitySyscalls.GetRes(current, a0, a1, a2);
                case SyscallNumber.Setpgid: return GroupSyscalls.Setpgid(current, (int)a0, (int)a1);
                case SyscallNumber.Getpgid: return GroupSyscalls.Getpgid(current, (int)a0);
                case SyscallNumber.Getpgrp: return current.ProcessGroup;
                case SyscallNumber.Setsid: return GroupSyscalls.Setsid(current);
                case SyscallNumber.Getsid: return GroupSyscalls.Getsid(current, (int)a0);
                case SyscallNumber.Fork: return ProcessLifecycle.Fork(current);
                case SyscallNumber.Clone: return CloneSyscalls.Clone(current, a0, a1, a2, a3, a4);
                case SyscallNumber.Vfork: return CloneSyscalls.Vfork(current);
                case SyscallNumber.Execve: return ProcessSyscalls.Execve(current, a0, a1, a2);
                case SyscallNumber.Exit:
                case SyscallNumber.ExitGroup:
                    ProcessLifecycle.Exit(current, Signal.ExitedStatus((int)a0));
                    return 0;
                case SyscallNumber.Wait4: return ProcessSyscalls.Wait4(current, (int)a0, a1, (int)a2, a3);
                case SyscallNumber.Waitid: return ProcessSyscalls.Waitid(current, (int)a0, (int)a1, a2, (int)a3, a4);
                case SyscallNumber.Prctl: return PrctlSyscalls.Prctl(current, (int)a0, a1, a2, a3, a4);
                case SyscallNumber.Personality: return ProcessSettingSyscalls.Personality(current, (uint)a0);
                case SyscallNumber.IoprioSet: return ProcessSettingSyscalls.IoprioSet(current, (int)a0, (int)a1, (int)a2);
                case SyscallNumber.IoprioGet: return ProcessSettingSyscalls.IoprioGet(current, (int)a0, (int)a1);
                case SyscallNumber.ArchPrctl: return ProcessSyscalls.ArchPrctl(current, (int)a0, a1);
                case SyscallNumber.SetTidAddress: current.ClearChildTid = a0; return current.Pid;
                case SyscallNumber.SetRobustList: return ThreadSyscalls.SetRobustList(current, a0, a1);
                case SyscallNumber.Getrandom: return RandomSyscalls.Getrandom(current, a0, a1, (uint)a2);
                // Cowbird has no restartable sequences, like a Linux built without CONFIG_RSEQ;
                // glibc then runs without them, and the call is not worth a log line.
                case SyscallNumber.Rseq: return -(long)Errno.ENOSYS;
                default: return Unknown(current, "syscall", number, SyscallNames.Of(number));
            }
        }

        // One kernel-log line per call of a syscall Cowbird does not implement:
        // "<program>[<pid>]: unknown <kind> <number> (<name>) -> ENOSYS"; -ENOSYS.
        internal static long Unknown(Process current, string kind, ulong number, string name)
        {
            current.WriteNameAndPid();
            KernelConsole.Write(": unknown ");
            KernelConsole.Write(kind);
            KernelConsole.Write(" ");
            KernelConsole.WriteDecimal(number);
            if (name != null)
            {
                KernelConsole.Write(" (");
                KernelConsole.Write(name);
                KernelConsole.Write(")");
            }
            KernelConsole.WriteLine(" -> ENOSYS");
            return -(long)Errno.ENOSYS;
        }
    }
}
