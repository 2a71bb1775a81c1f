using Cowbird.Kernel.Memory;
using Cowbird.Runtime;

namespace Cowbird.Kernel.Processes
{
    // Every process that exists (runnable, sleeping or zombie), in an array of MaxThreads
    // slots sized from RAM at boot; pids count up from 1 and are never reused while the
    // kernel runs.
    //
    // MaxThreads is Linux's max_threads (kernel/fork.c, set_max_threads; the sysctl
    // kernel.threads-max): RAM pages / (8 * THREAD_SIZE / PAGE_SIZE), THREAD_SIZE being
    // 16 KiB on x86-64, so that kernel stacks take at most an eighth of RAM; at least 20
    // and at most FUTEX_TID_MASK. Cowbird also stops at the kernel stack area's slots.
    // fork fails with EAGAIN when MaxThreads processes exist, zombies included (Linux:
    // nr_threads >= max_threads).
    public static class ProcessTable
    {
        private const ulong PagesPerThread = 8 * 16 * 1024 / 4096;
        private const int MinThreads = 20;
        private const int FutexTidMask = 0x3fffffff;
        // A collection once this many processes are gone since the last peak (see Remove).
        private const int ManyGone = 64;

        private static Process[] s_slots;
        private static int s_nextPid = 1;
        private static int s_count;
        // The most processes that existed since Remove last asked for a trim.
        private static int s_peak;
        // Processes are dying off after a peak (set by Remove when it asks for a trim,
        // cleared by the next fork): Remove then asks again each time the count halves.
        private static bool s_draining;
        // Remove asked for a collection and trim that TrimHeapIfDue has not run yet.
        private static bool s_trimDue;
        // Detached zombies not freed yet.
        private static int s_detached;

        public static int Count => s_count;

        // The last pid handed out: also the number of processes created since boot.
        public static int LastPid => s_nextPid - 1;

        // The number of slots: the most processes that may exist at once.
        public static int MaxThreads => s_slots.Length;

        // Sizes the table from the RAM of the machine (`totalFrames` pages, MemTotal), and
        // the collector's stack registry with it (a kernel stack per process, plus the boot stack).
        public static void Initialize(ulong totalFrames)
        {
            ulong threads = totalFrames / PagesPerThread;
            if (threads > KernelStackArea.MaxSlots)
                threads = KernelStackArea.MaxSlots;
            if (threads > FutexTidMask)
                threads = FutexTidMask;
            if (threads < MinThreads)
                threads = MinThreads;
            s_slots = new Process[threads];
            Gc.ReserveStacks((int)threads + 1);
        }

        // Slot i (may be null); for walks: for (i = 0; i < MaxThreads; i++).
        public static Process At(int i) => s_slots[i];

        // A new process with a fresh kernel stack, not yet runnable; null when the table
        // is full or no stack could be made. Then `limitReached` tells a process limit
        // (fork's EAGAIN: table or collector stack slots full) from a lack of memory (ENOMEM).
        public static Process Create(out bool limitReached)
        {
            FreeDetached();
            limitReached = false;
            int slot = 0;
            while (slot < MaxThreads && s_slots[slot] != null)
                slot++;
            limitReached = slot == MaxThreads;
            if (limitReached)
                return null;
            ulong stackTop = KernelStackArea.Allocate(out limitReached);
            if (stackTop == 0)
                return null;
            Process process = new Process(s_nextPid++, stackTop);
            process.State = ProcessState.Sleeping;
            s_slots[slot] = process;
            s_count++;
            if (s_count > s_peak)
                s_peak = s_count;
            s_draining = false;
            return process;
        }

        // The process with `pid`, zombies included, but not one reaped at exit (Detached).
        public static Process Find(int pid)
        {
            for (int i = 0; i < MaxThreads; i++)
                if (s_slots[i] != null && s_slots[i].Pid == pid && !s_slots[i].Detached)
                    return s_slots[i];
            return null;
        }

        // Marks the exiting `process` as reaped already: nobody waits for it. Its slot and
        // kernel stack stay until it has switched away for good (FreeDetached).
        public static void Detach(Process process)
        {
            process.Detached = true;
            s_detached++;
        }

        // Frees every detached zombie's slot and kernel stack, except the running process's
        // (Linux frees a dead task's stack after switching away from it: finish_task_switch).
        public static void FreeDetached()
        {
            for (int i = 0; i < MaxThreads && s_detached > 0; i++)
            {
                Process process = s_slots[i];
                if (process != null && process.Detached && process.IsZombie && process != Scheduler.Current)
                {
                    s_detached--;
                    Remove(process);
                }
            }
        }

        // Forgets a reaped zombie and frees its kernel stack (never the running one). When
        // half of the processes there were at the last peak are gone (at least ManyGone), and
        // then each time their number halves again until the next fork, the heap is due for
        // a collection and trim (TrimHeapIfDue): the dead processes' kernel objects (process,
        // files, VMAs) filled heap segments that go back to the frame allocator only once a
        // collection finds them empty, and a few survivors pin a segment, so a fork bomb's
        // memory comes back only when its last processes are reaped too, not at the next
        // heap shortage.
        public static void Remove(Process process)
        {
            for (int i = 0; i < MaxThreads; i++)
            {
                if (s_slots[i] == process)
                {
                    s_slots[i] = null;
                    s_count--;
                    KernelStackArea.Free(process.KernelStackTop);
                    if (s_count <= s_peak / 2 && (s_draining || s_peak - s_count >= ManyGone))
                    {
                        s_peak = s_count;
                        s_draining = true;
                        s_trimDue = true;
                    }
                    return;
                }
            }
            Panic.Halt("ProcessTable.Remove: not in the table");
        }

        // Collects and trims the heap if Remove asked for it. Call it only where no kernel
        // frame below holds a dead process: at the end of a system call, once the call's
        // frames are gone. Not from Remove itself: its caller (wait4 reaping a child) holds
        // the process just removed, the conservative stack scan finds it, and that one dead
        // process with its files and signal tables keeps whole grown segments (each an
        // eighth of the heap) from going back.
        public static void TrimHeapIfDue()
        {
            if (!s_trimDue)
                return;
            s_trimDue = false;
            Gc.CollectAndTrim();
        }
    }
}
