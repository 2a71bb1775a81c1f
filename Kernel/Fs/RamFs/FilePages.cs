using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Memory;
using Cowbird.Mm;
using Cowbird.Mm.Physical;

namespace Cowbird.Kernel.Fs.RamFs
{
    // The contents of a RAM file (Linux: a tmpfs inode's page cache): page n of the file
    // is a frame from the frame allocator, or a hole that reads as zeros. The kernel reaches
    // a frame's bytes through the direct map. Every frame held here is counted in
    // VmStat.ShmemPages (meminfo Shmem and Cached) until Truncate gives it back.
    // The page numbers index a radix tree of 512-slot nodes (Linux's xarray; the same
    // 9 bits a level as x86-64 page tables): the tree is as tall as the highest page needs
    // and holds nodes only for the ranges written, so a write far past the end (a sparse
    // file of terabytes) costs a few nodes, not an index as long as the file.
    public sealed unsafe class FilePages
    {
        private const int Bits = 9;
        private const int Fanout = 1 << Bits;
        private const ulong SlotMask = Fanout - 1;

        // A node of the tree: below the top levels its Children, at level 1 (a leaf) the
        // Frames of 512 consecutive pages (NoFrame for a hole).
        private sealed class Node
        {
            public Node[] Children;
            public ulong[] Frames;
        }

        // The top node and the tree's height: it covers pages [0, 512^height); none at 0.
        private Node root;
        private int height;

        // Frames this file holds (st_blocks is 8 times this).
        public ulong FrameCount { get; private set; }

        // How many of `left` bytes from file offset `at` lie in the page `at` is in: the piece
        // one page copy moves.
        public static ulong PieceLength(ulong at, ulong left)
        {
            ulong inPage = Page.Size - (at & Page.OffsetMask);
            return inPage < left ? inPage : left;
        }

        // The bytes of page `index`, or null for a hole.
        public byte* PageAt(ulong index)
        {
            ulong[] leaf = Leaf(index, false);
            if (leaf == null || leaf[index & SlotMask] == FrameAllocator.NoFrame)
                return null;
            return KernelLayout.PhysicalToVirtual(Page.FrameToAddress(leaf[index & SlotMask]));
        }

        // The bytes of page `index`, a zeroed frame allocated for a hole; null when no frame
        // can be had (ENOSPC to the writer).
        public byte* PageForWrite(ulong index)
        {
            byte* bytes = PageAt(index);
            if (bytes != null)
                return bytes;
            ulong pfn = KernelMemory.Manager.AllocateFrameWithReclaim();
            return pfn == FrameAllocator.NoFrame ? null : Install(index, pfn);
        }

        // Gives every hole among pages [from, to) a zeroed frame, all or none (fallocate):
        // false, nothing changed, when the frames cannot all be had. The frames are taken
        // first, chained through their own first 8 bytes, then placed.
        public bool FillHoles(ulong from, ulong to)
        {
            ulong chain = FrameAllocator.NoFrame;
            for (ulong index = from; index < to; index++)
            {
                if (PageAt(index) != null)
                    continue;
                ulong pfn = KernelMemory.Manager.AllocateFrameWithReclaim();
                if (pfn == FrameAllocator.NoFrame)
                {
                    while (chain != FrameAllocator.NoFrame)
                    {
                        ulong next = *(ulong*)Bytes(chain);
                        KernelMemory.FreeKernelFrame(chain);
                        chain = next;
                    }
                    return false;
                }
                *(ulong*)Bytes(pfn) = chain;
                chain = pfn;
            }
            for (ulong index = from; index < to; index++)
            {
                if (PageAt(index) != null)
                    continue;
                ulong pfn = chain;
                chain = *(ulong*)Bytes(pfn);
                Install(index, pfn);
            }
            return true;
        }

        // Makes the frame `pfn` page `index` (a hole), zeroed, and returns its bytes.
        private byte* Install(ulong index, ulong pfn)
        {
            Leaf(index, true)[index & SlotMask] = pfn;
            FrameCount++;
            KernelMemory.Manager.Stat.ShmemPages++;
            byte* bytes = Bytes(pfn);
            for (ulong i = 0; i < Page.Size; i++)
                bytes[i] = 0;
            return bytes;
        }

        private static byte* Bytes(ulong pfn) => KernelLayout.PhysicalToVirtual(Page.FrameToAddress(pfn));

        // The first page at or after `index` that holds a frame, or ulong.MaxValue when none
        // does (lseek SEEK_DATA: holes are skipped a subtree at a time).
        public ulong NextData(ulong index) => height == 0 ? ulong.MaxValue : Next(root, height, 0, index);

