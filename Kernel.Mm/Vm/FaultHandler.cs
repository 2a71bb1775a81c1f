using Cowbird.Mm.Paging;
using Cowbird.Mm.Physical;

namespace Cowbird.Mm.Vm
{
    // The page-fault path (Linux: do_user_addr_fault -> handle_mm_fault): the #PF entry
    // (or the host SoftMmu) calls Handle with the faulting address and the CPU's error
    // code; it finds the VMA, decides from the error code what the access was, and
    // either fixes the PTE (demand-zero, copy-on-write) or reports a SIGSEGV.
    //
    // Order of decisions:
    //   1. no VMA covers the address                      -> SegvMapErr
    //   2. the VMA forbids the access (Linux access_error) -> SegvAccErr
    //   3. PTE none                                       -> demand-zero (private: the
    //                                                        zero page on a read), or
    //                                                        the shared object's page (shared)
    //   3b. PTE holds a swap entry                        -> swap-in (FaultHandler.Swap.cs)
    //   4. write to a write-protected private page         -> a page of its own for the
    //                                                        zero page, else copy-on-write
    //                                                        (or reuse)
    //   5. the PTE already allows it (stale TLB entry)     -> invalidate, Handled
    // A fault in a last-level table fork shared unshares it first (AddressSpace.UnshareTable).
    // Every PTE change goes through PageTable.Replace, which invalidates the TLB.
    // Frames for user pages and page tables come from MemoryManager.AllocateFrameWithReclaim:
    // other PTEs (even this space's) can change while it runs, so a path that decided
    // something from a PTE before allocating checks the PTE again afterwards (Linux: pte_same).
    public static partial class FaultHandler
    {
        // Resolves a fault at `address` in `space` with x86 `errorCode` (FaultErrorCode
        // bits). Handled means: retry the access.
        public static FaultResult Handle(AddressSpace space, ulong address, ulong errorCode)
        {
            MemoryManager manager = space.Manager;
            manager.Stat.PgFault++;
            if ((errorCode & FaultErrorCode.ReservedBit) != 0)
                Mm.Panic("FaultHandler.Handle: reserved bit set in a paging entry");
            Vma vma = address < PageTable.UserEnd ? space.FindVmaOrGrowStack(address) : null;
            if (vma == null)
                return Segv(manager, FaultResult.SegvMapErr);
            if (IsAccessError(vma, errorCode))
                return Segv(manager, FaultResult.SegvAccErr);
            ulong page = Page.AlignDown(address);
            // Every fault changes an entry (or, for a stale TLB entry, could not tell one
            // from a write to a shared table): the table becomes this space's own first.
            ulong tableEntry;
            if (space.UnshareTable(page, out tableEntry) != Errno.None)
                return OutOfMemory(manager);
            ulong pteAddress = space.PageTable.EnsurePteBelow(tableEntry, page);
            if (pteAddress == 0)
                return OutOfMemory(manager);
            Pte pte = space.PageTable.Read(pteAddress);
            if (pte.IsNone)
                return vma.IsShared ? SharedFault(space, vma, page, pteAddress) : DemandZero(space, vma, page, pteAddress, errorCode);
            if (pte.IsSwap)
                return SwapIn(space, vma, page, pteAddress, pte, errorCode);
            if (!pte.IsPresent)
                Mm.Panic("FaultHandler.Handle: PROT_NONE entry in an accessible VMA");
            if ((errorCode & FaultErrorCode.Write) != 0 && !pte.IsWritable)
                return manager.ZeroPage.IsMappedBy(pte) ? ZeroPageWrite(space, vma, page, pteAddress)
                    : CopyOnWrite(space, vma, page, pteAddress, pte);
            manager.Stat.SpuriousFault++;
            manager.Tlb.InvalidatePage(space.PageTable.Root, page);
            return FaultResult.Handled;
        }

        // True when the VMA's protection forbids the faulting access (Linux: access_error).
        // x86 cannot express write-only or execute-only pages, so any of R/W/X lets a
        // read through; a read fault on a present page means a kernel-only page.
        static bool IsAccessError(Vma vma, ulong errorCode)
        {
            if ((errorCode & FaultErrorCode.Write) != 0)
                return (vma.Prot & Protection.Write) == 0;
            if ((errorCode & FaultErrorCode.InstructionFetch) != 0)
                return (vma.Prot & Protection.Exec) == 0;
            if ((errorCode & FaultErrorCode.Present) != 0)
                return true;
            return vma.Prot == Protection.None;
        }

        // First touch of a private anonymous page (Linux: do_anonymous_page): a read maps
        // the shared zero page read-only, even in a writable VMA, and needs no frame and no
        // anon_vma; a write (or any touch with the zero page turned off) maps a fresh
        // zeroed frame of its own.
        static FaultResult DemandZero(AddressSpace space, Vma vma, ulong page, ulong pteAddress, ulong errorCode)
        {
            MemoryManager manager = space.Manager;
            if ((errorCode & FaultErrorCode.Write) == 0 && manager.ZeroPage.Enabled)
            {
                space.PageTable.Replace(pteAddress, page, manager.ZeroPage.ReadOnlyEntry(vma));
                manager.Stat.ZeroPageFault++;
                return FaultResult.Handled;
            }
            if (!MapZeroedFrame(space, vma, page, pteAddress))
                return OutOfMemory(manager);
            manager.Stat.DemandZeroFault++;
            return FaultResult.Handled;
        }

