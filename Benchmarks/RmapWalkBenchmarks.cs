using BenchmarkDotNet.Attributes;
using Cowbird.Mm.Paging;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Vm;

namespace Cowbird.Benchmarks
{
    // rmap walk after K forks, for the anon_vma design and the page-table scan. A parent
    // with a 64-page region forks K children; each child then writes page 1, getting its
    // own copy. Two walks:
    //   SharedPage   the parent's page 0, mapped by all K + 1 processes;
    //   PrivatePage  the last child's copy of page 1, mapped once.
    // RmapWalkScenario.Lengths measures the same walks in page-table words read.
    public class RmapWalkBenchmarks
    {
        RmapWalkScenario scenario;
        readonly CountingVisitor visitor = new CountingVisitor();

        [Params(1, 8, 64)]
        public int Forks;

        [ParamsAllValues]
        public RmapDesign Design;

        [GlobalSetup]
        public void Setup() { scenario = new RmapWalkScenario(Design, Forks); }

        [GlobalCleanup]
        public void Cleanup() { scenario.Dispose(); }

        [Benchmark]
        public int SharedPage() { return scenario.Walk(scenario.SharedFrame, visitor); }

        [Benchmark]
        public int PrivatePage() { return scenario.Walk(scenario.PrivateFrame, visitor); }
    }

    // The machine state of RmapWalkBenchmarks, also used for the walk-length table.
    public sealed class RmapWalkScenario : System.IDisposable
    {
        const ulong Base = 0x4000_0000;
        const int Pages = 64;
        public readonly BenchMachine Machine;
        public readonly ulong SharedFrame;
        public readonly ulong PrivateFrame;

        public RmapWalkScenario(RmapDesign design, int forks)
        {
            Machine = new BenchMachine(Pages + forks * 16 + 256, design);
            AddressSpace parent = Machine.NewSpace();
            Machine.MapFixed(parent, Base, Pages);
            Machine.Touch(parent, Base, Pages, 1);
            AddressSpace child = null;
            for (int k = 0; k < forks; k++)
            {
                child = Machine.Fork(parent);
                Machine.Touch(child, Base + Cowbird.Mm.Page.Size, 1, 2);
            }
            SharedFrame = parent.PageTable.Lookup(Base).Frame;
            PrivateFrame = child.PageTable.Lookup(Base + Cowbird.Mm.Page.Size).Frame;
        }

        // Walks `pfn`; returns the number of mappings found.
        public int Walk(ulong pfn, CountingVisitor visitor)
        {
            visitor.Found = 0;
            Machine.Manager.Rmap.Walk(pfn, visitor);
            return visitor.Found;
        }

        // Mappings found and page-table words read by one walk of `pfn`.
        public (int Found, long WordsRead) Length(ulong pfn)
        {
            long before = Machine.Counted.Accesses;
            int found = Walk(pfn, new CountingVisitor());
            return (found, Machine.Counted.Accesses - before);
        }

        public void Dispose() { Machine.Dispose(); }
    }

    // Counts the mappings a walk visits and changes nothing.
    public sealed class CountingVisitor : RmapVisitor
    {
        public int Found;

        public override bool Visit(Vma vma, ulong address, ulong pteAddress, Pte pte)
        {
            Found++;
            return true;
        }
    }
}
