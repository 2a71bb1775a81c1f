using Cowbird.Kernel.Boot;

namespace Cowbird.Kernel.Arch.X64
{
    // The direct map: all physical RAM at KernelLayout.DirectMapBase + physical.
    // The boot stub maps 0..4 GiB with 2 MiB pages (enough to read the boot
    // information, whose pointers are 32-bit, and the VGA screen); Extend adds
    // the RAM above 4 GiB with 1 GiB pages once the memory map is known.
    public static class DirectMap
    {
        private const ulong Gigabyte = 1UL << 30;
        private const ulong BootMappedSize = 4 * Gigabyte;
        private const ulong MaximumSize = 512 * Gigabyte;   // what one PML4 entry covers

        // Maps every byte of available RAM in `bootInfo`'s memory map.
        public static void Extend(BootInfo bootInfo)
        {
            ulong end = bootInfo.HighestAvailableAddress;
            if (end <= BootMappedSize)
                return;
            if (end > MaximumSize)
            {
                KernelConsole.WriteLine("warning: RAM above 512 GiB is not mapped");
                end = MaximumSize;
            }
            if (!Cpu.HasGigabytePages())
            {
                KernelConsole.WriteLine("warning: the CPU has no 1 GiB pages; RAM above 4 GiB is not mapped");
                return;
            }
            ulong size = (end + Gigabyte - 1) & ~(Gigabyte - 1);
            for (ulong physical = BootMappedSize; physical < size; physical += Gigabyte)
                KernelPageTable.MapGigabytePage(KernelLayout.DirectMapBase + physical, physical);
            KernelLayout.SetDirectMapSize(size);
        }
    }
}
