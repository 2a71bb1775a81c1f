using Cowbird.Mm.Paging;
using Cowbird.Mm.Physical;
using Cowbird.Mm.Swap;

namespace Cowbird.Mm.Vm
{
    // One process's virtual memory (Linux: mm_struct): its VMAs, its page table and its
    // brk heap.
    //
    // Invariants:
    //   - Every leaf PTE holding a frame lies inside a VMA, and its bits agree with the
    //     VMA: User always; Writable only if the VMA is writable; NoExecute unless PROT_EXEC;
    //     ProtNone (not Present) exactly when the VMA is PROT_NONE.
    //   - Each such PTE accounts for one MapCount and one RefCount of its frame.
    //   - BrkStart <= Brk; the heap VMA (if any) covers [BrkStart, Brk rounded up), minus
    //     whatever the process munmapped itself.
    // Ordering rules: split VMAs before unmapping part of them; zap a range's PTEs (which
    // invalidates the TLB) before its VMAs leave the tree; counts move with each PTE.
    public sealed partial class AddressSpace
    {
        // Lowest address mmap hands out or accepts (Linux: mmap_min_addr), so a null
        // pointer dereference always faults.
        public const ulong MmapMin = 0x10000;
        // End of the mappable user range (Linux: TASK_SIZE_MAX). One page below the end of
        // the canonical lower half, so the last page is never mapped and `sysret` can never
        // return to the first non-canonical address.
        public const ulong TaskSize = PageTable.UserEnd - Page.Size;
        // Top of the area searched top-down for new mappings; the stack lives above.
        public const ulong MmapTop = 0x0000_7FF0_0000_0000UL;
        // Where the brk heap starts unless the ELF loader moves it (SetBrkStart).
        public const ulong DefaultBrkStart = 0x0000_0000_1000_0000UL;
        // The most VMAs one address space may hold (Linux: vm.max_map_count, default
        // DEFAULT_MAX_MAP_COUNT). Checked where Linux checks it, with Linux's comparisons:
        // a new mapping (mmap, brk) while the count is above it; a split that adds a VMA
        // (munmap or MAP_FIXED inside a VMA, mprotect) once it is reached; mremap keeps
        // room for the splits and the moved VMA (limit - 3).
        public const int MaxMapCount = 65530;

        public readonly MemoryManager Manager;
        public readonly PageTable PageTable;
        public readonly VmaTree Vmas = new VmaTree();
        // Links of MemoryManager's list of live address spaces (Linux: mm->mmlist).
        public AddressSpace NextSpace { get; internal set; }
        public AddressSpace PrevSpace { get; internal set; }
        ulong brkStart = DefaultBrkStart;
        ulong brk = DefaultBrkStart;
        bool destroyed;
        // Per-PTE actions, made once and reused: a walk allocates nothing.
        readonly PageZapper zapper;
        readonly ForkCopier forkCopier;

        AddressSpace(MemoryManager mm, PageTable pageTable)
        {
            Manager = mm;
            zapper = new PageZapper(this);
            forkCopier = new ForkCopier(this);
            PageTable = pageTable;
        }

        // An empty address space (kernel half only); null when no frame is free for its
        // PML4 even after reclaim.
        public static AddressSpace Create(MemoryManager mm)
        {
            PageTable table = PageTable.Create(mm);
            if (table == null)
                return null;
            AddressSpace space = new AddressSpace(mm, table);
            mm.AddSpace(space);
            return space;
        }

        public ulong BrkStart { get { return brkStart; } }
        public ulong CurrentBrk { get { return brk; } }

        // Makes this the address space the CPU translates through.
        public void Activate()
        {
            Manager.Switcher.SwitchTo(PageTable.Root);
        }

        // The VMA containing `address`, or null.
        public Vma FindVma(ulong address)
        {
            return Vmas.FindContaining(address);
        }

        // Moves the start of the brk heap (the ELF loader: just above the data segment).
        // EINVAL if unaligned, outside user space, or once the heap has grown.
        public Errno SetBrkStart(ulong address)
        {
            if (!Page.IsAligned(address) || address < MmapMin || address >= MmapTop || brk != brkStart)
                return Errno.EINVAL;
            brkStart = address;
            brk = address;
            return Errno.None;
        }

