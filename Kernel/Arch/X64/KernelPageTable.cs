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
        private const int Pml4Level = 3, PdptLevel = 2, PdLevel = 1, PtLevel = 0;
        private const int PdptShift = 30, PdShift = 21;

        // The table an entry points to, through the direct map.
        private static ulong* NextTable(ulong entry) => (ulong*)KernelLayout.PhysicalToVirtual(entry & Pte.FrameMask);

        private static ulong* Pml4() => (ulong*)KernelLayout.PhysicalToVirtual(Cpu.ReadCr3() & Pte.FrameMask);

        // Walks to the PDPT entry for `virtualAddress`; null when the PML4 entry is not present.
        private static ulong* PdptEntry(ulong virtualAddress)
        {
            ulong pml4Entry = Pml4()[PageTable.IndexAt(virtualAddress, Pml4Level)];
            if ((pml4Entry & Pte.Present) == 0)
                return null;
            return NextTable(pml4Entry) + PageTable.IndexAt(virtualAddress, PdptLevel);
        }

        // Returns the physical address `virtualAddress` maps to; false when it is not mapped.
        public static bool Translate(ulong virtualAddress, out ulong physical)
        {
            physical = 0;
            ulong* pdpte = PdptEntry(virtualAddress);
            if (pdpte == null || (*pdpte & Pte.Present) == 0)
                return false;
            if ((*pdpte & Pte.PageSize) != 0)
            {
                physical = (*pdpte & Pte.FrameMask) + (virtualAddress & ((1UL << PdptShift) - 1));
                return true;
            }
            ulong pde = NextTable(*pdpte)[PageTable.IndexAt(virtualAddress, PdLevel)];
            if ((pde & Pte.Present) == 0)
                return false;
            if ((pde & Pte.PageSize) != 0)
            {
                physical = (pde & Pte.FrameMask) + (virtualAddress & ((1UL << PdShift) - 1));
                return true;
            }
            ulong pte = NextTable(pde)[PageTable.IndexAt(virtualAddress, PtLevel)];
            if ((pte & Pte.Present) == 0)
                return false;
            physical = (pte & Pte.FrameMask) + (virtualAddress & (Page.Size - 1));
            return true;
        }

        // Unmaps the 4 KiB page at `virtualAddress`, which must be mapped by a 4 KiB PTE
        // (true for the first 32 MiB of the kernel window, where all kernel stacks are).
        public static void UnmapPage(ulong virtualAddress)
        {
            ulong* pdpte = PdptEntry(virtualAddress);
            if (pdpte == null || (*pdpte & (Pte.Present | Pte.PageSize)) != Pte.Present)
                Panic.Halt("KernelPageTable.UnmapPage: no page directory for this address");
            ulong pde = NextTable(*pdpte)[PageTable.IndexAt(virtualAddress, PdLevel)];
            if ((pde & (Pte.Present | Pte.PageSize)) != Pte.Present)
                Panic.Halt("KernelPageTable.UnmapPage: not mapped with 4 KiB pages");
            NextTable(pde)[PageTable.IndexAt(virtualAddress, PtLevel)] = 0;
            Cpu.InvalidatePage(virtualAddress);
        }

        // Maps the 1 GiB page at `virtualAddress` to `physical` (both 1 GiB aligned),
        // writable, no-execute. The PML4 entry must exist (the direct map's does).
        public static void MapGigabytePage(ulong virtualAddress, ulong physical)
        {
            ulong* pdpte = PdptEntry(virtualAddress);
            if (pdpte == null)
                Panic.Halt("KernelPageTable.MapGigabytePage: no PDPT for this address");
            if ((*pdpte & Pte.Present) != 0)
                Panic.Halt("KernelPageTable.MapGigabytePage: already mapped");
            *pdpte = physical | Pte.Present | Pte.Writable | Pte.PageSize | Pte.NoExecute;
            Cpu.InvalidatePage(virtualAddress);
        }
    }
}
