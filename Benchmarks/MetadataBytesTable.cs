using Cowbird.Mm;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Vm;

namespace Cowbird.Benchmarks
{
    // Prints what each design's reverse map costs in bytes after K = 1, 8, 64 forks of a
    // 64 MiB process (16384 pages written, each child then writes one page of its own), with
    // Linux's 64-byte struct page as the yardstick:
    //   per frame    bytes every frame of RAM carries, mapped or not: PageFrame plus the
    //                design's side tables (ReverseMap.BytesPerFrame);
    //   objects      the live metadata (ReverseMap.MetadataBytes, RmapObjectBytes);
    //   per page     those bytes per anonymous page in use (frames with a mapping);
    //   per VMA      those bytes per VMA of all K + 1 processes.
    // Deterministic (the soft MMU), no timing.
    public static class MetadataBytesTable
    {
        const ulong Base = 0x4000_0000;
        const int Pages = 16384;

        public static void Print()
        {
            System.Console.WriteLine($"rmap metadata bytes after K forks of a 64 MiB process (Linux's struct page: {RmapObjectBytes.LinuxStructPage} bytes a frame)");
            System.Console.WriteLine("| K forks | design | per frame | objects | per page in use | per VMA |");
            System.Console.WriteLine("|---:|---|---:|---:|---:|---:|");
            foreach (int forks in new[] { 1, 8, 64 })
                for (int d = 0; d < RmapDesigns.Count; d++)
                    PrintRow(forks, (RmapDesign)d);
        }

        static void PrintRow(int forks, RmapDesign design)
        {
            using var m = new BenchMachine(Pages + forks * 64 + 1024, design);
            AddressSpace parent = m.NewSpace();
            m.MapFixed(parent, Base, Pages);
            m.Touch(parent, Base, Pages, 1);
            for (int k = 0; k < forks; k++)
            {
                AddressSpace child = m.Fork(parent);
                m.Touch(child, Base + (ulong)(k % Pages) * Page.Size, 1, 2);
            }
            ReverseMap rmap = m.Manager.Rmap;
            long bytes = rmap.MetadataBytes;
            long pages = PagesInUse(m);
            int vmas = forks + 1;
            int perFrame = RmapObjectBytes.PageFrameBytes + rmap.BytesPerFrame;
            System.Console.WriteLine($"| {forks} | {RmapDesigns.Name(design)} | {perFrame} | {bytes} | {(double)bytes / pages:0.##} | {(double)bytes / vmas:0} |");
        }

        // Frames some PTE maps: the anonymous pages of the processes.
        static long PagesInUse(BenchMachine m)
        {
            long pages = 0;
            for (ulong pfn = m.Frames.FirstFrame; pfn < m.Frames.EndFrame; pfn++)
                if (m.Frames.Frame(pfn).MapCount > 0)
                    pages++;
            return pages;
        }
    }
}
