namespace Cowbird.Kernel.Processes
{
    // What a sleeping process waits for.
    public enum WaitReason
    {
        None,
        ChildExit,
        Timer,
        ConsoleInput,
    }
}
