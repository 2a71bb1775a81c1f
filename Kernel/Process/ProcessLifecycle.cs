using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Drivers;
using Cowbird.Kernel.Fs;
using Cowbird.Kernel.Fs.Vfs;
using Cowbird.Kernel.Memory;
using Cowbird.Kernel.Syscalls;
using Cowbird.Kernel.Time;
using Cowbird.Kernel.Tty;
using Cowbird.Mm;
using Cowbird.Mm.Vm;
using Cowbird.Runtime;

namespace Cowbird.Kernel.Processes
{
    // Birth, exec, death and reaping of processes (Linux: kernel/fork.c, fs/exec.c,
    // kernel/exit.c).
    //
    // Ordering rules:
    //   - exec builds the whole new image before touching the caller: any error leaves it intact.
    //   - exit loads the kernel's own CR3 before destroying the address space (its PML4
    //     is freed), then closes files, hands children to init, becomes a zombie, wakes
    //     the parent and schedules away for good; the parent's wait4 frees the kernel
    //     stack (never freed while running on it).
    //   - pid 1 exiting ends the machine: one machine-readable line on the kernel log
    //     (`COWBIRD-EXIT status=N` or `COWBIRD-EXIT signal=N`), then power off.
    public static unsafe class ProcessLifecycle
    {
        public const int InitPid = 1;
        private const ulong UserFlags = 0x202;   // IF set, reserved bit 1
        private const int ManyVmas = 1024;
        private const ulong SaNoCldWait = 2;

        private static Process s_init;

        public static Process Init => s_init;

        // Starts `path` with `argv` as pid 1. 0 or -errno.
        public static int StartInit(byte* path, int pathLength, ArgumentList argv)
        {
            ArgumentList envp = new ArgumentList(0, 0);
            ResourceLimits limits = ResourceLimits.ForInit(ProcessTable.MaxThreads);
            ProgramImage.Result image;
            int error = ProgramImage.Build(FileSystem.Root, path, pathLength, argv, envp, limits.Soft(ResourceLimits.Stack), out image);
            if (error != 0)
                return error;
            Process process = ProcessTable.Create(out _);
            if (process == null)
            {
                image.Space.Destroy();
                return -(int)Errno.ENOMEM;
            }
            fixed (byte* name = argv.Bytes)
                process.SetName(name, argv.LengthAt(0));
            process.SetExePath(path, pathLength);
            process.StartNanoseconds = Clock.Monotonic;
            OpenFile console = OpenFile.Console();
            for (int fd = 0; fd < 3; fd++)
                process.Files.Install(fd, console);
            process.Limits = limits;
            ProcessGroups.MakeInitSession(process);
            Terminal.Console?.Control(process);
            InstallImage(process, image);
            PrepareFirstRun(process);
            FxSave.Reset(process.FxSaveArea);
            s_init = process;
            Scheduler.MakeRunnable(process);
            return 0;
        }

        // Sets up the kernel stack so the first switch to `process` enters ring 3 through
        // process_first_run with its TrapFrame and fxsave area.
        private static void PrepareFirstRun(Process process)
        {
            ulong* switchFrame = (ulong*)process.FxSaveArea - 7;
            for (int i = 0; i < 6; i++)
                switchFrame[i] = 0;           // r15 r14 r13 r12 rbx rbp
            switchFrame[6] = UserModeCpu.ProcessFirstRunAddress();
            process.SavedRsp = (ulong)switchFrame;
        }

        // Gives `process` a new program image: its registers start at the entry point.
        private static void InstallImage(Process process, ProgramImage.Result image)
        {
            process.Space = image.Space;
            process.StackStart = image.StackStart;
            TrapFrame* frame = process.Frame;
            ulong* words = (ulong*)frame;
            for (int i = 0; i < sizeof(TrapFrame) / 8; i++)
                words[i] = 0;
            frame->Rip = image.Entry;
            frame->Rsp = image.StackPointer;
            frame->Cs = Gdt.UserCodeSelector;
            frame->Ss = Gdt.UserDataSelector;
            frame->Rflags = UserFlags;
            frame->Rcx = image.Entry;       // sysret takes rip from rcx, rflags from r11
            frame->R11 = UserFlags;
            process.FsBase = 0;
            process.GsBase = 0;
            process.ClearChildTid = 0;
            process.RobustList = 0;
            process.ArgStart = image.ArgStart;
            process.ArgEnd = image.ArgEnd;
            process.EnvStart = image.EnvStart;
            process.EnvEnd = image.EnvEnd;
        }

