using Cowbird.Kernel.Boot;

namespace Cowbird.Kernel.SelfTests
{
    // int3 with no debugger: an exception vector nobody handles.
    public sealed class BreakpointSelfTest : PanicSelfTest
    {
        public override string Name => "breakpoint";

        protected override void Trigger(BootInfo bootInfo) => FaultTriggers.Breakpoint();
    }
}
