using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Boot;

namespace Cowbird.Kernel.SelfTests
{
    // Calling a `ret` in an executable user page from kernel mode: with SMEP on the
    // instruction fetch faults, and the report names SMEP.
    public sealed class SmepSelfTest : PanicSelfTest
    {
        public override string Name => "smep";

        private const byte Ret = 0xC3;

        protected override void Trigger(BootInfo bootInfo)
        {
            if (!Check(MemoryProtection.Smep, "SMEP is on"))
                return;
            ulong page = UserTestPage.Map(Ret);
            if (Check(page != 0, "a user page is mapped"))
                FaultTriggers.Call(page);
        }
    }
}
