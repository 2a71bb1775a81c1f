using System.Runtime.InteropServices;

namespace Cowbird.Kernel.Arch.X64
{
    // The 64-bit TSS (Intel SDM vol. 3, figure 8-11). In long mode it holds no
    // task state, only stack pointers the CPU switches to on an interrupt:
    //   Rsp0      - the kernel stack for interrupts from ring 3 (SyscallSetup sets
    //               it to the running process's kernel stack on each switch);
    //   Ist1..7   - the Interrupt Stack Table: a gate naming IST n always switches
    //               to Istn, even in ring 0; used for faults that cannot trust
    //               the current stack (double fault after a stack overflow, NMI).
    [StructLayout(LayoutKind.Explicit, Size = 104)]
    public struct TaskStateSegment
    {
        [FieldOffset(4)] public ulong Rsp0;
        [FieldOffset(12)] public ulong Rsp1;
        [FieldOffset(20)] public ulong Rsp2;
        [FieldOffset(36)] public ulong Ist1;
        [FieldOffset(44)] public ulong Ist2;
        [FieldOffset(52)] public ulong Ist3;
        [FieldOffset(60)] public ulong Ist4;
        [FieldOffset(68)] public ulong Ist5;
        [FieldOffset(76)] public ulong Ist6;
        [FieldOffset(84)] public ulong Ist7;
        // Offset of the I/O permission bitmap; pointing past the end means "none".
        [FieldOffset(102)] public ushort IoMapBase;

        public const ushort Size = 104;
    }
}
