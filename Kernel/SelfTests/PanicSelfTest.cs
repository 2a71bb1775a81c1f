using Cowbird.Kernel.Boot;

namespace Cowbird.Kernel.SelfTests
{
    // A self-test whose success is a panic: Run triggers one kind of fault,
    // which must stop the kernel with a report naming the fault and the method
    // (Tests.Boot checks the message). Returning from Trigger is a failure.
    public abstract class PanicSelfTest : SelfTest
    {
        // Causes the fault, in a NoInlining method of its own whose name the panic must print.
        protected abstract void Trigger(BootInfo bootInfo);

        public override bool Run(BootInfo bootInfo)
        {
            KernelConsole.WriteLine("  expect a panic next");
            Trigger(bootInfo);
            return Check(false, "the fault did not stop the kernel");
        }
    }
}
