using Cowbird.Mm.Paging;
using Cowbird.Mm.Physical;

namespace Cowbird.Mm.Vm
{
    // mprotect (Linux: mm/mprotect.c). Walks the VMAs of the range in address order;
    // each one whose protection changes is split at the range ends (SplitVma), gets the
    // new protection, has its PTEs rewritten, and is merged back with equal neighbours.
    //
    // Rules for the PTEs (ProtectionApplier):
    //   - PROT_NONE keeps the frame in a ProtNone entry; leaving PROT_NONE makes it
    //     present again. Swap entries are left alone (swap-in reads the VMA's protection).
    //   - Copy-on-write survives: in a private VMA, a page becomes writable only when this
    //     PTE is its sole holder (MapCount 1, RefCount 1, anonymous); a page still shared
    //     with another process stays read-only, and its first write faults and copies.
    //   - Shared mappings' pages become writable directly (no COW for them).
    //   - Every rewrite of a present entry goes through PageTable.Replace, which
    //     invalidates the TLB, so a downgrade is never outlived by a stale translation.
    public sealed partial class AddressSpace
    {
        // PROT_SEM (x86-64): accepted and ignored by Linux's mprotect.
        public const int ProtSem = 0x8;

        ProtectionApplier protectionApplier;

        // mprotect(address, length, prot). 0, or -errno, checked in Linux's order: EINVAL for
        // an unaligned address; 0 for length 0; ENOMEM when the range wraps; EINVAL for
        // unknown prot bits (PROT_SEM is accepted); ENOMEM when the range is not entirely
        // mapped, when making a piece writable needs a commitment that is refused
        // (FlagsAfter), or when a piece would need more VMAs than MaxMapCount allows. As in
        // Linux, the VMAs before the first hole (or that piece) are already changed when
        // ENOMEM is returned.
        public int Mprotect(ulong address, ulong length, Protection prot)
        {
            if (!Page.IsAligned(address))
                return -(int)Errno.EINVAL;
            if (length == 0)
                return 0;
            if (!Page.TryAlignUp(length, out length) || address + length <= address)
                return -(int)Errno.ENOMEM;
            prot &= ~(Protection)ProtSem;
            if ((prot & ~Protection.All) != 0)
                return -(int)Errno.EINVAL;
            ulong end = address + length;
            ulong cursor = address;
            while (cursor < end)
            {
                Vma vma = Vmas.FindFirstEndingAfter(cursor);
                if (vma == null || vma.Start > cursor)
                    return -(int)Errno.ENOMEM;
                ulong pieceEnd = vma.End < end ? vma.End : end;
                if (vma.Prot != prot)
                {
                    if (UnshareTables(cursor, pieceEnd) != Errno.None)
                        return -(int)Errno.ENOMEM;
                    // Linux's mprotect_fixup charges before it merges or splits.
                    VmaFlags flags = FlagsAfter(vma, prot);
                    ulong charged = flags != vma.Flags ? (pieceEnd - cursor) >> Page.Shift : 0;
                    if (charged != 0 && Manager.Commit.Charge(this, charged) != Errno.None)
                        return -(int)Errno.ENOMEM;
                    if (!RoomForPiece(vma, cursor, pieceEnd, prot, flags))
                    {
                        if (charged != 0)
                            Manager.Commit.Uncharge(charged);
                        return -(int)Errno.ENOMEM;
                    }
                    ProtectPiece(vma, cursor, pieceEnd, prot, flags);
                }
                cursor = pieceEnd;
            }
            return 0;
        }

        // The flags a piece of `vma` has once given `prot` (Linux: mprotect_fixup's
        // newflags): a private mapping that was never writable nor charged, and is not
        // NoReserve, becomes Account when it becomes writable, and the caller charges the
        // piece. Read-only again keeps Account: the commitment is not given back.
        static VmaFlags FlagsAfter(Vma vma, Protection prot)
        {
            bool unaccounted = (vma.Flags & (VmaFlags.Account | VmaFlags.Shared | VmaFlags.NoReserve)) == 0
                && (vma.Prot & Protection.Write) == 0;
            return (prot & Protection.Write) != 0 && unaccounted ? vma.Flags | VmaFlags.Account : vma.Flags;
        }

