namespace Cowbird.Mm.Rmap
{
    // A node of an IntervalTree, embedded in the object it indexes (Linux embeds the
    // rb_node in struct anon_vma_chain the same way). The interval is [Start, Last],
    // both inclusive. Only IntervalTree writes the links and the augmented fields.
    public abstract class IntervalTreeNode : AvlNode<IntervalTreeNode>
    {
        // The key, set by IntervalTree.Insert; do not change it while the node is in a tree.
        public ulong Start { get; internal set; }
        public ulong Last { get; internal set; }
        // Largest Last in the subtree rooted here: what lets a query skip whole subtrees.
        public ulong SubtreeLast { get; internal set; }
        // Tie-breaker among equal Starts, so every node has a unique key (Start, Serial).
        public ulong Serial { get; internal set; }
        // The tree holding this node, or null.
        public IntervalTree Tree { get; internal set; }

        // SubtreeLast = max(Last, children's SubtreeLast), kept current through rotations.
        internal override void UpdateAugmented()
        {
            ulong subtreeLast = Last;
            if (Left != null && Left.SubtreeLast > subtreeLast)
                subtreeLast = Left.SubtreeLast;
            if (Right != null && Right.SubtreeLast > subtreeLast)
                subtreeLast = Right.SubtreeLast;
            SubtreeLast = subtreeLast;
        }
    }
}
