using System.Runtime.InteropServices;

namespace Cowbird.Kernel.Arch.X64
{
    // The kernel stacks the boot stub reserves in .bss, as Boot.S describes them in its
    // `boot_stack_layout` table. Boot.S owns the sizes (BOOT_STACK_SIZE, IST_STACK_COUNT,
    // IST_STACK_SIZE); the C# code reads them here instead of repeating them.
    //   BootGuard .. +4 KiB              the boot stack's guard page (unmapped)
    //   BootGuard + 4 KiB .. +BootSize   the boot stack
    //   InterruptArea                    InterruptCount x (guard page + InterruptSize)
    [StructLayout(LayoutKind.Sequential)]
    public struct BootStackLayout
    {
        public ulong BootGuard;
        public ulong BootSize;
        public ulong InterruptArea;
        public ulong InterruptCount;
        public ulong InterruptSize;
    }
}
