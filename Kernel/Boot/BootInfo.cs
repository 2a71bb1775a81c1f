namespace Cowbird.Kernel.Boot
{
    // What the kernel learns from its boot loader, whichever protocol was used:
    // the command line and the physical memory map.
    public sealed class BootInfo
    {
        // Room for the memory map; QEMU reports about 6 regions, real PCs a few dozen.
        public const int MaxMemoryRegions = 128;

        public readonly string Protocol;
        public CommandLine CommandLine = CommandLine.Empty;
        public readonly MemoryRegion[] MemoryRegions = new MemoryRegion[MaxMemoryRegions];
        public int MemoryRegionCount;

        // False when the loader set up a graphics framebuffer (UEFI): no VGA text screen.
        public bool HasTextScreen = true;

        // The loader's RGB framebuffer; null when there is none (text mode, or not RGB).
        public FramebufferInfo Framebuffer;

        // The first boot module (the initrd), physical [InitrdStart, InitrdEnd); empty when none.
        public ulong InitrdStart;
        public ulong InitrdEnd;

        // The loader's information structure, physical [InfoStart, InfoEnd): kept out of
        // the frame allocator because the command line stays where the loader put it.
        public ulong InfoStart;
        public ulong InfoEnd;

        // Records a boot module; only the first one (the initrd) is kept.
        public void AddModule(ulong start, ulong end)
        {
            if (InitrdEnd == 0 && end > start)
            {
                InitrdStart = start;
                InitrdEnd = end;
            }
        }

        public BootInfo(string protocol)
        {
            Protocol = protocol;
        }

        // Records one memory-map entry; entries beyond MaxMemoryRegions are dropped with a warning.
        public void AddMemoryRegion(ulong baseAddress, ulong length, bool isAvailable)
        {
            if (MemoryRegionCount == MaxMemoryRegions)
            {
                KernelConsole.WriteLine("warning: memory map truncated");
                return;
            }
            MemoryRegions[MemoryRegionCount].Base = baseAddress;
            MemoryRegions[MemoryRegionCount].Length = length;
            MemoryRegions[MemoryRegionCount].IsAvailable = isAvailable;
            MemoryRegionCount++;
        }

        // Total bytes of usable RAM in the memory map.
        public ulong AvailableMemoryBytes
        {
            get
            {
                ulong total = 0;
                for (int i = 0; i < MemoryRegionCount; i++)
                    if (MemoryRegions[i].IsAvailable)
                        total += MemoryRegions[i].Length;
                return total;
            }
        }

        // The end (exclusive) of the highest range of usable RAM: how far the direct map must reach.
        public ulong HighestAvailableAddress
        {
            get
            {
                ulong highest = 0;
                for (int i = 0; i < MemoryRegionCount; i++)
                    if (MemoryRegions[i].IsAvailable && MemoryRegions[i].Base + MemoryRegions[i].Length > highest)
                        highest = MemoryRegions[i].Base + MemoryRegions[i].Length;
                return highest;
            }
        }
    }
}
