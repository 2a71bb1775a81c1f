namespace Cowbird.Kernel.Boot
{
    // One range of physical memory as the boot loader's memory map reports it.
    public struct MemoryRegion
    {
        public ulong Base;
        public ulong Length;
        public bool IsAvailable;   // usable RAM (multiboot type 1); everything else is reserved
    }
}
