namespace Cowbird.Mm.Vm
{
    // mlock, mlock2, munlock, mlockall, munlockall (Linux 6.1: mm/mlock.c). Locking is a
    // VMA flag: Locked (VM_LOCKED), with LockOnFault (VM_LOCKONFAULT) for memory locked
    // as it is faulted in. A lock on part of a VMA splits it and an unlock merges it
    // back, as mprotect does (UpdateVmaFlags), and MaxMapCount applies. Locking faults
    // the range in at once (FaultInRange) unless LockOnFault; reclaim never evicts a page a
    // Locked VMA maps (PageReferenced and TryToUnmap look at the VMAs of every mapping).
    // mlockall(MCL_FUTURE) sets DefaultFlags, which every later mmap and brk takes (Linux:
    // mm->def_flags); fork and exec start without locks or DefaultFlags.
    //
    // RLIMIT_MEMLOCK is not checked: Cowbird's processes are root, and Linux lets a
    // process with CAP_IPC_LOCK lock any amount.
    public sealed partial class AddressSpace
    {
        // mlock2's flag: lock the pages as they are faulted in (Linux MLOCK_ONFAULT).
        public const int MlockOnFault = 1;
        // mlockall's flags (Linux MCL_*): lock what is mapped now, what is mapped later,
        // and do either as pages are faulted in.
        public const int MclCurrent = 1;
        public const int MclFuture = 2;
        public const int MclOnFault = 4;

        const VmaFlags LockFlags = VmaFlags.Locked | VmaFlags.LockOnFault;

        // The lock flags every new mapping and heap growth gets (Linux: mm->def_flags):
        // None, Locked, or Locked | LockOnFault, as the last mlockall set them.
        public VmaFlags DefaultFlags { get; private set; }

        // mlock(address, length) with flags 0, mlock2(address, length, flags) with
        // MlockOnFault or 0. 0, or -errno in Linux's order: EINVAL for unknown flags; the
        // range is address's page up to address + length rounded up (a length that rounds
        // to 0 is an empty range: 0); EINVAL when it wraps; ENOMEM when a page of it is
        // unmapped or a piece would need more VMAs than MaxMapCount (the pieces before are
        // locked already); then the pages are faulted in: ENOMEM when one cannot be
        // (PROT_NONE, a failed swap read), EAGAIN when no frame is left.
        public int Mlock(ulong address, ulong length, int flags)
        {
            if ((flags & ~MlockOnFault) != 0)
                return -(int)Errno.EINVAL;
            VmaFlags lockFlags = (flags & MlockOnFault) != 0 ? LockFlags : VmaFlags.Locked;
            ulong start = Page.AlignDown(address);
            ulong aligned = WrappingAlignUp(length + (address & Page.OffsetMask));
            int error = ApplyLockFlags(start, aligned, lockFlags);
            if (error != 0)
                return error;
            error = FaultInRange(start, start + aligned, false);
            if (error == -(int)Errno.EFAULT)
                return -(int)Errno.ENOMEM;
            if (error == -(int)Errno.ENOMEM)
                return -(int)Errno.EAGAIN;
            return error;
        }

        // munlock(address, length): the range (as Mlock computes it) loses its locks.
        // 0, EINVAL when it wraps, ENOMEM for an unmapped page or no room for a split.
        public int Munlock(ulong address, ulong length)
        {
            ulong start = Page.AlignDown(address);
            return ApplyLockFlags(start, WrappingAlignUp(length + (address & Page.OffsetMask)), VmaFlags.None);
        }

        // mlockall(flags): EINVAL unless flags is a non-empty mix of MclCurrent, MclFuture
        // and MclOnFault other than MclOnFault alone. MclFuture sets DefaultFlags;
        // MclCurrent locks every VMA (a VMA that cannot be split or merged is skipped, as
        // Linux ignores those errors) and faults in every page it can. 0 otherwise.
        public int Mlockall(int flags)
        {
            if (flags == 0 || (flags & ~(MclCurrent | MclFuture | MclOnFault)) != 0 || flags == MclOnFault)
                return -(int)Errno.EINVAL;
            ApplyMlockall(flags);
            if ((flags & MclCurrent) != 0)
                PopulateAll();
            return 0;
        }

