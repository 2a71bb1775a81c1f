using BenchmarkDotNet.Attributes;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Benchmarks
{
    // Page-fault paths, per page (each benchmark touches Pages pages per invocation):
    //   DemandZeroFault   write to a never-touched page (+ its share of one MADV_DONTNEED
    //                     zapping the region afterwards, which makes the pages fresh again);
    //   CowFault          a child's write to a page shared with its parent (+ its share of
    //                     the fork and exit that set the sharing up; ForkAndExitOnly is
    //                     that share alone, so COW fault = CowFault - ForkAndExitOnly);
    //   MappedWrite       a write to a present, writable page: the SoftMmu's own cost;
    //   ZeroPageRead      read of a never-touched page, which maps the shared zero page
    //                     (+ its share of the MADV_DONTNEED that drops the mappings again);
    //   FirstReadAllocating  the same read with the zero page turned off (mm.zero_page=0):
    //                     it allocates and zeroes a frame, as a first write does.
    [MemoryDiagnoser]
    public class FaultBenchmarks
    {
        const int Pages = 256;
        const ulong Base = 0x4000_0000;
        BenchMachine machine;
        AddressSpace parent;
        AddressSpace fresh;

        [GlobalSetup]
        public void Setup()
        {
            machine = new BenchMachine(4096);
            parent = machine.NewSpace();
            machine.MapFixed(parent, Base, Pages);
            machine.Touch(parent, Base, Pages, 1);
            fresh = machine.NewSpace();
            machine.MapFixed(fresh, Base, Pages);
        }

        [GlobalCleanup]
        public void Cleanup() { machine.Dispose(); }

        [Benchmark(OperationsPerInvoke = Pages)]
        public void DemandZeroFault()
        {
            machine.Touch(fresh, Base, Pages, 2);
            fresh.Madvise(Base, Pages * Page.Size, AddressSpace.MadviseDontNeed);
        }

        [Benchmark(OperationsPerInvoke = Pages)]
        public void ZeroPageRead()
        {
            machine.Read(fresh, Base, Pages);
            fresh.Madvise(Base, Pages * Page.Size, AddressSpace.MadviseDontNeed);
        }

        [Benchmark(OperationsPerInvoke = Pages)]
        public void FirstReadAllocating()
        {
            machine.Manager.ZeroPage.Enabled = false;
            machine.Read(fresh, Base, Pages);
            machine.Manager.ZeroPage.Enabled = true;
            fresh.Madvise(Base, Pages * Page.Size, AddressSpace.MadviseDontNeed);
        }

        [Benchmark(OperationsPerInvoke = Pages)]
        public void CowFault()
        {
            AddressSpace child = machine.Fork(parent);
            machine.Touch(child, Base, Pages, 3);
            child.Destroy();
        }

        [Benchmark(OperationsPerInvoke = Pages)]
        public void ForkAndExitOnly()
        {
            machine.Fork(parent).Destroy();
        }

        [Benchmark(OperationsPerInvoke = Pages)]
        public void MappedWrite()
        {
            machine.Touch(parent, Base, Pages, 4);
        }
    }
}
