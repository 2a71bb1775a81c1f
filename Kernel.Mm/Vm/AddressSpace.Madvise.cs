using Cowbird.Mm.Paging;
using Cowbird.Mm.Physical;

namespace Cowbird.Mm.Vm
{
    // madvise (Linux 6.1: mm/madvise.c). The range is walked VMA by VMA in address order
    // (madvise_walk_vmas) and each piece gets the advice:
    //   - DONTNEED drops the pages: private memory reads back zeros, shared memory reads
    //     its object's pages again. DONTNEED_LOCKED does the same to locked memory too,
    //     where DONTNEED, FREE, REMOVE, COLD and PAGEOUT are EINVAL (VmaFlags.Locked).
    //   - FREE (private only) is lazy on Linux: pages stay until reclaim wants them, and a
    //     page written again keeps its new data. Cowbird frees at once what reclaim could
    //     free at once: pages this PTE alone holds and swapped-out pages. Pages still
    //     shared with another process stay, as Linux's madvise_free_pte_range skips them.
    //     So a page not written again reads back its data or zeros, as on Linux.
    //   - REMOVE (shared writable only) punches a hole in the object: every mapping of
    //     the range reads zeros afterwards.
    //   - POPULATE_READ / POPULATE_WRITE fault the pages in as a read or write would.
    //   - DONTFORK, DOFORK, WIPEONFORK, KEEPONFORK, SEQUENTIAL, RANDOM, NORMAL, DONTDUMP,
    //     DODUMP, MERGEABLE, UNMERGEABLE, HUGEPAGE, NOHUGEPAGE set or clear a VMA flag,
    //     splitting and merging VMAs as mprotect does. Fork obeys DontCopy and WipeOnFork;
    //     the others are hints Cowbird has no use for (no read-ahead of files, no core
    //     dumps, no KSM, no huge pages).
    //   - COLD (Linux: madvise_cold) ages the pages only this process maps: their Accessed
    //     bits are cleared and active ones go to the inactive list, so reclaim takes them
    //     before others. PAGEOUT does the same; Linux also reclaims them at once, Cowbird
    //     leaves that to the next reclaim.
    //   - WILLNEED is a hint Cowbird accepts and does nothing for (Linux starts swap-in
    //     read-ahead; Cowbird reads a page back when it is touched).
    public sealed partial class AddressSpace
    {
        // MADV_DONTNEED, for callers that pass advice as an int.
        public const int MadviseDontNeed = (int)Advice.DontNeed;

        PageAger pageAger;

        // madvise(address, length, advice). 0, or -errno in Linux's order: EINVAL for an
        // unknown advice, an unaligned address, a length that rounds up past 2^64 or a
        // range that wraps; 0 for an empty range; then the walk: a piece's own error ends
        // it (EINVAL for advice that does not apply to the VMA, EACCES for REMOVE of a
        // read-only shared mapping, EAGAIN when a flag change would need more VMAs than
        // MaxMapCount, ENOMEM/EFAULT from POPULATE); otherwise ENOMEM when part of the
        // range is unmapped (the mapped parts are still done).
        public int Madvise(ulong address, ulong length, int advice)
        {
            if (!IsKnownAdvice(advice) || !Page.IsAligned(address))
                return -(int)Errno.EINVAL;
            ulong aligned = WrappingAlignUp(length);
            if (length != 0 && aligned == 0)
                return -(int)Errno.EINVAL;
            ulong end = address + aligned;
            if (end < address)
                return -(int)Errno.EINVAL;
            if (end == address)
                return 0;
            int result = WalkAdvice(address, end, (Advice)advice);
            bool dropsPages = advice == (int)Advice.DontNeed || advice == (int)Advice.DontNeedLocked || advice == (int)Advice.Free;
            if (dropsPages && address < TaskSize)
                PageTable.FreeEmptyTables(address, end < TaskSize ? end : TaskSize);
            return result;
        }

        // True for the values of Advice (there is a gap from 5 to 7).
        static bool IsKnownAdvice(int advice)
        {
            return (advice >= (int)Advice.Normal && advice <= (int)Advice.DontNeed)
                || (advice >= (int)Advice.Free && advice <= (int)Advice.DontNeedLocked);
        }

