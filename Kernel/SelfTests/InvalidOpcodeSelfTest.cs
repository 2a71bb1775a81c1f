using Cowbird.Kernel.Boot;

namespace Cowbird.Kernel.SelfTests
{
    // ud2, an instruction the CPU does not know: #UD.
    public sealed class InvalidOpcodeSelfTest : PanicSelfTest
    {
        public override string Name => "invalidopcode";

        protected override void Trigger(BootInfo bootInfo) => FaultTriggers.InvalidOpcode();
    }
}
