namespace Cowbird.Kernel.Processes
{
    // The big kernel lock: one lock for the whole kernel, held by the process that runs
    // kernel code for ring 3 (Linux 2.0-2.6's lock_kernel, in its 2.2 form: schedule()
    // drops it and takes it again for the process that held it).
    //
    // What it protects: everything a system call or a fault may change over more than one
    // step: the memory manager (Kernel.Mm: frames, page tables, VMAs, the reverse map, the
    // LRU, swap), the kernel heap, the process table, files and pipes. Cowbird has one CPU
    // and kernel code is not preempted, so the lock only matters where a process gives up
    // the CPU in the middle of kernel work: that is the disk wait (AhciPort), which sleeps
    // in the middle of a page fault or of reclaim, with a frame half filled or a page table
    // half updated.
    //
    // The rule, and where it is taken and dropped:
    //   1. Entry from ring 3: a system call (SyscallDispatcher) and an exception from ring
    //      3 (a #GP that kills: Scheduler's user-entry hook) take the lock; a page fault
    //      takes it in PageFaultHandler once it has read CR2, which the faults of the
    //      processes that run while it waits for the lock would overwrite.
    //      Hardware interrupts (timer, keyboard, disk) do not: their handlers only count
    //      time, queue input and wake processes, which is safe at any point.
    //   2. Return to ring 3 (Scheduler.OnReturnToUser) releases it, before a spent time
    //      slice lets others run. On that path a process takes it (again) only if it has
    //      signals to act on (a signal frame is written to its memory, a kill frees its
    //      address space).
    //   3. Scheduler.Schedule drops it and takes it again before it returns, for a process
    //      that held it. Every sleep that existed before the disk one (pipe, wait4,
    //      nanosleep, poll, console, pause and sigsuspend, a stop, sched_yield, exit) goes
    //      through Schedule at a point where all kernel state is consistent, so they all
    //      let other processes into the kernel while they sleep.
    //   4. The disk wait (Scheduler.SleepForDevice) keeps it: the sleeper is in the middle
    //      of kernel work, so no other process may enter the kernel until its command is
    //      done. Others still run in ring 3: a process that only computes keeps its CPU.
    //   5. A process that needs the lock while another holds it sleeps (WaitReason.
    //      KernelLock, no signal ends that sleep) and tries again when it is released.
    //
    // Ordering: there is one lock, so no ordering between locks; the lock is taken before
    // anything else a process does in the kernel and released after everything else.
    // Interrupt handlers never wait for it. Before the first process runs (boot, self-tests)
    // nobody holds it: the boot code is the only code running and disk commands poll.
    public static class KernelLock
    {
        private static Process s_owner;
        // Processes asleep in Acquire: Release walks the process table only when there are any
        // (it runs at every return to ring 3).
        private static int s_waiters;

        // Whether `process` holds the lock.
        public static bool HeldBy(Process process) => process != null && s_owner == process;

        // Takes the lock for the current process, sleeping while another process holds it.
        // The caller must not hold it already.
        public static void Acquire()
        {
            Process current = Scheduler.Current;
            if (s_owner == current)
                Panic.Halt("KernelLock.Acquire: already held by the current process");
            while (s_owner != null)
            {
                s_waiters++;
                Scheduler.SleepForLock();
                s_waiters--;
            }
            s_owner = current;
        }

        // Releases the lock held by the current process and wakes the processes that wait
        // for it (they try again when they run; the first to run gets it).
        public static void Release()
        {
            if (s_owner != Scheduler.Current)
                Panic.Halt("KernelLock.Release: not held by the current process");
            s_owner = null;
            if (s_waiters > 0)
                Scheduler.WakeAll(WaitReason.KernelLock);
        }
    }
}