        // Gives each mapped piece of [start, end) the advice (Linux: madvise_walk_vmas).
        int WalkAdvice(ulong start, ulong end, Advice advice)
        {
            int result = 0;
            Vma vma = Vmas.FindFirstEndingAfter(start);
            while (true)
            {
                if (vma == null)
                    return -(int)Errno.ENOMEM;
                if (start < vma.Start)
                {
                    result = -(int)Errno.ENOMEM;
                    start = vma.Start;
                    if (start >= end)
                        break;
                }
                ulong pieceEnd = vma.End < end ? vma.End : end;
                int error = AdvisePiece(vma, start, pieceEnd, advice);
                if (error != 0)
                    return error;
                start = pieceEnd;
                if (start >= end)
                    break;
                // The piece may have been split off or merged: look again.
                vma = Vmas.FindFirstEndingAfter(start);
            }
            return result;
        }

        // [start, end) of `vma` gets `advice` (Linux: madvise_vma_behavior). 0 or -errno.
        int AdvisePiece(Vma vma, ulong start, ulong end, Advice advice)
        {
            if ((vma.Flags & VmaFlags.Locked) != 0 && RefusesLocked(advice))
                return -(int)Errno.EINVAL;
            if (ChangesEntries(advice) && UnshareTables(start, end) != Errno.None)
                return -(int)Errno.ENOMEM;
            switch (advice)
            {
                case Advice.WillNeed:
                    return 0;
                case Advice.Cold:
                case Advice.PageOut:
                    if (pageAger == null)
                        pageAger = new PageAger(this);
                    PageTable.Walk(start, end, pageAger);
                    return 0;
                case Advice.DontNeed:
                case Advice.DontNeedLocked:
                    ZapRange(vma, start, end);
                    return 0;
                case Advice.Free:
                    if (vma.IsShared)
                        return -(int)Errno.EINVAL;
                    zapper.ExclusiveOnly = true;
                    ZapRange(vma, start, end);
                    zapper.ExclusiveOnly = false;
                    return 0;
                case Advice.Remove:
                    return RemoveShared(vma, start, end);
                case Advice.PopulateRead:
                case Advice.PopulateWrite:
                    return Populate(vma, start, end, advice == Advice.PopulateWrite);
                case Advice.WipeOnFork:
                    if (vma.IsShared)
                        return -(int)Errno.EINVAL;
                    break;
                case Advice.Mergeable:
                    if (vma.IsShared)
                        return 0;    // KSM leaves shared mappings alone (ksm_madvise)
                    break;
            }
            return UpdateVmaFlags(vma, start, end, FlagsAdvised(vma.Flags, advice)) ? 0 : -(int)Errno.EAGAIN;
        }

        // True for the advice that rewrites this space's leaf entries (so a shared table
        // there is unshared first): dropping pages and clearing Accessed bits. REMOVE acts
        // on shared VMAs, whose tables are never shared; POPULATE faults.
        static bool ChangesEntries(Advice advice)
        {
            return advice == Advice.Cold || advice == Advice.PageOut || advice == Advice.DontNeed
                || advice == Advice.DontNeedLocked || advice == Advice.Free;
        }

        // True for the advice Linux refuses on a Locked VMA (madvise_remove,
        // can_madv_lru_vma, madvise_dontneed_free_valid_vma): evicting or dropping its pages.
        static bool RefusesLocked(Advice advice)
        {
            return advice == Advice.Remove || advice == Advice.Cold || advice == Advice.PageOut
                || advice == Advice.DontNeed || advice == Advice.Free;
        }

        // The VMA flags `flags` become under a flag-setting `advice`.
        static VmaFlags FlagsAdvised(VmaFlags flags, Advice advice)
        {
            switch (advice)
            {
                case Advice.Normal: return flags & ~(VmaFlags.SequentialRead | VmaFlags.RandomRead);
                case Advice.Sequential: return (flags & ~VmaFlags.RandomRead) | VmaFlags.SequentialRead;
                case Advice.Random: return (flags & ~VmaFlags.SequentialRead) | VmaFlags.RandomRead;
                case Advice.DontFork: return flags | VmaFlags.DontCopy;
                case Advice.DoFork: return flags & ~VmaFlags.DontCopy;
                case Advice.WipeOnFork: return flags | VmaFlags.WipeOnFork;
                case Advice.KeepOnFork: return flags & ~VmaFlags.WipeOnFork;
                case Advice.DontDump: return flags | VmaFlags.DontDump;
                case Advice.DoDump: return flags & ~VmaFlags.DontDump;
                case Advice.Mergeable: return flags | VmaFlags.Mergeable;
                case Advice.Unmergeable: return flags & ~VmaFlags.Mergeable;
                case Advice.HugePage: return (flags & ~VmaFlags.NoHugePage) | VmaFlags.HugePage;
                case Advice.NoHugePage: return (flags & ~VmaFlags.HugePage) | VmaFlags.NoHugePage;
                default: return flags;
            }
        }

