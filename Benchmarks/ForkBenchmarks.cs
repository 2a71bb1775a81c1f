using BenchmarkDotNet.Attributes;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Vm;

namespace Cowbird.Benchmarks
{
    // fork of an address space with N touched private pages, then exit of the child:
    // copies N PTEs write-protected on both sides, the design's fork hooks (anon_vma_fork,
    // a PTE-chain entry per PTE, ...), and tears it all down; under every RmapDesign.
    [MemoryDiagnoser]
    public class ForkBenchmarks
    {
        const ulong Base = 0x4000_0000;
        BenchMachine machine;
        AddressSpace parent;

        [Params(16, 256, 4096)]
        public int TouchedPages;

        [ParamsAllValues]
        public RmapDesign Design;

        [GlobalSetup]
        public void Setup()
        {
            machine = new BenchMachine(TouchedPages + 1024, Design);
            parent = machine.NewSpace();
            machine.MapFixed(parent, Base, TouchedPages);
            machine.Touch(parent, Base, TouchedPages, 1);
        }

        [GlobalCleanup]
        public void Cleanup() { machine.Dispose(); }

        [Benchmark]
        public void ForkAndExit()
        {
            machine.Fork(parent).Destroy();
        }
    }
}
