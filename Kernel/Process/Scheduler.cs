using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Drivers;
using Cowbird.Kernel.Memory;

namespace Cowbird.Kernel.Processes
{
    // Round-robin scheduling on one CPU (Linux's schedule(), much reduced).
    //
    // Rules:
    //   - Kernel code is not preempted: a process gives up the CPU only in Schedule,
    //     called when it blocks (Sleep), exits, or when its time slice is over on the
    //     way back to ring 3 (OnReturnToUser, from an interrupt, or the end of a syscall).
    //   - Kernel code runs with interrupts disabled; they are enabled only while the
    //     CPU idles in Schedule (sti; hlt), so interrupt handlers never run in the
    //     middle of kernel data-structure updates.
    //   - System calls and faults run under the kernel lock (KernelLock); Schedule drops it
    //     while others run, SleepForDevice keeps it.
    //   - Switching = TSS.Rsp0 + per-CPU kernel stack, CR3, FS base, then the kernel
    //     stacks (context_switch). User SSE registers are on each kernel stack already.
    //   - Each switch, and each entry from and return to ring 3, counts the running
    //     process's CPU time (CpuAccounting).
    public sealed unsafe class Scheduler : InterruptHandler
    {
        // Ticks (10 ms) a process runs before another runnable one gets the CPU.
        public const ulong TimeSlice = 2;

        private static Process s_current;
        private static int s_lastSlot = -1;
        // The boot stack's rsp while processes run (never resumed: pid 1's exit powers off).
        private static ulong s_bootRsp;

        public static Process Current => s_current;

        // Whether kernel code may sleep for a device while keeping the kernel lock: a process
        // runs and holds it (not the boot code, which polls).
        public static bool MaySleepForDevice => KernelLock.HeldBy(s_current);

        public static void Initialize()
        {
            Interrupts.SetUserReturnHandler(new Scheduler());
            Interrupts.SetUserEntryHandler(new UserEntry());
        }

        // Leaves the boot stack for good and runs the processes.
        public static void Start()
        {
            Process next = PickNext();
            CpuAccounting.StartRunning(next);
            SwitchTo(next, ref s_bootRsp);
        }

        // Makes a new or woken process eligible to run.
        public static void MakeRunnable(Process process)
        {
            process.State = ProcessState.Runnable;
            process.WaitingFor = WaitReason.None;
            process.WaitChannel = null;
        }

        // Blocks the current process until something wakes it (WakeAll, a signal, or the tick
        // `wakeTick`: always for WaitReason.Timer, and for other reasons when it is not 0).
        // Returns false when a fatal or a caught signal is pending (the caller should return
        // -EINTR). A stop signal stops the process inside the sleep; once continued it returns
        // true, and the caller, which re-checks what it waits for, sleeps again: the system
        // call goes on as Linux restarts it when no handler ran.
        public static bool Sleep(WaitReason reason, ulong wakeTick)
        {
            Process current = s_current;
            if (SignalDelivery.HandlePending(current, false))
                return false;
            current.State = ProcessState.Sleeping;
            current.WaitingFor = reason;
            current.WakeTick = wakeTick;
            Schedule();
            return !SignalDelivery.HandlePending(current, false);
        }

        // Sleep for `reason` on one object of many (a pipe): only WakeAll with the same
        // `channel` ends it (or a signal, as for Sleep).
        public static bool SleepOn(WaitReason reason, object channel)
        {
            s_current.WaitChannel = channel;
            bool woken = Sleep(reason, 0);
            s_current.WaitChannel = null;
            return woken;
        }

        // Wakes every process sleeping for `reason` (ChildExit wakes are targeted: Wake).
        public static void WakeAll(WaitReason reason) => WakeAll(reason, null);

        // Wakes every process sleeping for `reason` on `channel` (SleepOn; null: Sleep).
        public static void WakeAll(WaitReason reason, object channel)
        {
            for (int i = 0; i < ProcessTable.MaxThreads; i++)
            {
                Process process = ProcessTable.At(i);
                if (process != null && process.State == ProcessState.Sleeping && process.WaitingFor == reason
                    && process.WaitChannel == channel)
                    MakeRunnable(process);
            }
        }

        // Wakes `process` if it sleeps (any reason): a child exited, or a signal arrived.
        public static void Wake(Process process)
        {
            if (process.State == ProcessState.Sleeping)
                MakeRunnable(process);
        }

        // Gives the CPU to another runnable process, if any; the current one stays runnable.
        public static void Yield() => Schedule();

        // Picks the next process (round robin after the current one) and switches to it;
        // idles with interrupts enabled while nothing can run. Returns when the current
        // process runs again (never for a zombie). A process that holds the kernel lock
        // drops it while others run and has it again when this returns (KernelLock, rule 3).
        public static void Schedule()
        {
            Process current = s_current;
            bool held = KernelLock.HeldBy(current);
            if (held)
                KernelLock.Release();
            SwitchAway();
            if (held)
            {
                KernelLock.Acquire();
                ProcessTable.FreeDetached();
            }
        }