        // execve for the current process (argv/envp already copied in). Only returns on error.
        public static int Exec(Process process, byte* path, int pathLength, ArgumentList argv, ArgumentList envp)
        {
            ProgramImage.Result image;
            int error = ProgramImage.Build(process.Cwd ?? FileSystem.Root, path, pathLength, argv, envp, process.Limits.Soft(ResourceLimits.Stack), out image);
            if (error != 0)
                return error;
            AddressSpace old = process.Space;
            image.Space.Activate();
            old.Destroy();
            InstallImage(process, image);
            LimitSyscalls.ApplyToSpace(process);
            UserModeCpu.WriteMsr(UserModeCpu.MsrFsBase, 0);
            UserModeCpu.WriteMsr(UserModeCpu.MsrKernelGsBase, 0);
            FxSave.Reset(process.FxSaveArea);
            FxSave.LoadX87(process.FxSaveArea);
            process.SetName(path, pathLength);
            process.SetExePath(path, pathLength);
            process.HasExeced = true;
            process.Settings.OnExec();
            process.Files.CloseOnExec();
            process.AltStack.Reset();
            PosixTimers.ForgetOnExec(process);
            // Caught signals return to their default action; ignored ones stay ignored, but
            // lose their flags and mask (Linux's flush_signal_handlers).
            for (int i = 0; i <= Signal.Count; i++)
            {
                bool ignored = process.SignalActions[i].Handler == Signal.SigIgn;
                process.SignalActions[i] = default;
                if (ignored)
                    process.SignalActions[i].Handler = Signal.SigIgn;
            }
            return 0;
        }

        // fork: a copy of `parent` whose syscall returns 0. The child's pid, or -errno.
        public static int Fork(Process parent) => Fork(parent, out _);

        // fork, also giving the child (null on error) for clone's extras, which the caller
        // sets before the child first runs (it is runnable, but cannot run until this call
        // returns to user mode).
        public static int Fork(Process parent, out Process child)
        {
            child = null;
            AddressSpace childSpace;
            if (parent.Space.Fork(out childSpace) != Errno.None)
                return -(int)Errno.ENOMEM;
            child = ProcessTable.Create(out bool limitReached);
            if (child == null)
            {
                childSpace.Destroy();
                return limitReached ? -(int)Errno.EAGAIN : -(int)Errno.ENOMEM;
            }
            child.Parent = parent;
            child.Space = childSpace;
            child.StackStart = parent.StackStart;
            child.FsBase = parent.FsBase;
            child.GsBase = parent.GsBase;
            child.SignalMask = parent.SignalMask;
            child.AltStack = parent.AltStack.Copy();
            child.ProcessGroup = parent.ProcessGroup;
            child.Session = parent.Session;
            child.HasTerminal = parent.HasTerminal;
            child.CopyNameFrom(parent);
            child.ExePath = parent.ExePath;
            child.ArgStart = parent.ArgStart;
            child.ArgEnd = parent.ArgEnd;
            child.EnvStart = parent.EnvStart;
            child.EnvEnd = parent.EnvEnd;
            child.StartNanoseconds = Clock.Monotonic;
            for (int i = 0; i <= Signal.Count; i++)
                child.SignalActions[i] = parent.SignalActions[i];
            child.Files = parent.Files.Copy();
            child.Cwd = parent.Cwd;
            child.Umask = parent.Umask;
            child.Settings = parent.Settings.ForChild();
            child.Limits = parent.Limits.Copy();
            child.Scheduling = parent.Scheduling.ForChild();
            *child.Frame = *parent.Frame;
            child.Frame->Rax = 0;
            FxSave.SaveX87(parent.FxSaveArea);
            FxSave.Copy(child.FxSaveArea, parent.FxSaveArea);
            PrepareFirstRun(child);
            Scheduler.MakeRunnable(child);
            return child.Pid;
        }

