using Cowbird.Mm.Paging;
using Cowbird.Mm.Vm;

namespace Cowbird.Mm.Rmap
{
    // Seam: a reverse-mapping design — how to get from a physical frame to every PTE that
    // maps it. MemoryManager.Rmap holds the one in use; the VMA code calls the hooks below
    // at the moments Linux calls into mm/rmap.c, and reclaim walks with Walk. Designs plug
    // in by subclassing: AnonVmaReverseMap (Linux since 2.6.34), PageTableScanReverseMap
    // (Linux 2.4: no reverse map, scan every page table); PTE chains or Jamie Lokier's
    // address-space tree can be added for comparison.
    //
    // Hook contracts (each VMA passed in belongs to a live address space):
    //   PrepareAnon(vma)           before the first anonymous page is mapped in vma
    //   AddNewAnonPage(pfn,vma,va) a freshly allocated frame is being mapped at va in vma
    //   ForkVma(child, parent)     child (a new copy of parent in the forked space, no rmap
    //                              state yet, same range and PgOff) before its PTEs are copied
    //   CloneVma(dst, src)         dst (a new VMA with no rmap state and its final range)
    //                              takes over part of src's pages: a split (Cowbird's
    //                              mremap splits off the part it moves, then moves that
    //                              VMA object itself, keeping its PgOff and chains, and
    //                              re-keys it with VmaRangeChanged)
    //   UnlinkVma(vma)             vma is leaving its space; its PTEs are already zapped
    //                              (or moved away); afterwards it has no rmap state
    //   VmaRangeChanged(vma)       after vma.Start/End/PgOff changed on a VMA that stays
    //   IsMergeable(a, b)          may a and b (either may be null = a new range with no
    //                              pages) become one VMA as far as the rmap is concerned
    //   AbsorbVma(kept, removed)   before removed is unlinked and kept grows over it
    //   AddSwappedInPage(pfn, vma, va, exclusive)
    //                              a page from swap (PrepareAnon done) is mapped at va with
    //                              no other mapping yet
    // Walk and the hooks are not reentrant: a visitor must not fault, fork or unmap.
    public abstract class ReverseMap
    {
        public abstract void PrepareAnon(Vma vma);
        public abstract void AddNewAnonPage(ulong pfn, Vma vma, ulong address);
        public abstract void ForkVma(Vma child, Vma parent);
        public abstract void CloneVma(Vma destination, Vma source);
        public abstract void UnlinkVma(Vma vma);
        public abstract void VmaRangeChanged(Vma vma);
        public abstract bool IsMergeable(Vma a, Vma b);
        public abstract void AbsorbVma(Vma kept, Vma removed);

        // A page read back from swap (or found in the swap cache unmapped) is being
        // mapped at `address` in `vma` (Linux: __folio_set_anon from do_swap_page).
        // `exclusive`: no other PTE holds its swap entry, so only this VMA will map it.
        // By default the same as a new page.
        public virtual void AddSwappedInPage(ulong pfn, Vma vma, ulong address, bool exclusive)
        {
            AddNewAnonPage(pfn, vma, address);
        }

        // Calls `visitor` once for every PTE (present or PROT_NONE) that maps frame `pfn`,
        // a private anonymous page or a page of a shared anonymous object.
        // Returns false when the visitor stopped the walk early.
        public abstract bool Walk(ulong pfn, RmapVisitor visitor);

        // The one step every design shares (Linux: page_vma_mapped_walk for one page):
        // if `vma` covers linear index `index` and the PTE there holds `pfn`, visit it.
        // Returns the visitor's answer, or true when there was nothing to visit.
        public static bool VisitIfMapped(Vma vma, ulong pfn, ulong index, RmapVisitor visitor)
        {
            ulong pages = vma.Length >> Page.Shift;
            if (index < vma.PgOff || index - vma.PgOff >= pages)
                return true;
            ulong address = vma.Start + ((index - vma.PgOff) << Page.Shift);
            ulong pteAddress = vma.Owner.PageTable.FindPte(address);
            if (pteAddress == 0)
                return true;
            Pte pte = vma.Owner.PageTable.Read(pteAddress);
            if (!pte.HasFrame || pte.Frame != pfn)
                return true;
            return visitor.Visit(vma, address, pteAddress, pte);
        }
    }
}