        private static ulong Next(Node node, int level, ulong first, ulong from)
        {
            ulong span = 1UL << (Bits * (level - 1));
            for (int slot = 0; slot < Fanout; slot++)
            {
                ulong start = first + (ulong)slot * span;
                if (start + span <= from)
                    continue;
                if (level == 1)
                {
                    if (node.Frames[slot] != FrameAllocator.NoFrame)
                        return start;
                }
                else if (node.Children[slot] != null)
                {
                    ulong found = Next(node.Children[slot], level - 1, start, from);
                    if (found != ulong.MaxValue)
                        return found;
                }
            }
            return ulong.MaxValue;
        }

        // Copies `count` bytes from file offset `offset` (all below the file's size) to
        // `target`; holes give zeros.
        public void Read(ulong offset, byte* target, ulong count)
        {
            while (count > 0)
            {
                ulong inPage = offset & Page.OffsetMask;
                ulong n = PieceLength(offset, count);
                byte* page = PageAt(offset >> Page.Shift);
                for (ulong i = 0; i < n; i++)
                    target[i] = page != null ? page[inPage + i] : (byte)0;
                offset += n;
                target += n;
                count -= n;
            }
        }

        // Gives back the frames wholly past `size` and zeroes the tail of the page `size`
        // ends in, so a later extension reads zeros there (Linux: truncate_inode_pages).
        public void Truncate(ulong size)
        {
            ulong keep = (size + Page.OffsetMask) >> Page.Shift;
            if (height != 0)
                Free(root, height, 0, keep, ulong.MaxValue);
            if (keep == 0)
            {
                root = null;
                height = 0;
            }
            byte* last = (size & Page.OffsetMask) != 0 ? PageAt(size >> Page.Shift) : null;
            if (last != null)
                for (ulong i = size & Page.OffsetMask; i < Page.Size; i++)
                    last[i] = 0;
        }

        // Gives back the frames of pages [from, to), which become holes (fallocate's
        // FALLOC_FL_PUNCH_HOLE).
        public void FreeRange(ulong from, ulong to)
        {
            if (height != 0)
                Free(root, height, 0, from, to);
        }

        // Frees the frames of pages [from, to) under `node` (at `level`, its first page
        // `first`), and drops the nodes wholly inside the range.
        private void Free(Node node, int level, ulong first, ulong from, ulong to)
        {
            ulong span = 1UL << (Bits * (level - 1));
            for (int slot = 0; slot < Fanout; slot++)
            {
                ulong start = first + (ulong)slot * span;
                if (start + span <= from || start >= to)
                    continue;
                if (level == 1)
                    FreeFrame(node.Frames, slot);
                else if (node.Children[slot] != null)
                {
                    Free(node.Children[slot], level - 1, start, from, to);
                    if (start >= from && start + span <= to)
                        node.Children[slot] = null;
                }
            }
        }

        // Frees the frame in slot `slot` of `frames` (a leaf), if there is one.
        private void FreeFrame(ulong[] frames, int slot)
        {
            if (frames[slot] == FrameAllocator.NoFrame)
                return;
            KernelMemory.FreeKernelFrame(frames[slot]);
            frames[slot] = FrameAllocator.NoFrame;
            FrameCount--;
            KernelMemory.Manager.Stat.ShmemPages--;
        }

        // The leaf holding page `index`'s slot; with `create`, made (and the tree grown
        // taller) when missing, else null.
        private ulong[] Leaf(ulong index, bool create)
        {
            if (create)
                while (height == 0 || index >> (Bits * height) != 0)
                    GrowTaller();
            else if (height == 0 || index >> (Bits * height) != 0)
                return null;
            Node node = root;
            for (int level = height; level > 1; level--)
            {
                ulong slot = (index >> (Bits * (level - 1))) & SlotMask;
                Node child = node.Children[slot];
                if (child == null)
                {
                    if (!create)
                        return null;
                    child = NewNode(level - 1);
                    node.Children[slot] = child;
                }
                node = child;
            }
            return node.Frames;
        }

        // One level more on top: the old tree becomes the new root's first child.
        private void GrowTaller()
        {
            Node top = NewNode(height + 1);
            if (root != null)
                top.Children[0] = root;
            root = top;
            height++;
        }

        // An empty node for `level` (1: a leaf of holes).
        private static Node NewNode(int level)
        {
            Node node = new Node();
            if (level > 1)
            {
                node.Children = new Node[Fanout];
                return node;
            }
            node.Frames = new ulong[Fanout];
            for (int i = 0; i < Fanout; i++)
                node.Frames[i] = FrameAllocator.NoFrame;
            return node;
        }
    }
}