        // Ends the current process with wait status `status`. Never returns.
        public static void Exit(Process process, int status)
        {
            if (process != Scheduler.Current)
                Panic.Halt("ProcessLifecycle.Exit: not the current process");
            if (process.Pid == InitPid)
                PowerOff(status);
            ReleaseResources(process);
            process.Timers.DisarmAll();
            process.PosixTimers.RemoveAll();
            if (ProcessGroups.IsSessionLeader(process))
                Terminal.Console?.SessionLeaderExits(process);
            process.ExitStatus = status;
            process.State = ProcessState.Zombie;
            ReparentChildren(process);
            if (process.Parent != null)
                ProcessGroups.HangUpIfOrphaned(process.ProcessGroup, process.Session, process.Parent);
            NotifyParentOfExit(process);
            Scheduler.Schedule();
            Panic.Halt("ProcessLifecycle.Exit: a zombie ran again");
        }

        // The address space goes, then the files. A process with many VMAs leaves megabytes
        // of kernel heap garbage behind: a collection then lets the heap segments they
        // filled go back to the frame allocator, instead of whenever the heap next runs short.
        private static void ReleaseResources(Process process)
        {
            bool manyVmas = process.Space.Vmas.Count >= ManyVmas;
            UserModeCpu.WriteCr3(KernelMemory.KernelPml4);
            process.Space.Destroy();
            process.Space = null;
            process.Files.CloseAll();
            if (manyVmas)
                Gc.Collect();
        }

        // Linux's do_notify_parent: the parent gets SIGCHLD and is woken in wait4. A parent
        // whose SIGCHLD action is SIG_IGN or has SA_NOCLDWAIT does not want zombies: the child
        // is reaped at once (Detached) and the parent's wait4 no longer sees it; with SIG_IGN
        // no SIGCHLD is sent either.
        private static void NotifyParentOfExit(Process process)
        {
            Process parent = process.Parent;
            if (parent == null)
                return;
            SignalAction action = parent.SignalActions[Signal.SIGCHLD];
            if (action.Handler == Signal.SigIgn || (action.Flags & SaNoCldWait) != 0)
            {
                process.Parent = null;
                ProcessTable.Detach(process);
            }
            if (action.Handler != Signal.SigIgn)
                SignalDelivery.Send(parent, Signal.SIGCHLD, SignalDelivery.ChildInfo(process,
                    Signal.ExitCode(process.ExitStatus), Signal.ExitInfoStatus(process.ExitStatus)));
            Scheduler.Wake(parent);
        }

        // Gives `process`'s children to init (zombies included: init reaps them); a child that
        // asked for one (PR_SET_PDEATHSIG) gets its signal, once init is its parent; a child's
        // group that `process` was the last link of is hung up if stopped (ProcessGroups).
        private static void ReparentChildren(Process process)
        {
            bool zombies = false;
            for (int i = 0; i < ProcessTable.MaxThreads; i++)
            {
                Process child = ProcessTable.At(i);
                if (child != null && child.Parent == process)
                {
                    child.Parent = s_init;
                    zombies |= child.IsZombie;
                    if (child.Settings.ParentDeathSignal != 0 && !child.IsZombie)
                        SignalDelivery.Send(child, child.Settings.ParentDeathSignal, process.Pid);
                    ProcessGroups.HangUpIfOrphaned(child.ProcessGroup, child.Session, process);
                }
            }
            if (zombies)
                Scheduler.Wake(s_init);
        }

        // What wait4 and waitid wait for (their options, decoded).
        public struct WaitOptions
        {
            public bool NoHang;       // WNOHANG: return 0 instead of sleeping
            public bool Exited;       // WEXITED (implied by wait4): report and reap an ended child
            public bool Stopped;      // WUNTRACED, WSTOPPED: report a child's stop
            public bool Continued;    // WCONTINUED: report a child's continue by SIGCONT
            public bool NoWait;       // WNOWAIT: report, but leave the child as it was
            public bool ByGroup;      // waitid P_PGID: `pid` is a process group
            public bool CloneOnly;    // __WCLONE without __WALL: only children that do not
                                      // report their exit with SIGCHLD, which Cowbird has none of
        }

        // What a wait learned about one child.
        public struct WaitReport
        {
            public int Pid;
            public int Status;          // wait4's status word
            public int Code;            // waitid's si_code (CLD_*)
            public int InfoStatus;      // waitid's si_status: exit code or signal
            public ResourceUsage Usage; // the child's, its reaped children's included (wait4's rusage)
        }

