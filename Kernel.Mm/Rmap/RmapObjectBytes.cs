namespace Cowbird.Mm.Rmap
{
    // The size in bytes of each kind of reverse-map object, as the compiler lays it out: an
    // 8-byte header word, the 8-byte type pointer, then the fields (references and ulongs 8
    // bytes, ints 4, bools 1), padded to 8; an object that owns another (an anon_vma its
    // interval tree, an anonymous object its shadow set) includes it. ReverseMap.MetadataBytes
    // weighs the live objects with these figures. The kernel heap rounds every object up to a
    // multiple of 16 (its size classes), so it holds up to 15 bytes more per object.
    // Tests.Host measures each figure against what .NET allocates for the object: a field
    // added to one of these classes fails that test until the figure here follows.
    //
    // Linux's yardstick is struct page: 64 bytes for every frame of RAM, whether mapped or not
    // (Cowbird's PageFrame is 56, PageFrameBytes).
    public static class RmapObjectBytes
    {
        // struct page of Linux x86-64, the figure every design's cost is compared with.
        public const int LinuxStructPage = 64;

        // Cowbird's frame descriptor (PageFrame): RefCount 4, MapCount 4, Flags 4, Order 1,
        // padding 3, Mapping 8, Index 8, Next 8, Prev 8, SwapEntry 8.
        public const int PageFrameBytes = 56;

        // anon_vma (Root, Parent, Chains 8 each, three ints, IsFree: 56) with its interval
        // tree (root, count, next serial: 40). Linux's struct anon_vma is 88 bytes.
        public const int AnonVma = 96;

        // anon_vma_chain: the interval-tree node (Left, Right, Height; Start, Last,
        // SubtreeLast, Serial, Tree) and Vma, AnonVma, SameVmaNext, SameVmaPrev. Linux's
        // struct anon_vma_chain is 64 bytes: an rb_node where Cowbird keeps an AVL node.
        public const int AnonVmaChain = 112;

        // One PTE of a chain: Space, Address, Next. Linux 2.5 packed 7 PTE pointers and a
        // next pointer in a 64-byte struct pte_chain.
        public const int PteChainEntry = 40;

        // The 2004 anon_vma: First and Count (the list's links live in each Vma).
        public const int AnonVmaFamily = 32;

        // An anonymous object of the tree (Parent, FirstChild, siblings, FirstVma, Shadowed,
        // MergedInto, counts, Live: 96) with its shadow set (32).
        public const int AnonObject = 128;

        // One index an object shadows (an AVL node: Left, Right, Height, Index).
        public const int ShadowIndex = 48;
    }
}
