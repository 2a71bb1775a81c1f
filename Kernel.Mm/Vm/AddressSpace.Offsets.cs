namespace Cowbird.Mm.Vm
{
    // Page-offset reservations (AnonOffsets.Reserve; Jamie Lokier, "anon_vma RFC2", 2004).
    //
    // The anon_vma designs find a private page at Start + (Index - PgOff) in each VMA of
    // its anon_vma, so PgOff need not be the linear address: any number works as long as
    // it travels with the pages. Linux uses the address, so a VMA that mremap moved keeps
    // an offset that does not match its new place, and its new neighbours never merge with
    // it. Under Reserve, offsets come from a counter, one per address space:
    //   - a new private range takes its offsets from the reservation of its nearest
    //     neighbour with the same flags, whatever its protection and charge (the adjacent
    //     one first, below before above), when that reservation has room where the two
    //     stay offset-compatible: an adjacent neighbour then simply grows, a distant one
    //     merges once the hole between them is filled;
    //   - otherwise it gets fresh offsets with room on both sides as large as the unit it
    //     joins (its mremap group, AddressSpace.Groups.cs, itself included), clamped to
    //     [MinRoomPages, MaxRoomPages]: a region growing in room proportional to its size
    //     needs a new piece only O(log(final size / first size)) times;
    //   - a VMA grows in place (mremap) up to the end of its reservation; the rest of the
    //     growth is a new range as above, grouped with the VMA.
    // Invariants (Reserve, checked by Tests.Host/Invariants.cs): each private VMA's
    // [ReservedStart, ReservedEnd) contains its own offsets and lies below NextOffset; the
    // reservations of one space's private VMAs are disjoint (unless the counter wrapped).
    // A split cuts the reservation at the split; a merge joins two reservations, which
    // touch (offsets that continue + disjoint reservations); fork copies them and the
    // counter; a removed VMA's reservation goes to the neighbour it touches, if any, and is
    // otherwise never handed out again (until a wrap).
    // Under Linear the reservation fields are not maintained and mean nothing.
    public sealed partial class AddressSpace
    {
        // Room on each side of a fresh reservation, in pages: at least 1 MiB, at most 4 GiB
        // (Jamie's clamps were 2^22 and 4G minus the size in a 2^32-page space).
        public const ulong MinRoomPages = 256;
        public const ulong MaxRoomPages = 1UL << 20;
        // The counter restarts at 0 before reaching this, far above any offset arithmetic
        // could overflow (Jamie: "when it's about to wrap, allocate a new address_space").
        const ulong OffsetLimit = 1UL << 62;

        ulong nextOffset;

        // The first page offset never handed out (Reserve).
        public ulong NextOffset { get { return nextOffset; } }
        // True once the counter restarted: old and new reservations may then overlap, which
        // costs an rmap walk a wasted PTE look-up, never a wrong answer.
        public bool OffsetsWrapped { get; private set; }

        // Offsets for the new private range [start, end) of kind (prot, flags), which is free;
        // `below` and `above` are the nearest VMAs on either side (or null). Returns PgOff and
        // the reservation the range will own. Linear: the address, owning just itself.
        // Reserve: claimed from a neighbour (whose reservation shrinks now) or fresh.
        ulong AnonOffsetsFor(ulong start, ulong end, Protection prot, VmaFlags flags, Vma below, Vma above,
                             out ulong reservedStart, out ulong reservedEnd)
        {
            ulong pages = (end - start) >> Page.Shift;
            if (Manager.Offsets == AnonOffsets.Linear)
            {
                reservedStart = start >> Page.Shift;
                reservedEnd = reservedStart + pages;
                return reservedStart;
            }
            bool aboveFirst = above != null && above.Start == end && !(below != null && below.End == start);
            if (!aboveFirst && ClaimAbove(below, start, pages, flags, out reservedStart, out reservedEnd))
                return reservedStart;
            if (ClaimBelow(above, end, pages, flags, out reservedStart, out reservedEnd))
                return reservedEnd - pages;
            if (aboveFirst && ClaimAbove(below, start, pages, flags, out reservedStart, out reservedEnd))
                return reservedStart;
            ulong unit = pages;
            if (below != null && below.End == start && SameKind(below, prot, flags))
                unit += UnitPages(below);
            if (above != null && above.Start == end && SameKind(above, prot, flags))
                unit += UnitPages(above);
            ulong stackRoom = (StackLimit < TaskSize ? StackLimit : TaskSize) >> Page.Shift;
            if ((flags & VmaFlags.GrowsDown) != 0 && unit < stackRoom)
                unit = stackRoom;        // room for the stack to grow down into
            return FreshOffsets(pages, unit, out reservedStart, out reservedEnd);
        }

        // Takes the offsets a range of `pages` at `start` would have in `lower` (a VMA below
        // it), if lower's room above its own offsets covers them. The range gets them and the
        // rest of the room above; lower keeps the offsets of the hole between the two.
        static bool ClaimAbove(Vma lower, ulong start, ulong pages, VmaFlags flags,
                               out ulong reservedStart, out ulong reservedEnd)
        {
            reservedStart = reservedEnd = 0;
            if (!SameOffsetKind(lower, flags))
                return false;
            ulong first = lower.PageIndexOf(start);
            if (first > lower.ReservedEnd || lower.ReservedEnd - first < pages)
                return false;
            reservedStart = first;
            reservedEnd = lower.ReservedEnd;
            lower.ReservedEnd = first;
            return true;
        }

        // The mirror image: the offsets a range of `pages` ending at `end` would have in
        // `upper` (a VMA above it), from upper's room below its own offsets. The range gets
        // them and the rest of the room below; upper keeps the hole's offsets.
        static bool ClaimBelow(Vma upper, ulong end, ulong pages, VmaFlags flags,
                               out ulong reservedStart, out ulong reservedEnd)
        {
            reservedStart = reservedEnd = 0;
            if (!SameOffsetKind(upper, flags))
                return false;
            ulong hole = (upper.Start - end) >> Page.Shift;
            if (upper.PgOff - upper.ReservedStart < hole || upper.PgOff - upper.ReservedStart - hole < pages)
                return false;
            reservedEnd = upper.PgOff - hole;
            reservedStart = upper.ReservedStart;
            upper.ReservedStart = reservedEnd;
            return true;
        }

        // Fresh offsets for `pages` pages from the counter, with room on both sides for a
        // unit of `unitPages` pages to grow into. Returns PgOff; the reservation is
        // [PgOff - room, PgOff + pages + room).
        ulong FreshOffsets(ulong pages, ulong unitPages, out ulong reservedStart, out ulong reservedEnd)
        {
            ulong room = unitPages < MinRoomPages ? MinRoomPages : unitPages > MaxRoomPages ? MaxRoomPages : unitPages;
            if (nextOffset > OffsetLimit - pages - 2 * room)
            {
                nextOffset = 0;
                OffsetsWrapped = true;
            }
            reservedStart = nextOffset;
            reservedEnd = reservedStart + room + pages + room;
            nextOffset = reservedEnd;
            return reservedStart + room;
        }

        // How far `vma` can grow towards `newEnd` keeping its offsets: all the way under
        // Linear and for shared VMAs (their offsets are the object's), else to the end of
        // its reservation.
        ulong GrowthLimit(Vma vma, ulong newEnd)
        {
            if (Manager.Offsets == AnonOffsets.Linear || vma.IsShared)
                return newEnd;
            ulong roomPages = vma.ReservedEnd - vma.PgOff - (vma.Length >> Page.Shift);
            return roomPages >= (newEnd - vma.End) >> Page.Shift ? newEnd : vma.End + (roomPages << Page.Shift);
        }

        // True when GrowsDown `vma` may take `pages` more offsets below its PgOff (stack
        // growth): always under Linear, within its reservation under Reserve.
        bool CanGrowOffsetsDown(Vma vma, ulong pages)
        {
            if (Manager.Offsets == AnonOffsets.Linear)
                return true;
            return vma.PgOff - vma.ReservedStart >= pages;
        }

        // Grows `vma` up to `newEnd` (the range above it is free; the growth is charged):
        // in place as far as its offsets can grow, the rest as a new VMA of the same kind
        // with offsets of its own (grouped with `vma`). Then merges with neighbours.
        void GrowVma(Vma vma, ulong newEnd)
        {
            ulong limit = GrowthLimit(vma, newEnd);
            if (limit > vma.End)
            {
                AdjustVma(vma, vma.Start, limit, vma.PgOff);
                vma = MergeWithNeighbours(vma);
            }
            if (limit < newEnd)
                MapAnonymous(limit, newEnd, vma.Prot, vma.Flags);
        }

        // `kept` absorbs a range directly above or below it whose reservation is
        // [reservedStart, reservedEnd): the two reservations become one. Under Reserve they
        // must touch (a merge needs offsets that continue; reservations are disjoint).
        void JoinReservation(Vma kept, ulong reservedStart, ulong reservedEnd)
        {
            if (!kept.IsPrivate)
                return;
            if (kept.ReservedEnd == reservedStart)
                kept.ReservedEnd = reservedEnd;
            else if (kept.ReservedStart == reservedEnd)
                kept.ReservedStart = reservedStart;
            else if (Manager.Offsets == AnonOffsets.Reserve)
                Mm.Panic("AddressSpace.JoinReservation: merged reservations do not touch");
        }

        // `vma` is leaving the tree for good (munmap, MAP_FIXED, mremap shrinking): its
        // offsets go back to the neighbour whose reservation touches its own, so a range
        // mapped into the hole later claims them and merges with both sides again.
        static void ReturnReservation(Vma vma)
        {
            if (vma.Prev != null && vma.Prev.IsPrivate && vma.Prev.ReservedEnd == vma.ReservedStart)
                vma.Prev.ReservedEnd = vma.ReservedEnd;
            else if (vma.Next != null && vma.Next.IsPrivate && vma.Next.ReservedStart == vma.ReservedEnd)
                vma.Next.ReservedStart = vma.ReservedStart;
        }

        // A split: `upper` (new, owning just its offsets) takes the part of lower's
        // reservation from its own PgOff up; lower keeps the part below.
        static void SplitReservation(Vma lower, Vma upper)
        {
            upper.ReservedEnd = lower.ReservedEnd;
            lower.ReservedEnd = upper.PgOff;
        }

        // Fork: the child's counter starts where this space's is, so its new offsets never
        // collide with the ones its VMAs inherit.
        void InheritOffsetCounter(AddressSpace child)
        {
            child.nextOffset = nextOffset;
            child.OffsetsWrapped = OffsetsWrapped;
        }

        // Fork: the child's copy of `vma` owns the same offsets.
        static void InheritReservation(Vma copy, Vma vma)
        {
            copy.ReservedStart = vma.ReservedStart;
            copy.ReservedEnd = vma.ReservedEnd;
        }
    }
}
