using System.Globalization;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace Cowbird.Tests.User
{
    /// <summary>Checks that several suites make on their own kernel (host Linux, host as pid 1,
    /// Cowbird), written once so every kernel is held to the same test.</summary>
    public static class ProgramChecks
    {
        /// <summary>Both runs printed the same PASS/FAIL/DONE lines, in the same order.</summary>
        public static void AssertSameVerdicts(RunResult expected, RunResult actual) =>
            Assert.Equal(new TestOutput(expected.Stdout).Verdicts, new TestOutput(actual.Stdout).Verdicts);

        /// <summary>Demo `name` ends with status 0 (its own sanity check held) and prints a
        /// counter line matching `counterLine` (which says which counters may be "n/a").</summary>
        public static void AssertDemoRunsAndPrintsCounters(ProgramRunner runner, string name, Regex counterLine,
            ITestOutputHelper log)
        {
            RunResult run = runner.Run(ProgramTable.Get(name));
            log.WriteLine(run.Describe());
            Assert.True(run.ExitCode == 0 && !run.TimedOut, run.Describe());
            Assert.Matches(counterLine, run.Stdout);
        }

        /// <summary>The figures of vmbench that `./build.sh bench` compares with Linux.</summary>
        private static readonly string[] BenchmarkFigures =
        {
            "fork_exit_wait_0mib", "fork_exit_wait_1mib", "fork_exit_wait_64mib", "cow_fault", "write_fault",
            "read_fault", "munmap", "swap_fill", "swap_readback", "swap_rewrite",
        };

        /// <summary>vmbench ends with status 0 (its data read back right) and prints every figure
        /// once, with a positive value, in the format the bench driver parses.</summary>
        public static void AssertBenchmarkPrintsEveryFigure(ProgramRunner runner, ITestOutputHelper log)
        {
            RunResult run = runner.Run(ProgramTable.Get("vmbench"));
            log.WriteLine(run.Describe());
            Assert.True(run.ExitCode == 0 && !run.TimedOut, run.Describe());
            foreach (string figure in BenchmarkFigures)
            {
                MatchCollection lines = Regex.Matches(run.Stdout, $@"(?m)^vmbench: {figure} ([0-9.]+) \S+ \(.+\)$");
                Assert.True(lines.Count == 1, $"{figure}: {lines.Count} lines\n{run.Stdout}");
                Assert.True(double.Parse(lines[0].Groups[1].Value, CultureInfo.InvariantCulture) > 0,
                    $"{figure} is not positive\n{run.Stdout}");
            }
        }

        /// <summary>The shell as pid 1 runs /bin/forkdemo (whose parent is then pid 1) and
        /// `exit 7` ends it with status 7.</summary>
        public static void AssertShellRunsProgramsAsPid1(ProgramRunner runner, ITestOutputHelper log)
        {
            RunResult run = runner.Run(ProgramTable.Get("sh"), new string[0], "forkdemo\nexit 7\n");
            log.WriteLine(run.Describe());
            Assert.True(run.ExitCode == 7, run.Describe());
            Assert.Contains("my parent is pid 1\n", run.Stdout);
        }
    }
}
