using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Processes
{
    // Out of memory with no way to free any (Linux: mm/oom_kill.c, much reduced): kill
    // the process with the highest OomBadness score (resident pages + swap entries +
    // page-table pages, Linux's oom_badness), say so on the kernel log, keep running.
    // The victim dies the next time it runs (its memory is freed by its own exit, never
    // behind its back while it may be inside a syscall), so the faulting process yields
    // until then and retries. A victim already dying is not chosen twice.
    public static class OomKiller
    {
        private static readonly OomBadness s_badness = new OomBadness();

        // Called by the faulting process `current` (from its fault or syscall path).
        public static void Run(Process current)
        {
            Process victim = null;
            ulong most = 0;
            bool dying = false;
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
                ulong score = s_badness.Score(process.Space);
                if (victim == null || score > most)
                {
                    victim = process;
                    most = score;
                }
            }
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
    }
}
