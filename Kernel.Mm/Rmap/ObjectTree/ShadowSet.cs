namespace Cowbird.Mm.Rmap
{
    // The set of page indexes an AnonObject shadows (Rmap/ObjectTree/): an AVL tree of
    // heap nodes keyed by index, balanced by Avl like the VMA tree. Indexes are only ever
    // added (Add) one by one; the whole set goes at once (Clear) when its object dies or
    // becomes a root.
    public sealed class ShadowSet
    {
        Node root;

        // Number of indexes in the set (each is one node: rmap metadata).
        public int Count { get; private set; }

        // True when `index` is in the set. O(log n).
        public bool Contains(ulong index)
        {
            Node node = root;
            while (node != null)
            {
                if (index == node.Index)
                    return true;
                node = index < node.Index ? node.Left : node.Right;
            }
            return false;
        }

        // Adds `index`; true when it was not in the set yet. O(log n).
        public bool Add(ulong index)
        {
            int before = Count;
            root = Insert(root, index);
            return Count != before;
        }

        // Empties the set (its nodes go to the collector).
        public void Clear()
        {
            root = null;
            Count = 0;
        }

        // The subtree `node` with `index` in it, rebalanced on the way back up.
        Node Insert(Node node, ulong index)
        {
            if (node == null)
            {
                Count++;
                Node created = new Node();
                created.Index = index;
                return Avl.Rebalance(created);
            }
            if (index == node.Index)
                return node;
            if (index < node.Index)
                node.Left = Insert(node.Left, index);
            else
                node.Right = Insert(node.Right, index);
            return Avl.Rebalance(node);
        }

        sealed class Node : AvlNode<Node>
        {
            public ulong Index;
        }
    }
}
