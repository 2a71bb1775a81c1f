namespace Cowbird.Kernel.Processes
{
    // What a sleeping process waits for.
    public enum WaitReason
    {
        None,
        ChildExit,
        // Nothing but a signal (pause, rt_sigsuspend).
        Signal,
        Timer,
        ConsoleInput,
        // The terminal's output restarted after VSTOP (IXON).
        ConsoleOutput,
        // Data in a pipe, or its last writer gone (Process.WaitChannel: the pipe).
        PipeRead,
        // Room in a pipe, or its last reader gone (Process.WaitChannel: the pipe).
        PipeWrite,
        // A FIFO's other end to be opened (Process.WaitChannel: its pipe).
        FifoOpen,
        // A flock lock to go (Process.WaitChannel: what the lock lies on, FileLocks).
        FileLock,
        // The kernel lock, held by another process (KernelLock).
        KernelLock,
        // A disk command to complete (Process.WaitChannel: the disk's port); the sleeper
        // keeps the kernel lock.
        Disk,
    }
}
