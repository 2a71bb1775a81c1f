namespace Cowbird.Kernel.Processes
{
    // Where a process is in its life (Linux: TASK_RUNNING, TASK_INTERRUPTIBLE, TASK_STOPPED,
    // EXIT_ZOMBIE).
    public enum ProcessState
    {
        // Running or waiting for the CPU.
        Runnable,
        // Blocked until what it waits for (WaitReason) happens, or a kill arrives.
        Sleeping,
        // Stopped by SIGSTOP, SIGTSTP, SIGTTIN or SIGTTOU until SIGCONT or SIGKILL arrives.
        Stopped,
        // Exited: only the pid, the exit status and the kernel stack remain until wait4 reaps it.
        Zombie,
    }
}
