namespace Cowbird.Mm.Vm
{
    // mremap groups (Jamie Lokier, "anon_vma RFC2", 2004), under AnonOffsets.Reserve:
    // adjacent private VMAs of the same kind (protection and flags) that cannot merge,
    // because their page offsets do not continue or their anon_vmas differ, act as one
    // unit for mremap. mremap is the one call whose result depends on VMA boundaries (the
    // range it grows or moves must lie in one VMA, else EFAULT; mmap, munmap, mprotect and
    // madvise do not care), so a unit of several VMAs looks like one VMA to a process.
    // The reserved offsets (AddressSpace.Offsets.cs) keep such inner boundaries rare.
    //
    // Jamie proposed a VMA flag set where a merge fails. Cowbird computes it instead: every
    // operation that makes two VMAs adjacent tries to merge them, so the flag would be set
    // exactly where IsGrouped holds, and a computed flag cannot go stale when mprotect or
    // munmap changes a member. Under AnonOffsets.Linear no VMAs are grouped (Linux).
    public sealed partial class AddressSpace
    {
        // True when `vma` is a private VMA with protection `prot` and flags `flags`: the two
        // group when adjacent.
        static bool SameKind(Vma vma, Protection prot, VmaFlags flags)
        {
            return vma != null && vma.IsPrivate && vma.Prot == prot && vma.Flags == flags;
        }

        // True when `vma` is a private VMA with flags `flags` but for Account: a new range
        // with them may share offsets with it, whatever the protection and the charge
        // (mprotect changes both), so an mprotect that makes the two alike lets them merge.
        static bool SameOffsetKind(Vma vma, VmaFlags flags)
        {
            return vma != null && vma.IsPrivate && (vma.Flags | VmaFlags.Account) == (flags | VmaFlags.Account);
        }

        // True when `upper` follows `lower` directly and the two are one mremap unit.
        bool IsGrouped(Vma lower, Vma upper)
        {
            return Manager.Offsets == AnonOffsets.Reserve && upper != null && lower.End == upper.Start
                && SameKind(lower, upper.Prot, upper.Flags);
        }

        // The last VMA of the unit that continues upwards from `vma` (`vma` itself unless
        // grouped). mremap grows or moves ranges of [vma.Start, RemapUnitLast(vma).End).
        Vma RemapUnitLast(Vma vma)
        {
            while (IsGrouped(vma, vma.Next))
                vma = vma.Next;
            return vma;
        }

        // End of the mremap unit containing `vma`, from `vma` upwards: what a process sees
        // as the end of its mapping (the model tests ask this of the real tree).
        public ulong RemapUnitEnd(Vma vma)
        {
            return RemapUnitLast(vma).End;
        }

        // Pages of the whole unit `member` belongs to (both directions).
        ulong UnitPages(Vma member)
        {
            Vma first = member;
            while (first.Prev != null && IsGrouped(first.Prev, first))
                first = first.Prev;
            return (RemapUnitEnd(first) - first.Start) >> Page.Shift;
        }

        // The mappings a process sees (Linux: the lines of /proc/self/maps): VMAs, each
        // unit of grouped VMAs counted once. Equals Vmas.Count under AnonOffsets.Linear. O(n).
        public int RemapUnits
        {
            get
            {
                int units = 0;
                for (Vma vma = Vmas.First; vma != null; vma = vma.Next)
                    if (vma.Prev == null || !IsGrouped(vma.Prev, vma))
                        units++;
                return units;
            }
        }
    }
}