        // Blocks the current process, which keeps the kernel lock, until a device's interrupt
        // wakes it (WakeAll with `reason` and `channel`) or the next tick does: the caller
        // checks its device again each time this returns (a signal may wake it early too).
        // No other process enters the kernel meanwhile (KernelLock, rule 4).
        public static void SleepForDevice(WaitReason reason, object channel)
        {
            Process current = s_current;
            current.State = ProcessState.Sleeping;
            current.WaitingFor = reason;
            current.WaitChannel = channel;
            current.WakeTick = PitTimer.Ticks + 1;
            SwitchAway();
        }

        // Blocks the current process until the kernel lock is released (KernelLock.Acquire).
        public static void SleepForLock()
        {
            s_current.State = ProcessState.Sleeping;
            s_current.WaitingFor = WaitReason.KernelLock;
            s_current.WakeTick = 0;
            SwitchAway();
        }

        // The switch itself, leaving the kernel lock as it is. Detached zombies' kernel stacks
        // are freed by Schedule once it has the lock again, not here: a process without the
        // lock (one preempted on its way to ring 3) must not touch the kernel heap.
        private static void SwitchAway()
        {
            CpuAccounting.LeaveKernel(s_current);
            Process next = PickNext();
            CpuAccounting.StartRunning(next);
            if (next != s_current)
            {
                CpuTime.OnSwitch();
                SwitchTo(next, ref s_current.SavedRsp);
            }
            s_current.SliceStart = PitTimer.Ticks;
        }

        private static Process PickNext()
        {
            while (true)
            {
                WakeTimers();
                for (int n = 1; n <= ProcessTable.MaxThreads; n++)
                {
                    int slot = (s_lastSlot + n) % ProcessTable.MaxThreads;
                    Process process = ProcessTable.At(slot);
                    if (process != null && process.State == ProcessState.Runnable)
                    {
                        s_lastSlot = slot;
                        return process;
                    }
                }
                CpuTime.Idle = true;
                Cpu.WaitForInterrupt();
                Cpu.DisableInterrupts();
                CpuTime.Idle = false;
            }
        }

        private static void WakeTimers()
        {
            ulong now = PitTimer.Ticks;
            for (int i = 0; i < ProcessTable.MaxThreads; i++)
            {
                Process process = ProcessTable.At(i);
                if (process != null && process.State == ProcessState.Sleeping
                    && (process.WaitingFor == WaitReason.Timer || process.WakeTick != 0) && process.WakeTick <= now)
                    MakeRunnable(process);
            }
        }

        // Runs `next`, saving this kernel stack's rsp in `saveRsp`; returns when something
        // switches back to it. The x87 registers go with the process (FxSave.cs).
        private static void SwitchTo(Process next, ref ulong saveRsp)
        {
            if (s_current != null)
                FxSave.SaveX87(s_current.FxSaveArea);
            s_current = next;
            SyscallSetup.SetKernelStack(next.KernelStackTop);
            next.Space.Activate();
            UserModeCpu.WriteMsr(UserModeCpu.MsrFsBase, next.FsBase);
            UserModeCpu.WriteMsr(UserModeCpu.MsrKernelGsBase, next.GsBase);
            next.SliceStart = PitTimer.Ticks;
            fixed (ulong* save = &saveRsp)
                UserModeCpu.ContextSwitch(save, next.SavedRsp);
            FxSave.LoadX87(s_current.FxSaveArea);
        }

        // Called before every return to ring 3 (interrupts, exceptions, syscalls): pending
        // signals act (a fatal one ends the process, a stop signal stops it); a used-up time
        // slice lets others run. The kernel lock is released here (KernelLock, rule 2), before
        // the slice ends, so a preempted process does not need it again to go on to ring 3.
        public static void OnReturnToUser()
        {
            Process current = s_current;
            ActOnSignalsAndUnlock(current);
            if (PitTimer.Ticks - current.SliceStart >= TimeSlice)
                Schedule();
            ActOnSignalsAndUnlock(current);
            // A restart the interrupted call asked for (SyscallDispatcher.Finish) was taken by
            // the first handler run above, or is not wanted: it must not reach a later return.
            current.InterruptedSyscall = 0;
            CpuAccounting.LeaveKernel(current);
        }

        // SignalDelivery.ActOnPending under the kernel lock, which a process that came from an
        // interrupt takes only when a signal needs it; returns without the lock.
        private static void ActOnSignalsAndUnlock(Process current)
        {
            if (!KernelLock.HeldBy(current))
            {
                if (!SignalDelivery.HasWork(current))
                    return;
                KernelLock.Acquire();
            }
            SignalDelivery.ActOnPending(current);
            KernelLock.Release();
        }

        public override void Handle(TrapFrame* frame) => OnReturnToUser();

        // First on every interrupt from ring 3: the running process's user time ends, and an
        // exception (not a hardware interrupt) takes the kernel lock (KernelLock, rule 1),
        // except a page fault: PageFaultHandler takes it once it has read CR2.
        private sealed class UserEntry : InterruptHandler
        {
            public override void Handle(TrapFrame* frame)
            {
                CpuAccounting.EnterKernel(s_current);
                if (frame->Vector < (ulong)Pic8259.IrqBase && frame->Vector != ExceptionVector.PageFault)
                    KernelLock.Acquire();
            }
        }
    }
}
