namespace Cowbird.Kernel.Arch.X64
{
    // Where things are in the kernel's virtual address space (see linker.ld and
    // Boot.S). The boot page tables map physical 0..1 GiB at KernelVirtualBase,
    // and the kernel image itself is linked at KernelVirtualBase + 1 MiB.
    public static unsafe class KernelLayout
    {
        public const ulong KernelVirtualBase = 0xFFFFFFFF80000000;
        public const ulong KernelPhysicalStart = 0x100000;
        public const ulong KernelWindowSize = 1UL << 30;

        // The kernel-window address of physical address `physical` (must be below 1 GiB).
        public static byte* PhysicalToVirtual(ulong physical)
        {
            if (physical >= KernelWindowSize)
                Panic.Halt("KernelLayout.PhysicalToVirtual: address outside the boot kernel window");
            return (byte*)(KernelVirtualBase + physical);
        }
    }
}
