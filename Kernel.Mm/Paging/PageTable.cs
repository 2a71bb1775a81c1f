using Cowbird.Mm.Physical;

namespace Cowbird.Mm.Paging
{
    // The 4-level x86-64 page table of one address space (PML4 -> PDPT -> PD -> PT),
    // stored in physical frames in the hardware format and reached through the
    // PhysicalMemory seam, so the CPU (or the host SoftMmu) walks exactly these bytes.
    //
    // Invariants:
    //   - Only the user half (PML4 entries 0..255, addresses below UserEnd) belongs to
    //     this table; entries 256..511 are the kernel's, copied at creation, shared by
    //     every address space and never freed here.
    //   - Every page-table page has PageFrameFlags.PageTable, MapCount 0, and is reachable
    //     from exactly one entry (or is the root), RefCount 1; except a last-level table
    //     shared by fork (PageTable.Shared.cs), reachable from RefCount PD entries.
    //   - Intermediate entries are Present|Writable|User: permissions live in the leaves;
    //     only a PD entry naming a shared last-level table lacks Writable.
    //   - Whoever changes a leaf that was present goes through Replace, which
    //     invalidates the TLB, so no stale translation survives an edit.
    //   - After an unmap, FreeEmptyTables returns the tables left empty, so a table page
    //     exists only while something below it is in use (plus the PML4).
    public sealed partial class PageTable
    {
        public const int EntriesPerTable = 512;
        public const int Levels = 4;
        // First PML4 index of the kernel half, and the first non-user address.
        public const int KernelHalfFirstEntry = 256;
        public const ulong UserEnd = 0x0000_8000_0000_0000UL;

        readonly MemoryManager mm;
        // Made once and reused: mprotect's walk allocates nothing.
        readonly ProtectionChanger protectionChanger;
        // Physical address of the PML4: what CR3 holds for this address space.
        public readonly ulong Root;
        // Table pages below the PML4 (PDPTs, PDs, PTs) this table holds now (Linux:
        // mm_pgtables_bytes / PAGE_SIZE): the page-table part of the OOM score.
        public ulong TablePages { get; private set; }

        PageTable(MemoryManager memoryManager, ulong root)
        {
            mm = memoryManager;
            Root = root;
            protectionChanger = new ProtectionChanger(this);
        }

        // A new table with an empty user half and the kernel half copied in; null when
        // no frame is free even after reclaim.
        public static PageTable Create(MemoryManager mm)
        {
            ulong root = AllocTablePage(mm);
            if (root == 0)
                return null;
            if (mm.KernelPml4Entries != null)
                for (int i = KernelHalfFirstEntry; i < EntriesPerTable; i++)
                    mm.Physical.WriteU64(root + (ulong)i * 8, mm.KernelPml4Entries[i - KernelHalfFirstEntry]);
            return new PageTable(mm, root);
        }

        // Index into the table at `level` (3 = PML4 ... 0 = PT) for `virtualAddress`.
        public static int IndexAt(ulong virtualAddress, int level)
        {
            return (int)((virtualAddress >> (Page.Shift + 9 * level)) & (EntriesPerTable - 1));
        }

        // Bytes of address space one entry at `level` covers (4 KiB at the PT level).
        public static ulong SpanOf(int level)
        {
            return 1UL << (Page.Shift + 9 * level);
        }

        // Physical address of the leaf entry for `virtualAddress`, or 0 when a table on
        // the way is missing (the entry is then implicitly none).
        public ulong FindPte(ulong virtualAddress)
        {
            return Descend(virtualAddress, 0, false);
        }

        // Like FindPte, but allocates missing tables; 0 only when out of frames.
        public ulong EnsurePte(ulong virtualAddress)
        {
            return Descend(virtualAddress, 0, true);
        }

        // The leaf entry for `virtualAddress` (none when its tables are missing).
        public Pte Lookup(ulong virtualAddress)
        {
            ulong pteAddress = FindPte(virtualAddress);
            return pteAddress == 0 ? Pte.NoneEntry : Read(pteAddress);
        }

        // Reads the entry at physical address `pteAddress`.
        public Pte Read(ulong pteAddress)
        {
            return new Pte(mm.Physical.ReadU64(pteAddress));
        }

