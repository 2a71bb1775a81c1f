using Cowbird.Mm.Swap;

namespace Cowbird.Kernel.Swap
{
    // Where Kernel.Mm/Swap reports a broken invariant: a kernel panic with its message.
    public sealed class KernelSwapPanicSink : PanicSink
    {
        public override void Panic(string message) => Cowbird.Kernel.Panic.Halt(message);
    }
}
