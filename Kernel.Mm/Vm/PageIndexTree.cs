using Cowbird.Mm.Physical;

namespace Cowbird.Mm.Vm
{
    // What to do with each node and each entry of a PageIndexTree during Walk.
    public abstract class PageIndexVisitor
    {
        // A non-zero entry stored at `index`.
        public abstract void VisitEntry(ulong index, ulong entry);
        // A frame holding one node of the tree (visited after its children).
        public abstract void VisitNode(ulong pfn);
    }

    // A sparse map from page index to a non-zero 64-bit entry (Linux: the xarray of an
    // address_space), built as a radix tree whose nodes are physical frames of 512
    // entries, like a page table: a node costs one frame, comes from the frame allocator
    // and goes back to it; a frame, not the heap, because a node is exactly a page.
    //
    // Invariants:
    //   - Height 0 means empty (root 0). A tree of height h holds indexes < 512^h; an
    //     interior entry is the physical address of the child node or 0.
    //   - Node frames have RefCount 1, MapCount 0 and no flags; only this tree knows them.
    //   - Entries are never 0 (0 is "nothing stored").
    public sealed class PageIndexTree
    {
        const int BitsPerLevel = 9;
        const ulong EntriesPerNode = 1UL << BitsPerLevel;
        const int MaxHeight = 8;

        readonly MemoryManager mm;
        ulong root;
        int height;

        public PageIndexTree(MemoryManager memoryManager)
        {
            mm = memoryManager;
        }

        public bool IsEmpty { get { return height == 0; } }

        // The entry stored at `index`, or 0.
        public ulong Lookup(ulong index)
        {
            ulong slot = LeafSlot(index);
            return slot != 0 ? mm.Physical.ReadU64(slot) : 0;
        }

        // Physical address of the leaf slot of `index`, or 0 when no node holds it.
        ulong LeafSlot(ulong index)
        {
            if (height == 0 || !Covers(index, height))
                return 0;
            ulong node = root;
            for (int level = height - 1; level > 0; level--)
            {
                node = mm.Physical.ReadU64(SlotAddress(node, index, level));
                if (node == 0)
                    return 0;
            }
            return SlotAddress(node, index, 0);
        }

        // Stores `entry` (non-zero) at `index`, adding levels and nodes as needed.
        // False when a node frame could not be allocated even after reclaim (nothing
        // stored; nodes already added stay and are freed by Clear).
        public bool Store(ulong index, ulong entry)
        {
            if (entry == 0)
                Mm.Panic("PageIndexTree.Store: zero entry");
            while (height == 0 || !Covers(index, height))
                if (!Grow())
                    return false;
            ulong node = root;
            for (int level = height - 1; level > 0; level--)
            {
                ulong slot = SlotAddress(node, index, level);
                ulong child = mm.Physical.ReadU64(slot);
                if (child == 0)
                {
                    child = AllocNode();
                    if (child == 0)
                        return false;
                    mm.Physical.WriteU64(slot, child);
                }
                node = child;
            }
            mm.Physical.WriteU64(SlotAddress(node, index, 0), entry);
            return true;
        }

        // Clears the entry at `index`, if any. Nodes stay until Clear.
        public void Erase(ulong index)
        {
            ulong slot = LeafSlot(index);
            if (slot != 0)
                mm.Physical.WriteU64(slot, 0);
        }

        // Calls `visitor` for every entry (in index order) and every node.
        public void Walk(PageIndexVisitor visitor)
        {
            if (height > 0)
                WalkNode(root, height - 1, 0, visitor);
        }

        // Frees every node frame; the tree is empty afterwards. Entries are forgotten:
        // whoever stored them releases what they name first (through Walk).
        public void Clear()
        {
            if (height > 0)
                FreeNode(root, height - 1);
            root = 0;
            height = 0;
        }

        // True when a tree of `levels` levels can hold `index`.
        static bool Covers(ulong index, int levels)
        {
            return levels >= MaxHeight || (index >> (BitsPerLevel * levels)) == 0;
        }

        // Physical address of the slot for `index` in the node at `node` on `level`.
        static ulong SlotAddress(ulong node, ulong index, int level)
        {
            return node + ((index >> (BitsPerLevel * level)) & (EntriesPerNode - 1)) * 8;
        }

        // Adds a level on top: the old root becomes slot 0 of a new root.
        bool Grow()
        {
            ulong node = AllocNode();
            if (node == 0)
                return false;
            if (height > 0)
                mm.Physical.WriteU64(node, root);
            root = node;
            height++;
            return true;
        }

        void WalkNode(ulong node, int level, ulong baseIndex, PageIndexVisitor visitor)
        {
            ulong span = 1UL << (BitsPerLevel * level);
            for (ulong i = 0; i < EntriesPerNode; i++)
            {
                ulong value = mm.Physical.ReadU64(node + i * 8);
                if (value == 0)
                    continue;
                if (level == 0)
                    visitor.VisitEntry(baseIndex + i, value);
                else
                    WalkNode(value, level - 1, baseIndex + i * span, visitor);
            }
            visitor.VisitNode(Page.AddressToFrame(node));
        }

        void FreeNode(ulong node, int level)
        {
            if (level > 0)
                for (ulong i = 0; i < EntriesPerNode; i++)
                {
                    ulong child = mm.Physical.ReadU64(node + i * 8);
                    if (child != 0)
                        FreeNode(child, level - 1);
                }
            mm.Frames.Put(Page.AddressToFrame(node));
        }

        // A zeroed node frame's physical address, or 0 when out of frames even after
        // reclaim. Reclaim may replace entries of this very tree meanwhile (frame -> swap
        // entry), never add or remove a node, so a Store in progress stays valid.
        ulong AllocNode()
        {
            ulong pfn = mm.AllocateFrameWithReclaim();
            if (pfn == FrameAllocator.NoFrame)
                return 0;
            mm.Physical.ZeroFrame(pfn);
            return Page.FrameToAddress(pfn);
        }
    }
}
