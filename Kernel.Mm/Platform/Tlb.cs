namespace Cowbird.Mm.Platform
{
    // Seam: the translation lookaside buffer. An address space is named by the physical
    // address of its PML4 (what CR3 holds). Kernel.Mm calls InvalidatePage after it
    // changes or removes a PTE that was present, so the CPU cannot keep using the old
    // translation. The kernel runs `invlpg` when pml4 is the loaded CR3 (a not-loaded
    // space has no TLB entries on a one-CPU machine without PCIDs); the host SoftMmu
    // keeps a TLB per PML4 so every missed invalidation is visible to tests.
    public abstract class Tlb
    {
        // Drops any cached translation of the page containing `virtualAddress` in `pml4`.
        public abstract void InvalidatePage(ulong pml4, ulong virtualAddress);

        // Drops every cached user translation of `pml4`.
        public abstract void FlushAll(ulong pml4);
    }
}
