using Cowbird.Mm.Paging;

namespace Cowbird.Mm.Vm
{
    // mremap (Linux: mm/mremap.c): shrink in place, grow in place when the range above
    // is free, otherwise (with MREMAP_MAYMOVE) move the VMA.
    //
    // A move never copies a page: the part being moved is split off into its own VMA,
    // which leaves the tree, has its PTEs carried over to the new address, and comes
    // back with its new Start and its old PgOff. So every frame keeps its Index and the
    // VMA keeps its anon_vma links (or shared object): the rmap still finds each page at
    // Start + (Index - PgOff) pages. Frames shared copy-on-write with another process
    // stay read-only and shared; counts do not change because the PTE count does not.
    // Ordering: page tables at the destination are allocated before anything changes,
    // so running out of frames leaves the mapping as it was (ENOMEM).
    public sealed partial class AddressSpace
    {
        PteMover pteMover;

        // mremap(oldAddress, oldLength, newLength, flags, newAddress). Returns the
        // (possibly new) address of the mapping, or -errno:
        //   EINVAL  unknown flags (MREMAP_DONTUNMAP is not supported), FIXED without
        //           MAYMOVE, unaligned oldAddress/newAddress, newLength 0, oldLength 0 on
        //           a private mapping (only shared ones can be duplicated), a fixed destination
        //           overlapping the source or outside user space, a shrink range outside
        //           user space;
        //   EPERM   a fixed destination below MmapMin (Linux: mmap_min_addr);
        //   EFAULT  no VMA at oldAddress, or (growing or moving) the old range runs past it;
        //   ENOMEM  cannot grow in place without MAYMOVE, no free range, out of frames.
        public long Mremap(ulong oldAddress, ulong oldLength, ulong newLength, RemapFlags flags, ulong newAddress)
        {
            if ((flags & ~(RemapFlags.MayMove | RemapFlags.Fixed)) != 0)
                return -(long)Errno.EINVAL;
            if ((flags & RemapFlags.Fixed) != 0 && (flags & RemapFlags.MayMove) == 0)
                return -(long)Errno.EINVAL;
            if (!Page.IsAligned(oldAddress) || !Page.TryAlignUp(oldLength, out oldLength)
                || !Page.TryAlignUp(newLength, out newLength) || newLength == 0)
                return -(long)Errno.EINVAL;
            Vma vma = oldAddress < PageTable.UserEnd ? FindVma(oldAddress) : null;
            if (vma == null)
                return -(long)Errno.EFAULT;
            if (oldLength == 0)
                return DuplicateShared(vma, oldAddress, newLength, flags, newAddress);
            if ((flags & RemapFlags.Fixed) != 0)
                return RemapFixed(vma, oldAddress, oldLength, newAddress, newLength);
            if (oldLength >= newLength)
                return Shrink(oldAddress, oldLength, newLength);
            if (oldLength > vma.End - oldAddress)
                return -(long)Errno.EFAULT;
            if (oldAddress + oldLength == vma.End && CanExpand(vma, newLength - oldLength))
            {
                AdjustVma(vma, vma.Start, oldAddress + newLength, vma.PgOff);
                MergeWithNeighbours(vma);
                return (long)oldAddress;
            }
            if ((flags & RemapFlags.MayMove) == 0)
                return -(long)Errno.ENOMEM;
            ulong target = FindFreeRange(newLength);
            if (target == 0)
                return -(long)Errno.ENOMEM;
            return MoveRange(vma, oldAddress, oldLength, target, newLength);
        }

        // oldLength 0: a second mapping of the same pages of a shared mapping, newLength
        // long, starting at oldAddress's page of the object (Linux: the "duplicate" case of
        // mremap). EINVAL for private mappings, ENOMEM without MAYMOVE.
        long DuplicateShared(Vma vma, ulong oldAddress, ulong newLength, RemapFlags flags, ulong newAddress)
        {
            if (!vma.IsShared)
                return -(long)Errno.EINVAL;
            ulong target;
            if ((flags & RemapFlags.Fixed) != 0)
            {
                if (!Page.IsAligned(newAddress) || newLength > PageTable.UserEnd || newAddress > PageTable.UserEnd - newLength)
                    return -(long)Errno.EINVAL;
                // Linux's overlap test with old_len 0: the destination strictly covers oldAddress.
                if (oldAddress > newAddress && newAddress + newLength > oldAddress)
                    return -(long)Errno.EINVAL;
                if (newAddress < MmapMin)
                    return -(long)Errno.EPERM;
                UnmapRange(newAddress, newAddress + newLength);
                target = newAddress;
                vma = FindVma(oldAddress);
                if (vma == null)
                    return -(long)Errno.EFAULT;
            }
            else if ((flags & RemapFlags.MayMove) == 0)
                return -(long)Errno.ENOMEM;
            else
            {
                target = FindFreeRange(newLength);
                if (target == 0)
                    return -(long)Errno.ENOMEM;
            }
            Vma copy = new Vma(this, target, target + newLength, vma.Prot, vma.Flags, vma.PageIndexOf(oldAddress));
            Vmas.Insert(copy);
            LinkSharedObject(copy, vma.SharedObject);
            MergeWithNeighbours(copy);
            return (long)target;
        }

