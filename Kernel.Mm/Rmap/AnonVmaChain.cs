using Cowbird.Mm.Vm;

namespace Cowbird.Mm.Rmap
{
    // One link between one VMA and one anon_vma (Linux: struct anon_vma_chain). A VMA
    // has a chain to its own anon_vma and to every ancestor's; each chain sits in two
    // structures at once:
    //   - the VMA's list (SameVmaNext/Prev, head Vma.AnonVmaChainHead), newest first, so
    //     the root's chain is last;
    //   - the anon_vma's interval tree (this object is the node), keyed by the VMA's
    //     page-offset range [PgOff, PgOff + pages - 1].
    public sealed class AnonVmaChain : IntervalTreeNode
    {
        public Vma Vma;
        public AnonVma AnonVma;
        // The VMA's list of chains (Linux: same_vma).
        public AnonVmaChain SameVmaNext;
        public AnonVmaChain SameVmaPrev;
    }
}
