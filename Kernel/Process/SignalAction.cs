namespace Cowbird.Kernel.Processes
{
    // One rt_sigaction entry, as Linux x86-64's struct kernel_sigaction lays it out:
    // handler, flags, restorer, mask (8 bytes each).
    public struct SignalAction
    {
        public ulong Handler;
        public ulong Flags;
        public ulong Restorer;
        public ulong Mask;
    }
}
