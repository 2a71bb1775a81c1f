namespace Cowbird.Mm.Vm
{
    // Merging adjacent VMAs (Linux: vma_merge / vma_merge_existing_range), after mmap,
    // brk, mprotect and mremap. Two adjacent VMAs become one when nothing about a page
    // would change by it: same protection, flags, backing (the same shared object; for
    // private memory, anon_vmas the reverse map calls mergeable: ReverseMap.IsMergeable)
    // and linear page offsets that continue across the boundary.
    //
    // Ordering (the rmap contract in AnonVmaReverseMap): AbsorbVma(kept, removed), then
    // UnlinkVma(removed) and drop it from the tree, then grow kept with AdjustVma, which
    // re-keys kept's anon_vma chains (VmaRangeChanged). The removed VMA's PTEs stay where
    // they are: they now belong to kept, whose chains cover every anon_vma they need.
    public sealed partial class AddressSpace
    {
        // True when `upper` starts where `lower` ends and the two may be one VMA.
        bool CanMergeAdjacent(Vma lower, Vma upper)
        {
            return lower.End == upper.Start
                && lower.Prot == upper.Prot
                && lower.Flags == upper.Flags
                && lower.SharedObject == upper.SharedObject
                && lower.PageIndexOf(lower.End) == upper.PgOff
                && Manager.Rmap.IsMergeable(lower, upper);
        }

        // Joins `vma` with its previous and/or next VMA where CanMergeAdjacent allows;
        // returns the VMA now covering `vma`'s range. PTEs stay as they are: the pages'
        // linear indexes do not change.
        Vma MergeWithNeighbours(Vma vma)
        {
            Vma prev = vma.Prev;
            if (prev != null && CanMergeAdjacent(prev, vma))
            {
                ulong end = vma.End;
                DropMergedVma(prev, vma);
                AdjustVma(prev, prev.Start, end, prev.PgOff);
                vma = prev;
            }
            Vma next = vma.Next;
            if (next != null && CanMergeAdjacent(vma, next))
            {
                ulong end = next.End;
                DropMergedVma(vma, next);
                AdjustVma(vma, vma.Start, end, vma.PgOff);
            }
            return vma;
        }

        // Gives `vma` a new range and page offset (Linux: vma_adjust / vma_set_range) and
        // re-keys its anon_vma chains (ReverseMap.VmaRangeChanged). The one place the extent
        // of a VMA that stays in the space changes (SplitVma shrinks the lower half through
        // it too). The new range must stay clear of the other VMAs (or `vma` is out of the tree).
        void AdjustVma(Vma vma, ulong start, ulong end, ulong pgOff)
        {
            ulong oldLength = vma.Length;
            vma.Start = start;
            vma.End = end;
            vma.PgOff = pgOff;
            Vmas.RangeChanged(vma, oldLength);
            Manager.Rmap.VmaRangeChanged(vma);
        }

        // Removes `removed`, whose range its neighbour `kept` is about to absorb: its pages
        // stay mapped and become kept's, and so do its reserved offsets (JoinReservation).
        // kept first takes over removed's anon_vma if it has none (AbsorbVma, Linux
        // dup_anon_vma); then removed's chains go (UnlinkVma).
        void DropMergedVma(Vma kept, Vma removed)
        {
            JoinReservation(kept, removed.ReservedStart, removed.ReservedEnd);
            Manager.Rmap.AbsorbVma(kept, removed);
            Manager.Rmap.UnlinkVma(removed);
            Vmas.Remove(removed);
            UnlinkSharedObject(removed);
            removed.Release();
        }
    }
}
