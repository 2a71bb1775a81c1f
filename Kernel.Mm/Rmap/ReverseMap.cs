using Cowbird.Mm.Paging;
using Cowbird.Mm.Physical;
using Cowbird.Mm.Vm;

namespace Cowbird.Mm.Rmap
{
    // Seam: a reverse-mapping design — how to get from a physical frame to every PTE that
    // maps it. MemoryManager.Rmap holds the one in use (RmapDesigns.Create makes each
    // design of RmapDesign); the VMA code calls the hooks below at the moments Linux calls
    // into mm/rmap.c, and reclaim walks with Walk.
    //
    // The frame's MapCount has one owner: this class. Every PTE that gains or loses a
    // frame goes through one of the page hooks, which change MapCount and then tell the
    // design (NewAnonPage, PteAdded, PteRemoved, PteMoved), so a design that records
    // single PTEs (PTE chains) sees every change.
    //
    // VMA hook contracts (each VMA passed in belongs to a live address space):
    //   PrepareAnon(vma)           before the first anonymous page is mapped in vma
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
    //   PrepareCowCopy(vma, va, oldPfn)
    //                              a write fault in vma at va is about to replace the page
    //                              oldPfn, which its PTE still holds, by a private copy
    //                              (PrepareAnon done; AddNewAnonPage of the copy and
    //                              RemovePage of oldPfn follow). Only the object tree acts
    //                              on it (a flagged VMA gets a child object); empty here.
    // Page hook contracts (`vma` holds the PTE at `address`; the PTE is written by the
    // caller just before or after the call, never read by the hook):
    //   AddNewAnonPage(pfn,vma,va) a freshly allocated frame (MapCount 0) is mapped at va:
    //                              demand-zero or the copy of a COW fault (PrepareAnon done)
    //   AddSwappedInPage(pfn, vma, va, exclusive)
    //                              a page from swap (PrepareAnon done, MapCount 0) is mapped
    //   AddAnonPage(pfn, vma, va)  one more PTE maps an anonymous page that is mapped
    //                              already (swap-in of a page another PTE maps)
    //   DupPage(pfn, vma, va)      fork copied a PTE holding pfn into vma (the child's)
    //   AddSharedPage(pfn, vma, va) a page of a shared anonymous object is mapped
    //   RemovePage(pfn, vma, va)   the PTE at va no longer holds pfn (zap, the old page of
    //                              a COW copy, try_to_unmap); may be called from a Walk
    //                              visitor for the PTE being visited
    //   MovePage(pfn, vma, from, to) mremap carried the PTE at `from` to `to` (vma is the
    //                              moving VMA, out of the tree, its Start not yet updated)
    // Walk and the other hooks are not reentrant: a visitor must not fault, fork or unmap
    // (RemovePage of the visited PTE is the one exception).
    public abstract class ReverseMap
    {
        protected readonly MemoryManager Manager;

        protected ReverseMap(MemoryManager manager)
        {
            Manager = manager;
        }

        public abstract void PrepareAnon(Vma vma);
        public abstract void ForkVma(Vma child, Vma parent);
        public abstract void CloneVma(Vma destination, Vma source);
        public abstract void UnlinkVma(Vma vma);
        public abstract void VmaRangeChanged(Vma vma);
        public abstract bool IsMergeable(Vma a, Vma b);
        public abstract void AbsorbVma(Vma kept, Vma removed);
        public virtual void PrepareCowCopy(Vma vma, ulong address, ulong oldPfn) { }

        // True when the design finds a private page at Start + (Index - PgOff) of each
        // candidate VMA (the anon_vma designs), so where offsets come from matters to it
        // and it can run with AnonOffsets.Reserve (MemoryManager.SetAnonOffsets).
        public virtual bool UsesPageOffsets { get { return false; } }

        // Live metadata objects the design allocated beyond fixed per-frame and per-VMA
        // fields (anon_vmas and chains, PTE-chain entries, families), for comparisons.
        public virtual long MetadataObjects { get { return 0; } }

        // Bytes of those live objects (each weighed with RmapObjectBytes).
        public virtual long MetadataBytes { get { return 0; } }

        // Bytes the design adds for every frame of RAM, mapped or not, beyond PageFrame
        // (side tables indexed by frame, as fields of Linux's struct page would be).
        public virtual int BytesPerFrame { get { return 0; } }

        // page_add_new_anon_rmap: the first mapping of a new frame.
        public void AddNewAnonPage(ulong pfn, Vma vma, ulong address)
        {
            ref PageFrame frame = ref FirstMapping(pfn);
            frame.MapCount = 1;
            NewAnonPage(pfn, vma, address);
        }