        // mmap for anonymous memory. Returns the mapped address, or -errno:
        // EINVAL for zero length, unknown prot bits, not exactly one of MAP_PRIVATE and
        // MAP_SHARED, MAP_GROWSDOWN with MAP_SHARED, or an unaligned fixed address; EBADF
        // without MAP_ANONYMOUS (there are no files); EEXIST for MAP_FIXED_NOREPLACE over
        // a mapping; ENOMEM when the length overflows, no room is left, SizeLimit would be
        // passed (MAP_FIXED: checked before it unmaps anything), or the commitment
        // is refused (CommitAccounting; as in Linux's mmap_region, MAP_FIXED has already
        // unmapped what was there). The mapping takes DefaultFlags (mlockall MCL_FUTURE)
        // and, with MAP_LOCKED, Locked; a Locked mapping, or one with MAP_POPULATE and not
        // MAP_NONBLOCK, is faulted in before mmap returns, errors ignored (Linux: do_mmap's
        // populate).
        public long Mmap(ulong address, ulong length, Protection prot, MapFlags flags)
        {
            ulong end;
            if (length == 0 || (prot & ~Protection.All) != 0)
                return -(long)Errno.EINVAL;
            MapFlags kind = flags & (MapFlags.Private | MapFlags.Shared);
            if (kind != MapFlags.Private && kind != MapFlags.Shared)
                return -(long)Errno.EINVAL;
            if ((flags & MapFlags.Anonymous) == 0)
                return -(long)Errno.EBADF;
            if (kind == MapFlags.Shared && (flags & MapFlags.GrowsDown) != 0)
                return -(long)Errno.EINVAL;
            if (!Page.TryAlignUp(length, out length))
                return -(long)Errno.ENOMEM;
            if (Vmas.Count > MaxMapCount)
                return -(long)Errno.ENOMEM;
            bool fixedAddress = (flags & (MapFlags.Fixed | MapFlags.FixedNoReplace)) != 0;
            if (fixedAddress)
            {
                if (!Page.IsAligned(address))
                    return -(long)Errno.EINVAL;
                if (!IsUserRange(address, length, out end))
                    return -(long)Errno.ENOMEM;
                if (!MayExpand(length - MappedBytesIn(address, end)))
                    return -(long)Errno.ENOMEM;
                if (!Vmas.IsFree(address, end))
                {
                    if ((flags & MapFlags.FixedNoReplace) != 0)
                        return -(long)Errno.EEXIST;
                    int unmapped = UnmapRange(address, end);
                    if (unmapped < 0)
                        return unmapped;
                }
            }
            else
            {
                address = PlaceNear(Page.AlignDown(address), length);
                if (address == 0 || !MayExpand(length))
                    return -(long)Errno.ENOMEM;
                end = address + length;
            }
            VmaFlags vmaFlags = VmaFlags.Anonymous | (kind == MapFlags.Shared ? VmaFlags.Shared : VmaFlags.Private);
            if ((flags & MapFlags.NoReserve) != 0 && Manager.Commit.HonoursNoReserve)
                vmaFlags |= VmaFlags.NoReserve;
            if ((flags & MapFlags.GrowsDown) != 0)
                vmaFlags |= VmaFlags.GrowsDown;
            if ((flags & MapFlags.Locked) != 0)
                vmaFlags |= VmaFlags.Locked;
            vmaFlags |= DefaultFlags;
            long mapped = kind == MapFlags.Shared
                ? MapSharedAnonymous(address, end, prot, vmaFlags)
                : MapPrivateAnonymous(address, end, prot, vmaFlags);
            bool populate = (vmaFlags & VmaFlags.Locked) != 0
                || (flags & (MapFlags.Populate | MapFlags.NonBlock)) == MapFlags.Populate;
            if (mapped >= 0 && populate)
                FaultInRange(address, end, true);
            return mapped;
        }

        // The private half of Mmap: charges [start, end) if it is accountable, then maps
        // it. Returns start, or -ENOMEM when the commitment is refused.
        long MapPrivateAnonymous(ulong start, ulong end, Protection prot, VmaFlags flags)
        {
            if (IsAccountable(prot, flags))
            {
                if (Manager.Commit.Charge(this, (end - start) >> Page.Shift) != Errno.None)
                    return -(long)Errno.ENOMEM;
                flags |= VmaFlags.Account;
            }
            MapAnonymous(start, end, prot, flags);
            return (long)start;
        }

