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
    //                  read-write (the three merge into one again).
    public class VmaSplitBenchmarks
    {
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
        public void MprotectSplit()
        {
            space.Mprotect(Middle, Page.Size, Protection.Read);
            space.Mprotect(Middle, Page.Size, Protection.Read | Protection.Write);
        }
    }
}