        // True when giving [start, end) of `vma` protection `prot` and `flags` stays within
        // MaxMapCount. When it does not, Linux has split one end before it finds no room for
        // the other (mprotect_fixup, madvise_update_vma), and so does this.
        bool RoomForPiece(Vma vma, ulong start, ulong end, Protection prot, VmaFlags flags)
        {
            int added = NewVmasFor(vma, start, end, prot, flags);
            if (added <= MaxMapCount - Vmas.Count)
                return true;
            if (added == 2 && Vmas.Count < MaxMapCount)
                SplitVma(vma, start);
            return false;
        }

        // How many VMAs giving [start, end) of `vma` protection `prot` and `flags` adds,
        // counted as Linux's mprotect_fixup would: none when the piece joins a neighbour
        // that already has them (vma_merge moves the boundary), else one per end of the
        // piece that lies inside `vma` (split_vma).
        int NewVmasFor(Vma vma, ulong start, ulong end, Protection prot, VmaFlags flags)
        {
            if (start == vma.Start && vma.Prev != null && JoinsAfter(vma.Prev, vma, prot, flags))
                return 0;
            if (end == vma.End && vma.Next != null && JoinsBefore(vma, vma.Next, prot, flags))
                return 0;
            return (start > vma.Start ? 1 : 0) + (end < vma.End ? 1 : 0);
        }

        // True when the start of `vma`, given `prot` and `flags`, could be one VMA with
        // `prev` below it.
        bool JoinsAfter(Vma prev, Vma vma, Protection prot, VmaFlags flags)
        {
            return prev.Prot == prot && prev.End == vma.Start && prev.Flags == flags
                && prev.SharedObject == vma.SharedObject && prev.PageIndexOf(prev.End) == vma.PgOff
                && Manager.Rmap.IsMergeable(prev, vma);
        }

        // True when the end of `vma`, given `prot` and `flags`, could be one VMA with
        // `next` above it.
        bool JoinsBefore(Vma vma, Vma next, Protection prot, VmaFlags flags)
        {
            return next.Prot == prot && vma.End == next.Start && flags == next.Flags
                && vma.SharedObject == next.SharedObject && vma.PageIndexOf(vma.End) == next.PgOff
                && Manager.Rmap.IsMergeable(vma, next);
        }

        // Gives [start, end) (inside `vma`) protection `prot` and `flags` (Linux:
        // mprotect_fixup); a charge for a new Account flag is already made.
        void ProtectPiece(Vma vma, ulong start, ulong end, Protection prot, VmaFlags flags)
        {
            vma = IsolatePiece(vma, start, end);
            vma.Prot = prot;
            vma.Flags = flags;
            if (protectionApplier == null)
                protectionApplier = new ProtectionApplier(this);
            protectionApplier.Start(vma);
            PageTable.Walk(vma.Start, vma.End, protectionApplier);
            MergeWithNeighbours(vma);
        }

        // Splits `vma` at `start` and `end` where they fall inside it; returns the VMA that
        // is exactly [start, end).
        Vma IsolatePiece(Vma vma, ulong start, ulong end)
        {
            if (vma.Start < start)
                vma = SplitVma(vma, start);
            if (vma.End > end)
                SplitVma(vma, end);
            return vma;
        }

        // True when the PTE holding `pfn` is the frame's only holder, so making it
        // writable cannot expose one process's writes to another (Linux:
        // can_change_pte_writable on an exclusive anonymous page). Never for the zero
        // page: its MapCount stays 0, so its PTEs stay read-only.
        bool IsExclusivelyOwned(ulong pfn)
        {
            ref PageFrame frame = ref Manager.Frames.Frame(pfn);
            return frame.MapCount == 1 && frame.RefCount == 1 && (frame.Flags & PageFrameFlags.Anonymous) != 0;
        }

        // Per-PTE action of mprotect: rebuilds the permission bits from the VMA.
        sealed class ProtectionApplier : PteVisitor
        {
            readonly AddressSpace space;
            Vma vma;

            public ProtectionApplier(AddressSpace owner) { space = owner; }

            // Arms the applier for the VMA whose new protection it applies.
            public void Start(Vma target) { vma = target; }

            public override void Visit(ulong virtualAddress, ulong pteAddress, Pte pte)
            {
                if (!pte.HasFrame)
                    return;
                ulong bits = vma.PteFlags();
                if ((bits & Pte.Writable) != 0 && vma.IsPrivate && !space.IsExclusivelyOwned(pte.Frame))
                    bits &= ~Pte.Writable;
                ulong kept = pte.Raw & (Pte.FrameMask | Pte.Accessed | Pte.Dirty);
                space.PageTable.Replace(pteAddress, virtualAddress, new Pte(kept | bits));
            }
        }
    }
}
