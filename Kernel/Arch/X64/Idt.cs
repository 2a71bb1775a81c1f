using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cowbird.Kernel.Arch.X64
{
    // The Interrupt Descriptor Table: for each of the 256 vectors, a gate naming
    // its entry stub in TrapEntry.S, the code segment, and the IST stack to
    // switch to (0 = stay on the current stack). All gates are interrupt gates,
    // so the CPU clears IF on entry: handlers never nest except for faults.
    // As on Linux, only three gates have DPL 3: breakpoint (int3) and overflow
    // (into), which ring 3 may raise itself and gets SIGTRAP or SIGSEGV, and
    // `int $0x80`, the 32-bit system call (Ia32Syscalls). Any other `int n` from
    // ring 3 is a #GP and gets SIGSEGV.
    public static unsafe class Idt
    {
        public const int VectorCount = 256;

        private const byte InterruptGatePresent = 0x8E;   // present, DPL 0, type 0xE (64-bit interrupt gate)
        private const byte UserCallable = 0x60;           // DPL 3: `int n` from ring 3 may use the gate

        // `int $0x80`: Linux's 32-bit system call gate.
        public const int Ia32SyscallVector = 0x80;

        [StructLayout(LayoutKind.Explicit, Size = 16)]
        private struct Gate
        {
            [FieldOffset(0)] public ushort OffsetLow;
            [FieldOffset(2)] public ushort Selector;
            [FieldOffset(4)] public byte Ist;
            [FieldOffset(5)] public byte TypeAndAttributes;
            [FieldOffset(6)] public ushort OffsetMiddle;
            [FieldOffset(8)] public uint OffsetHigh;
        }

        [StructLayout(LayoutKind.Sequential, Size = VectorCount * 16)]
        private struct Table
        {
            public Gate First;
        }

        private static Table s_table;

        [RuntimeImport("trap_entry_table_address")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern ulong* TrapEntryTable();

        private static bool IsUserCallable(int vector) =>
            vector == ExceptionVector.Breakpoint || vector == ExceptionVector.Overflow || vector == Ia32SyscallVector;

        // Points every vector at its stub and loads the table. KernelStacks must be
        // initialised first (the gates name its IST stacks).
        public static void Initialize()
        {
            ulong* entries = TrapEntryTable();
            fixed (Table* table = &s_table)
            {
                Gate* gates = &table->First;
                for (int vector = 0; vector < VectorCount; vector++)
                {
                    ulong entry = entries[vector];
                    gates[vector].OffsetLow = (ushort)entry;
                    gates[vector].Selector = Gdt.KernelCodeSelector;
                    gates[vector].Ist = vector < ExceptionVector.Count ? KernelStacks.IstFor(vector) : (byte)0;
                    gates[vector].TypeAndAttributes = IsUserCallable(vector)
                        ? (byte)(InterruptGatePresent | UserCallable) : InterruptGatePresent;
                    gates[vector].OffsetMiddle = (ushort)(entry >> 16);
                    gates[vector].OffsetHigh = (uint)(entry >> 32);
                }
                DescriptorTablePointer pointer;
                pointer.Limit = (ushort)(sizeof(Table) - 1);
                pointer.Base = (ulong)table;
                Cpu.LoadIdt(&pointer);
            }
        }
    }
}
