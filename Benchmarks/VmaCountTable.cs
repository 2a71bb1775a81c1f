using Cowbird.Mm;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Vm;

namespace Cowbird.Benchmarks
{
    // Prints how many VMAs realloc-style workloads leave behind with linear page offsets
    // (Linux) and with Jamie Lokier's 2004 offset reservations (AnonOffsets.Reserve), under
    // both anon_vma designs: the kernel's VMAs, the mremap units a process sees (grouped
    // VMAs counted once) and the rmap's metadata objects. Deterministic counts, no timing;
    // the figures in docs/rmap-designs.md come from `--vma-counts`.
    public static class VmaCountTable
    {
        const int Buffers = 64;
        const int FirstPages = 4;
        const int Doublings = 5;
        const int SmallSteps = 64;

        public static void Print()
        {
            System.Console.WriteLine("VMAs left by realloc-style mremap growth: kernel VMAs / mremap units a process sees / rmap metadata objects");
            System.Console.WriteLine("| workload | design | offsets | VMAs | units | metadata |");
            System.Console.WriteLine("|---|---|---|---:|---:|---:|");
            foreach (RmapDesign design in new[] { RmapDesign.AnonVmaChain, RmapDesign.AnonVma2004 })
                for (int workload = 0; workload < 3; workload++)
                    for (int o = 0; o < AnonOffsetModes.Count; o++)
                        Row(workload, design, (AnonOffsets)o);
        }

        static void Row(int workload, RmapDesign design, AnonOffsets offsets)
        {
            using var m = new BenchMachine(4096, design, offsets: offsets);
            m.Manager.Commit.SetMode((ulong)OvercommitMode.Always);
            AddressSpace space = m.NewSpace();
            string name;
            if (workload == 0)
                name = Doubling(m, space, false);
            else if (workload == 1)
                name = Doubling(m, space, true);
            else
                name = PageByPage(m, space);
            System.Console.WriteLine($"| {name} | {RmapDesigns.Name(design)} | {AnonOffsetModes.Name(offsets)} | "
                                     + $"{space.Vmas.Count} | {space.RemapUnits} | {m.Manager.Rmap.MetadataObjects} |");
        }

        // 64 buffers of 4 pages (mmap, top-down, so each lands right below the previous),
        // each touched; then 5 rounds in which every buffer doubles with mremap(MAYMOVE)
        // and its new last page is written, as realloc does. `interleaved`: a 2-page object
        // is mapped and touched after every growth, filling the gaps the moves leave.
        static string Doubling(BenchMachine m, AddressSpace space, bool interleaved)
        {
            var address = new ulong[Buffers];
            var pages = new int[Buffers];
            for (int i = 0; i < Buffers; i++)
            {
                pages[i] = FirstPages;
                address[i] = Map(m, space, FirstPages);
            }
            for (int round = 0; round < Doublings; round++)
                for (int i = 0; i < Buffers; i++)
                {
                    address[i] = Grow(m, space, address[i], pages[i], 2 * pages[i]);
                    pages[i] *= 2;
                    if (interleaved)
                        Map(m, space, 2);
                }
            return interleaved ? "doubling + 2-page mmaps" : "doubling";
        }

        // 16 buffers of 1 page grow by one page at a time, round robin, 64 times each (a
        // vector growing without a capacity policy).
        static string PageByPage(BenchMachine m, AddressSpace space)
        {
            const int count = 16;
            var address = new ulong[count];
            for (int i = 0; i < count; i++)
                address[i] = Map(m, space, 1);
            for (int step = 1; step <= SmallSteps; step++)
                for (int i = 0; i < count; i++)
                    address[i] = Grow(m, space, address[i], step, step + 1);
            return "grow by 1 page";
        }

        // A touched private mapping of `pages` pages wherever mmap puts it.
        static ulong Map(BenchMachine m, AddressSpace space, int pages)
        {
            long r = space.Mmap(0, (ulong)pages * Page.Size, Protection.Read | Protection.Write,
                                MapFlags.Private | MapFlags.Anonymous);
            if (r <= 0)
                throw new System.InvalidOperationException("mmap failed: " + r);
            m.Touch(space, (ulong)r, 1, 1);
            return (ulong)r;
        }

        // realloc: mremap(MAYMOVE) from `oldPages` to `newPages`, then a write to the new
        // last page. Returns the buffer's address.
        static ulong Grow(BenchMachine m, AddressSpace space, ulong address, int oldPages, int newPages)
        {
            long r = space.Mremap(address, (ulong)oldPages * Page.Size, (ulong)newPages * Page.Size, RemapFlags.MayMove, 0);
            if (r <= 0)
                throw new System.InvalidOperationException("mremap failed: " + r);
            m.Touch(space, (ulong)r + (ulong)(newPages - 1) * Page.Size, 1, 2);
            return (ulong)r;
        }
    }
}
