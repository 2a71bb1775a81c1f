using BenchmarkDotNet.Attributes;
using Cowbird.Mm;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Vm;

namespace Cowbird.Benchmarks
{
    // Reclaim throughput: one process writes, in a loop, to a working set four times the
    // RAM, with a RAM disk as swap device. Every write finds its page swapped out: a
    // swap-in fault (read, with read-ahead of the slot's 8-slot window), and, RAM being
    // full, reclaim swapping another dirty page out (LRU scan, rmap unmap, write) to make
    // room. One operation = one page written; the cleanup prints how many pages went out
    // and came in per operation, so pages swapped per second = (out + in) / mean time.
    // Under every RmapDesign: reclaim unmaps each page through the design's walk.
    [MemoryDiagnoser]
    public class ReclaimBenchmarks
    {
        const ulong Base = 0x4000_0000;
        const int Frames = 256;
        const int WorkingSet = 4 * Frames;
        BenchMachine machine;
        AddressSpace space;
        ulong operations;
        ulong outBefore;
        ulong inBefore;
        byte value;

        [ParamsAllValues]
        public RmapDesign Design;

        [GlobalSetup]
        public void Setup()
        {
            machine = new BenchMachine(Frames, Design, swapPages: 4 * WorkingSet);
            space = machine.NewSpace();
            machine.MapFixed(space, Base, WorkingSet);
            machine.Touch(space, Base, WorkingSet, 1);
            outBefore = machine.Manager.Stat.PswpOut;
            inBefore = machine.Manager.Stat.PswpIn;
        }

        [GlobalCleanup]
        public void Cleanup()
        {
            ulong pagesOut = machine.Manager.Stat.PswpOut - outBefore;
            ulong pagesIn = machine.Manager.Stat.PswpIn - inBefore;
            if (operations > 0)
                System.Console.WriteLine($"// ReclaimBenchmarks: per page written {(double)pagesOut / operations:F2} pages out, "
                                         + $"{(double)pagesIn / operations:F2} pages in ({operations} pages written)");
            machine.Dispose();
        }

        // One pass over the working set in address order (the pages written longest ago
        // are the ones on swap).
        [Benchmark(OperationsPerInvoke = WorkingSet)]
        public void WriteSwappedOutPages()
        {
            value++;
            machine.Touch(space, Base, WorkingSet, value);
            operations += WorkingSet;
        }
    }
}
