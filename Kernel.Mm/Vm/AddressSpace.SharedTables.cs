using Cowbird.Mm.Paging;

namespace Cowbird.Mm.Vm
{
    // Shared last-level page tables on fork (On-demand-fork, Zhao et al., EuroSys 2021;
    // the table side and its rules: Paging/PageTable.Shared.cs). Fork shares each
    // last-level table whose 2 MiB holds only private VMAs it copies as they are
    // (CanShareTable), instead of copying its 512 entries and raising every page's counts.
    // Whoever changes an entry of a shared table first unshares it for itself
    // (UnshareTable): the fault handler, UserMemory before a kernel write, munmap (and
    // MAP_FIXED, brk, mremap's shrink), mprotect, mremap's move (both ranges), madvise's
    // DONTNEED/FREE/COLD/PAGEOUT. Exit drops its share and copies nothing
    // (DropSharedTables). Reclaim changes a shared entry for all its sharers at once
    // (ReplaceForSharers). MemoryManager.SharePageTables switches fork's sharing off.
    public sealed partial class AddressSpace
    {
        // Fork's first step: shares with `child` (new, empty) every last-level table that
        // CanShareTable allows, and unshares for this space every shared table fork must
        // copy (the copier rewrites the parent's entries). ENOMEM when a table could not be
        // allocated; the child then holds some shares, which its Destroy drops.
        Errno ShareTablesWith(AddressSpace child)
        {
            Errno result = Errno.None;
            bool shared = false;
            for (ulong table = PageTable.NextTable(0, TaskSize, false); table != PageTable.NoTable;
                 table = PageTable.NextTable(table + PageTable.TableSpan, TaskSize, false))
            {
                if (CanShareTable(table))
                {
                    result = PageTable.ShareInto(child.PageTable, table);
                    if (result != Errno.None)
                        break;
                    Manager.Stat.PageTablesShared++;
                    shared = true;
                }
                else
                {
                    result = UnshareTable(table);
                    if (result != Errno.None)
                        break;
                }
            }
            // This space's cached translations may allow writes its entries now forbid.
            if (shared)
                Manager.Tlb.FlushAll(PageTable.Root);
            return result;
        }

        // True when fork may share the last-level table at `table` (its base address):
        // sharing is on, the reverse map can walk a table seen from several spaces, and
        // every VMA overlapping its 2 MiB is private, copied by fork with its pages (not
        // MADV_DONTFORK or MADV_WIPEONFORK). Shared VMAs keep tables of their own, so a
        // shared object's pages are never under a shared table.
        bool CanShareTable(ulong table)
        {
            if (!Manager.SharePageTables || !Manager.Rmap.AllowsSharedTables)
                return false;
            ulong end = table + PageTable.TableSpan;
            for (Vma vma = Vmas.FindFirstEndingAfter(table); vma != null && vma.Start < end; vma = vma.Next)
                if (!vma.IsPrivate || (vma.Flags & (VmaFlags.DontCopy | VmaFlags.WipeOnFork)) != 0)
                    return false;
            return true;
        }

        // Fork's copy of `vma`'s entries into `copy` in `child`: PageTable.Walk with the
        // copier over every last-level table of the range except the shared ones.
        void CopyUnsharedEntries(AddressSpace child, Vma vma, ForkCopier copier)
        {
            for (ulong table = PageTable.NextTable(vma.Start, vma.End, false); table != PageTable.NoTable && !copier.OutOfMemory;
                 table = PageTable.NextTable(table + PageTable.TableSpan, vma.End, false))
            {
                if (child.PageTable.IsSharedAt(table))
                    continue;
                ulong start = table > vma.Start ? table : vma.Start;
                ulong end = table + PageTable.TableSpan < vma.End ? table + PageTable.TableSpan : vma.End;
                PageTable.Walk(start, end, copier);
            }
        }

        // Unshares every shared last-level table overlapping [start, end): afterwards this
        // space may change any entry there. ENOMEM when a copy could not be allocated
        // (the tables unshared so far stay unshared, which changes nothing visible).
        public Errno UnshareTables(ulong start, ulong end)
        {
            for (ulong table = PageTable.NextTable(start, end, true); table != PageTable.NoTable;
                 table = PageTable.NextTable(table + PageTable.TableSpan, end, true))
                if (UnshareTable(table) != Errno.None)
                    return Errno.ENOMEM;
            return Errno.None;
        }

