using Cowbird.Kernel.Boot;

namespace Cowbird.Kernel.SelfTests
{
    // int 0x41: a vector that is neither an exception nor a registered handler.
    public sealed class UnexpectedVectorSelfTest : PanicSelfTest
    {
        public override string Name => "vector";

        protected override void Trigger(BootInfo bootInfo) => FaultTriggers.RaiseUnexpectedVector();
    }
}
