namespace Cowbird.Mm.Vm
{
    // Merging existing neighbours after mprotect and mremap changed a VMA (Linux:
    // vma_merge / vma_merge_existing_range). Two adjacent VMAs become one when nothing
    // about a page would change by it: same protection, flags, backing (the same shared
    // object, or the same anon_vma for private memory: null means none yet) and linear
    // page offsets that continue across the boundary.
    public sealed partial class AddressSpace
    {
        // True when `upper` starts where `lower` ends and the two may be one VMA.
        static bool CanMergeAdjacent(Vma lower, Vma upper)
        {
            return lower.End == upper.Start
                && lower.Prot == upper.Prot
                && lower.Flags == upper.Flags
                && lower.SharedObject == upper.SharedObject
                && lower.AnonVma == upper.AnonVma
                && lower.PageIndexOf(lower.End) == upper.PgOff;
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
                DropMergedVma(vma);
                AdjustVma(prev, prev.Start, end, prev.PgOff);
                vma = prev;
            }
            Vma next = vma.Next;
            if (next != null && CanMergeAdjacent(vma, next))
            {
                ulong end = next.End;
                DropMergedVma(next);
                AdjustVma(vma, vma.Start, end, vma.PgOff);
            }
            return vma;
        }

        // Gives `vma` a new range and page offset (Linux: vma_adjust / vma_set_range). The
        // new range must stay clear of the other VMAs (or `vma` is out of the tree). The
        // rmap layer's update of its anon_vma interval trees (keyed by PgOff and length)
        // belongs here: every mprotect/mremap/merge change of a VMA's extent goes through it.
        void AdjustVma(Vma vma, ulong start, ulong end, ulong pgOff)
        {
            vma.Start = start;
            vma.End = end;
            vma.PgOff = pgOff;
        }

        // Removes a VMA whose range a neighbour is about to absorb: its pages stay mapped.
        // (The rmap layer's unlink of its anon_vma chain belongs here, as in RemoveVma.)
        void DropMergedVma(Vma vma)
        {
            Vmas.Remove(vma);
            UnlinkSharedObject(vma);
            Manager.VmaCache.Free(vma);
        }
    }
}
