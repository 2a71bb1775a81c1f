namespace Cowbird.Mm.Rmap
{
    // An augmented AVL tree of closed intervals [Start, Last] (Linux: the interval tree
    // of include/linux/interval_tree_generic.h, there on a red-black tree). Ordered by
    // (Start, Serial); every node also records SubtreeLast, the largest Last below it,
    // so an overlap query descends only into subtrees that can hold an overlap:
    // O(log n + k) for k results.
    //
    // Invariants: in-order walk sorted by (Start, Serial); |height(left) - height(right)| <= 1;
    // SubtreeLast = max(Last, children's SubtreeLast); Count = number of nodes; a node is in
    // at most one tree (node.Tree). Queries and updates allocate nothing.
    public sealed class IntervalTree
    {
        IntervalTreeNode root;
        int count;
        ulong nextSerial;

        public IntervalTreeNode Root { get { return root; } }
        public int Count { get { return count; } }
        public bool IsEmpty { get { return root == null; } }

        // Adds `node` with interval [start, last]. Panics if it is already in a tree or
        // the interval is reversed.
        public void Insert(IntervalTreeNode node, ulong start, ulong last)
        {
            if (node.Tree != null)
                Mm.Panic("IntervalTree.Insert: node already in a tree");
            if (last < start)
                Mm.Panic("IntervalTree.Insert: interval ends before it starts");
            node.Start = start;
            node.Last = last;
            node.Serial = nextSerial++;
            node.Left = null;
            node.Right = null;
            node.Height = 1;
            node.SubtreeLast = last;
            node.Tree = this;
            root = InsertBelow(root, node);
            count++;
        }

        // Removes `node`, which must be in this tree.
        public void Remove(IntervalTreeNode node)
        {
            if (node.Tree != this)
                Mm.Panic("IntervalTree.Remove: node is not in this tree");
            root = RemoveBelow(root, node);
            node.Tree = null;
            node.Left = null;
            node.Right = null;
            node.Height = 0;
            count--;
        }

        // Calls `visitor` for every node whose interval overlaps [start, last], in
        // (Start, Serial) order. Returns false when the visitor stopped the query.
        public bool VisitOverlapping(ulong start, ulong last, IntervalVisitor visitor)
        {
            return VisitBelow(root, start, last, visitor);
        }

        static bool VisitBelow(IntervalTreeNode node, ulong start, ulong last, IntervalVisitor visitor)
        {
            // Nothing below ends at or after `start`: no overlap in this subtree.
            if (node == null || node.SubtreeLast < start)
                return true;
            if (!VisitBelow(node.Left, start, last, visitor))
                return false;
            // Everything to the right starts after node.Start; if that is past `last`, stop.
            if (node.Start > last)
                return true;
            if (node.Last >= start && !visitor.Visit(node))
                return false;
            return VisitBelow(node.Right, start, last, visitor);
        }

        // True when `a` sorts before `b`.
        static bool Less(IntervalTreeNode a, IntervalTreeNode b)
        {
            return a.Start < b.Start || (a.Start == b.Start && a.Serial < b.Serial);
        }

        static IntervalTreeNode InsertBelow(IntervalTreeNode node, IntervalTreeNode added)
        {
            if (node == null)
                return added;
            if (Less(added, node))
                node.Left = InsertBelow(node.Left, added);
            else
                node.Right = InsertBelow(node.Right, added);
            return Avl.Rebalance(node);
        }

        static IntervalTreeNode RemoveBelow(IntervalTreeNode node, IntervalTreeNode removed)
        {
            if (node == null)
                Mm.Panic("IntervalTree.Remove: node not found under its key");
            if (node == removed)
                return Avl.RemoveRoot(node);
            if (Less(removed, node))
                node.Left = RemoveBelow(node.Left, removed);
            else
                node.Right = RemoveBelow(node.Right, removed);
            return Avl.Rebalance(node);
        }
    }
}
