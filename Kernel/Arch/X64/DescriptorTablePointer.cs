using System.Runtime.InteropServices;

namespace Cowbird.Kernel.Arch.X64
{
    // The 10-byte operand of lgdt/lidt: table size minus one, then its linear address.
    [StructLayout(LayoutKind.Explicit, Size = 10)]
    public struct DescriptorTablePointer
    {
        [FieldOffset(0)] public ushort Limit;
        [FieldOffset(2)] public ulong Base;
    }
}
