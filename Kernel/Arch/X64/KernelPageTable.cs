using Cowbird.Mm.Paging;

using Cowbird.Mm;

namespace Cowbird.Kernel.Arch.X64
{
    // Minimal access to the kernel's own page tables (the boot stub's, reached
    // through the direct map) for what the boot path needs: translate an address,
    // unmap a guard page, add 1 GiB direct-map pages. The full page-table code
    // (user address spaces, 4-level walks with allocation) is Kernel.Mm's.
    //
    // A 4-level walk: PML4 -> PDPT -> PD -> PT, indexed by virtual address bits
    // 47..39, 38..30, 29..21, 20..12 (PageTable.IndexAt levels 3..0). A PDPT or PD
    // entry with PageSize set maps a 1 GiB or 2 MiB page directly. Entry bits are
    // Kernel.Mm's Pte names, the same ones Boot.S builds these tables with.
    public static unsafe class KernelPageTable
    {
        public const int Pml4Level = 3, PdptLevel = 2, PdLevel = 1, PtLevel = 0;

        // The entry for `virtualAddress` in the table of level `level` at physical address
        // `table`, reached through the direct map. The one step of every kernel-side walk
        // (KernelPageWindow's too).
        public static ulong* EntryIn(ulong table, ulong virtualAddress, int level) =>
            (ulong*)KernelLayout.PhysicalToVirtual(table) + PageTable.IndexAt(virtualAddress, level);

        // The entry for `virtualAddress` in the running page tables at level `level`
        // (Pml4Level .. PtLevel); null when an entry above it is not present or maps a
        // large page.
        private static ulong* EntryAt(ulong virtualAddress, int level)
        {
            ulong table = Cpu.ReadCr3() & Pte.FrameMask;
            for (int above = Pml4Level; above > level; above--)
            {
                ulong entry = *EntryIn(table, virtualAddress, above);
                if ((entry & Pte.Present) == 0 || (entry & Pte.PageSize) != 0)
                    return null;
                table = entry & Pte.FrameMask;
            }
            return EntryIn(table, virtualAddress, level);
        }

        // Returns the physical address `virtualAddress` maps to; false when it is not mapped.
        // The walk stops at the first entry that maps a page: a PTE, or a PDPT or PD entry
        // with PageSize set (1 GiB or 2 MiB).
        public static bool Translate(ulong virtualAddress, out ulong physical)
        {
            physical = 0;
            ulong table = Cpu.ReadCr3() & Pte.FrameMask;
            for (int level = Pml4Level; level >= PtLevel; level--)
            {
                ulong entry = *EntryIn(table, virtualAddress, level);
                if ((entry & Pte.Present) == 0)
                    return false;
                bool mapsPage = level == PtLevel || (level <= PdptLevel && (entry & Pte.PageSize) != 0);
                if (mapsPage)
                {
                    ulong pageMask = PageTable.SpanOf(level) - 1;
                    physical = (entry & Pte.FrameMask) + (virtualAddress & pageMask);
                    return true;
                }
                table = entry & Pte.FrameMask;
            }
            return false;
        }

        // Unmaps the 4 KiB page at `virtualAddress`, which must be mapped by a 4 KiB PTE
        // (true for the first 32 MiB of the kernel window, where all kernel stacks are).
        public static void UnmapPage(ulong virtualAddress)
        {
            ulong* pte = EntryAt(virtualAddress, PtLevel);
            if (pte == null)
                Panic.Halt("KernelPageTable.UnmapPage: not mapped with 4 KiB pages");
            *pte = 0;
            Cpu.InvalidatePage(virtualAddress);
        }

        // Maps the 1 GiB page at `virtualAddress` to `physical` (both 1 GiB aligned),
        // writable, no-execute. The PML4 entry must exist (the direct map's does).
        public static void MapGigabytePage(ulong virtualAddress, ulong physical)
        {
            ulong* pdpte = EntryAt(virtualAddress, PdptLevel);
            if (pdpte == null)
                Panic.Halt("KernelPageTable.MapGigabytePage: no PDPT for this address");
            if ((*pdpte & Pte.Present) != 0)
                Panic.Halt("KernelPageTable.MapGigabytePage: already mapped");
            *pdpte = physical | Pte.Present | Pte.Writable | Pte.PageSize | Pte.NoExecute;
            Cpu.InvalidatePage(virtualAddress);
        }

        // Makes the direct map's 2 MiB pages that cover [virtualAddress, +size) uncached
        // (PCD and PWT: strong uncacheable with the default PAT), for device registers:
        // every read must reach the device and every write must leave the CPU at once.
        // False when part of the range is not mapped by a 2 MiB page (RAM above 4 GiB
        // is mapped with 1 GiB pages; no device register lives there on the PC).
        public static bool MakeUncached(ulong virtualAddress, ulong size)
        {
            ulong span = PageTable.SpanOf(PdLevel);
            for (ulong page = virtualAddress & ~(span - 1); page < virtualAddress + size; page += span)
            {
                ulong* pde = EntryAt(page, PdLevel);
                if (pde == null || (*pde & (Pte.Present | Pte.PageSize)) != (Pte.Present | Pte.PageSize))
                    return false;
                *pde |= Pte.CacheDisable | Pte.WriteThrough;
                Cpu.InvalidatePage(page);
            }
            return true;
        }
    }
}
