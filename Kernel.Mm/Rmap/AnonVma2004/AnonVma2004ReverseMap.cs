using Cowbird.Mm.Physical;
using Cowbird.Mm.Vm;

namespace Cowbird.Mm.Rmap
{
    // anon_vma as first merged (Andrea Arcangeli 2004, Hugh Dickins' "rmap 39" patch, Linux
    // 2.6.7 to 2.6.33): object-based reverse mapping with one anon_vma per fork family.
    //
    // History and trade-off: PTE chains cost memory and time on every fork. Andrea's
    // answer tracks pages by VMA instead: a page points to its family's anon_vma and keeps
    // its linear index (page->index = vma->vm_pgoff + offset), so mremap moves cost nothing
    // (a moved VMA keeps its PgOff). Fork only links the child's VMAs into the same list,
    // O(VMAs) instead of O(PTEs). The price is in the walk: the list holds every VMA of the
    // whole family, so a page private to one child is looked for in every relative's VMA,
    // and a long-lived server that forks many short-lived children makes every walk as long
    // as the number of children alive. The family never splits (the list only grows with
    // forks; it shrinks only as VMAs go away). Rik van Riel's anon_vma_chain (2010) gave
    // each VMA its own anon_vma to fix exactly that.
    //
    // Invariants (Tests.Host/Invariants.cs checks them after every step):
    //   1. vma.Family != null <=> vma is on that family's list, once; Count is the list length.
    //   2. Every VMA that maps a private page of family F is on F's list; the page's Mapping
    //      is F and its Index the linear index in every VMA mapping it.
    //   3. A family is live (LiveFamilies) while its list is non-empty; the last UnlinkVma
    //      drops it. A frame no PTE maps may still name a dropped family: walks skip it.
    // Ordering: PrepareAnon before the first page of a VMA; ForkVma/CloneVma after the new
    // VMA has its final range; zap before UnlinkVma; AbsorbVma before UnlinkVma(removed).
    // Merging (is_mergeable_anon_vma in 2.6.7): VMAs of different families never merge; a
    // VMA without a family may join any.
    // Shared anonymous pages go through their object (SharedObjectWalker), as in every
    // object-based design.
    public sealed class AnonVma2004ReverseMap : ReverseMap
    {
        readonly SharedObjectWalker objectWalker = new SharedObjectWalker();

        // Families alive now, and VMAs on their lists (the design's metadata).
        public int LiveFamilies { get; private set; }
        public int LinkedVmas { get; private set; }

        public AnonVma2004ReverseMap(MemoryManager memoryManager) : base(memoryManager) { }

        public override long MetadataObjects { get { return LiveFamilies; } }
        public override long MetadataBytes { get { return (long)LiveFamilies * RmapObjectBytes.AnonVmaFamily; } }

        // Pages are found by offset: AnonOffsets.Reserve applies.
        public override bool UsesPageOffsets { get { return true; } }

        // anon_vma_prepare: a family for `vma`, an adjacent compatible VMA's if it has one
        // (so the two may merge later), else a new one.
        public override void PrepareAnon(Vma vma)
        {
            if (vma.Family != null)
                return;
            AnonVmaFamily family = NeighbourFamily(vma);
            if (family == null)
            {
                family = new AnonVmaFamily();
                LiveFamilies++;
            }
            Link(vma, family);
        }

        // A new page belongs to its VMA's family at its linear index.
        protected override void NewAnonPage(ulong pfn, Vma vma, ulong address)
        {
            if (vma.Family == null)
                Mm.Panic("AnonVma2004ReverseMap.NewAnonPage: VMA has no family (PrepareAnon first)");
            SetMapping(pfn, vma.Family, vma, address);
        }

        // anon_vma_link at fork: the child's VMA joins its parent's family.
        public override void ForkVma(Vma child, Vma parent)
        {
            if (parent.Family != null)
                Link(child, parent.Family);
        }

        // A split-off or moved part joins the same family.
        public override void CloneVma(Vma destination, Vma source)
        {
            if (source.Family != null)
                Link(destination, source.Family);
        }

        // anon_vma_unlink: off the list; the family goes when its list empties.
        public override void UnlinkVma(Vma vma)
        {
            AnonVmaFamily family = vma.Family;
            if (family == null)
                return;
            if (vma.FamilyPrev != null)
                vma.FamilyPrev.FamilyNext = vma.FamilyNext;
            else
                family.First = vma.FamilyNext;
            if (vma.FamilyNext != null)
                vma.FamilyNext.FamilyPrev = vma.FamilyPrev;
            vma.FamilyNext = null;
            vma.FamilyPrev = null;
            vma.Family = null;
            family.Count--;
            LinkedVmas--;
            if (family.Count == 0)
                LiveFamilies--;
        }

        // A flat list has no keys: nothing to re-key.
        public override void VmaRangeChanged(Vma vma) { }

        public override bool IsMergeable(Vma a, Vma b)
        {
            return NoneOrSame(a == null ? null : a.Family, b == null ? null : b.Family);
        }

        // Before `removed` goes, `kept` takes its family if it has none.
        public override void AbsorbVma(Vma kept, Vma removed)
        {
            if (!IsMergeable(kept, removed))
                Mm.Panic("AnonVma2004ReverseMap.AbsorbVma: VMAs of different families");
            if (kept.Family == null && removed.Family != null)
                Link(kept, removed.Family);
        }

        // page_referenced_anon / try_to_unmap_anon of 2.6.7: every VMA of the family.
        public override bool Walk(ulong pfn, RmapVisitor visitor)
        {
            ref PageFrame frame = ref Manager.Frames.Frame(pfn);
            if (frame.MapCount == 0)
                return true;
            AnonVmaFamily family = frame.Mapping as AnonVmaFamily;
            if (family == null)
                return objectWalker.Walk(frame.Mapping, pfn, frame.Index, visitor);
            ulong index = frame.Index;
            for (Vma vma = family.First; vma != null; vma = vma.FamilyNext)
                if (!VisitIfMapped(vma, pfn, index, visitor))
                    return false;
            return true;
        }

        // `vma` at the head of `family`'s list.
        void Link(Vma vma, AnonVmaFamily family)
        {
            if (vma.Family != null)
                Mm.Panic("AnonVma2004ReverseMap.Link: VMA is in a family already");
            vma.Family = family;
            vma.FamilyPrev = null;
            vma.FamilyNext = family.First;
            if (family.First != null)
                family.First.FamilyPrev = vma;
            family.First = vma;
            family.Count++;
            LinkedVmas++;
        }

        // find_mergeable_anon_vma of 2.6.7: the family of an adjacent VMA `vma` could merge
        // with (same kind and protection, linear PgOff), or null.
        static AnonVmaFamily NeighbourFamily(Vma vma)
        {
            Vma next = vma.Next;
            if (next != null && next.Family != null && CouldJoin(vma, next))
                return next.Family;
            Vma prev = vma.Prev;
            if (prev != null && prev.Family != null && CouldJoin(prev, vma))
                return prev.Family;
            return null;
        }
    }
}
