namespace Cowbird.Mm.Rmap
{
    // The reverse-mapping designs of the Linux rmap debate that Cowbird can run. The
    // default is AnonVmaChain (Linux today); RmapDesigns.Create makes any of them, and
    // MemoryManager.SetReverseMap installs it before the first VMA exists.
    public enum RmapDesign
    {
        AnonVmaChain,   // anon_vma + anon_vma_chain (Rik van Riel 2010), Linux since 2.6.34
        PageTableScan,  // no reverse map, scan every page table (Linux 2.4)
        PteChain,       // per-frame chains of PTEs (Linus Torvalds 1998, the 2.5 rmap)
        AnonVma2004,    // one anon_vma per fork family, a flat list (Andrea Arcangeli 2004)
        ObjectTree,     // a tree of anonymous objects by copy-on-write (Jamie Lokier 2000)
    }
}
