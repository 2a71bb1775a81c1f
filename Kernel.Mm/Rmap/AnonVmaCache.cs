namespace Cowbird.Mm.Rmap
{
    // Recycles AnonVma and AnonVmaChain objects (Linux: anon_vma_cachep and
    // anon_vma_chain_cachep). The kernel's heap never frees, so every anon_vma and chain
    // dropped comes back here; LiveAnonVmas / LiveChains let tests prove exit leaks none.
    public sealed class AnonVmaCache
    {
        AnonVma freeAnonVmas;
        AnonVmaChain freeChains;
        int liveAnonVmas;
        int liveChains;

        public int LiveAnonVmas { get { return liveAnonVmas; } }
        public int LiveChains { get { return liveChains; } }

        // A fresh root anon_vma: its own root and parent, no children, no VMAs, RefCount 1
        // (Linux: anon_vma_alloc).
        public AnonVma AllocAnonVma()
        {
            AnonVma anonVma = freeAnonVmas;
            if (anonVma != null)
                freeAnonVmas = anonVma.NextFree;
            else
                anonVma = new AnonVma();
            anonVma.NextFree = null;
            anonVma.IsFree = false;
            anonVma.Root = anonVma;
            anonVma.Parent = anonVma;
            anonVma.RefCount = 1;
            anonVma.NumChildren = 0;
            anonVma.NumActiveVmas = 0;
            liveAnonVmas++;
            return anonVma;
        }

        // Takes back an anon_vma nobody holds. Panics if it is still in use.
        public void FreeAnonVma(AnonVma anonVma)
        {
            if (anonVma.IsFree)
                Mm.Panic("AnonVmaCache.FreeAnonVma: anon_vma freed twice");
            if (anonVma.RefCount != 0 || !anonVma.Chains.IsEmpty || anonVma.NumActiveVmas != 0)
                Mm.Panic("AnonVmaCache.FreeAnonVma: anon_vma still in use");
            anonVma.IsFree = true;
            anonVma.Root = null;
            anonVma.Parent = null;
            anonVma.NextFree = freeAnonVmas;
            freeAnonVmas = anonVma;
            liveAnonVmas--;
        }

        // An unlinked chain.
        public AnonVmaChain AllocChain()
        {
            AnonVmaChain chain = freeChains;
            if (chain != null)
                freeChains = chain.SameVmaNext;
            else
                chain = new AnonVmaChain();
            chain.SameVmaNext = null;
            chain.SameVmaPrev = null;
            liveChains++;
            return chain;
        }

        // Takes back a chain that left both its VMA's list and its anon_vma's tree.
        public void FreeChain(AnonVmaChain chain)
        {
            if (chain.Tree != null)
                Mm.Panic("AnonVmaCache.FreeChain: chain still in an interval tree");
            chain.Vma = null;
            chain.AnonVma = null;
            chain.SameVmaPrev = null;
            chain.SameVmaNext = freeChains;
            freeChains = chain;
            liveChains--;
        }
    }
}
