using Cowbird.Mm.Platform;

namespace Cowbird.Kernel.Processes
{
    // Kernel.Mm's OutOfMemoryHandler for faults the kernel takes while copying to or from
    // the current process's memory (a syscall's buffer, execve's new stack): the same
    // OOM killer a user-mode fault runs, then the copy is retried. If the current process
    // is the one chosen, it exits inside OomKiller.Run and the copy never resumes.
    // Outside any process (the kernel loading init), there is nobody to kill: ENOMEM.
    public sealed class UserCopyOomHandler : OutOfMemoryHandler
    {
        public override bool FreeMemory()
        {
            Process current = Scheduler.Current;
            if (current == null)
                return false;
            OomKiller.Run(current);
            return true;
        }
    }
}
