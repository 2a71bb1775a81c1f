using Cowbird.Mm.Vm;

namespace Cowbird.Mm.Rmap
{
    // The rmap walk of a shared anonymous page, whose Mapping is its SharedAnonObject
    // (Linux: rmap_walk_file over the address_space's i_mmap), for the object-based designs:
    // the object's list of VMAs is walked and in each VMA covering the page's index the PTE
    // is visited if it holds the frame (ReverseMap.VisitIfMapped). Make one and reuse it; a
    // walk allocates nothing. Not reentrant.
    public sealed class SharedObjectWalker : SharedMappingVisitor
    {
        ulong pfn;
        ulong index;
        RmapVisitor visitor;

        // Visits every PTE mapping frame `framePfn` (page `frameIndex` of `mapping`, which
        // must be a SharedAnonObject). False when the visitor stopped the walk.
        public bool Walk(object mapping, ulong framePfn, ulong frameIndex, RmapVisitor rmapVisitor)
        {
            SharedAnonObject obj = mapping as SharedAnonObject;
            if (obj == null)
                Mm.Panic("SharedObjectWalker.Walk: mapped frame has no anonymous owner or shared object");
            pfn = framePfn;
            index = frameIndex;
            visitor = rmapVisitor;
            bool finished = obj.WalkMappings(index, this);
            visitor = null;
            return finished;
        }

        public override bool Visit(Vma vma, ulong address)
        {
            return ReverseMap.VisitIfMapped(vma, pfn, index, visitor);
        }
    }
}
