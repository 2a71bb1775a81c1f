using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Processes
{
    // Out of memory with no way to free any (Linux: mm/oom_kill.c, much reduced): kill
    // the process with the highest OomBadness score (resident pages + swap entries +
    // page-table pages, Linux's oom_badness), say so on the kernel log, keep running.
    // As on Linux, init (pid 1) is never chosen while another process can be, and of
    // equal scores the one found last in the process table wins (Linux: the last in
    // its task list). Linux panics when only init is left; Cowbird kills init then, so
    // a user program cannot take the kernel down.
    // The victim dies the next time it runs (its memory is freed by its own exit, never
    // behind its back while it may be inside a syscall), so the faulting process yields
    // until then and retries. A victim already dying is not chosen twice.
    public static class OomKiller
    {
        private const int InitPid = 1;
        private static readonly OomBadness s_badness = new OomBadness();

        // Called by the faulting process `current` (from its fault or syscall path).
        public static void Run(Process current)
        {
            bool dying;
            Process victim = ChooseVictim(false, out dying);
            if (victim == null && !dying)
                victim = ChooseVictim(true, out dying);
            if (victim != null && !dying)
            {
                KernelConsole.Write("Out of memory: Killed process ");
                KernelConsole.WriteDecimal((ulong)victim.Pid);
                KernelConsole.Write(" (");
                victim.WriteName();
                KernelConsole.WriteLine(")");
                SignalDelivery.Send(victim, Signal.SIGKILL);
            }
            if (current.PendingKill != 0)
                ProcessLifecycle.Exit(current, Signal.KilledStatus(current.PendingKill));
            Scheduler.Yield();
        }

        // The live process with the highest score, init only when `mayChooseInit`.
        // `dying`: some process already has a kill pending (then no new victim is needed).
        private static Process ChooseVictim(bool mayChooseInit, out bool dying)
        {
            Process victim = null;
            ulong most = 0;
            dying = false;
            for (int i = 0; i < ProcessTable.MaxThreads; i++)
            {
                Process process = ProcessTable.At(i);
                if (process == null || process.IsZombie)
                    continue;
                if (process.PendingKill != 0)
                {
                    dying = true;
                    continue;
                }
                if (process.Pid == InitPid && !mayChooseInit)
                    continue;
                ulong score = s_badness.Score(process.Space);
                if (victim == null || score >= most)
                {
                    victim = process;
                    most = score;
                }
            }
            return victim;
        }
    }
}
