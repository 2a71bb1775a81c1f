namespace Cowbird.Kernel.Arch.X64
{
    // Where things are in the kernel's virtual address space (see docs/boot.md,
    // linker.ld and Boot.S):
    //
    //   0x0000000000000000 .. 0x00007FFFFFFFFFFF  user space (each process's own
    //                                             tables; the low identity map is
    //                                             gone, so a null dereference faults)
    //   0xFFFF800000000000 .. + RAM size          direct map: physical address p
    //                                             is at DirectMapBase + p (like
    //                                             Linux's page_offset_base)
    //   0xFFFFFE8000000000 .. + 32 GiB            kernel-heap area: heap segments mapped
    //                                             frame by frame (Memory/KernelHeapArea.cs)
    //   0xFFFFFF0000000000 .. + 256 MiB           kernel stacks with guard pages
    //                                             (Memory/KernelStackArea.cs)
    //   0xFFFFFFFF80000000 .. + 1 GiB             kernel window: physical 0..1 GiB;
    //                                             the kernel image is linked at
    //                                             KernelVirtualBase + 1 MiB
    public static unsafe class KernelLayout
    {
        public const ulong DirectMapBase = 0xFFFF800000000000;
        public const ulong KernelVirtualBase = 0xFFFFFFFF80000000;
        public const ulong KernelPhysicalStart = 0x100000;
        public const ulong KernelWindowSize = 1UL << 30;

        // The boot stub maps physical 0..4 GiB; DirectMap.Extend raises this to the end of RAM.
        private static ulong s_directMapSize = 4UL << 30;

        // Bytes of physical address space the direct map covers, from physical 0.
        public static ulong DirectMapSize => s_directMapSize;

        internal static void SetDirectMapSize(ulong size) => s_directMapSize = size;

        // The direct-map address of physical address `physical`.
        public static byte* PhysicalToVirtual(ulong physical)
        {
            if (physical >= s_directMapSize)
                Panic.Halt("KernelLayout.PhysicalToVirtual: physical address beyond the direct map");
            return (byte*)(DirectMapBase + physical);
        }

        // The physical address of a direct-map or kernel-image address.
        public static ulong VirtualToPhysical(void* address)
        {
            ulong virtualAddress = (ulong)address;
            if (virtualAddress >= KernelVirtualBase)
                return virtualAddress - KernelVirtualBase;
            if (virtualAddress >= DirectMapBase && virtualAddress - DirectMapBase < s_directMapSize)
                return virtualAddress - DirectMapBase;
            Panic.Halt("KernelLayout.VirtualToPhysical: neither a direct-map nor a kernel-image address");
            return 0;
        }
    }
}