        // wait4 and waitid without the user-memory part (Linux's do_wait): for a child
        // matching `pid` (ProcessGroups.WaitMatches: -1 any, 0 the caller's group, < -1 that
        // group; with ByGroup, group `pid`), reaps a zombie (WEXITED), or reports a stop
        // (WUNTRACED) or a continue (WCONTINUED) once each; WNOWAIT leaves all as it was.
        // A zombie counts as a child only for WEXITED (Linux's wait_task_zombie leaves
        // notask_error alone). The child's pid with its report, 0 (WNOHANG and nothing to
        // report), -ECHILD (no such child, now or any more), or -EINTR when a fatal signal
        // interrupted the wait.
        public static int Wait(Process parent, int pid, WaitOptions options, out WaitReport report)
        {
            report = default;
            bool interrupted = false;
            while (true)
            {
                ProcessTable.FreeDetached();
                bool any = false;
                for (int i = 0; i < ProcessTable.MaxThreads && !options.CloneOnly; i++)
                {
                    Process child = ProcessTable.At(i);
                    if (child == null || child.Parent != parent || !Selects(parent, child, pid, options)
                        || (child.IsZombie && !options.Exited))
                        continue;
                    any = true;
                    int reported = Report(parent, child, options, out report);
                    if (reported != 0)
                        return reported;
                }
                if (!any)
                    return -(int)Errno.ECHILD;
                if (options.NoHang)
                    return 0;
                // A signal that ends the sleep comes with a child's exit (SIGCHLD): look at the
                // children once more before giving up, as Linux's do_wait does.
                if (interrupted)
                    return -(int)Errno.EINTR;
                interrupted = !Scheduler.Sleep(WaitReason.ChildExit, 0);
            }
        }

        private static bool Selects(Process parent, Process child, int pid, WaitOptions options) =>
            options.ByGroup ? child.ProcessGroup == pid : ProcessGroups.WaitMatches(parent, child, pid);

        // What a wait learns from one child, in Linux's order (wait_consider_task): its
        // exit (reaping it: its usage joins the parent's children's), else its stop, else
        // its continue. The pid, or 0 for nothing.
        private static int Report(Process parent, Process child, WaitOptions options, out WaitReport report)
        {
            report = default;
            report.Pid = child.Pid;
            report.Usage = ResourceUsage.Sum(child.Usage, child.ReapedChildrenUsage);
            if (child.IsZombie)
            {
                report.Status = child.ExitStatus;
                report.Code = Signal.ExitCode(child.ExitStatus);
                report.InfoStatus = Signal.ExitInfoStatus(child.ExitStatus);
                if (!options.NoWait)
                {
                    parent.ReapedChildrenUsage = ResourceUsage.Sum(parent.ReapedChildrenUsage, report.Usage);
                    ProcessTable.Remove(child);
                }
                return report.Pid;
            }
            if (options.Stopped && child.StopReport != 0)
            {
                report.Status = Signal.StoppedStatus(child.StopReport);
                report.Code = Signal.CldStopped;
                report.InfoStatus = child.StopReport;
                if (!options.NoWait)
                    child.StopReport = 0;
                return report.Pid;
            }
            if (options.Continued && child.ContinueReport)
            {
                report.Status = Signal.ContinuedStatus;
                report.Code = Signal.CldContinued;
                report.InfoStatus = Signal.SIGCONT;
                if (!options.NoWait)
                    child.ContinueReport = false;
                return report.Pid;
            }
            return 0;
        }

        // pid 1 ended: report how on the kernel log and power off (QEMU exits).
        private static void PowerOff(int status)
        {
            if ((status & 0x7F) != 0)
            {
                KernelConsole.Write("COWBIRD-EXIT signal=");
                KernelConsole.WriteDecimal((ulong)(status & 0x7F));
            }
            else
            {
                KernelConsole.Write("COWBIRD-EXIT status=");
                KernelConsole.WriteDecimal((ulong)((status >> 8) & 0xFF));
            }
            KernelConsole.Write('\n');
            QemuDebugExit.Exit(ExitStatus.Success);
        }
    }
}
