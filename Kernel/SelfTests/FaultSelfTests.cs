using System.Runtime.CompilerServices;
using Cowbird.Kernel.Boot;

namespace Cowbird.Kernel.SelfTests
{
    // One self-test per kind of fault. Each faults in a method of its own
    // (NoInlining), whose C# name the panic must print.

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

    // Integer division by zero: the CPU's divide error (#DE).
    public sealed class DivideByZeroSelfTest : PanicSelfTest
    {
        public override string Name => "divzero";

        protected override void Trigger(BootInfo bootInfo) => Divide(bootInfo.MemoryRegionCount, bootInfo.MemoryRegionCount - bootInfo.MemoryRegionCount);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static ulong Divide(int dividend, int divisor) => (ulong)dividend / (ulong)divisor;
    }

    // ud2, an instruction the CPU does not know: #UD.
    public sealed class InvalidOpcodeSelfTest : PanicSelfTest
    {
        public override string Name => "invalidopcode";

        protected override void Trigger(BootInfo bootInfo) => FaultTriggers.InvalidOpcode();
    }

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

    // Reading a non-canonical address (bits 63..48 not copies of bit 47): #GP.
    public sealed class GeneralProtectionSelfTest : PanicSelfTest
    {
        public override string Name => "gpf";

        private const ulong NonCanonicalAddress = 0x8000_0000_0000_0000;

        protected override void Trigger(BootInfo bootInfo) => ReadNonCanonical(NonCanonicalAddress + (ulong)bootInfo.MemoryRegionCount * 0);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static unsafe ulong ReadNonCanonical(ulong address) => *(ulong*)address;
    }

    // int3 with no debugger: an exception vector nobody handles.
    public sealed class BreakpointSelfTest : PanicSelfTest
    {
        public override string Name => "breakpoint";

        protected override void Trigger(BootInfo bootInfo) => FaultTriggers.Breakpoint();
    }

    // int 0x41: a vector that is neither an exception nor a registered handler.
    public sealed class UnexpectedVectorSelfTest : PanicSelfTest
    {
        public override string Name => "vector";

        protected override void Trigger(BootInfo bootInfo) => FaultTriggers.RaiseUnexpectedVector();
    }
}
