using Cowbird.Mm.Vm;

namespace Cowbird.Mm.Rmap
{
    // One PTE on a frame's chain (Linux 2.5: one slot of a struct pte_chain): the address
    // space and the virtual address whose PTE holds the frame. The VMA is looked up at walk
    // time, so splits, merges and mprotect never touch the chains.
    public sealed class PteChainEntry
    {
        public AddressSpace Space;
        public ulong Address;
        public PteChainEntry Next;
    }
}
