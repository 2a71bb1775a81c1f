namespace Cowbird.Mm.Platform
{
    // Seam: how Kernel.Mm reaches RAM by physical address. In the kernel, Pointer is
    // "direct-map base + physical address"; on the host it points into a block of
    // native memory standing in for RAM. Page tables, page contents and copies all go
    // through here, so the same code builds real x86-64 tables in both worlds.
    public abstract unsafe class PhysicalMemory
    {
        // A pointer through which `length` bytes at `physicalAddress` can be read and
        // written. Implementations panic on an address outside RAM.
        public abstract byte* Pointer(ulong physicalAddress, ulong length);

        // Reads the 8-byte word at a physical address (must be 8-byte aligned).
        public ulong ReadU64(ulong physicalAddress)
        {
            return *(ulong*)Pointer(physicalAddress, 8);
        }

        // Writes the 8-byte word at a physical address (must be 8-byte aligned).
        public void WriteU64(ulong physicalAddress, ulong value)
        {
            *(ulong*)Pointer(physicalAddress, 8) = value;
        }

        // Fills frame `pfn` with zeros.
        public void ZeroFrame(ulong pfn)
        {
            ulong* words = (ulong*)Pointer(Page.FrameToAddress(pfn), Page.Size);
            for (int i = 0; i < (int)(Page.Size / 8); i++)
                words[i] = 0;
        }

        // Copies the 4 KiB of frame `sourcePfn` into frame `destinationPfn`.
        public void CopyFrame(ulong destinationPfn, ulong sourcePfn)
        {
            ulong* to = (ulong*)Pointer(Page.FrameToAddress(destinationPfn), Page.Size);
            ulong* from = (ulong*)Pointer(Page.FrameToAddress(sourcePfn), Page.Size);
            for (int i = 0; i < (int)(Page.Size / 8); i++)
                to[i] = from[i];
        }
    }
}
