namespace Cowbird.Mm
{
    // A node of an AVL tree, embedded in the object the tree indexes (a Vma in its
    // address space's VmaTree, an AnonVmaChain in an anon_vma's IntervalTree), the way
    // Linux embeds an rb_node. It holds the links and the height; Avl does the balancing
    // every such tree shares. Only the owning tree and Avl write these fields.
    public abstract class AvlNode<TNode> where TNode : AvlNode<TNode>
    {
        public TNode Left { get; internal set; }
        public TNode Right { get; internal set; }
        // 1 + the larger child's Height (a leaf has 1); 0 while the node is in no tree.
        public int Height { get; internal set; }

        // Recomputes a per-subtree value from the children (called by Avl after Height is
        // current, bottom-up); a plain tree has none.
        internal virtual void UpdateAugmented()
        {
        }
    }
}
