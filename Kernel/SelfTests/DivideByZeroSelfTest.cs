using System.Runtime.CompilerServices;
using Cowbird.Kernel.Boot;

namespace Cowbird.Kernel.SelfTests
{
    // Integer division by zero: the CPU's divide error (#DE).
    public sealed class DivideByZeroSelfTest : PanicSelfTest
    {
        public override string Name => "divzero";

        protected override void Trigger(BootInfo bootInfo) => Divide(bootInfo.MemoryRegionCount, 0);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static ulong Divide(int dividend, int divisor) => (ulong)dividend / (ulong)divisor;
    }
}
