using System.Collections.Generic;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Vm;
using Xunit;

namespace Cowbird.Tests.Host.Model
{
    // The CI run of the model-based test: 10 seeds x 10,000 ops = 100,000 ops, split over
    // two classes so xunit runs them in parallel: A on the default machine, B on the
    // swapping one (small RAM, swap device, forced reclaim, 8 processes). A soak is one variable away:
    //   COWBIRD_SOAK_OPS=2000000 dotnet test Tests.Host --filter Model
    // (total ops over the 10 seeds; COWBIRD_MODEL_SEED_BASE=N shifts the seeds for fresh
    // sequences). The seeds are shared among the reverse-mapping designs (DesignPerSeed);
    // COWBIRD_RMAP=NAME runs them all under one design, for a long soak of that design.
    public static class ModelSuite
    {
        public const int Seeds = 10;
        public const int DefaultOpsPerSeed = 10_000;

        // Ops per seed: COWBIRD_SOAK_OPS spread over the seeds, else the CI default.
        public static int OpsPerSeed()
        {
            string soak = System.Environment.GetEnvironmentVariable("COWBIRD_SOAK_OPS");
            return long.TryParse(soak, out long n) && n > 0 ? (int)System.Math.Min(int.MaxValue, (n + Seeds - 1) / Seeds)
                                                            : DefaultOpsPerSeed;
        }

        public static int SeedBase()
        {
            string seedBase = System.Environment.GetEnvironmentVariable("COWBIRD_MODEL_SEED_BASE");
            return int.TryParse(seedBase, out int n) ? n : 0;
        }

        // Runs one seed and checks that the sequence really reached the interesting paths
        // (a run of at least the CI length reaches every one of them).
        public static List<string> RunSeed(int seed, ModelOptions options)
        {
            int ops = OpsPerSeed();
            List<string> log = new ModelRunner(options).Check(SeedBase() + seed, ops);
            if (ops < DefaultOpsPerSeed)
                return log;
            foreach (string kind in new[] { "fork", "exit", "mmap hint", "taken", "elsewhere", "shared", "munmap",
                                            "mprotect", "mremap grow", "mremap shrink", "mremap fixed", "EFAULT", "ENOMEM",
                                            "mmap noreplace", "EEXIST", "move vma", "madvise", "brk", "referenced", "unmap",
                                            "read", "write" })
                Assert.True(log.Exists(line => line.Contains(kind) && !line.Contains("skipped")), "never ran: " + kind);
            return log;
        }

        // A swapping run: as RunSeed, and reclaim freed frames, pages went out and came back.
        public static void RunSwappingSeed(RmapDesign design, int seed, AnonOffsets? offsets = null)
        {
            List<string> log = RunSeed(seed, ModelOptions.Swapping(design, offsets));
            Assert.True(log.Exists(line => line.StartsWith("reclaim") && !line.EndsWith(" 0")), "reclaim never freed a frame");
            string totals = log[log.Count - 1];
            Assert.StartsWith("swap totals", totals);
            Assert.DoesNotContain("pswpin 0 ", totals + " ");
            Assert.DoesNotContain("pswpout 0 ", totals + " ");
        }
    }

    public class ModelTestsA
    {
        [Theory, DesignPerSeed(101, 102, 103, 104, 105)]
        public void Random_operations_match_the_reference_model(RmapDesign design, int seed)
        {
            ModelSuite.RunSeed(seed, ModelOptions.For(design));
        }
    }

    // Half of the CI ops run on the swapping machine (ModelOptions.Swapping).
    public class ModelTestsB
    {
        [Theory, DesignPerSeed(201, 202, 203, 204, 205)]
        public void Random_operations_match_the_reference_model_while_swapping_constantly(RmapDesign design, int seed)
        {
            ModelSuite.RunSwappingSeed(design, seed);
        }
    }

    // The anon_vma designs with page-offset reservations (AnonOffsets.Reserve): one
    // default-machine seed and one swapping seed each, on top of the CI seeds above.
    public class ModelTestsReserve
    {
        [Theory]
        [InlineData(RmapDesign.AnonVmaChain, 301)]
        [InlineData(RmapDesign.AnonVma2004, 302)]
        public void Random_operations_match_the_reference_model_with_offset_reservations(RmapDesign design, int seed)
        {
            ModelSuite.RunSeed(seed, ModelOptions.For(design, AnonOffsets.Reserve));
        }

        [Theory]
        [InlineData(RmapDesign.AnonVmaChain, 303)]
        [InlineData(RmapDesign.AnonVma2004, 304)]
        public void Random_operations_match_the_reference_model_with_offset_reservations_while_swapping(RmapDesign design, int seed)
        {
            ModelSuite.RunSwappingSeed(design, seed, AnonOffsets.Reserve);
        }
    }

    // anon_vma_chain without the 2015 reuse of idle ancestor anon_vmas (kernel rmap_reuse=0):
    // an optimisation, so turning it off must change nothing the reference model can see.
    public class ModelTestsNoReuse
    {
        [Theory]
        [InlineData(501)]
        public void Random_operations_match_the_reference_model_without_anon_vma_reuse(int seed)
        {
            ModelSuite.RunSeed(seed, ModelOptions.For(RmapDesign.AnonVmaChain).WithoutAnonVmaReuse());
        }

        [Theory]
        [InlineData(502)]
        public void Random_operations_match_the_reference_model_without_anon_vma_reuse_while_swapping(int seed)
        {
            ModelSuite.RunSeed(seed, ModelOptions.Swapping().WithoutAnonVmaReuse());
        }
    }

    // The shared zero page on (the default of every run above) and off: the reference
    // model knows nothing of it, so both must read the same bytes; the runs also show the
    // zero page was used exactly when it is on.
    public class ModelTestsZeroPage
    {
        [Theory]
        [InlineData(true, 401)]
        [InlineData(false, 402)]
        public void Random_operations_match_the_reference_model_with_the_zero_page_on_and_off(bool zeroPage, int seed)
        {
            ModelOptions options = ModelOptions.For(RmapDesign.AnonVmaChain);
            AssertZeroPageUse(ModelSuite.RunSeed(seed, zeroPage ? options : options.WithoutZeroPage()), zeroPage);
        }

        [Theory]
        [InlineData(true, 403)]
        [InlineData(false, 404)]
        public void Random_operations_match_the_reference_model_with_the_zero_page_on_and_off_while_swapping(bool zeroPage, int seed)
        {
            ModelOptions options = ModelOptions.Swapping();
            AssertZeroPageUse(ModelSuite.RunSeed(seed, zeroPage ? options : options.WithoutZeroPage()), zeroPage);
        }

        static void AssertZeroPageUse(List<string> log, bool zeroPage)
        {
            string line = log.Find(l => l.StartsWith("zero page reads"));
            Assert.NotNull(line);
            if (zeroPage)
                Assert.DoesNotContain("reads 0 ", line);
            else
                Assert.Equal("zero page reads 0 writes 0", line);
        }
    }
}
