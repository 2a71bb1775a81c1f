namespace Cowbird.Mm.Vm
{
    // The VMAs of one address space, in an AVL tree keyed by Start (O(log n) lookup by
    // address) and in a doubly-linked list in address order (O(1) prev/next), like
    // Linux's mm_rb + vm_next/vm_prev before the maple tree.
    //
    // Each node also records SubtreeGap, the largest free gap below any VMA of its
    // subtree (Linux: rb_subtree_gap), so FindHighestGap is O(log n) instead of a walk
    // of the list. A VMA's gap depends on its predecessor's End, so every change of a
    // Start, an End or the list refreshes the gaps on the affected paths (RangeChanged).
    //
    // Invariants (checked by the host invariant checker):
    //   - VMAs are non-overlapping and the in-order tree walk equals the list order.
    //   - Every node's Height = 1 + max(children's), and children differ by at most 1.
    //   - Every node's SubtreeGap = max(its Gap, its children's SubtreeGap).
    // Moving a VMA's Start or End in place is allowed only while it stays clear of its
    // neighbours: the order of disjoint ranges, and so the tree, is unchanged.
    public sealed class VmaTree
    {
        Vma root;
        Vma first;
        Vma last;
        int count;
        ulong totalPages;

        public Vma Root { get { return root; } }
        public Vma First { get { return first; } }
        public Vma Last { get { return last; } }
        public int Count { get { return count; } }
        // Pages covered by the VMAs in the tree (Linux: mm->total_vm).
        public ulong TotalPages { get { return totalPages; } }

        // The VMA containing `address`, or null.
        public Vma FindContaining(ulong address)
        {
            Vma vma = FindFirstEndingAfter(address);
            return vma != null && vma.Start <= address ? vma : null;
        }

        // The lowest VMA with End > address, or null (Linux: find_vma). It contains
        // `address` or is the first VMA above it.
        public Vma FindFirstEndingAfter(ulong address)
        {
            Vma node = root;
            Vma best = null;
            while (node != null)
            {
                if (node.End > address)
                {
                    best = node;
                    if (node.Start <= address)
                        return node;
                    node = node.Left;
                }
                else
                {
                    node = node.Right;
                }
            }
            return best;
        }

        // True when no VMA overlaps [start, end).
        public bool IsFree(ulong start, ulong end)
        {
            Vma vma = FindFirstEndingAfter(start);
            return vma == null || vma.Start >= end;
        }

        // Adds `vma`; panics when it overlaps an existing VMA.
        public void Insert(Vma vma)
        {
            if (vma.Start >= vma.End || !IsFree(vma.Start, vma.End))
                Mm.Panic("VmaTree.Insert: empty or overlapping VMA");
            Vma next = FindFirstEndingAfter(vma.Start);
            Vma prev = next != null ? next.Prev : last;
            vma.Prev = prev;
            vma.Next = next;
            if (prev != null) prev.Next = vma; else first = vma;
            if (next != null) next.Prev = vma; else last = vma;
            root = InsertAt(root, vma);
            count++;
            totalPages += vma.Length >> Page.Shift;
            if (next != null)
                RefreshPath(root, next);
        }

        // Removes `vma` (which must be in this tree).
        public void Remove(Vma vma)
        {
            root = RemoveAt(root, vma);
            Vma next = vma.Next;
            if (vma.Prev != null) vma.Prev.Next = vma.Next; else first = vma.Next;
            if (vma.Next != null) vma.Next.Prev = vma.Prev; else last = vma.Prev;
            if (next != null)
                RefreshPath(root, next);
            vma.Prev = null;
            vma.Next = null;
            vma.Left = null;
            vma.Right = null;
            vma.Height = 0;
            count--;
            totalPages -= vma.Length >> Page.Shift;
        }

        // After `vma`'s Start or End changed in place (AddressSpace.AdjustVma) from a range
        // `oldLength` bytes long: its own gap and its successor's may have changed, and the
        // total size. Nothing to do for a VMA in no tree (Insert counts it when it returns).
        public void RangeChanged(Vma vma, ulong oldLength)
        {
            if (vma.Height == 0)
                return;
            totalPages = totalPages - (oldLength >> Page.Shift) + (vma.Length >> Page.Shift);
            RefreshPath(root, vma);
            if (vma.Next != null)
                RefreshPath(root, vma.Next);
        }

        // The highest address a >= MmapMin with [a, a + length) free and a + length <= top,
        // or 0 (Linux: unmapped_area_topdown). Descends only into subtrees whose
        // SubtreeGap could hold `length`: O(log n).
        public ulong FindHighestGap(ulong length, ulong top)
        {
            ulong aboveLast = last != null ? last.End : AddressSpace.MmapMin;
            if (aboveLast < top && top - aboveLast >= length)
                return top - length;
            return HighestGapBelow(root, length, top);
        }

        static ulong HighestGapBelow(Vma node, ulong length, ulong top)
        {
            if (node == null || node.SubtreeGap < length)
                return 0;
            ulong found = HighestGapBelow(node.Right, length, top);
            if (found != 0)
                return found;
            ulong low = node.Prev != null ? node.Prev.End : AddressSpace.MmapMin;
            ulong high = node.Start < top ? node.Start : top;
            if (high > low && high - low >= length)
                return high - length;
            return HighestGapBelow(node.Left, length, top);
        }

        // Recomputes SubtreeGap on the path from `node` down to `vma` (found by Start),
        // bottom-up.
        static void RefreshPath(Vma node, Vma vma)
        {
            if (node == null)
            {
                Mm.Panic("VmaTree.RefreshPath: VMA not in tree");
                return;
            }
            if (vma.Start < node.Start)
                RefreshPath(node.Left, vma);
            else if (vma.Start > node.Start)
                RefreshPath(node.Right, vma);
            node.UpdateAugmented();
        }

        static Vma InsertAt(Vma node, Vma vma)
        {
            if (node == null)
            {
                vma.Left = null;
                vma.Right = null;
                vma.Height = 1;
                vma.UpdateAugmented();
                return vma;
            }
            if (vma.Start < node.Start)
                node.Left = InsertAt(node.Left, vma);
            else
                node.Right = InsertAt(node.Right, vma);
            return Avl.Rebalance(node);
        }

        static Vma RemoveAt(Vma node, Vma vma)
        {
            if (node == null)
            {
                Mm.Panic("VmaTree.Remove: VMA not in tree");
                return null;
            }
            if (vma.Start < node.Start)
                node.Left = RemoveAt(node.Left, vma);
            else if (vma.Start > node.Start)
                node.Right = RemoveAt(node.Right, vma);
            else
            {
                if (node != vma)
                    Mm.Panic("VmaTree.Remove: another VMA has the same start");
                return Avl.RemoveRoot(node);
            }
            return Avl.Rebalance(node);
        }
    }
}