        // True when a private mapping with `prot` and `flags` is charged for its length
        // (Linux: accountable_mapping): writable, not shared, not NoReserve.
        static bool IsAccountable(Protection prot, VmaFlags flags)
        {
            return (prot & Protection.Write) != 0 && (flags & (VmaFlags.Shared | VmaFlags.NoReserve)) == 0;
        }

        // munmap: removes every mapping in [address, address + length), splitting VMAs
        // that straddle its ends and freeing their pages. 0, or -EINVAL, checked in Linux's
        // order (do_vmi_munmap): an unaligned address, a range reaching past TaskSize, or a
        // zero length; -ENOMEM when it would split a VMA in two at MaxMapCount VMAs.
        // Unmapping a hole (even below MmapMin) is fine.
        public int Munmap(ulong address, ulong length)
        {
            if (!Page.IsAligned(address) || address > TaskSize || length > TaskSize - address)
                return -(int)Errno.EINVAL;
            ulong end = address + ((length + Page.OffsetMask) & ~Page.OffsetMask);
            if (end == address)
                return -(int)Errno.EINVAL;
            return UnmapRange(address, end);
        }

        // brk with Linux's semantics: asks to move the end of the heap to `requested`.
        // Returns the new break on success and the unchanged old break on any failure
        // (below BrkStart, reaching another mapping or the page below it, out of user space,
        // past SizeLimit, the growth's commitment refused). The heap is charged (VmaFlags.Account) like a
        // private writable mapping; shrinking frees the pages above the new end and uncharges.
        // Growth takes DefaultFlags, and is faulted in when they lock it (Linux: brk's
        // mm_populate under mlockall(MCL_FUTURE)).
        public ulong Brk(ulong requested)
        {
            ulong oldEnd;
            ulong newEnd;
            if (requested < brkStart || requested > MmapTop
                || !Page.TryAlignUp(brk, out oldEnd) || !Page.TryAlignUp(requested, out newEnd))
                return brk;
            if (newEnd < oldEnd && UnmapRange(newEnd, oldEnd) < 0)
                return brk;
            else if (newEnd > oldEnd)
            {
                // Linux keeps a one-page gap below the next mapping (find_vma_intersection
                // up to newbrk + PAGE_SIZE), so the heap never runs straight into it.
                if (!Vmas.IsFree(oldEnd, newEnd + Page.Size) || Vmas.Count > MaxMapCount || !MayExpand(newEnd - oldEnd))
                    return brk;
                if (Manager.Commit.Charge(this, (newEnd - oldEnd) >> Page.Shift) != Errno.None)
                    return brk;
                MapAnonymous(oldEnd, newEnd, Protection.Read | Protection.Write,
                             VmaFlags.Private | VmaFlags.Anonymous | VmaFlags.Heap | VmaFlags.Account | DefaultFlags);
            }
            brk = requested;
            if (newEnd > oldEnd && (DefaultFlags & VmaFlags.Locked) != 0)
                FaultInRange(oldEnd, newEnd, true);
            return brk;
        }