        // Gives [start, end) of `vma` the flags `flags` (Linux: madvise_update_vma,
        // mlock_fixup): nothing when they are its flags already; else split off, set, and
        // merged with equal neighbours. False, after Linux's partial split, when
        // MaxMapCount leaves no room (madvise says EAGAIN, mlock ENOMEM).
        bool UpdateVmaFlags(Vma vma, ulong start, ulong end, VmaFlags flags)
        {
            if (flags == vma.Flags)
                return true;
            if (!RoomForPiece(vma, start, end, vma.Prot, flags))
                return false;
            vma = IsolatePiece(vma, start, end);
            vma.Flags = flags;
            MergeWithNeighbours(vma);
            return true;
        }

        // MADV_POPULATE_READ/WRITE: faults every page of [start, end) in as a read (or
        // write) would. EINVAL when the VMA does not allow that access (Linux reports
        // permission problems so), ENOMEM when no frame can be had, EFAULT when a page
        // cannot be read back from swap (a user access would get SIGBUS).
        int Populate(Vma vma, ulong start, ulong end, bool write)
        {
            Protection needed = write ? Protection.Write : Protection.Read;
            if ((vma.Prot & needed) == 0)
                return -(int)Errno.EINVAL;
            return FaultInPages(start, end, write);
        }

        // Faults in each page of [start, end) as a user read or write would: 0, -ENOMEM when no
        // frame can be had, -EFAULT for any other failure (a swap read error). Shared by
        // MADV_POPULATE_* and the fault-in of mlock, MAP_POPULATE and mlockall.
        int FaultInPages(ulong start, ulong end, bool write)
        {
            for (ulong page = start; page < end; page += Page.Size)
            {
                Errno error = UserMemory.FaultIn(this, page, write);
                if (error == Errno.ENOMEM)
                    return -(int)Errno.ENOMEM;
                if (error != Errno.None)
                    return -(int)Errno.EFAULT;
            }
            return 0;
        }

        // MADV_REMOVE (Linux: madvise_remove, a hole punched in the shmem file): EINVAL for
        // private memory, EACCES unless the shared mapping is writable; else the object's
        // pages for [start, end) leave every mapping and the object, so all read zeros.
        int RemoveShared(Vma vma, ulong start, ulong end)
        {
            if (!vma.IsShared)
                return -(int)Errno.EINVAL;
            if ((vma.Prot & Protection.Write) == 0)
                return -(int)Errno.EACCES;
            SharedAnonObject obj = vma.SharedObject;
            ulong first = vma.PageIndexOf(start);
            ulong last = vma.PageIndexOf(end);
            for (Vma mapping = obj.FirstMapping; mapping != null; mapping = mapping.SharedNext)
            {
                ulong from = mapping.PgOff > first ? mapping.PgOff : first;
                ulong mappingEnd = mapping.PageIndexOf(mapping.End);
                ulong to = mappingEnd < last ? mappingEnd : last;
                if (from < to)
                    mapping.Owner.ZapRange(mapping, mapping.AddressOf(from), mapping.AddressOf(to));
            }
            obj.RemovePages(first, last);
            return 0;
        }

        // Per-PTE action of MADV_COLD and MADV_PAGEOUT (Linux:
        // madvise_cold_or_pageout_pte_range): a resident page only this PTE maps loses its
        // Accessed bit (the TLB entry goes with it) and, if active, moves to the inactive
        // list. Pages other processes map too are left alone, as Linux leaves them.
        sealed class PageAger : PteVisitor
        {
            readonly AddressSpace space;

            public PageAger(AddressSpace owner) { space = owner; }

            public override void Visit(ulong virtualAddress, ulong pteAddress, Pte pte)
            {
                if (!pte.IsPresent)
                    return;
                ref PageFrame frame = ref space.Manager.Frames.Frame(pte.Frame);
                if (frame.MapCount != 1 || (frame.Flags & PageFrameFlags.Lru) == 0)
                    return;
                if (pte.IsAccessed)
                    space.PageTable.Replace(pteAddress, virtualAddress, pte.Without(Pte.Accessed));
                if ((frame.Flags & PageFrameFlags.Active) != 0)
                    space.Manager.Lru.Deactivate(pte.Frame);
            }
        }
    }
}
