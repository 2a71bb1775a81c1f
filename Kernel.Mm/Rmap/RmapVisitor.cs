using Cowbird.Mm.Paging;
using Cowbird.Mm.Vm;

namespace Cowbird.Mm.Rmap
{
    // What to do at one mapping of a frame during ReverseMap.Walk (Linux:
    // rmap_walk_control.rmap_one): the "what", kept apart from the "how to find".
    // `pte` holds the frame (present or PROT_NONE) at `address` in `vma`; `pteAddress` is
    // its physical address, for PageTable.Replace. Return false to stop the walk.
    public abstract class RmapVisitor
    {
        public abstract bool Visit(Vma vma, ulong address, ulong pteAddress, Pte pte);
    }
}
