using Cowbird.Mm.Paging;
using Cowbird.Mm.Physical;
using Cowbird.Mm.Platform;

namespace Cowbird.Mm.Vm
{
    // The shared zero page (Linux: ZERO_PAGE, empty_zero_page): one frame of zeros that a
    // read fault on never-written private anonymous memory maps read-only, so reading a
    // fresh region costs no frame. The first write replaces it with a page of the process's
    // own (FaultHandler.ZeroPageWrite), a copy-on-write whose copy needs no copying.
    //
    // The zero frame belongs to nobody: it is allocated once, with the MemoryManager, and
    // never freed; its descriptor keeps RefCount 1 (the allocator's) and MapCount 0 however
    // many PTEs map it. It is never on the LRU, never in a reverse map, never swapped, and
    // never counted as a process's page (Linux: vm_normal_page returns no page for it, so
    // zap, fork, mremap and the RSS counters pass it by). Every walker that acts on the
    // frames PTEs hold asks IsMappedBy first and treats such a PTE as holding no page.
    //
    // Its PTEs are never writable: mprotect keeps them read-only (the frame's MapCount 0
    // never counts as an exclusive owner), fork copies them as they are, mremap moves them,
    // munmap and MADV_DONTNEED clear them.
    public sealed class ZeroPage
    {
        // The zero frame.
        public readonly ulong Pfn;

        // Whether read faults map the zero frame (kernel command line mm.zero_page=0 turns
        // it off, for teaching and comparison: every first touch then allocates). It only
        // decides new mappings, and zero PTEs behave the same either way, so it may change
        // at any time.
        public bool Enabled = true;

        // Takes and zeroes the zero frame; panics when the allocator has none (boot).
        internal ZeroPage(FrameAllocator frames, PhysicalMemory physical)
        {
            Pfn = frames.AllocFrame();
            if (Pfn == FrameAllocator.NoFrame)
                Mm.Panic("ZeroPage: no frame for the zero page");
            physical.ZeroFrame(Pfn);
        }

        // True when `pte` maps the zero frame, present or kept by PROT_NONE (a swap
        // entry's slot number may equal Pfn, so the kind of entry is checked first).
        public bool IsMappedBy(Pte pte)
        {
            return pte.HasFrame && pte.Frame == Pfn;
        }

        // The entry that maps the zero frame read-only at a page of `vma` (Linux:
        // pte_mkspecial(pfn_pte(my_zero_pfn(addr), vma->vm_page_prot)) without write).
        public Pte ReadOnlyEntry(Vma vma)
        {
            return Pte.Map(Pfn, vma.PteFlags() & ~Pte.Writable);
        }
    }
}
