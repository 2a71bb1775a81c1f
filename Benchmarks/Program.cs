using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Cowbird.Benchmarks
{
    // Entry point: BenchmarkDotNet's switcher over every benchmark class here, plus
    //   --quick         one short in-process job per benchmark (the whole set in minutes);
    //   --rmap-lengths  only print how long each rmap walk is (words read), no timing;
    //   --vma-counts    only print the VMAs realloc-style workloads leave with linear
    //                   and with reserved anonymous page offsets, no timing;
    //   --rmap-bytes    only print the bytes of rmap metadata after K forks of a 64 MiB
    //                   process against Linux's struct page, no timing;
    //   --rmap-history  only print what the workloads that sank each rmap design leave
    //                   (metadata, fork work, walk length), no timing.
    public static class Program
    {
        public static int Main(string[] args)
        {
            var rest = new System.Collections.Generic.List<string>(args);
            bool quick = rest.Remove("--quick");
            if (rest.Remove("--vma-counts"))
            {
                VmaCountTable.Print();
                if (rest.Count == 0)
                    return 0;
            }
            if (rest.Remove("--rmap-bytes"))
            {
                MetadataBytesTable.Print();
                if (rest.Count == 0)
                    return 0;
            }
            if (rest.Remove("--rmap-history"))
            {
                HistoricalWorkloadTable.Print();
                if (rest.Count == 0)
                    return 0;
            }
            if (rest.Remove("--rmap-lengths") || rest.Count == 0)
            {
                RmapLengthTable.Print();
                if (rest.Count == 0)
                    return 0;
            }
            IConfig config = DefaultConfig.Instance;
            if (quick)
                config = config.AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("Quick"));
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest.ToArray(), config);
            return 0;
        }
    }
}
