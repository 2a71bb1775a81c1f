using Cowbird.Mm.Rmap;

namespace Cowbird.Benchmarks
{
    // Prints the length of each rmap walk of RmapWalkBenchmarks: mappings found and
    // page-table words read, for K = 1, 8, 64 forks and every design, with the objects
    // the design allocated (ReverseMap.MetadataObjects). Deterministic
    // counts, so they go in docs/benchmarks.md next to the times.
    public static class RmapLengthTable
    {
        public static void Print()
        {
            System.Console.WriteLine("rmap walk length (mappings found / page-table words read) and rmap metadata objects");
            System.Console.WriteLine("| K forks | design | shared page | private page | metadata objects |");
            System.Console.WriteLine("|---:|---|---:|---:|---:|");
            foreach (int forks in new[] { 1, 8, 64 })
                for (int d = 0; d < RmapDesigns.Count; d++)
                {
                    var design = (RmapDesign)d;
                    using var s = new RmapWalkScenario(design, forks);
                    var shared = s.Length(s.SharedFrame);
                    var own = s.Length(s.PrivateFrame);
                    System.Console.WriteLine($"| {forks} | {RmapDesigns.Name(design)} | {shared.Found} / {shared.WordsRead} | {own.Found} / {own.WordsRead} | {s.Machine.Manager.Rmap.MetadataObjects} |");
                }
        }
    }
}
