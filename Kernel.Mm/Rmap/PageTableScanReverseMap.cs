using Cowbird.Mm.Paging;
using Cowbird.Mm.Physical;
using Cowbird.Mm.Vm;

namespace Cowbird.Mm.Rmap
{
    // "No reverse map", as in Linux 2.4 (Linus Torvalds, 1998): keep nothing per page and,
    // to find a frame's mappings, scan the page tables of every address space. Every hook
    // is free and every VMA may merge; a walk costs O(all mapped PTEs). Used by the tests
    // as an oracle for the anon_vma walk, and a baseline for comparing designs.
    public sealed class PageTableScanReverseMap : PerPageReverseMap
    {
        // Made once and reused by every walk: a walk allocates nothing.
        readonly FrameScanner scanner = new FrameScanner();

        public PageTableScanReverseMap(MemoryManager memoryManager) : base(memoryManager) { }

        // Records only the linear index (swap will want it); Mapping stays null.
        protected override void NewAnonPage(ulong pfn, Vma vma, ulong address)
        {
            SetMapping(pfn, null, vma, address);
        }

        // Every VMA of every address space, every PTE: visit those holding `pfn`.
        public override bool Walk(ulong pfn, RmapVisitor visitor)
        {
            scanner.Start(pfn, visitor);
            for (AddressSpace space = Manager.FirstSpace; space != null && !scanner.Stopped; space = space.NextSpace)
                for (Vma vma = space.Vmas.First; vma != null && !scanner.Stopped; vma = vma.Next)
                {
                    scanner.Vma = vma;
                    space.PageTable.Walk(vma.Start, vma.End, scanner);
                }
            bool finished = !scanner.Stopped;
            scanner.Start(0, null);
            return finished;
        }

        // The per-PTE step of Walk.
        sealed class FrameScanner : PteVisitor
        {
            ulong pfn;
            RmapVisitor visitor;
            public Vma Vma;
            public bool Stopped;

            // Arms the scanner for one frame.
            public void Start(ulong framePfn, RmapVisitor rmapVisitor)
            {
                pfn = framePfn;
                visitor = rmapVisitor;
                Vma = null;
                Stopped = false;
            }

            public override void Visit(ulong virtualAddress, ulong pteAddress, Pte pte)
            {
                if (Stopped || !pte.HasFrame || pte.Frame != pfn)
                    return;
                if (!visitor.Visit(Vma, virtualAddress, pteAddress, pte))
                    Stopped = true;
            }
        }
    }
}
