using Cowbird.Kernel.Arch.X64;
using Cowbird.Mm;
using Cowbird.Mm.Paging;
using Cowbird.Mm.Physical;

namespace Cowbird.Kernel.Memory
{
    // A kernel region of 4 KiB mappings at one PML4 entry (512 GiB). The direct map uses
    // 2 MiB pages, so guard pages (KernelStackArea) and memory assembled frame by frame
    // (KernelHeapArea) need 4 KiB mappings somewhere else: here. The PDPT is installed in
    // the kernel's PML4 when the window is made, before the first user address space, so
    // every PML4 shares it and everything below it. Tables below the PDPT are made on
    // demand from KernelMemory.AllocateKernelFrame.
    public sealed unsafe class KernelPageWindow
    {
        private const ulong PageFlags = Pte.Present | Pte.Writable | Pte.NoExecute;
        private const ulong TableFlags = Pte.Present | Pte.Writable;

        private readonly ulong pdpt;

        // Installs a fresh PDPT at `pml4Index` of the running (kernel) PML4.
        public KernelPageWindow(int pml4Index)
        {
            pdpt = NewTable(false);
            if (pdpt == 0)
                Panic.Halt("KernelPageWindow: no frame for the PDPT");
            ulong* pml4 = (ulong*)KernelLayout.PhysicalToVirtual(Cpu.ReadCr3() & Pte.FrameMask);
            pml4[pml4Index] = pdpt | TableFlags;
        }

        // Maps frame `pfn` at `address` (not mapped yet), writable, not executable. False
        // when no frame for a page table is left (`mayReclaim`: see AllocateKernelFrame).
        public bool Map(ulong address, ulong pfn, bool mayReclaim)
        {
            ulong* pte = PteOf(address, true, mayReclaim);
            if (pte == null)
                return false;
            *pte = Page.FrameToAddress(pfn) | PageFlags;
            return true;
        }

        // Unmaps the page at `address` (mapped by Map) and returns its frame.
        public ulong Unmap(ulong address)
        {
            ulong* pte = PteOf(address, false, false);
            if (pte == null || (*pte & Pte.Present) == 0)
                Panic.Halt("KernelPageWindow.Unmap: page not mapped");
            ulong pfn = Page.AddressToFrame(*pte & Pte.FrameMask);
            *pte = 0;
            Cpu.InvalidatePage(address);
            return pfn;
        }

        // Frees the page table of the 2 MiB-aligned block at `address`, whose pages are
        // all unmapped, so an unused block costs no memory.
        public void FreePageTable(ulong address)
        {
            ulong* pdpte = KernelPageTable.EntryIn(pdpt, address, KernelPageTable.PdptLevel);
            if ((*pdpte & Pte.Present) == 0)
                return;
            ulong* pde = KernelPageTable.EntryIn(*pdpte & Pte.FrameMask, address, KernelPageTable.PdLevel);
            if ((*pde & Pte.Present) == 0)
                return;
            ulong table = *pde & Pte.FrameMask;
            *pde = 0;
            Cpu.InvalidatePage(address);
            KernelMemory.FreeKernelFrame(Page.AddressToFrame(table));
        }

        // The PTE slot for `address`; null when a table on the way is missing and `create`
        // is false, or no frame is left to make it.
        private ulong* PteOf(ulong address, bool create, bool mayReclaim)
        {
            ulong table = pdpt;
            for (int level = KernelPageTable.PdptLevel; level >= KernelPageTable.PdLevel; level--)
            {
                ulong* entry = KernelPageTable.EntryIn(table, address, level);
                if ((*entry & Pte.Present) == 0)
                {
                    ulong next = create ? NewTable(mayReclaim) : 0;
                    if (next == 0)
                        return null;
                    *entry = next | TableFlags;
                }
                table = *entry & Pte.FrameMask;
            }
            return KernelPageTable.EntryIn(table, address, KernelPageTable.PtLevel);
        }

        // A zeroed page-table page; 0 when none is free.
        private static ulong NewTable(bool mayReclaim)
        {
            ulong pfn = KernelMemory.AllocateKernelFrame(mayReclaim);
            if (pfn == FrameAllocator.NoFrame)
                return 0;
            byte* page = KernelLayout.PhysicalToVirtual(Page.FrameToAddress(pfn));
            for (int i = 0; i < (int)Page.Size; i++)
                page[i] = 0;
            return Page.FrameToAddress(pfn);
        }
    }
}
