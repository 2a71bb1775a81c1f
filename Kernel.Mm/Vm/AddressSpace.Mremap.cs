using Cowbird.Mm.Paging;

namespace Cowbird.Mm.Vm
{
    // mremap (Linux: mm/mremap.c): shrink in place, grow in place when the range above
    // is free, otherwise (with MREMAP_MAYMOVE) move the VMA. The range grown or moved must
    // lie in one VMA, or under AnonOffsets.Reserve in one unit of grouped VMAs
    // (AddressSpace.Groups.cs), which moves VMA by VMA.
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
        // (possibly new) address of the mapping, or -errno, checked in Linux's order
        // (mm/mremap.c): every range argument is validated against TaskSize before the
        // part of the work it guards changes anything.
        //   EINVAL  unknown flags, FIXED without MAYMOVE, DONTUNMAP without MAYMOVE or
        //           with different lengths, unaligned oldAddress/newAddress, newLength 0 (after rounding
        //           up, which wraps as Linux's PAGE_ALIGN does), oldLength 0 on a private
        //           mapping (only shared ones can be duplicated), a fixed destination
        //           overlapping the source or reaching past TaskSize, a part to unmap
        //           (shrinking) reaching past TaskSize;
        //   EPERM   a fixed destination below MmapMin (Linux: mmap_min_addr);
        //   EFAULT  no VMA at oldAddress, or (growing or moving) the old range runs past it;
        //   ENOMEM  growth past SizeLimit (MREMAP_DONTUNMAP: the whole new range; after the
        //           EFAULT checks), cannot grow in place without MAYMOVE, no free range, out of frames,
        //           or the growth of an Account VMA is refused its commitment (the charge
        //           comes after the VMA count check, before anything moves).
        // A Locked source has the part it grew by faulted in afterwards, errors ignored
        // (Linux: mm_populate after mremap).
        public long Mremap(ulong oldAddress, ulong oldLength, ulong newLength, RemapFlags flags, ulong newAddress)
        {
            Vma source = FindVma(oldAddress);
            bool locked = source != null && (source.Flags & VmaFlags.Locked) != 0;
            long result = Remap(oldAddress, oldLength, newLength, flags, newAddress);
            ulong grownFrom = WrappingAlignUp(oldLength);
            ulong grownTo = WrappingAlignUp(newLength);
            if (locked && result >= 0 && grownTo > grownFrom)
                FaultInRange((ulong)result + grownFrom, (ulong)result + grownTo, true);
            return result;
        }

        // Mremap without the fault-in of a locked mapping's growth.
        long Remap(ulong oldAddress, ulong oldLength, ulong newLength, RemapFlags flags, ulong newAddress)
        {
            if ((flags & ~(RemapFlags.MayMove | RemapFlags.Fixed | RemapFlags.DontUnmap)) != 0)
                return -(long)Errno.EINVAL;
            if ((flags & RemapFlags.Fixed) != 0 && (flags & RemapFlags.MayMove) == 0)
                return -(long)Errno.EINVAL;
            // MREMAP_DONTUNMAP is always a move, never a resize (compared before rounding).
            if ((flags & RemapFlags.DontUnmap) != 0 && ((flags & RemapFlags.MayMove) == 0 || oldLength != newLength))
                return -(long)Errno.EINVAL;
            if (!Page.IsAligned(oldAddress))
                return -(long)Errno.EINVAL;
            oldLength = WrappingAlignUp(oldLength);
            newLength = WrappingAlignUp(newLength);
            if (newLength == 0)
                return -(long)Errno.EINVAL;
            Vma vma = FindVma(oldAddress);
            if (vma == null)
                return -(long)Errno.EFAULT;
            if ((flags & (RemapFlags.Fixed | RemapFlags.DontUnmap)) != 0)
                return RemapTo(oldAddress, oldLength, newAddress, newLength, flags);
            if (oldLength == 0)
                return DuplicateShared(vma, oldAddress, newLength, flags);
            if (oldLength >= newLength)
                return Shrink(oldAddress, oldLength, newLength);
            Vma last = RemapUnitLast(vma);
            if (oldLength > last.End - oldAddress)
                return -(long)Errno.EFAULT;
            if (!MayExpand(newLength - oldLength))
                return -(long)Errno.ENOMEM;
            if (oldAddress + oldLength == last.End && CanExpand(last, newLength - oldLength))
            {
                if (ChargeGrowth(last, newLength - oldLength) != Errno.None)
                    return -(long)Errno.ENOMEM;
                GrowVma(last, oldAddress + newLength);
                return (long)oldAddress;
            }
            if ((flags & RemapFlags.MayMove) == 0)
                return -(long)Errno.ENOMEM;
            ulong target = FindFreeRange(newLength);
            if (target == 0)
                return -(long)Errno.ENOMEM;
            return MoveRange(vma, oldAddress, oldLength, target, newLength, false);
        }

