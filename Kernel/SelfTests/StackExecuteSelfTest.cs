using Cowbird.Kernel.Boot;

namespace Cowbird.Kernel.SelfTests
{
    // Calling a `ret` written on the kernel stack (the classic injected-code attack):
    // the boot stack is in .bss, which W^X maps no-execute, so the fetch faults.
    public sealed unsafe class StackExecuteSelfTest : PanicSelfTest
    {
        public override string Name => "execstack";

        private const byte Ret = 0xC3;

        protected override void Trigger(BootInfo bootInfo)
        {
            byte* code = stackalloc byte[1];
            code[0] = Ret;
            FaultTriggers.Call((ulong)code);
        }
    }
}
