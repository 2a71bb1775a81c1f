using Cowbird.Mm;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Vm;

namespace Cowbird.Benchmarks
{
    // Prints, for every design (and anon_vma_chain without its 2015 reuse), what the
    // workloads that sank each design in Linux's history leave behind: rmap metadata
    // objects (ReverseMap.MetadataObjects), the objects its last fork made, and the length
    // of one rmap walk (mappings found / page-table words read: a design that looks in more
    // VMAs or page tables reads more). Deterministic counts from
    // the soft MMU, no timing, so they can go in docs/rmap-designs.md as they are.
    //   - large fork: a 4096-page process forks once (PTE chains copy one entry per PTE);
    //   - server: a 64-page server forks 256 short-lived children, 8 alive at a time, each
    //     writing one page (the 2004 anon_vma's one list per family holds them all);
    //   - chain: 64 generations, each forking the next and exiting (anon_vma_chain links
    //     every generation to its ancestors' anon_vmas);
    //   - storm: a 64-page process forks 256 children that exit at once, writing one of its
    //     pages after each fork (the tree of address spaces stacks a shadow per COW).
    public static class HistoricalWorkloadTable
    {
        const ulong Base = 0x4000_0000;
        const int Pages = 64;

        // What one workload left: metadata objects, those its last fork made, and one walk
        // of the page it names.
        struct Outcome
        {
            public long Objects;
            public long ForkObjects;
            public int Found;
            public long WalkWords;
        }

        public static void Print()
        {
            System.Console.WriteLine("What each historical workload leaves, per design: metadata objects; objects the last fork made; one walk (mappings found / page-table words read)");
            PrintWorkload("large fork: a 4096-page process forks once; walk of a shared page", LargeFork);
            PrintWorkload("server: 256 short-lived children, 8 alive at a time; walk of a page the server wrote last", Server);
            PrintWorkload("chain: 64 generations, each forks the next and exits; walk of a page of the first", Chain);
            PrintWorkload("storm: 256 children that exit at once, a COW write in the parent after each fork; walk of page 0", Storm);
        }

        static void PrintWorkload(string title, System.Func<RmapVariant, Outcome> run)
        {
            System.Console.WriteLine();
            System.Console.WriteLine(title);
            System.Console.Write("| |");
            foreach (RmapVariant variant in RmapVariant.All)
                System.Console.Write($" {variant.Label} |");
            System.Console.WriteLine();
            System.Console.Write("|---|");
            foreach (RmapVariant variant in RmapVariant.All)
                System.Console.Write("---:|");
            System.Console.WriteLine();
            var outcomes = new Outcome[RmapVariant.All.Length];
            for (int v = 0; v < outcomes.Length; v++)
                outcomes[v] = run(RmapVariant.All[v]);
            PrintRow("metadata objects", outcomes, o => o.Objects.ToString());
            PrintRow("objects the last fork made", outcomes, o => o.ForkObjects.ToString());
            PrintRow("walk: found / words read", outcomes, o => $"{o.Found} / {o.WalkWords}");
        }

        static void PrintRow(string label, Outcome[] outcomes, System.Func<Outcome, string> cell)
        {
            System.Console.Write($"| {label} |");
            foreach (Outcome o in outcomes)
                System.Console.Write($" {cell(o)} |");
            System.Console.WriteLine();
        }

        static Outcome LargeFork(RmapVariant variant)
        {
            const int bigPages = 4096;
            using var m = variant.NewMachine(bigPages + 512);
            AddressSpace parent = m.NewSpace();
            m.MapFixed(parent, Base, bigPages);
            m.Touch(parent, Base, bigPages, 1);
            long before = m.Manager.Rmap.MetadataObjects;
            m.Fork(parent);
            return Measure(m, m.Manager.Rmap.MetadataObjects - before, parent, Base);
        }

        static Outcome Server(RmapVariant variant)
        {
            const int children = 256, alive = 8;
            using var m = variant.NewMachine(Pages + alive * 16 + 512);
            AddressSpace server = m.NewSpace();
            m.MapFixed(server, Base, Pages);
            m.Touch(server, Base, Pages, 1);
            var live = new AddressSpace[alive];
            long forkObjects = 0;
            for (int i = 0; i < children; i++)
            {
                live[i % alive]?.Destroy();
                long before = m.Manager.Rmap.MetadataObjects;
                live[i % alive] = m.Fork(server);
                forkObjects = m.Manager.Rmap.MetadataObjects - before;
                m.Touch(live[i % alive], Base + (ulong)(i % Pages) * Page.Size, 1, 2);
            }
            m.Touch(server, Base + Page.Size, 1, 3);
            return Measure(m, forkObjects, server, Base + Page.Size);
        }

        static Outcome Chain(RmapVariant variant)
        {
            const int generations = 64;
            using var m = variant.NewMachine(Pages + generations * 16 + 512);
            AddressSpace current = m.NewSpace();
            m.MapFixed(current, Base, Pages);
            m.Touch(current, Base, Pages, 1);
            long forkObjects = 0;
            for (int i = 0; i < generations; i++)
            {
                long before = m.Manager.Rmap.MetadataObjects;
                AddressSpace child = m.Fork(current);
                forkObjects = m.Manager.Rmap.MetadataObjects - before;
                m.Touch(child, Base + (ulong)(i % (Pages - 1) + 1) * Page.Size, 1, 2);
                current.Destroy();
                current = child;
            }
            return Measure(m, forkObjects, current, Base);
        }

        static Outcome Storm(RmapVariant variant)
        {
            const int children = 256;
            using var m = variant.NewMachine(Pages + 512);
            AddressSpace parent = m.NewSpace();
            m.MapFixed(parent, Base, Pages);
            m.Touch(parent, Base, Pages, 1);
            long forkObjects = 0;
            for (int i = 0; i < children; i++)
            {
                long before = m.Manager.Rmap.MetadataObjects;
                AddressSpace child = m.Fork(parent);
                forkObjects = m.Manager.Rmap.MetadataObjects - before;
                m.Touch(parent, Base + (ulong)(i % Pages) * Page.Size, 1, 2);
                child.Destroy();
            }
            return Measure(m, forkObjects, parent, Base);
        }

        // The outcome once a workload is over: `space`'s page at `address` is walked.
        static Outcome Measure(BenchMachine m, long forkObjects, AddressSpace space, ulong address)
        {
            ulong pfn = space.PageTable.Lookup(address).Frame;
            long before = m.Counted.Accesses;
            var visitor = new CountingVisitor();
            m.Manager.Rmap.Walk(pfn, visitor);
            return new Outcome
            {
                Objects = m.Manager.Rmap.MetadataObjects,
                ForkObjects = forkObjects,
                Found = visitor.Found,
                WalkWords = m.Counted.Accesses - before,
            };
        }
    }
}