        // The copy-on-write of the last-level table covering `address`, if it is shared:
        // takes it over when nobody else shares it any more, else gives this space a copy
        // of its entries, each raising its counts as fork's copy does (DuplicateEntry). A
        // private writable page is write-protected in both tables, since both now hold it.
        // ENOMEM when no frame could be had for the copy.
        public Errno UnshareTable(ulong address)
        {
            ulong unused;
            return UnshareTable(address, out unused);
        }

        // UnshareTable that also gives the PD entry it found (0 when the PDPT or PD on the
        // way is missing), so the fault handler reaches the leaf without a second walk.
        public Errno UnshareTable(ulong address, out ulong entryAddress)
        {
            entryAddress = PageTable.FindTableEntry(address);
            if (entryAddress == 0 || !PageTable.NamesSharedTable(entryAddress))
                return Errno.None;
            ulong sharedTable = Page.FrameToAddress(PageTable.Read(entryAddress).Frame);
            if (PageTable.Sharers(sharedTable) == 1)
            {
                PageTable.TakeOver(entryAddress);
                Manager.Stat.PageTablesTakenOver++;
                return Errno.None;
            }
            // The allocation may reclaim, which rewrites entries of the shared table (never
            // the table itself): the entries are read after it.
            ulong copy = PageTable.AllocTablePage(Manager);
            if (copy == 0)
                return Errno.ENOMEM;
            CopySharedEntries(sharedTable, copy, address & ~(PageTable.TableSpan - 1));
            PageTable.ReplaceSharedTable(entryAddress, copy);
            Manager.Stat.PageTablesCopied++;
            return Errno.None;
        }

        // Copies the entries of the shared table at `sharedTable` (mapping from `tableBase`)
        // into the empty table at `copy`, through DuplicateEntry with this space's VMAs.
        void CopySharedEntries(ulong sharedTable, ulong copy, ulong tableBase)
        {
            Vma vma = null;
            for (int i = 0; i < PageTable.EntriesPerTable; i++)
            {
                ulong entryAddress = sharedTable + (ulong)i * 8;
                Pte pte = PageTable.Read(entryAddress);
                if (pte.IsNone)
                    continue;
                ulong address = tableBase + ((ulong)i << Page.Shift);
                if (vma == null || !vma.Contains(address))
                    vma = FindVma(address);
                if (vma == null)
                    Mm.Panic("AddressSpace.UnshareTable: an entry of a shared table lies outside every VMA");
                Pte kept = DuplicateEntry(pte, vma, address);
                if (kept.Raw != pte.Raw)
                    PageTable.WriteShared(entryAddress, kept);
                Manager.Physical.WriteU64(copy + (ulong)i * 8, kept.Raw);
            }
        }

        // Exit's part: drops this space's share of every table others still share, so
        // the zap that follows neither sees nor copies their entries; a shared table
        // nobody else holds any more is taken over and zapped as usual.
        void DropSharedTables()
        {
            for (ulong table = PageTable.NextTable(0, TaskSize, true); table != PageTable.NoTable;
                 table = PageTable.NextTable(table + PageTable.TableSpan, TaskSize, true))
            {
                ulong entryAddress = PageTable.FindTableEntry(table);
                if (PageTable.Sharers(Page.FrameToAddress(PageTable.Read(entryAddress).Frame)) > 1)
                    PageTable.DropSharedTable(entryAddress);
                else
                    PageTable.TakeOver(entryAddress);
            }
        }

        // Rewrites the leaf entry at `pteAddress` (mapping `address` here) with `value` for
        // every address space whose table holds it (Linux's reclaim has no such case: it
        // never shares anonymous tables). Reclaim's way to change a page under a shared
        // table without copying it, which would need a frame while frames are short:
        // each sharer's TLB entry is invalidated.
        public void ReplaceForSharers(ulong pteAddress, ulong address, Pte value)
        {
            if (PageTable.Sharers(pteAddress) == 1)
            {
                PageTable.Replace(pteAddress, address, value);
                return;
            }
            PageTable.WriteShared(pteAddress, value);
            for (AddressSpace space = Manager.FirstSpace; space != null; space = space.NextSpace)
                if (space.PageTable.FindPte(address) == pteAddress)
                    Manager.Tlb.InvalidatePage(space.PageTable.Root, address);
        }
    }
}