        // fork: a new address space with a copy of every VMA (but MADV_DONTFORK ones; a
        // MADV_WIPEONFORK one is copied empty; no copy is locked, and DefaultFlags starts
        // empty, as Linux's dup_mmap and mm_init leave them), sharing every private page
        // copy-on-write: the last-level tables CanShareTable allows are shared whole
        // (AddressSpace.SharedTables.cs), the other entries are copied, both sides
        // write-protected (the parent's TLB invalidated), and every frame's
        // MapCount/RefCount raised by one per copied PTE. Each Account VMA's
        // copy is charged, with the parent's size limits (Linux: dup_mmap).
        // Returns Errno.None and the child, or ENOMEM (child null, nothing leaked, the
        // commitment back where it was).
        public Errno Fork(out AddressSpace child)
        {
            child = Create(Manager);
            if (child == null)
                return Errno.ENOMEM;
            child.brkStart = brkStart;
            child.brk = brk;
            InheritOffsetCounter(child);
            child.StackLimit = StackLimit;
            child.SizeLimit = SizeLimit;
            if (ShareTablesWith(child) != Errno.None)
            {
                child.Destroy();
                child = null;
                return Errno.ENOMEM;
            }
            ForkCopier copier = forkCopier;
            for (Vma vma = Vmas.First; vma != null; vma = vma.Next)
            {
                if ((vma.Flags & VmaFlags.DontCopy) != 0)
                    continue;
                if ((vma.Flags & VmaFlags.Account) != 0
                    && Manager.Commit.Charge(this, vma.Length >> Page.Shift) != Errno.None)
                {
                    child.Destroy();
                    child = null;
                    return Errno.ENOMEM;
                }
                Vma copy = new Vma(child, vma.Start, vma.End, vma.Prot, vma.Flags & ~LockFlags, vma.PgOff);
                InheritReservation(copy, vma);
                child.Vmas.Insert(copy);
                // MADV_WIPEONFORK: the copy starts empty, with no anon_vma until its
                // first fault, like a new mapping (Linux: dup_mmap skips anon_vma_fork
                // and copy_page_range for it).
                if ((vma.Flags & VmaFlags.WipeOnFork) != 0)
                    continue;
                // anon_vma_fork: link `copy` to every anon_vma of `vma`, give it its own
                // (nothing for a shared VMA: it never has an anon_vma). A shared VMA's copy
                // joins the same backing object's list of mappings.
                Manager.Rmap.ForkVma(copy, vma);
                child.LinkSharedObject(copy, vma.SharedObject);
                copier.Start(child, copy);
                CopyUnsharedEntries(child, vma, copier);
                copier.Finish();
                if (copier.OutOfMemory)
                {
                    child.Destroy();
                    child = null;
                    return Errno.ENOMEM;
                }
            }
            return Errno.None;
        }

        // Exit: unmaps everything, frees every frame this space held a reference to, every
        // page-table page and the PML4 (a table others still share only loses this space's
        // share). The kernel must have switched to another address space first (the PML4
        // is freed); the object must not be used afterwards.
        public void Destroy()
        {
            if (destroyed)
                Mm.Panic("AddressSpace.Destroy: already destroyed");
            DropSharedTables();
            while (Vmas.First != null)
                RemoveVma(Vmas.First);
            PageTable.Destroy();
            Manager.RemoveSpace(this);
            destroyed = true;
        }

        // Creates the anonymous VMA [start, end) (which must be free), merging it with the
        // VMA ending at `start` and/or the one starting at `end` when they are compatible
        // (Linux: vma_merge), including the rmap's rule (ReverseMap.IsMergeable: different
        // anon_vmas never merge). Its page offsets come from AnonOffsetsFor (the address, or
        // a reservation). Moving Start/End in place keeps the tree order because the range
        // was free; the rmap re-keys the grown VMA.
        void MapAnonymous(ulong start, ulong end, Protection prot, VmaFlags flags)
        {
            ulong pages = (end - start) >> Page.Shift;
            Vma after = Vmas.FindFirstEndingAfter(start - 1);
            Vma below = after == null ? Vmas.Last : after.End == start ? after : after.Prev;
            Vma above = after == null ? null : after.End == start ? after.Next : after;
            Vma prev = below != null && below.End == start ? below : null;
            Vma next = above != null && above.Start == end ? above : null;
            ulong reservedStart, reservedEnd;
            ulong pgOff = AnonOffsetsFor(start, end, prot, flags, below, above, out reservedStart, out reservedEnd);
            bool mergePrev = prev != null && CanMerge(prev, prot, flags) && prev.PageIndexOf(start) == pgOff;
            bool mergeNext = next != null && CanMerge(next, prot, flags) && next.PgOff == pgOff + pages;
            if (mergePrev && mergeNext && Manager.Rmap.IsMergeable(prev, next))
            {
                // The new range joins both: prev swallows next (its pages keep their rmap).
                ulong nextEnd = next.End;
                JoinReservation(prev, reservedStart, reservedEnd);
                DropMergedVma(prev, next);
                AdjustVma(prev, prev.Start, nextEnd, prev.PgOff);
            }
            else if (mergePrev)
            {
                JoinReservation(prev, reservedStart, reservedEnd);
                AdjustVma(prev, prev.Start, end, prev.PgOff);
            }
            else if (mergeNext)
            {
                JoinReservation(next, reservedStart, reservedEnd);
                AdjustVma(next, start, next.End, pgOff);
            }
            else
            {
                Vma vma = new Vma(this, start, end, prot, flags, pgOff);
                vma.ReservedStart = reservedStart;
                vma.ReservedEnd = reservedEnd;
                Vmas.Insert(vma);
            }
        }

