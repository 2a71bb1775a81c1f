namespace Cowbird.Mm
{
    // The balancing shared by Kernel.Mm's AVL trees (VmaTree, IntervalTree). A tree does
    // its own key-ordered descent and, on the way back up from an insert or a removal,
    // replaces each child pointer it passed with Avl.Rebalance(child). Invariant kept:
    // every node's Height = 1 + max(children's), the children's heights differ by at most
    // 1, and each node's augmented value (AvlNode.UpdateAugmented) is current.
    public static class Avl
    {
        public static int HeightOf<TNode>(TNode node) where TNode : AvlNode<TNode>
        {
            return node == null ? 0 : node.Height;
        }

        // Restores the balance at `node` (its subtrees balanced, their heights current)
        // with at most two rotations; returns the subtree's new root.
        public static TNode Rebalance<TNode>(TNode node) where TNode : AvlNode<TNode>
        {
            Update(node);
            int balance = HeightOf(node.Left) - HeightOf(node.Right);
            if (balance > 1)
            {
                if (HeightOf(node.Left.Left) < HeightOf(node.Left.Right))
                    node.Left = RotateLeft(node.Left);
                return RotateRight(node);
            }
            if (balance < -1)
            {
                if (HeightOf(node.Right.Right) < HeightOf(node.Right.Left))
                    node.Right = RotateRight(node.Right);
                return RotateLeft(node);
            }
            return node;
        }

        // The subtree rooted at `node` without `node` itself, rebalanced (the removal
        // step once a tree's descent has found the node): with two children, the in-order
        // successor (leftmost of the right subtree) takes its place.
        public static TNode RemoveRoot<TNode>(TNode node) where TNode : AvlNode<TNode>
        {
            if (node.Left == null)
                return node.Right;
            if (node.Right == null)
                return node.Left;
            TNode successor = node.Right;
            while (successor.Left != null)
                successor = successor.Left;
            successor.Right = RemoveLeftmost(node.Right);
            successor.Left = node.Left;
            return Rebalance(successor);
        }

        // The subtree `node` without its leftmost node, rebalanced.
        static TNode RemoveLeftmost<TNode>(TNode node) where TNode : AvlNode<TNode>
        {
            if (node.Left == null)
                return node.Right;
            node.Left = RemoveLeftmost(node.Left);
            return Rebalance(node);
        }

        // Height, then the augmented value, from the children.
        static void Update<TNode>(TNode node) where TNode : AvlNode<TNode>
        {
            int left = HeightOf(node.Left);
            int right = HeightOf(node.Right);
            node.Height = 1 + (left > right ? left : right);
            node.UpdateAugmented();
        }

        static TNode RotateLeft<TNode>(TNode node) where TNode : AvlNode<TNode>
        {
            TNode top = node.Right;
            node.Right = top.Left;
            top.Left = node;
            Update(node);
            Update(top);
            return top;
        }

        static TNode RotateRight<TNode>(TNode node) where TNode : AvlNode<TNode>
        {
            TNode top = node.Left;
            node.Left = top.Right;
            top.Right = node;
            Update(node);
            Update(top);
            return top;
        }
    }
}