        // munlockall(): every VMA loses its locks and DefaultFlags is cleared. Always 0.
        public int Munlockall()
        {
            ApplyMlockall(0);
            return 0;
        }

        // Pages of this space in Locked VMAs (Linux: mm->locked_vm, /proc status VmLck).
        public ulong LockedPages()
        {
            ulong pages = 0;
            for (Vma vma = Vmas.First; vma != null; vma = vma.Next)
                if ((vma.Flags & VmaFlags.Locked) != 0)
                    pages += vma.Length >> Page.Shift;
            return pages;
        }

        // Gives every VMA of [start, start + length) the lock flags `lockFlags` (Linux:
        // apply_vma_lock_flags): EINVAL when the range wraps, 0 when it is empty, ENOMEM
        // at the first unmapped page or at a piece MaxMapCount leaves no room for.
        int ApplyLockFlags(ulong start, ulong length, VmaFlags lockFlags)
        {
            ulong end = start + length;
            if (end < start)
                return -(int)Errno.EINVAL;
            if (end == start)
                return 0;
            ulong cursor = start;
            while (cursor < end)
            {
                Vma vma = Vmas.FindFirstEndingAfter(cursor);
                if (vma == null || vma.Start > cursor)
                    return -(int)Errno.ENOMEM;
                ulong pieceEnd = vma.End < end ? vma.End : end;
                if (!UpdateVmaFlags(vma, cursor, pieceEnd, (vma.Flags & ~LockFlags) | lockFlags))
                    return -(int)Errno.ENOMEM;
                cursor = pieceEnd;
            }
            return 0;
        }

        // Linux's apply_mlockall_flags: DefaultFlags from MclFuture (and MclOnFault);
        // with MclCurrent every VMA gets Locked (and LockOnFault), without it every VMA
        // loses its locks. A VMA MaxMapCount leaves no room for is left as it is.
        void ApplyMlockall(int flags)
        {
            VmaFlags onFault = (flags & MclOnFault) != 0 ? VmaFlags.LockOnFault : VmaFlags.None;
            DefaultFlags = (flags & MclFuture) != 0 ? VmaFlags.Locked | onFault : VmaFlags.None;
            if ((flags & MclFuture) != 0 && (flags & MclCurrent) == 0)
                return;
            VmaFlags added = (flags & MclCurrent) != 0 ? VmaFlags.Locked | onFault : VmaFlags.None;
            Vma vma = Vmas.First;
            while (vma != null)
            {
                ulong end = vma.End;
                UpdateVmaFlags(vma, vma.Start, end, (vma.Flags & ~LockFlags) | added);
                vma = Vmas.FindFirstEndingAfter(end);
            }
        }

        // Faults in every page of [start, end) a user access could fault in, VMA by VMA
        // (Linux: __mm_populate): a write fault where the VMA is private and writable
        // (copy-on-write broken now), else a read fault; LockOnFault VMAs are skipped.
        // 0, EFAULT for a PROT_NONE VMA or a failed swap read, ENOMEM when no frame is left.
        int FaultInRange(ulong start, ulong end, bool ignoreErrors)
        {
            ulong cursor = start;
            while (cursor < end)
            {
                Vma vma = Vmas.FindFirstEndingAfter(cursor);
                if (vma == null || vma.Start >= end)
                    return 0;
                if (cursor < vma.Start)
                    cursor = vma.Start;
                ulong pieceEnd = vma.End < end ? vma.End : end;
                int error = PopulateVma(vma, cursor, pieceEnd);
                if (error != 0 && !ignoreErrors)
                    return error;
                cursor = pieceEnd;
            }
            return 0;
        }

        // FaultInRange for [start, end) inside `vma` (Linux: populate_vma_page_range).
        int PopulateVma(Vma vma, ulong start, ulong end)
        {
            if ((vma.Flags & VmaFlags.LockOnFault) != 0)
                return 0;
            if (vma.Prot == Protection.None)
                return -(int)Errno.EFAULT;
            bool write = (vma.Prot & Protection.Write) != 0 && vma.IsPrivate;
            return FaultInPages(start, end, write);
        }

        // mlockall(MCL_CURRENT)'s fault-in of the whole space, errors ignored (Linux:
        // mm_populate(0, TASK_SIZE)).
        void PopulateAll()
        {
            FaultInRange(0, TaskSize, true);
        }
    }
}
