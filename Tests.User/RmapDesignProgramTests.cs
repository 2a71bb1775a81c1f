using System.Collections.Generic;
using Cowbird.Mm.Rmap;
using Xunit;
using Xunit.Abstractions;

namespace Cowbird.Tests.User
{
    /// <summary>A few fork, copy-on-write, mremap, shared-memory and swap programs on Cowbird
    /// booted with each reverse-mapping design (`./build.sh run --rmap NAME`): every design
    /// must run them as the default does. The host suite (Tests.Host, [AllDesigns]) covers the
    /// designs in depth; this checks that each one works in the real kernel.</summary>
    public sealed class RmapDesignProgramTests
    {
        /// <summary>Programs run under every design.</summary>
        private static readonly string[] Programs = { "fork_cow", "fork_chain", "mremap_cow", "shared_anon", "swapdemo" };

        /// <summary>Programs that swap many pages out: under the page-table scan every
        /// reclaimed page costs a scan of every page table, so a large swap workload takes
        /// minutes there (that slowness is the point of the 2.4 baseline, not a fault).</summary>
        private static readonly HashSet<string> BigSwapWorkloads = new() { "swapdemo" };

        private readonly ITestOutputHelper _log;

        public RmapDesignProgramTests(ITestOutputHelper log) { _log = log; }

        public static IEnumerable<object[]> Cases()
        {
            for (int i = 0; i < RmapDesigns.Count; i++)
                foreach (string program in Programs)
                {
                    var design = (RmapDesign)i;
                    if (design == RmapDesign.PageTableScan && BigSwapWorkloads.Contains(program))
                        continue;
                    yield return new object[] { RmapDesigns.Name(design), program };
                }
        }

        /// <summary>The program passes (a test: exit 0, no FAIL, a matching DONE line; a demo:
        /// exit 0) under design `rmap`.</summary>
        [Theory]
        [MemberData(nameof(Cases))]
        public void ProgramPassesUnderDesign(string rmap, string program)
        {
            AssertPasses(program, rmap, null);
        }

        /// <summary>The anon_vma designs with page-offset reservations and mremap groups
        /// (`--rmap-offsets reserve`, kernel command line rmap_offsets=reserve).</summary>
        public static IEnumerable<object[]> ReserveCases()
        {
            foreach (RmapDesign design in new[] { RmapDesign.AnonVmaChain, RmapDesign.AnonVma2004 })
                foreach (string program in Programs)
                    yield return new object[] { RmapDesigns.Name(design), program };
        }

        /// <summary>The program passes under design `rmap` with reserved anonymous offsets.</summary>
        [Theory]
        [MemberData(nameof(ReserveCases))]
        public void ProgramPassesUnderDesignWithOffsetReservations(string rmap, string program)
        {
            AssertPasses(program, rmap, "reserve");
        }

        /// <summary>anon_vma_chain without Linux's 2015 reuse of idle anon_vmas (`--rmap-reuse 0`,
        /// kernel command line rmap_reuse=0).</summary>
        public static IEnumerable<object[]> NoReuseCases()
        {
            foreach (string program in Programs)
                yield return new object[] { program };
        }

        /// <summary>The program passes under anon_vma_chain without the reuse.</summary>
        [Theory]
        [MemberData(nameof(NoReuseCases))]
        public void ProgramPassesWithoutAnonVmaReuse(string program)
        {
            AssertPasses(program, RmapDesigns.Name(RmapDesign.AnonVmaChain), null, reuse: false);
        }

        /// <summary>Runs `program` on Cowbird booted with `rmap` (and `offsets` unless null, and
        /// without anon_vma reuse when `reuse` is false) and asserts it passed.</summary>
        private void AssertPasses(string program, string rmap, string offsets, bool reuse = true)
        {
            ProgramSpec spec = ProgramTable.Get(program);
            RunResult run = new CowbirdRunner(rmap, offsets, reuse).Run(spec);
            _log.WriteLine(run.Describe());
            string problem = spec.Kind == ProgramKind.Demo
                ? (run.ExitCode == 0 && !run.TimedOut ? null : "demo did not end with status 0")
                : TestOutput.Problem(program, run);
            Assert.True(problem == null, $"{program} with rmap={rmap}{(offsets == null ? "" : " rmap_offsets=" + offsets)}{(reuse ? "" : " rmap_reuse=0")}: {problem}\n{run.Describe()}");
        }
    }
}
