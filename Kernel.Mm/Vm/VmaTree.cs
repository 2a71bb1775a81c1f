namespace Cowbird.Mm.Vm
{
    // The VMAs of one address space, in an AVL tree keyed by Start (O(log n) lookup by
    // address) and in a doubly-linked list in address order (O(1) prev/next), like
    // Linux's mm_rb + vm_next/vm_prev before the maple tree.
    //
    // Invariants (checked by the host invariant checker):
    //   - VMAs are non-overlapping and the in-order tree walk equals the list order.
    //   - Every node's Height = 1 + max(children's), and children differ by at most 1.
    // Moving a VMA's Start or End in place is allowed only while it stays clear of its
    // neighbours: the order of disjoint ranges, and so the tree, is unchanged.
    public sealed class VmaTree
    {
        Vma root;
        Vma first;
        Vma last;
        int count;

        public Vma Root { get { return root; } }
        public Vma First { get { return first; } }
        public Vma Last { get { return last; } }
        public int Count { get { return count; } }

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
        }

        // Removes `vma` (which must be in this tree).
        public void Remove(Vma vma)
        {
            root = RemoveAt(root, vma);
            if (vma.Prev != null) vma.Prev.Next = vma.Next; else first = vma.Next;
            if (vma.Next != null) vma.Next.Prev = vma.Prev; else last = vma.Prev;
            vma.Prev = null;
            vma.Next = null;
            vma.Left = null;
            vma.Right = null;
            vma.Height = 0;
            count--;
        }

        static Vma InsertAt(Vma node, Vma vma)
        {
            if (node == null)
            {
                vma.Left = null;
                vma.Right = null;
                vma.Height = 1;
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
