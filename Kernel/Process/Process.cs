using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Fs;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Processes
{
    // One user process (Linux: task_struct with its mm). Its kernel stack holds, from
    // the top down: the TrapFrame of its last entry from ring 3 (interrupt or syscall),
    // its SSE state (fxsave area), then whatever kernel code it is running; SavedRsp is
    // the kernel stack pointer while it is switched out (Scheduler.Switch).
    //
    // Lifetime: ProcessTable.Create -> Runnable/Sleeping ... -> Exit (address space and
    // files released, children given to init, Zombie) -> parent's wait4 reaps it (kernel
    // stack freed, pid slot emptied).
    public sealed unsafe class Process
    {
        public const int MaxNameBytes = 16;

        public readonly int Pid;
        public Process Parent;
        public ProcessState State;
        public WaitReason WaitingFor;
        // The object a sleep waits on when many can be waited for for the same reason (the
        // pipe of PipeRead and PipeWrite); null otherwise.
        public object WaitChannel;
        // Timer sleeps: the tick at which the process becomes runnable again.
        public ulong WakeTick;
        // wait4 status once a Zombie (Signal.ExitedStatus / KilledStatus).
        public int ExitStatus;
        // The signal the process dies of the next time it would return to ring 3 (0 = none):
        // decided when SIGKILL or another terminating signal is sent or acted on
        // (SignalDelivery). Sleeps end early for it.
        public int PendingKill;
        // Signals sent and not yet acted on, blocked or not (bit n-1 for signal n).
        // SignalDelivery acts on the unblocked ones before the process returns to ring 3.
        public ulong PendingSignals;
        // The signal that stopped the process, until wait4(WUNTRACED) reports it (0 = none to
        // report). Linux: signal->group_exit_code with SIGNAL_STOP_STOPPED.
        public int StopReport;
        // Continued by SIGCONT after a stop, until wait4(WCONTINUED) reports it
        // (Linux: SIGNAL_STOP_CONTINUED).
        public bool ContinueReport;
        // Reaped at exit because its parent ignores SIGCHLD or set SA_NOCLDWAIT: no wait4
        // sees it; its slot and kernel stack go once it no longer runs (ProcessTable.FreeDetached).
        public bool Detached;
        // The process group and the session (Linux: task_pgrp, task_session), by their
        // leaders' pids: fork copies both, setpgid and setsid change them (ProcessGroups).
        public int ProcessGroup;
        public int Session;
        // Called execve since fork: its parent may no longer move it to another group
        // (setpgid's EACCES; Linux: PF_FORKNOEXEC cleared).
        public bool HasExeced;
        // The console is this process's controlling terminal (Linux: signal->tty). fork
        // copies it, setsid drops it.
        public bool HasTerminal;

        public AddressSpace Space;
        // Lowest address of the user stack VMA (for /proc/self/maps' "[stack]").
        public ulong StackStart;

        public readonly ulong KernelStackTop;
        public ulong SavedRsp;
        public ulong FsBase;
        // The user's GS base (arch_prctl ARCH_SET_GS); in KERNEL_GS_BASE while it runs
        // in the kernel, swapgs puts it in GS_BASE on the way out.
        public ulong GsBase;
        // CPU time and faults so far (CpuAccounting, PageFaultHandler), the Clock.Monotonic
        // time its CPU time was last counted up to, and the usage of the children wait4 or
        // waitid reaped, theirs included (Linux: signal->cutime, cstime, cmin_flt, cmaj_flt).
        public ResourceUsage Usage;
        public ulong CpuStamp;
        public ResourceUsage ReapedChildrenUsage;
        // ITIMER_REAL, ITIMER_VIRTUAL and ITIMER_PROF: a fork child starts with none armed,
        // execve keeps them.
        public readonly IntervalTimers Timers = new IntervalTimers();
        // timer_create's timers: a fork child starts with none, execve and exit delete them.
        public readonly PosixTimers PosixTimers = new PosixTimers();
        // The nice value and scheduling policy (fork: SchedulingPolicy.ForChild; execve keeps them).
        public SchedulingPolicy Scheduling;
        // Tick at which the process last got the CPU (round-robin quantum).
        public ulong SliceStart;

        // The file descriptors (fork gives the child a copy) and the resource limits (fork
        // copies them, execve keeps them).
        public FileTable Files = new FileTable();
        public ResourceLimits Limits;
        // The working directory (null: the root) and the file mode creation mask, both
        // inherited on fork and kept by execve.
        public Fs.Vfs.Inode Cwd;
        public uint Umask = 0x12;    // 022
        // personality, ioprio and the prctl settings (ProcessSettings says what fork and execve do).
        public ProcessSettings Settings = new ProcessSettings();
        public readonly SignalAction[] SignalActions = new SignalAction[Signal.Count + 1];
        // The number of the system call that just returned -EINTR because a signal ended its
        // sleep, plus one (0 = none), while its return to ring 3 delivers signals: a handler
        // with SA_RESTART makes it run again (SyscallDispatcher, SignalDelivery).
        public ulong InterruptedSyscall;
        // What a handler's siginfo says about each pending signal: who sent it (pid 0: the
        // kernel), or how the child changed for SIGCHLD.
        public readonly SignalFrame.Info[] PendingInfo = new SignalFrame.Info[Signal.Count + 1];
        public ulong SignalMask;
        // The signals rt_sigtimedwait waits for (0: none): one of them wakes the process even
        // while the mask blocks it (Linux: the waiter's real_blocked).
        public ulong WaitedSignals;
        // rt_sigsuspend's caller's mask while the call's temporary mask is in place
        // (RestoreMaskAfterSignal): the first handler's frame saves it instead of SignalMask,
        // so rt_sigreturn brings it back; with no handler it comes back on the way to ring 3
        // (Linux: saved_sigmask, TIF_RESTORE_SIGMASK).
        public ulong SavedSignalMask;
        public bool RestoreMaskAfterSignal;
        // The alternate signal stack (sigaltstack): fork copies it, execve disables it.
        public SignalStack AltStack = new SignalStack();
        public ulong ClearChildTid;
        // set_robust_list's head (0: none), forgotten at exec; a fork child starts without one.
        public ulong RobustList;
        // The program file's path, as execve was given it (made absolute from the root):
        // what /proc/<pid>/exe names, and what an execve of /proc/self/exe runs.
        public byte[] ExePath;
        // The argument and environment strings in user memory, NUL-separated
        // (/proc/<pid>/cmdline and environ).
        public ulong ArgStart, ArgEnd, EnvStart, EnvEnd;
        // When the process was forked (or init started), Clock.Monotonic nanoseconds
        // (/proc/<pid>/stat's starttime).
        public ulong StartNanoseconds;

        // The program's file name (the base name of the path execve ran, or of pid 1's argv[0];
        // at most 15 bytes), like Linux's comm.
        public readonly byte[] Name = new byte[MaxNameBytes];
        public int NameBytes;

        public Process(int pid, ulong kernelStackTop)
        {
            Pid = pid;
            KernelStackTop = kernelStackTop;
        }

        // The frame syscalls and interrupts from ring 3 build at the top of the kernel stack.
        public TrapFrame* Frame => (TrapFrame*)(KernelStackTop - (ulong)sizeof(TrapFrame));

        // The fxsave area trap_common and syscall_entry put just below the frame.
        public byte* FxSaveArea => (byte*)(((ulong)Frame - FxSave.AreaSize) & ~15UL);

        public bool IsZombie => State == ProcessState.Zombie;

        // The name from a path: its base name, cut to 15 bytes.
        public void SetName(byte* name, int length)
        {
            int start = 0;
            for (int i = 0; i < length; i++)
                if (name[i] == '/')
                    start = i + 1;
            SetNameBytes(name + start, length - start);
        }

        // Remembers `path` as the program's file, with a "/" in front of a relative path
        // (paths resolve from the root).
        public void SetExePath(byte* path, int length)
        {
            int slash = length > 0 && path[0] == '/' ? 0 : 1;
            byte[] copy = new byte[length + slash];
            copy[0] = (byte)'/';
            for (int i = 0; i < length; i++)
                copy[slash + i] = path[i];
            ExePath = copy;
        }

        // The name as given (prctl PR_SET_NAME), cut to 15 bytes.
        public void SetNameBytes(byte* name, int length)
        {
            NameBytes = 0;
            for (int i = 0; i < length && NameBytes < MaxNameBytes - 1; i++)
                Name[NameBytes++] = name[i];
            for (int i = NameBytes; i < MaxNameBytes; i++)
                Name[i] = 0;
        }

        public void CopyNameFrom(Process other)
        {
            for (int i = 0; i < MaxNameBytes; i++)
                Name[i] = other.Name[i];
            NameBytes = other.NameBytes;
        }

        public void WriteName()
        {
            for (int i = 0; i < NameBytes; i++)
                KernelConsole.Write((char)Name[i]);
        }

        // Writes "<name>[<pid>]", how Linux's kernel log names a task.
        public void WriteNameAndPid()
        {
            WriteName();
            KernelConsole.Write("[");
            KernelConsole.WriteDecimal((ulong)Pid);
            KernelConsole.Write("]");
        }
    }
}
