using BenchmarkDotNet.Attributes;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Benchmarks
{
    // The cost of splitting a 64-page VMA with touched pages in the middle and merging
    // it back (VMA tree insert/remove, anon_vma chain clone and re-keying, PTE edits):
    //   MunmapSplit    munmap of page 32 (one VMA becomes two, its frame freed), then
    //                  mmap MAP_FIXED of it again (merges back into one VMA);
    //   MprotectSplit  mprotect page 32 read-only (one VMA becomes three), then back to
    //                  read-write (the three merge into one again);
    //   MmapAnywhere   mmap of one page with no address hint (the top-down free-range
    //                  search) and munmap of it again.
    // Each runs with 1k, 10k and 60k other VMAs in the space (every other page of a
    // region right below the top of the mmap area read-only): the costs must grow like
    // log n, not n.
    public class VmaSplitBenchmarks
    {
        [Params(1000, 10000, 60000)]
        public int OtherVmas;

        const int Pages = 64;
        const ulong Base = 0x4000_0000;
        const ulong Middle = Base + 32 * Page.Size;
        BenchMachine machine;
        AddressSpace space;

        [GlobalSetup]
        public void Setup()
        {
            machine = new BenchMachine(1024);
            space = machine.NewSpace();
            machine.MapFixed(space, Base, Pages);
            machine.Touch(space, Base, Pages, 1);
            // Right below MmapTop with no hole, so a search from the top must get past them.
            ulong Crowd = AddressSpace.MmapTop - (ulong)OtherVmas * Page.Size;
            machine.MapFixed(space, Crowd, OtherVmas);
            for (int i = 1; i < OtherVmas; i += 2)
                space.Mprotect(Crowd + (ulong)i * Page.Size, Page.Size, Protection.Read);
        }

        [GlobalCleanup]
        public void Cleanup() { machine.Dispose(); }

        [Benchmark]
        public void MunmapSplit()
        {
            space.Munmap(Middle, Page.Size);
            machine.MapFixed(space, Middle, 1);
        }

        [Benchmark]
        public void MmapAnywhere()
        {
            long address = space.Mmap(0, Page.Size, Protection.Read, MapFlags.Private | MapFlags.Anonymous);
            space.Munmap((ulong)address, Page.Size);
        }

        [Benchmark]
        public void MprotectSplit()
        {
            space.Mprotect(Middle, Page.Size, Protection.Read);
            space.Mprotect(Middle, Page.Size, Protection.Read | Protection.Write);
        }
    }
}
