using Cowbird.Mm;

namespace Cowbird.Kernel.Arch.X64
{
    // One kernel stack: [Bottom, Top) with an unmapped guard page just below
    // Bottom, so running off the end faults instead of corrupting memory.
    public sealed class KernelStack
    {
        public readonly string Name;
        public readonly ulong GuardPage;
        public readonly ulong Bottom;
        public readonly ulong Top;

        public KernelStack(string name, ulong guardPage, ulong size)
        {
            Name = name;
            GuardPage = guardPage;
            Bottom = guardPage + Page.Size;
            Top = Bottom + size;
        }

        // True when [address, address + length) lies inside the stack.
        public bool Contains(ulong address, ulong length) => address >= Bottom && address <= Top && Top - address >= length;

        // True when `address` is in the guard page.
        public bool GuardContains(ulong address) => address >= GuardPage && address < Bottom;
    }
}