        // True when a new anonymous range with `prot` and `flags` may join `vma`: same
        // protection and kind, and the rmap lets a page-less range share vma's anon_vma.
        bool CanMerge(Vma vma, Protection prot, VmaFlags flags)
        {
            return vma.Prot == prot && vma.Flags == flags && Manager.Rmap.IsMergeable(vma, null);
        }

        // Unmaps [start, end): splits the VMAs straddling either end, then zaps and removes
        // every VMA inside. 0, or -ENOMEM (nothing changed) when one VMA would be split in
        // two at MaxMapCount VMAs (Linux: do_vmi_align_munmap).
        int UnmapRange(ulong start, ulong end)
        {
            Vma vma = Vmas.FindFirstEndingAfter(start);
            if (vma == null || vma.Start >= end)
                return 0;
            if (vma.Start < start && vma.End > end && Vmas.Count >= MaxMapCount)
                return -(int)Errno.ENOMEM;
            if (UnshareTables(start, end) != Errno.None)
                return -(int)Errno.ENOMEM;
            if (vma.Start < start)
                vma = SplitVma(vma, start);
            while (vma != null && vma.Start < end)
            {
                if (vma.End > end)
                    SplitVma(vma, end);
                Vma next = vma.Next;
                RemoveVma(vma);
                vma = next;
            }
            PageTable.FreeEmptyTables(start, end);
            return 0;
        }

        // Splits `vma` at `address` (Start < address < End, page aligned) into two VMAs
        // with the same protection and kind; the upper one's PgOff continues linearly.
        // Returns the upper VMA, linked to the same anon_vmas (anon_vma_clone, as in
        // Linux's __split_vma); the lower one's rmap range is re-keyed.
        Vma SplitVma(Vma vma, ulong address)
        {
            if (address <= vma.Start || address >= vma.End || !Page.IsAligned(address))
                Mm.Panic("AddressSpace.SplitVma: bad split address");
            Vma upper = new Vma(this, address, vma.End, vma.Prot, vma.Flags, vma.PageIndexOf(address));
            Manager.Rmap.CloneVma(upper, vma);
            SplitReservation(vma, upper);
            AdjustVma(vma, vma.Start, address, vma.PgOff);
            Vmas.Insert(upper);
            LinkSharedObject(upper, vma.SharedObject);
            return upper;
        }

        // Frees the pages of `vma`, unlinks its rmap state (unlink_anon_vmas), returns its
        // reserved offsets to a neighbour, drops it from the tree, gives back its commitment
        // if it is charged, and releases it.
        void RemoveVma(Vma vma)
        {
            if ((vma.Flags & VmaFlags.Account) != 0)
                Manager.Commit.Uncharge(vma.Length >> Page.Shift);
            ZapRange(vma, vma.Start, vma.End);
            Manager.Rmap.UnlinkVma(vma);
            if (vma.IsPrivate)
                ReturnReservation(vma);
            Vmas.Remove(vma);
            UnlinkSharedObject(vma);
            vma.Release();
        }

        // Clears every leaf PTE in [start, end) of `vma`, releasing the frames they held.
        void ZapRange(Vma vma, ulong start, ulong end)
        {
            zapper.Vma = vma;
            PageTable.Walk(start, end, zapper);
            zapper.Vma = null;
        }

        // True when [address, address + length) lies in the mappable user range; `end`
        // receives address + length.
        static bool IsUserRange(ulong address, ulong length, out ulong end)
        {
            end = address + length;
            return end > address && address >= MmapMin && end <= TaskSize;
        }

        // Where a new mapping of `length` bytes goes when `hint` (page aligned) is only a
        // hint: at the hint if that range is free and mappable, else FindFreeRange. 0 when
        // no room is left.
        ulong PlaceNear(ulong hint, ulong length)
        {
            ulong end;
            if (hint != 0 && IsUserRange(hint, length, out end) && Vmas.IsFree(hint, end))
                return hint;
            return FindFreeRange(length);
        }

