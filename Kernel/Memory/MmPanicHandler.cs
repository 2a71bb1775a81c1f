using Cowbird.Mm.Platform;

namespace Cowbird.Kernel.Memory
{
    // Kernel.Mm's invariant violations are kernel panics.
    public sealed class MmPanicHandler : PanicHandler
    {
        public override void Panic(string message) => Cowbird.Kernel.Panic.Halt(message);
    }
}
