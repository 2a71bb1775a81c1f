namespace Cowbird.Kernel.Processes
{
    // Where a process is in its life (Linux: TASK_RUNNING, TASK_INTERRUPTIBLE, EXIT_ZOMBIE).
    public enum ProcessState
    {
        // Running or waiting for the CPU.
        Runnable,
        // Blocked until WakeCondition holds (a child exits, a time passes, input arrives).
        Sleeping,
        // Exited: only the pid, the exit status and the kernel stack remain until wait4 reaps it.
        Zombie,
    }

    // What a sleeping process waits for.
    public enum WaitReason
    {
        None,
        ChildExit,
        Timer,
        ConsoleInput,
    }
}
