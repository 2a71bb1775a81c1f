using Cowbird.Mm.Paging;
using Cowbird.Mm.Physical;
using Cowbird.Mm.Vm;

namespace Cowbird.Mm.Rmap
{
    // Removes every mapping of a frame (Linux: try_to_unmap): an rmap walk that replaces
    // each PTE holding the frame with the caller's non-present swap PTE, invalidating the
    // TLB, moving a set Dirty bit to the frame (PageFrameFlags.Dirty) and dropping one
    // MapCount and one RefCount per PTE. The caller holds its own reference, so the frame
    // survives to be written out. A page of a shared anonymous object is different (Linux:
    // a shmem page): its PTEs are cleared, not given the swap entry, because the object
    // keeps the page (and later its swap entry) and the next fault finds it there.
    // A page a Locked VMA maps (mlock) is refused as a whole: a first walk looks for such
    // a mapping before anything is changed (Linux's try_to_unmap_one stops at it).
    // Make one and reuse it; not reentrant.
    public sealed class TryToUnmap : RmapVisitor
    {
        readonly MemoryManager manager;
        readonly LockedMappingFinder lockedFinder = new LockedMappingFinder();
        ulong pfn;
        Pte replacement;

        public TryToUnmap(MemoryManager memoryManager)
        {
            manager = memoryManager;
        }

        // Unmaps `framePfn` everywhere, leaving `swapPte` (a swap-entry PTE) behind.
        // True when no PTE maps the frame any more (MapCount 0); false, with nothing
        // changed, when a Locked VMA maps it.
        public bool Unmap(ulong framePfn, Pte swapPte)
        {
            if (!swapPte.IsSwap)
                Mm.Panic("TryToUnmap.Unmap: replacement is not a swap-entry PTE");
            ref PageFrame frame = ref manager.Frames.Frame(framePfn);
            if (frame.RefCount <= frame.MapCount)
                Mm.Panic("TryToUnmap.Unmap: caller holds no reference of its own");
            if (!manager.Rmap.Walk(framePfn, lockedFinder))
                return false;
            pfn = framePfn;
            replacement = swapPte;
            manager.Rmap.Walk(framePfn, this);
            return manager.Frames.Frame(framePfn).MapCount == 0;
        }

        public override bool Visit(Vma vma, ulong address, ulong pteAddress, Pte pte)
        {
            vma.Owner.ReplaceForSharers(pteAddress, address, vma.IsShared ? Pte.NoneEntry : replacement);
            if (pte.IsDirty)
                manager.Frames.Frame(pfn).Flags |= PageFrameFlags.Dirty;
            manager.Rmap.RemovePage(pfn, vma, address);
            manager.Frames.Put(pfn);
            return true;
        }

        // The first walk of Unmap: stops at the first mapping in a Locked VMA.
        sealed class LockedMappingFinder : RmapVisitor
        {
            public override bool Visit(Vma vma, ulong address, ulong pteAddress, Pte pte)
            {
                return (vma.Flags & VmaFlags.Locked) == 0;
            }
        }
    }
}
