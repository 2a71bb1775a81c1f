using Cowbird.Mm.Paging;
using Cowbird.Mm.Vm;

namespace Cowbird.Mm.Rmap
{
    // The reclaim question "was this frame used lately?" (Linux: folio_referenced): an
    // rmap walk that tests and clears the Accessed bit in every present PTE mapping the
    // frame, invalidating the TLB entry so the CPU sets the bit again on the next access.
    // A mapping in a Locked VMA (mlock) ends the walk and sets FoundLocked: the page must
    // stay in memory, whatever its Accessed bits say (Linux: VM_LOCKED in pra->vm_flags).
    // Make one and reuse it (a walk then allocates nothing); not reentrant.
    public sealed class PageReferenced : RmapVisitor
    {
        readonly MemoryManager manager;
        int references;
        // Set by Count when a Locked VMA maps the frame.
        public bool FoundLocked { get; private set; }

        public PageReferenced(MemoryManager memoryManager)
        {
            manager = memoryManager;
        }

        // Number of mappings of `pfn` whose Accessed bit was set; all are clear afterwards,
        // unless the walk stopped at a Locked VMA (FoundLocked).
        public int Count(ulong pfn)
        {
            references = 0;
            FoundLocked = false;
            manager.Rmap.Walk(pfn, this);
            return references;
        }

        public override bool Visit(Vma vma, ulong address, ulong pteAddress, Pte pte)
        {
            if ((vma.Flags & VmaFlags.Locked) != 0)
            {
                FoundLocked = true;
                return false;
            }
            if (pte.IsPresent && pte.IsAccessed)
            {
                vma.Owner.ReplaceForSharers(pteAddress, address, pte.Without(Pte.Accessed));
                references++;
            }
            return true;
        }
    }
}
