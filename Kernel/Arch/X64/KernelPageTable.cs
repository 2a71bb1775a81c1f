namespace Cowbird.Kernel.Arch.X64
{
    // Minimal access to the kernel's own page tables (the boot stub's, reached
    // through the direct map) for what the boot path needs: translate an address,
    // unmap a guard page, add 1 GiB direct-map pages. The full page-table code
    // (user address spaces, 4-level walks with allocation) is Kernel.Mm's.
    //
    // A 4-level walk: PML4 -> PDPT -> PD -> PT, indexed by virtual address bits
    // 47..39, 38..30, 29..21, 20..12. A PDPT or PD entry with PageSize set maps
    // a 1 GiB or 2 MiB page directly.
    public static unsafe class KernelPageTable
    {
        // x86-64 entry bits (the same encoding Kernel.Mm's Pte uses).
        private const ulong Present = 1UL << 0;
        private const ulong Writable = 1UL << 1;
        private const ulong PageSizeBit = 1UL << 7;
        private const ulong NoExecute = 1UL << 63;
        private const ulong FrameMask = 0x000F_FFFF_FFFF_F000;

        private const int EntriesPerTable = 512;
        private const int Pml4Shift = 39, PdptShift = 30, PdShift = 21, PtShift = 12;

        private static int Index(ulong virtualAddress, int shift) => (int)((virtualAddress >> shift) & (EntriesPerTable - 1));

        // The table an entry points to, through the direct map.
        private static ulong* NextTable(ulong entry) => (ulong*)KernelLayout.PhysicalToVirtual(entry & FrameMask);

        private static ulong* Pml4() => (ulong*)KernelLayout.PhysicalToVirtual(Cpu.ReadCr3() & FrameMask);

        // Walks to the PDPT entry for `virtualAddress`; null when the PML4 entry is not present.
        private static ulong* PdptEntry(ulong virtualAddress)
        {
            ulong pml4Entry = Pml4()[Index(virtualAddress, Pml4Shift)];
            if ((pml4Entry & Present) == 0)
                return null;
            return NextTable(pml4Entry) + Index(virtualAddress, PdptShift);
        }

        // Returns the physical address `virtualAddress` maps to; false when it is not mapped.
        public static bool Translate(ulong virtualAddress, out ulong physical)
        {
            physical = 0;
            ulong* pdpte = PdptEntry(virtualAddress);
            if (pdpte == null || (*pdpte & Present) == 0)
                return false;
            if ((*pdpte & PageSizeBit) != 0)
            {
                physical = (*pdpte & FrameMask) + (virtualAddress & ((1UL << PdptShift) - 1));
                return true;
            }
            ulong pde = NextTable(*pdpte)[Index(virtualAddress, PdShift)];
            if ((pde & Present) == 0)
                return false;
            if ((pde & PageSizeBit) != 0)
            {
                physical = (pde & FrameMask) + (virtualAddress & ((1UL << PdShift) - 1));
                return true;
            }
            ulong pte = NextTable(pde)[Index(virtualAddress, PtShift)];
            if ((pte & Present) == 0)
                return false;
            physical = (pte & FrameMask) + (virtualAddress & (KernelLayout.PageSize - 1));
            return true;
        }

        // Unmaps the 4 KiB page at `virtualAddress`, which must be mapped by a 4 KiB PTE
        // (true for the first 32 MiB of the kernel window, where all kernel stacks are).
        public static void UnmapPage(ulong virtualAddress)
        {
            ulong* pdpte = PdptEntry(virtualAddress);
            if (pdpte == null || (*pdpte & (Present | PageSizeBit)) != Present)
                Panic.Halt("KernelPageTable.UnmapPage: no page directory for this address");
            ulong pde = NextTable(*pdpte)[Index(virtualAddress, PdShift)];
            if ((pde & (Present | PageSizeBit)) != Present)
                Panic.Halt("KernelPageTable.UnmapPage: not mapped with 4 KiB pages");
            NextTable(pde)[Index(virtualAddress, PtShift)] = 0;
            Cpu.InvalidatePage(virtualAddress);
        }

        // Maps the 1 GiB page at `virtualAddress` to `physical` (both 1 GiB aligned),
        // writable, no-execute. The PML4 entry must exist (the direct map's does).
        public static void MapGigabytePage(ulong virtualAddress, ulong physical)
        {
            ulong* pdpte = PdptEntry(virtualAddress);
            if (pdpte == null)
                Panic.Halt("KernelPageTable.MapGigabytePage: no PDPT for this address");
            if ((*pdpte & Present) != 0)
                Panic.Halt("KernelPageTable.MapGigabytePage: already mapped");
            *pdpte = physical | Present | Writable | PageSizeBit | NoExecute;
            Cpu.InvalidatePage(virtualAddress);
        }
    }
}
