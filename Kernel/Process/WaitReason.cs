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
        // Data in a pipe, or its last writer gone (Process.WaitChannel: the pipe).
        PipeRead,
        // Room in a pipe, or its last reader gone (Process.WaitChannel: the pipe).
        PipeWrite,
    }
}
