namespace Cowbird.Mm.Rmap
{
    // The object an anonymous page points to (Linux: struct anon_vma): the set of VMAs
    // that may map pages created under it, as an interval tree of AnonVmaChains keyed by
    // each VMA's page-offset range. All VMAs in one tree are related by fork or split.
    // See AnonVmaReverseMap for the rules that keep the counters exact.
    public sealed class AnonVma
    {
        // The anon_vma at the top of this fork family; a root is its own root. The root
        // outlives every anon_vma below it (each holds a reference on it).
        public AnonVma Root;
        // The anon_vma of the VMA this one's VMA was forked from; a root is its own parent.
        public AnonVma Parent;
        // Holders: 1 while the tree is non-empty, +1 per live non-root anon_vma whose Root
        // is this one. Freed at 0 (Linux: anon_vma->refcount).
        public int RefCount;
        // Live anon_vmas whose Parent is this one, counting a root's link to itself
        // (Linux: num_children). Reuse by anon_vma_clone needs NumChildren < 2.
        public int NumChildren;
        // VMAs whose own anon_vma (Vma.AnonVma) is this one (Linux: num_active_vmas).
        // Kept apart from NumChildren: conflating them let a reused anon_vma be freed under
        // live pages (CVE-2022-42703).
        public int NumActiveVmas;
        // Every AnonVmaChain linking a VMA to this anon_vma, keyed [PgOff, PgOff + pages - 1].
        public readonly IntervalTree Chains = new IntervalTree();
        // True once released (AnonVmaAllocator.FreeAnonVma): a page whose Mapping still
        // points here is stale (only possible when the page is no longer mapped).
        public bool IsFree;

        public bool IsRoot { get { return Root == this; } }
    }
}
