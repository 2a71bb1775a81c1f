namespace Cowbird.Mm.Rmap
{
    // The one table of RmapDesign names (kernel command line `rmap=NAME`, the runner's
    // --rmap, COWBIRD_RMAP in the host tests), their short forms, and the factory that
    // makes each design.
    public static class RmapDesigns
    {
        // Number of designs (RmapDesign values are 0 .. Count - 1).
        public const int Count = 5;

        // The command-line name of `design`.
        public static string Name(RmapDesign design)
        {
            switch (design)
            {
                case RmapDesign.AnonVmaChain: return "anon_vma_chain";
                case RmapDesign.PteChain: return "pte_chain";
                case RmapDesign.AnonVma2004: return "anon_vma_2004";
                case RmapDesign.ObjectTree: return "object_tree";
                default: return "scan";
            }
        }

        // The short form of `design`'s name, accepted wherever a name is: quicker to type.
        public static string ShortName(RmapDesign design)
        {
            switch (design)
            {
                case RmapDesign.AnonVmaChain: return "anonvma";
                case RmapDesign.PteChain: return "ptechain";
                case RmapDesign.AnonVma2004: return "anonvma2004";
                case RmapDesign.ObjectTree: return "objtree";
                default: return "scan";
            }
        }

        // A new, empty reverse map of kind `design` for `manager`.
        public static ReverseMap Create(RmapDesign design, MemoryManager manager)
        {
            switch (design)
            {
                case RmapDesign.PageTableScan: return new PageTableScanReverseMap(manager);
                case RmapDesign.PteChain: return new PteChainReverseMap(manager);
                case RmapDesign.AnonVma2004: return new AnonVma2004ReverseMap(manager);
                case RmapDesign.ObjectTree: return new ObjectTreeReverseMap(manager);
                default: return new AnonVmaReverseMap(manager);
            }
        }
    }
}