        // `length` rounded up to a page as Linux's PAGE_ALIGN does: a length in the last
        // page below 2^64 wraps to 0.
        static ulong WrappingAlignUp(ulong length)
        {
            return (length + Page.OffsetMask) & ~Page.OffsetMask;
        }

        // oldLength 0: a second mapping of the same pages of a shared mapping, newLength
        // long, starting at oldAddress's page of the object (Linux: the "duplicate" case of
        // mremap), at `target` when it is not 0, else at a free range (MAYMOVE only).
        // EINVAL for private mappings, ENOMEM without MAYMOVE or without room.
        long DuplicateShared(Vma vma, ulong oldAddress, ulong newLength, RemapFlags flags, ulong target = 0)
        {
            if (!vma.IsShared)
                return -(long)Errno.EINVAL;
            if (!MayExpand(newLength))
                return -(long)Errno.ENOMEM;
            if (target == 0)
            {
                if ((flags & RemapFlags.MayMove) == 0)
                    return -(long)Errno.ENOMEM;
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

        // The shrink case (and same length): unmaps [oldAddress + newLength, oldAddress +
        // oldLength) with munmap's checks; their error is the result unless the lengths match.
        long Shrink(ulong oldAddress, ulong oldLength, ulong newLength)
        {
            if (oldLength == newLength)
                return (long)oldAddress;
            int error = Munmap(oldAddress + newLength, oldLength - newLength);
            return error < 0 ? error : (long)oldAddress;
        }

        // True when `vma` may grow by `delta` bytes in place: the range above it is free
        // and inside user space (Linux: vma_expandable).
        bool CanExpand(Vma vma, ulong delta)
        {
            ulong end = vma.End + delta;
            return end > vma.End && end <= TaskSize && Vmas.IsFree(vma.End, end);
        }

        // MREMAP_FIXED and MREMAP_DONTUNMAP (Linux: mremap_to): moves [oldAddress,
        // +oldLength) to exactly newAddress with FIXED, else to newAddress if that range
        // is free (a hint, as for mmap), else anywhere. In Linux's order: the destination
        // is checked (even a hint must not overlap the source), then unmapped (FIXED); the
        // source is cut down to newLength when that is shorter (with munmap's checks, so a
        // huge oldLength is EINVAL here, after the destination is gone, as on Linux); only
        // then is the source VMA looked up again and the rest checked. DONTUNMAP leaves
        // the old range mapped and empty (MoveRange).
        long RemapTo(ulong oldAddress, ulong oldLength, ulong newAddress, ulong newLength, RemapFlags flags)
        {
            bool fixedAddress = (flags & RemapFlags.Fixed) != 0;
            if (!Page.IsAligned(newAddress) || newLength > TaskSize || newAddress > TaskSize - newLength)
                return -(long)Errno.EINVAL;
            if (oldAddress + oldLength > newAddress && newAddress + newLength > oldAddress)
                return -(long)Errno.EINVAL;
            if (fixedAddress && newAddress < MmapMin)
                return -(long)Errno.EPERM;
            // Room for splitting both the destination and the source (Linux checks this
            // before it unmaps anything, so a failure leaves both as they were).
            if (Vmas.Count + 2 >= MaxMapCount - 3)
                return -(long)Errno.ENOMEM;
            if (fixedAddress)
            {
                int unmapped = UnmapRange(newAddress, newAddress + newLength);
                if (unmapped < 0)
                    return unmapped;
            }
            if (oldLength > newLength)
            {
                int error = Munmap(oldAddress + newLength, oldLength - newLength);
                if (error < 0)
                    return error;
                oldLength = newLength;
            }
            Vma vma = FindVma(oldAddress);
            if (vma == null)
                return -(long)Errno.EFAULT;
            if (oldLength == 0)
                return DuplicateShared(vma, oldAddress, newLength, RemapFlags.MayMove, newAddress);
            if (oldLength > RemapUnitEnd(vma) - oldAddress)
                return -(long)Errno.EFAULT;
            if (!MayExpand(newLength - oldLength) || ((flags & RemapFlags.DontUnmap) != 0 && !MayExpand(oldLength)))
                return -(long)Errno.ENOMEM;
            if (!fixedAddress)
            {
                newAddress = PlaceNear(newAddress, newLength);
                if (newAddress == 0)
                    return -(long)Errno.ENOMEM;
            }
            return MoveRange(vma, oldAddress, oldLength, newAddress, newLength, (flags & RemapFlags.DontUnmap) != 0);
        }

        // Moves [oldAddress, oldAddress + oldLength), which lies inside the mremap unit
        // starting at `vma` (one VMA unless grouped), to the free range [target, target +
        // newLength) (newLength >= oldLength; the rest is new, demand-zero memory) and
        // merges it with its new neighbours (Linux: move_vma). Each VMA of the range moves
        // whole with its PgOff; the growth extends the last one (GrowVma).
        // With `dontUnmap` the old range stays mapped with the same protection and flags
        // but no pages (LeaveEmptyMappings), and the moved range is charged anew for its
        // whole length, as Linux charges new_len while the old VMA keeps its charge.
        long MoveRange(Vma vma, ulong oldAddress, ulong oldLength, ulong target, ulong newLength, bool dontUnmap)
        {
            if (Vmas.Count >= MaxMapCount - 3)
                return -(long)Errno.ENOMEM;
            if (UnshareTables(oldAddress, oldAddress + oldLength) != Errno.None
                || UnshareTables(target, target + oldLength) != Errno.None)
                return -(long)Errno.ENOMEM;
            ulong charge = dontUnmap ? newLength : newLength - oldLength;
            if (ChargeGrowth(vma, charge) != Errno.None)
                return -(long)Errno.ENOMEM;
            ulong oldEnd = oldAddress + oldLength;
            if (pteMover == null)
                pteMover = new PteMover(this);
            pteMover.Start(oldAddress, target, false);
            PageTable.Walk(oldAddress, oldEnd, pteMover);
            if (pteMover.OutOfMemory)
            {
                PageTable.FreeEmptyTables(target, target + oldLength);
                if ((vma.Flags & VmaFlags.Account) != 0)
                    Manager.Commit.Uncharge(charge >> Page.Shift);
                return -(long)Errno.ENOMEM;
            }
            if (vma.Start < oldAddress)
                vma = SplitVma(vma, oldAddress);
            Vma last = FindVma(oldEnd - 1);
            if (last.End > oldEnd)
                SplitVma(last, oldEnd);
            while (vma != null && vma.Start < oldEnd)
            {
                Vma next = vma.Next;
                MoveVma(vma, target + (vma.Start - oldAddress));
                vma = next;
            }
            PageTable.FreeEmptyTables(oldAddress, oldEnd);
            if (dontUnmap)
                LeaveEmptyMappings(oldAddress, target, oldLength);
            MergeWithNeighbours(FindVma(target));
            last = FindVma(target + oldLength - 1);
            if (newLength > oldLength)
                GrowVma(last, target + newLength);
            else
                MergeWithNeighbours(last);
            return (long)target;
        }

        // Takes `vma` out of the tree, carries its PTEs over to `start` (the destination
        // tables exist) and puts it back there with the same length, PgOff and rmap links.
        void MoveVma(Vma vma, ulong start)
        {
            Vmas.Remove(vma);
            pteMover.Start(vma.Start, start, true);
            pteMover.Vma = vma;
            PageTable.Walk(vma.Start, vma.End, pteMover);
            pteMover.Vma = null;
            AdjustVma(vma, start, start + vma.Length, vma.PgOff);
            Vmas.Insert(vma);
        }

        // MREMAP_DONTUNMAP: each VMA just moved from [oldAddress, oldAddress + length) to
        // [target, target + length) leaves a mapping like it at its old place, without pages
        // or anon_vma and without locks, so private memory there faults in fresh zeros and
        // shared memory reads the object again (Linux: the old VMA stays, its anon_vma links
        // are dropped and VM_LOCKED cleared). A
        // private one gets its offsets as any new private range does (MapAnonymous).
        void LeaveEmptyMappings(ulong oldAddress, ulong target, ulong length)
        {
            for (Vma moved = FindVma(target); moved != null && moved.Start < target + length; moved = moved.Next)
                LeaveEmptyMapping(moved, oldAddress + (moved.Start - target), oldAddress + (moved.End - target));
        }

        void LeaveEmptyMapping(Vma moved, ulong start, ulong end)
        {
            VmaFlags flags = moved.Flags & ~LockFlags;
            if (moved.IsPrivate)
            {
                MapAnonymous(start, end, moved.Prot, flags);
                return;
            }
            Vma empty = new Vma(this, start, end, moved.Prot, flags, moved.PgOff);
            Vmas.Insert(empty);
            LinkSharedObject(empty, moved.SharedObject);
            MergeWithNeighbours(empty);
        }

        // Charges `growth` bytes more for `vma` if it is an Account VMA (nothing for the
        // others). Errno.None or ENOMEM (nothing charged).
        Errno ChargeGrowth(Vma vma, ulong growth)
        {
            if ((vma.Flags & VmaFlags.Account) == 0 || growth == 0)
                return Errno.None;
            return Manager.Commit.Charge(this, growth >> Page.Shift);
        }

        // Per-PTE action of a move (Linux: move_ptes). First pass (move false): make sure
        // the destination's page tables exist. Second pass: carry each entry over
        // unchanged (frame, permissions, accessed/dirty; a swap entry as it is) and clear
        // the old one, invalidating its TLB entry. The zero page has no rmap entry to move.
        sealed class PteMover : PteVisitor
        {
            readonly AddressSpace space;
            ulong from;
            ulong to;
            bool move;
            public bool OutOfMemory;
            // The VMA whose entries move (second pass only), for the rmap's MovePage.
            public Vma Vma;

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
                if (pte.HasFrame && !space.Manager.ZeroPage.IsMappedBy(pte))
                    space.Manager.Rmap.MovePage(pte.Frame, Vma, virtualAddress, destination);
            }
        }
    }
}