        // Highest free range of `length` bytes below MmapTop (Linux: the top-down
        // get_unmapped_area). Returns 0 when none. O(log n) through the VMA tree's gaps.
        ulong FindFreeRange(ulong length)
        {
            return Vmas.FindHighestGap(length, MmapTop);
        }


        // Per-PTE action of ZapRange (Linux: zap_pte_range): a frame loses one mapping and
        // reference; a swap entry loses one holder (free_swap_and_cache); the zero page is
        // only unmapped (it holds no count).
        sealed class PageZapper : PteVisitor
        {
            readonly AddressSpace space;
            // The VMA being zapped, set by ZapRange for one walk.
            public Vma Vma;
            // MADV_FREE's walk: leave pages another PTE or reference still holds.
            public bool ExclusiveOnly;

            public PageZapper(AddressSpace addressSpace) { space = addressSpace; }

            public override void Visit(ulong virtualAddress, ulong pteAddress, Pte pte)
            {
                if (ExclusiveOnly && pte.HasFrame && !space.IsExclusivelyOwned(pte.Frame))
                    return;
                space.PageTable.Replace(pteAddress, virtualAddress, Pte.NoneEntry);
                if (pte.IsSwap)
                    space.Manager.SwapState.FreeEntry(SwapEntry.FromPte(pte.Raw));
                else if (!space.Manager.ZeroPage.IsMappedBy(pte))
                {
                    space.Manager.Rmap.RemovePage(pte.Frame, Vma, virtualAddress);
                    space.Manager.PutUserPage(pte.Frame);
                }
            }
        }

        // One more table gets the entry `pte`, for `vma` (the VMA that holds the new copy)
        // at `address` (Linux: copy_present_pte / copy_nonpresent_pte): a swap entry gains
        // one holder (swap_duplicate); the zero page's entry (read-only already) gains no
        // count or rmap entry; a frame gains one mapping (DupPage) and one reference.
        // Returns the entry both tables hold: a private writable page write-protected.
        Pte DuplicateEntry(Pte pte, Vma vma, ulong address)
        {
            if (pte.IsSwap)
            {
                if (Manager.Swap.Duplicate(SwapEntry.FromPte(pte.Raw)) != 0)
                    Mm.Panic("AddressSpace: swap count overflow");
                return pte;
            }
            if (Manager.ZeroPage.IsMappedBy(pte))
                return pte;
            if (vma.IsPrivate && pte.IsWritable)
                pte = pte.Without(Pte.Writable);
            Manager.Rmap.DupPage(pte.Frame, vma, address);
            Manager.Frames.Get(pte.Frame);
            return pte;
        }

        // Per-PTE action of Fork: copies the entry into the child through DuplicateEntry,
        // write-protecting private writable pages in the parent too. A page-table frame the
        // child needs may come from reclaim, which can swap out the very page being
        // copied, so the parent's PTE is read again after the child's table exists.
        sealed class ForkCopier : PteVisitor
        {
            readonly AddressSpace parent;
            AddressSpace child;
            Vma childVma;
            public bool OutOfMemory;

            public ForkCopier(AddressSpace parentSpace)
            {
                parent = parentSpace;
            }

            // Arms the copier for one VMA of a fork: its copy `copy` in `childSpace`.
            public void Start(AddressSpace childSpace, Vma copy)
            {
                child = childSpace;
                childVma = copy;
                OutOfMemory = false;
            }

            // Forgets the child: a reference kept here would keep the child's whole address
            // space alive for the collector long after the child exits.
            public void Finish()
            {
                child = null;
                childVma = null;
            }

            public override void Visit(ulong virtualAddress, ulong pteAddress, Pte pte)
            {
                if (OutOfMemory)
                    return;
                ulong childPte = child.PageTable.EnsurePte(virtualAddress);
                if (childPte == 0)
                {
                    OutOfMemory = true;
                    return;
                }
                // The allocation may have reclaimed: read the entry again. A shared page
                // unmapped meanwhile left none (the object keeps it): nothing to copy.
                pte = parent.PageTable.Read(pteAddress);
                if (pte.IsNone)
                    return;
                Pte copy = parent.DuplicateEntry(pte, childVma, virtualAddress);
                if (copy.Raw != pte.Raw)
                    parent.PageTable.Replace(pteAddress, virtualAddress, copy);
                child.PageTable.Replace(childPte, virtualAddress, copy);
            }
        }
    }
}