        // The shrink case: unmaps [oldAddress + newLength, oldAddress + oldLength).
        long Shrink(ulong oldAddress, ulong oldLength, ulong newLength)
        {
            ulong end = oldAddress + oldLength;
            if (end < oldAddress || end > PageTable.UserEnd)
                return -(long)Errno.EINVAL;
            if (oldLength > newLength)
                UnmapRange(oldAddress + newLength, end);
            return (long)oldAddress;
        }

        // True when `vma` may grow by `delta` bytes in place: the range above it is free
        // and inside user space (Linux: vma_expandable).
        bool CanExpand(Vma vma, ulong delta)
        {
            ulong end = vma.End + delta;
            return end > vma.End && end <= PageTable.UserEnd && Vmas.IsFree(vma.End, end);
        }

        // MREMAP_FIXED: moves [oldAddress, +oldLength) to exactly newAddress (Linux:
        // mremap_to), after unmapping whatever was there and cutting the source down
        // to newLength when that is shorter.
        long RemapFixed(Vma vma, ulong oldAddress, ulong oldLength, ulong newAddress, ulong newLength)
        {
            if (!Page.IsAligned(newAddress) || newLength > PageTable.UserEnd || newAddress > PageTable.UserEnd - newLength)
                return -(long)Errno.EINVAL;
            if (oldAddress < newAddress + newLength && newAddress < oldAddress + oldLength)
                return -(long)Errno.EINVAL;
            if (newAddress < MmapMin)
                return -(long)Errno.EPERM;
            ulong moved = oldLength < newLength ? oldLength : newLength;
            if (moved > vma.End - oldAddress)
                return -(long)Errno.EFAULT;
            UnmapRange(newAddress, newAddress + newLength);
            if (oldLength > newLength)
                UnmapRange(oldAddress + newLength, oldAddress + oldLength);
            return MoveRange(FindVma(oldAddress), oldAddress, moved, newAddress, newLength);
        }

        // Moves [oldAddress, oldAddress + oldLength), which lies inside `vma`, to the free
        // range [target, target + newLength) (newLength >= oldLength; the rest is new,
        // demand-zero memory) and merges it with its new neighbours (Linux: move_vma).
        long MoveRange(Vma vma, ulong oldAddress, ulong oldLength, ulong target, ulong newLength)
        {
            ulong oldEnd = oldAddress + oldLength;
            if (pteMover == null)
                pteMover = new PteMover(this);
            pteMover.Start(oldAddress, target, false);
            PageTable.Walk(oldAddress, oldEnd, pteMover);
            if (pteMover.OutOfMemory)
            {
                PageTable.FreeEmptyTables(target, target + oldLength);
                return -(long)Errno.ENOMEM;
            }
            if (vma.Start < oldAddress)
                vma = SplitVma(vma, oldAddress);
            if (vma.End > oldEnd)
                SplitVma(vma, oldEnd);
            Vmas.Remove(vma);
            pteMover.Start(oldAddress, target, true);
            PageTable.Walk(oldAddress, oldEnd, pteMover);
            PageTable.FreeEmptyTables(oldAddress, oldEnd);
            AdjustVma(vma, target, target + newLength, vma.PgOff);
            Vmas.Insert(vma);
            MergeWithNeighbours(vma);
            return (long)target;
        }

        // Per-PTE action of a move (Linux: move_ptes). First pass (move false): make sure
        // the destination's page tables exist. Second pass: carry each entry over
        // unchanged (frame, permissions, accessed/dirty; a swap entry as it is) and clear
        // the old one, invalidating its TLB entry.
        sealed class PteMover : PteVisitor
        {
            readonly AddressSpace space;
            ulong from;
            ulong to;
            bool move;
            public bool OutOfMemory;

            public PteMover(AddressSpace owner) { space = owner; }

            // Arms the mover for entries at `source` going to `destination`.
            public void Start(ulong source, ulong destination, bool moveEntries)
            {
                from = source;
                to = destination;
                move = moveEntries;
                OutOfMemory = false;
            }

            public override void Visit(ulong virtualAddress, ulong pteAddress, Pte pte)
            {
                if (OutOfMemory)
                    return;
                ulong destination = to + (virtualAddress - from);
                ulong target = space.PageTable.EnsurePte(destination);
                if (target == 0)
                {
                    if (move)
                        Mm.Panic("AddressSpace.MoveRange: destination table vanished");
                    OutOfMemory = true;
                    return;
                }
                if (!move)
                    return;
                if (!space.PageTable.Read(target).IsNone)
                    Mm.Panic("AddressSpace.MoveRange: destination entry in use");
                space.PageTable.Replace(target, destination, pte);
                space.PageTable.Replace(pteAddress, virtualAddress, Pte.NoneEntry);
            }
        }
    }
}
