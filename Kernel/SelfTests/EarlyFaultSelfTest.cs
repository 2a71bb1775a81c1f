using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Boot;

namespace Cowbird.Kernel.SelfTests
{
    // The assembly-only fault report used before Interrupts.Initialize (while the
    // runtime starts): switch traps back to it (with interrupts off, so no timer
    // tick gets there first), then execute ud2.
    public sealed class EarlyFaultSelfTest : PanicSelfTest
    {
        public override string Name => "earlyfault";

        protected override void Trigger(BootInfo bootInfo)
        {
            Cpu.DisableInterrupts();
            Interrupts.SetDispatchReady(false);
            FaultTriggers.InvalidOpcode();
        }
    }
}