        // Writes `value` into the leaf entry at `pteAddress` (which maps
        // `virtualAddress`) and invalidates the TLB when the old entry was present.
        // The entry's table must not be shared with another address space (unshare first).
        public void Replace(ulong pteAddress, ulong virtualAddress, Pte value)
        {
            if (IsSharedTableFrame(Page.AddressToFrame(pteAddress)))
                Mm.Panic("PageTable.Replace: the entry lies in a table another address space shares");
            Pte old = Read(pteAddress);
            mm.Physical.WriteU64(pteAddress, value.Raw);
            if (old.IsPresent)
                mm.Tlb.InvalidatePage(Root, virtualAddress);
        }

        // Calls `visitor` for every non-zero leaf entry mapping an address in
        // [start, end), in address order. Missing tables are skipped in one step.
        public void Walk(ulong start, ulong end, PteVisitor visitor)
        {
            if (start >= end)
                return;
            if (end > UserEnd)
                Mm.Panic("PageTable.Walk: range reaches the kernel half");
            WalkTable(Root, Levels - 1, 0, start, end, visitor);
        }

        // Sets `setBits` and clears `clearBits` in every leaf in [start, end) that holds
        // a frame (present or PROT_NONE), invalidating the TLB for present ones.
        public void ChangeProtection(ulong start, ulong end, ulong setBits, ulong clearBits)
        {
            protectionChanger.Start(setBits, clearBits);
            Walk(start, end, protectionChanger);
        }

        // Frees the page-table pages below the PML4 that cover [start, end) and hold no
        // entry any more (Linux: free_pgtables), then flushes the TLB because the CPU may
        // cache intermediate entries. An empty table maps nothing, so freeing one that
        // also covers addresses outside the range is safe.
        public void FreeEmptyTables(ulong start, ulong end)
        {
            if (start >= end)
                return;
            if (end > UserEnd)
                Mm.Panic("PageTable.FreeEmptyTables: range reaches the kernel half");
            if (PruneTable(Root, Levels - 1, 0, start, end))
                mm.Tlb.FlushAll(Root);
        }

        // Frees every page-table page of the user half and the PML4 itself. Every leaf
        // must already be zero (the address space unmapped its pages first).
        public void Destroy()
        {
            FreeTables(Root, Levels - 1);
            mm.Tlb.FlushAll(Root);
        }

        // Walks from the PML4 to the entry at `stopLevel` (0 = the leaf) for
        // `virtualAddress`, allocating missing tables (reclaiming if needed) when
        // `allocate`. Returns the entry's physical address or 0.
        ulong Descend(ulong virtualAddress, int stopLevel, bool allocate)
        {
            if (virtualAddress >= UserEnd)
                Mm.Panic("PageTable: address in the kernel half");
            ulong table = Root;
            for (int level = Levels - 1; level > stopLevel; level--)
            {
                ulong entryAddress = table + (ulong)IndexAt(virtualAddress, level) * 8;
                Pte entry = Read(entryAddress);
                if (!entry.IsPresent)
                {
                    if (!allocate)
                        return 0;
                    ulong page = AllocTablePage(mm);
                    if (page == 0)
                        return 0;
                    TablePages++;
                    entry = Pte.Map(Page.AddressToFrame(page), Pte.TableFlags);
                    mm.Physical.WriteU64(entryAddress, entry.Raw);
                }
                table = Page.FrameToAddress(entry.Frame);
            }
            return table + (ulong)IndexAt(virtualAddress, stopLevel) * 8;
        }

        // Visits the leaves under the table at `table` (a `level` table covering
        // addresses from `tableBase`) that fall in [start, end).
        void WalkTable(ulong table, int level, ulong tableBase, ulong start, ulong end, PteVisitor visitor)
        {
            ulong span = SpanOf(level);
            int first = start <= tableBase ? 0 : (int)((start - tableBase) / span);
            for (int i = first; i < EntriesPerTable; i++)
            {
                ulong entryBase = tableBase + (ulong)i * span;
                if (entryBase >= end)
                    return;
                ulong entryAddress = table + (ulong)i * 8;
                Pte entry = Read(entryAddress);
                if (entry.IsNone)
                    continue;
                if (level == 0)
                    visitor.Visit(entryBase, entryAddress, entry);
                else if (entry.IsPresent)
                    WalkTable(Page.FrameToAddress(entry.Frame), level - 1, entryBase, start, end, visitor);
            }
        }

