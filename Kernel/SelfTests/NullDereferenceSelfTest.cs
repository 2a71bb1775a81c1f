using System.Runtime.CompilerServices;
using Cowbird.Kernel.Boot;

namespace Cowbird.Kernel.SelfTests
{
    // Reading a field through a null reference: a page fault at a low address.
    public sealed class NullDereferenceSelfTest : PanicSelfTest
    {
        public override string Name => "nullderef";

        private sealed class Cell
        {
            public int Value;
        }

        protected override void Trigger(BootInfo bootInfo)
        {
            Cell cell = bootInfo.MemoryRegionCount < 0 ? new Cell { Value = 1 } : null;
            ReadValue(cell);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int ReadValue(Cell cell) => cell.Value;
    }
}
