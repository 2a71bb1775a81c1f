using Cowbird.Mm.Paging;
using Cowbird.Mm.Vm;

namespace Cowbird.Mm.Rmap
{
    // Counts the PTEs of one VMA for the object tree's bookkeeping (ObjectTreeReverseMap):
    // those holding a frame (the zero page aside: it is in no object), those of them whose
    // frame belongs to a given object, and swap entries. O(the VMA's page tables); used only when a VMA moves to a new child object,
    // when an object merges into its child, and before a collapse. Made once and reused.
    public sealed class ObjectPteCounter : PteVisitor
    {
        readonly ObjectTreeReverseMap rmap;
        AnonObject obj;
        ZeroPage zeroPage;

        // Results of the last Count.
        public long Frames;
        public long Owned;
        public long SwapEntries;

        public ObjectPteCounter(ObjectTreeReverseMap reverseMap)
        {
            rmap = reverseMap;
        }

        // Counts `vma`'s PTEs; Owned counts frames belonging to `owner`.
        public void Count(Vma vma, AnonObject owner)
        {
            obj = owner;
            zeroPage = vma.Owner.Manager.ZeroPage;
            Frames = 0;
            Owned = 0;
            SwapEntries = 0;
            vma.Owner.PageTable.Walk(vma.Start, vma.End, this);
            obj = null;
        }

        public override void Visit(ulong virtualAddress, ulong pteAddress, Pte pte)
        {
            if (pte.IsSwap)
            {
                SwapEntries++;
                return;
            }
            if (!pte.HasFrame || zeroPage.IsMappedBy(pte))
                return;
            Frames++;
            if (rmap.Owner(pte.Frame) == obj)
                Owned++;
        }
    }
}
