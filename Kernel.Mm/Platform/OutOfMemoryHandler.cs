namespace Cowbird.Mm.Platform
{
    // Seam: what a fault the kernel takes on a process's behalf (UserMemory copying to or
    // from its memory) does when no frame can be had even after reclaim (Linux:
    // pagefault_out_of_memory). The kernel runs its OOM killer, which frees memory by
    // killing a process (the caller itself, possibly: then it never returns), and
    // answers true: retry the access. Without a handler (the host tests) the copy fails
    // with ENOMEM.
    public abstract class OutOfMemoryHandler
    {
        // Frees memory or waits until a process chosen to die has freed it. True when
        // the caller should retry the allocation, false to give up (ENOMEM).
        public abstract bool FreeMemory();
    }
}