        // A page read back from swap (or found in the swap cache unmapped) is being
        // mapped at `address` in `vma` (Linux: __folio_set_anon from do_swap_page).
        // `exclusive`: no other PTE holds its swap entry, so only this VMA will map it.
        public void AddSwappedInPage(ulong pfn, Vma vma, ulong address, bool exclusive)
        {
            ref PageFrame frame = ref FirstMapping(pfn);
            frame.MapCount = 1;
            SwappedInPage(pfn, vma, address, exclusive);
        }

        // page_add_anon_rmap: another PTE maps an anonymous page that is mapped already.
        public void AddAnonPage(ulong pfn, Vma vma, ulong address)
        {
            AddPte(pfn, vma, address);
        }

        // page_dup_rmap: fork copied a PTE holding `pfn` into the child's `vma`.
        public void DupPage(ulong pfn, Vma vma, ulong address)
        {
            AddPte(pfn, vma, address);
        }

        // page_add_file_rmap for a shared anonymous object's page.
        public void AddSharedPage(ulong pfn, Vma vma, ulong address)
        {
            AddPte(pfn, vma, address);
        }

        // page_remove_rmap: the PTE at `address` in `vma` gave up `pfn`.
        public void RemovePage(ulong pfn, Vma vma, ulong address)
        {
            ref PageFrame frame = ref Manager.Frames.Frame(pfn);
            if (frame.MapCount <= 0)
                Mm.Panic("ReverseMap.RemovePage: map count already zero");
            frame.MapCount--;
            PteRemoved(pfn, vma, address);
        }

        // move_ptes: the PTE holding `pfn` moved from `from` to `to` inside `vma`'s space.
        public void MovePage(ulong pfn, Vma vma, ulong from, ulong to)
        {
            PteMoved(pfn, vma, from, to);
        }

        // The design's part of AddNewAnonPage: record where the new frame belongs.
        protected abstract void NewAnonPage(ulong pfn, Vma vma, ulong address);

        // The design's part of AddSwappedInPage; by default the same as a new page.
        protected virtual void SwappedInPage(ulong pfn, Vma vma, ulong address, bool exclusive)
        {
            NewAnonPage(pfn, vma, address);
        }

        // The design's part of AddAnonPage, DupPage and AddSharedPage (MapCount raised).
        protected virtual void PteAdded(ulong pfn, Vma vma, ulong address) { }

        // The design's part of RemovePage (MapCount lowered).
        protected virtual void PteRemoved(ulong pfn, Vma vma, ulong address) { }

        // The design's part of MovePage.
        protected virtual void PteMoved(ulong pfn, Vma vma, ulong from, ulong to) { }

        // One more PTE holds `pfn`.
        void AddPte(ulong pfn, Vma vma, ulong address)
        {
            Manager.Frames.Frame(pfn).MapCount++;
            PteAdded(pfn, vma, address);
        }

        // The descriptor of `pfn`, which must not be mapped yet.
        ref PageFrame FirstMapping(ulong pfn)
        {
            ref PageFrame frame = ref Manager.Frames.Frame(pfn);
            if (frame.MapCount != 0)
                Mm.Panic("ReverseMap: a new or swapped-in frame is mapped already");
            return ref frame;
        }

        // Calls `visitor` once for every PTE (present or PROT_NONE) that maps frame `pfn`,
        // a private anonymous page or a page of a shared anonymous object.
        // Returns false when the visitor stopped the walk early.
        public abstract bool Walk(ulong pfn, RmapVisitor visitor);

        // page->mapping and page->index of a new or swapped-in frame mapped at `address` in
        // `vma`: `mapping` is the design's object for it (null for designs without one), the
        // index is the page's linear index there.
        protected void SetMapping(ulong pfn, object mapping, Vma vma, ulong address)
        {
            ref PageFrame frame = ref Manager.Frames.Frame(pfn);
            frame.Mapping = mapping;
            frame.Index = vma.PageIndexOf(address);
        }

        // The merge rule of designs with one rmap object per VMA (is_mergeable_anon_vma of
        // 2.6.7): two VMAs may merge when either has no object yet or both have the same.
        protected static bool NoneOrSame(object first, object second)
        {
            return first == null || second == null || first == second;
        }

        // True when `lower` ends where `upper` starts and the two could be one VMA (same
        // kind and protection, linear PgOff): the neighbour test of anon_vma_prepare's
        // find_mergeable_anon_vma, for designs that share a neighbour's rmap object.
        protected static bool CouldJoin(Vma lower, Vma upper)
        {
            return lower.End == upper.Start && lower.Flags == upper.Flags && lower.Prot == upper.Prot
                && upper.PgOff == lower.PageIndexOf(upper.Start);
        }

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
