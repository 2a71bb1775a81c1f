namespace Cowbird.Mm.Rmap
{
    // Creates and releases AnonVma and AnonVmaChain objects (Linux: anon_vma_alloc /
    // anon_vma_free, anon_vma_chain_alloc / anon_vma_chain_free). The objects are plain
    // `new`: once released and unreachable the collector frees them. The release calls
    // remain the points where the rmap says "this object is dead": they check it really
    // is unused and keep exact live counts, so tests can prove exit leaks none.
    public sealed class AnonVmaAllocator
    {
        int liveAnonVmas;
        int liveChains;

        public int LiveAnonVmas { get { return liveAnonVmas; } }
        public int LiveChains { get { return liveChains; } }

        // A fresh root anon_vma: its own root and parent, no children, no VMAs, RefCount 1.
        public AnonVma AllocAnonVma()
        {
            AnonVma anonVma = new AnonVma();
            anonVma.Root = anonVma;
            anonVma.Parent = anonVma;
            anonVma.RefCount = 1;
            liveAnonVmas++;
            return anonVma;
        }

        // Releases an anon_vma nobody holds. Panics if it is still in use or released twice.
        public void FreeAnonVma(AnonVma anonVma)
        {
            if (anonVma.IsFree)
                Mm.Panic("AnonVmaAllocator.FreeAnonVma: anon_vma freed twice");
            if (anonVma.RefCount != 0 || !anonVma.Chains.IsEmpty || anonVma.NumActiveVmas != 0)
                Mm.Panic("AnonVmaAllocator.FreeAnonVma: anon_vma still in use");
            anonVma.IsFree = true;
            anonVma.Root = null;
            anonVma.Parent = null;
            liveAnonVmas--;
        }

        // An unlinked chain.
        public AnonVmaChain AllocChain()
        {
            liveChains++;
            return new AnonVmaChain();
        }

        // Releases a chain that left both its VMA's list and its anon_vma's tree.
        public void FreeChain(AnonVmaChain chain)
        {
            if (chain.Tree != null)
                Mm.Panic("AnonVmaAllocator.FreeChain: chain still in an interval tree");
            if (chain.Vma == null)
                Mm.Panic("AnonVmaAllocator.FreeChain: chain freed twice");
            chain.Vma = null;
            chain.AnonVma = null;
            chain.SameVmaNext = null;
            chain.SameVmaPrev = null;
            liveChains--;
        }
    }
}
