using Cowbird.Mm.Paging;

namespace Cowbird.Mm.Vm
{
    // How much memory killing a process would give back (Linux: oom_badness in
    // mm/oom_kill.c, without oom_score_adj): its resident pages, its swap entries and its
    // page-table pages. A process that touches one byte in each of many distant places
    // holds few pages but one page table per place; counting only resident pages would
    // spare it and kill a smaller neighbour.
    //   Resident: PTEs holding a frame, PROT_NONE ones included (Linux: get_mm_rss,
    //             which counts a page per mapping, so a COW-shared page counts in both),
    //             except the zero page, which no process owns;
    //   Swap:     swap PTEs (MM_SWAPENTS);
    //   Tables:   PageTable.TablePages (mm_pgtables_bytes / PAGE_SIZE).
    // One instance is reused: a score allocates nothing. O(mapped range) per address space.
    public sealed class OomBadness : PteVisitor
    {
        ulong resident;
        ulong swapEntries;
        ZeroPage zeroPage;

        // The score of `space`, in pages.
        public ulong Score(AddressSpace space)
        {
            zeroPage = space.Manager.ZeroPage;
            resident = 0;
            swapEntries = 0;
            for (Vma vma = space.Vmas.First; vma != null; vma = vma.Next)
                space.PageTable.Walk(vma.Start, vma.End, this);
            return resident + swapEntries + space.PageTable.TablePages;
        }

        // The parts of the last Score, for reports and tests.
        public ulong Resident { get { return resident; } }
        public ulong SwapEntries { get { return swapEntries; } }

        public override void Visit(ulong virtualAddress, ulong pteAddress, Pte pte)
        {
            if (pte.IsSwap)
                swapEntries++;
            else if (pte.HasFrame && !zeroPage.IsMappedBy(pte))
                resident++;
        }
    }
}
