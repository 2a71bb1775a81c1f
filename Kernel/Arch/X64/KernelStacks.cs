using System.Runtime;
using System.Runtime.CompilerServices;
using Cowbird.Mm;

namespace Cowbird.Kernel.Arch.X64
{
    // Every kernel stack and its guard page: the boot stack (Boot.S) and the
    // interrupt stacks the TSS's IST names. Faults must not run on a stack that
    // may be broken, so:
    //   double fault  -> IST 1 (a kernel stack overflow: the #PF on the guard page
    //                    cannot push its frame either, which makes it a #DF)
    //   NMI           -> IST 2 (may arrive anywhere, even at the first instruction
    //                    of another handler)
    //   machine check -> IST 3
    // Page faults deliberately stay on the current stack: they nest (a fault while
    // a user page fault is being handled) and an IST stack would be reused by the
    // nested one. Backtraces use this list to check a frame pointer before reading it.
    public static unsafe class KernelStacks
    {
        public const int DoubleFaultIst = 1;
        public const int NmiIst = 2;
        public const int MachineCheckIst = 3;

        [RuntimeImport("boot_stack_layout_address")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern BootStackLayout* Layout();

        // One name per IST index above, in order.
        private static readonly string[] s_interruptStackNames = { "double-fault stack", "NMI stack", "machine-check stack" };

        private static readonly KernelStack[] s_stacks = new KernelStack[1 + s_interruptStackNames.Length];

        // Registers the stacks, unmaps the interrupt stacks' guard pages (the boot
        // stub already unmapped the boot stack's) and points the TSS's IST at them.
        public static void Initialize(TaskStateSegment* tss)
        {
            BootStackLayout* layout = Layout();
            if (layout->InterruptCount != (ulong)s_interruptStackNames.Length)
                Panic.Halt("KernelStacks.Initialize: Boot.S reserves a different number of interrupt stacks");
            s_stacks[0] = new KernelStack("boot stack", layout->BootGuard, layout->BootSize);
            for (int i = 0; i < s_interruptStackNames.Length; i++)
            {
                ulong guard = layout->InterruptArea + (ulong)i * (Page.Size + layout->InterruptSize);
                KernelStack stack = new KernelStack(s_interruptStackNames[i], guard, layout->InterruptSize);
                KernelPageTable.UnmapPage(stack.GuardPage);
                s_stacks[1 + i] = stack;
            }
            tss->Ist1 = s_stacks[DoubleFaultIst].Top;
            tss->Ist2 = s_stacks[NmiIst].Top;
            tss->Ist3 = s_stacks[MachineCheckIst].Top;
        }

        // The IST index the gate for exception `vector` uses (0 = stay on the current stack).
        public static byte IstFor(int vector)
        {
            switch (vector)
            {
                case ExceptionVector.DoubleFault: return DoubleFaultIst;
                case ExceptionVector.NonMaskableInterrupt: return NmiIst;
                case ExceptionVector.MachineCheck: return MachineCheckIst;
                default: return 0;
            }
        }

        // The stack containing [address, address + length), or null.
        public static KernelStack Containing(ulong address, ulong length)
        {
            for (int i = 0; i < s_stacks.Length; i++)
                if (s_stacks[i] != null && s_stacks[i].Contains(address, length))
                    return s_stacks[i];
            return null;
        }

        // The stack whose guard page holds `address`, or null.
        public static KernelStack WithGuardPageAt(ulong address)
        {
            for (int i = 0; i < s_stacks.Length; i++)
                if (s_stacks[i] != null && s_stacks[i].GuardContains(address))
                    return s_stacks[i];
            return null;
        }
    }
}
