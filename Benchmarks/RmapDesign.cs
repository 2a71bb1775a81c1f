namespace Cowbird.Benchmarks
{
    // The reverse-mapping designs a benchmark machine can run.
    public enum RmapDesign
    {
        AnonVma,        // Linux since 2.6.34: anon_vma + anon_vma_chain interval trees
        PageTableScan,  // Linux 2.4: no reverse map, scan every space's page tables
    }
}
