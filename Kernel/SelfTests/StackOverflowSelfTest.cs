using System.Runtime.CompilerServices;
using Cowbird.Kernel.Boot;

namespace Cowbird.Kernel.SelfTests
{
    // Unbounded recursion runs into the boot stack's guard page. The page fault
    // cannot push its frame on the full stack, so the CPU raises a double fault,
    // which runs on its own IST stack and reports the overflow.
    public sealed class StackOverflowSelfTest : PanicSelfTest
    {
        public override string Name => "stackoverflow";

        protected override void Trigger(BootInfo bootInfo) => Recurse(bootInfo.MemoryRegionCount);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int Recurse(int depth) => Recurse(depth + 1) + depth;
    }
}
