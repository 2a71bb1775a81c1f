using Cowbird.Mm.Vm;

namespace Cowbird.Mm.Rmap
{
    // The base of the designs that keep nothing per VMA (the page-table scan, PTE chains):
    // what they know hangs off the frame, or nothing does, so the VMA hooks have nothing to
    // prepare, link, clone or unlink, and any two VMAs may merge.
    public abstract class PerPageReverseMap : ReverseMap
    {
        protected PerPageReverseMap(MemoryManager memoryManager) : base(memoryManager) { }

        public sealed override void PrepareAnon(Vma vma) { }
        public sealed override void ForkVma(Vma child, Vma parent) { }
        public sealed override void CloneVma(Vma destination, Vma source) { }
        public sealed override void UnlinkVma(Vma vma) { }
        public sealed override void VmaRangeChanged(Vma vma) { }
        public sealed override void AbsorbVma(Vma kept, Vma removed) { }
        public sealed override bool IsMergeable(Vma a, Vma b) { return true; }
    }
}