        // Frees the empty tables below the `level` table at `table` (covering addresses from
        // `tableBase`) that overlap [start, end). True when it freed at least one.
        bool PruneTable(ulong table, int level, ulong tableBase, ulong start, ulong end)
        {
            bool freed = false;
            ulong span = SpanOf(level);
            int first = start <= tableBase ? 0 : (int)((start - tableBase) / span);
            for (int i = first; i < EntriesPerTable && tableBase + (ulong)i * span < end; i++)
            {
                ulong entryAddress = table + (ulong)i * 8;
                Pte entry = Read(entryAddress);
                if (!entry.IsPresent || level == 0 || IsSharedEntry(level, entry))
                    continue;
                ulong child = Page.FrameToAddress(entry.Frame);
                if (level > 1 && PruneTable(child, level - 1, tableBase + (ulong)i * span, start, end))
                    freed = true;
                if (IsEmptyTable(child))
                {
                    mm.Physical.WriteU64(entryAddress, 0);
                    TablePages--;
                    FreeTablePage(mm, child);
                    freed = true;
                }
            }
            return freed;
        }

        // True when every entry of the table at `table` is zero.
        bool IsEmptyTable(ulong table)
        {
            for (int i = 0; i < EntriesPerTable; i++)
                if (mm.Physical.ReadU64(table + (ulong)i * 8) != 0)
                    return false;
            return true;
        }

        // Frees the tables below the `level` table at `table` and then the table itself.
        // Only user-half PML4 entries are followed.
        void FreeTables(ulong table, int level)
        {
            int limit = level == Levels - 1 ? KernelHalfFirstEntry : EntriesPerTable;
            for (int i = 0; i < limit; i++)
            {
                Pte entry = Read(table + (ulong)i * 8);
                if (entry.IsNone)
                    continue;
                if (level == 0)
                    Mm.Panic("PageTable.Destroy: a leaf entry is still in use");
                FreeTables(Page.FrameToAddress(entry.Frame), level - 1);
                TablePages--;
            }
            FreeTablePage(mm, table);
        }

        // A zeroed frame marked as a page table; physical address, or 0 when out of frames
        // even after reclaim (MemoryManager.AllocateFrameWithReclaim: leaf PTEs may have
        // changed meanwhile, never the tables themselves).
        internal static ulong AllocTablePage(MemoryManager mm)
        {
            ulong pfn = mm.AllocateFrameWithReclaim();
            if (pfn == FrameAllocator.NoFrame)
                return 0;
            mm.Physical.ZeroFrame(pfn);
            mm.Frames.Frame(pfn).Flags |= PageFrameFlags.PageTable;
            mm.Stat.PageTablePages++;
            return Page.FrameToAddress(pfn);
        }

        // Returns a page-table page to the allocator.
        static void FreeTablePage(MemoryManager mm, ulong tableAddress)
        {
            ulong pfn = Page.AddressToFrame(tableAddress);
            ref PageFrame frame = ref mm.Frames.Frame(pfn);
            if ((frame.Flags & PageFrameFlags.PageTable) == 0)
                Mm.Panic("PageTable: freeing a frame that is not a page table");
            if (frame.RefCount != 1)
                Mm.Panic("PageTable: freeing a table another address space shares");
            frame.Flags &= ~PageFrameFlags.PageTable;
            mm.Stat.PageTablePages--;
            mm.Frames.Put(pfn);
        }

        // The per-entry action of ChangeProtection.
        sealed class ProtectionChanger : PteVisitor
        {
            readonly PageTable table;
            ulong set;
            ulong clear;

            public ProtectionChanger(PageTable pageTable)
            {
                table = pageTable;
            }

            // Arms the changer for one ChangeProtection call.
            public void Start(ulong setBits, ulong clearBits)
            {
                set = setBits;
                clear = clearBits;
            }

            public override void Visit(ulong virtualAddress, ulong pteAddress, Pte pte)
            {
                if (pte.HasFrame)
                    table.Replace(pteAddress, virtualAddress, pte.Without(clear).With(set));
            }
        }
    }
}
