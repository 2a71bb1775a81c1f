using Cowbird.Kernel.Boot;

namespace Cowbird.Kernel.SelfTests
{
    // Calling a `ret` in the kernel's .data section: W^X maps data no-execute, so
    // the instruction fetch is a page fault naming the protection.
    public sealed class DataExecuteSelfTest : PanicSelfTest
    {
        public override string Name => "execdata";

        protected override void Trigger(BootInfo bootInfo) => FaultTriggers.Call(FaultTriggers.DataCodeAddress());
    }
}