        // Write to the zero page an earlier read mapped (Linux: do_wp_page ->
        // wp_page_copy on the zero pfn): a copy-on-write from the zero page, which needs
        // no copy, only a fresh zeroed frame. The zero frame has no share to drop and no
        // rmap entry to remove. Reclaim never rewrites a zero PTE, so the entry is still
        // the zero page after the allocation.
        static FaultResult ZeroPageWrite(AddressSpace space, Vma vma, ulong page, ulong pteAddress)
        {
            MemoryManager manager = space.Manager;
            if (!vma.IsPrivate)
                Mm.Panic("FaultHandler.ZeroPageWrite: zero page in a shared VMA");
            if (!MapZeroedFrame(space, vma, page, pteAddress))
                return OutOfMemory(manager);
            manager.Stat.ZeroPageCow++;
            return FaultResult.Handled;
        }

        // Maps a fresh zeroed frame of the process's own, writable as the VMA allows, at
        // `page` over whatever the PTE holds (none, or the zero page). False when no frame
        // could be had even after reclaim.
        static bool MapZeroedFrame(AddressSpace space, Vma vma, ulong page, ulong pteAddress)
        {
            MemoryManager manager = space.Manager;
            ulong pfn = manager.AllocateUserFrame();
            if (pfn == FrameAllocator.NoFrame)
                return false;
            manager.Physical.ZeroFrame(pfn);
            manager.Rmap.PrepareAnon(vma);
            NewAnonymousMapping(manager, pfn, vma, page);
            space.PageTable.Replace(pteAddress, page, Pte.Map(pfn, vma.PteFlags()));
            return true;
        }

        // Write to a write-protected page of a writable private VMA (Linux: do_wp_page).
        // If this PTE is the frame's only holder, make it writable in place; otherwise
        // copy it into a new frame and drop this PTE's share of the old one. A page in
        // the swap cache always has another holder (a swap PTE elsewhere names its slot,
        // see SwapState), so it is copied, never reused: the cached copy stays valid.
        static FaultResult CopyOnWrite(AddressSpace space, Vma vma, ulong page, ulong pteAddress, Pte pte)
        {
            MemoryManager manager = space.Manager;
            if (!vma.IsPrivate)
                Mm.Panic("FaultHandler.CopyOnWrite: write-protected page in a shared VMA");
            ulong oldPfn = pte.Frame;
            ref PageFrame old = ref manager.Frames.Frame(oldPfn);
            if (old.MapCount == 1 && old.RefCount == 1)
            {
                space.PageTable.Replace(pteAddress, page, pte.With(Pte.Writable | Pte.Dirty | Pte.Accessed));
                manager.Stat.CowReuse++;
                return FaultResult.Handled;
            }
            // Pin the page being copied (Linux: get_page in do_wp_page): the allocation
            // may reclaim, and reclaim skips pinned pages, so the copy's source stays
            // mapped here instead of going to swap between the fault and the copy.
            manager.Frames.Get(oldPfn);
            ulong newPfn = manager.AllocateUserFrame();
            manager.PutUserPage(oldPfn);
            if (newPfn == FrameAllocator.NoFrame)
                return OutOfMemory(manager);
            Pte now = space.PageTable.Read(pteAddress);
            if (!now.IsPresent || now.Frame != oldPfn || now.IsWritable)
                Mm.Panic("FaultHandler.CopyOnWrite: the pinned page's PTE changed during the allocation");
            manager.Physical.CopyFrame(newPfn, oldPfn);
            manager.Rmap.PrepareAnon(vma);
            manager.Rmap.PrepareCowCopy(vma, page, oldPfn);
            NewAnonymousMapping(manager, newPfn, vma, page);
            space.PageTable.Replace(pteAddress, page, Pte.Map(newPfn, vma.PteFlags() | Pte.Dirty | Pte.Accessed));
            manager.Rmap.RemovePage(oldPfn, vma, page);
            manager.PutUserPage(oldPfn);
            manager.Stat.PgCowFault++;
            return FaultResult.Handled;
        }

        // Fills in the descriptor of a frame about to be mapped at `page` for the first
        // time: anonymous, one mapping (its RefCount 1 comes from the allocator), the
        // rmap's page_add_new_anon_rmap (Mapping = the VMA's anon_vma, Index = linear
        // index), and a place on the inactive LRU list.
        // The caller ran Rmap.PrepareAnon(vma) first.
        static void NewAnonymousMapping(MemoryManager manager, ulong pfn, Vma vma, ulong page)
        {
            ref PageFrame frame = ref manager.Frames.Frame(pfn);
            frame.Flags |= PageFrameFlags.Anonymous;
            manager.Rmap.AddNewAnonPage(pfn, vma, page);
            manager.Lru.Add(pfn);
        }

        static FaultResult Segv(MemoryManager manager, FaultResult result)
        {
            manager.Stat.SegvFault++;
            return result;
        }

        static FaultResult OutOfMemory(MemoryManager manager)
        {
            manager.Stat.OomFault++;
            return FaultResult.OutOfMemory;
        }
    }
}
