using System;
using System.IO;
using System.Linq;
using Xunit;

namespace Cowbird.Tests.User
{
    /// <summary>The program table matches what User/build.sh builds, and the output checker and the
    /// Cowbird command line do what the runners rely on.</summary>
    public sealed class ProgramTableTests
    {
        [Fact]
        public void TableListsExactlyTheProgramsUserBuildShBuilds()
        {
            string script = Path.Combine(UserPrograms.RepositoryRoot, "User", "build.sh");
            RunResult r = ProcessRunner.Run("list", "bash", new[] { script, "--list" }, null, TimeSpan.FromMinutes(1),
                UserPrograms.RepositoryRoot);
            Assert.Equal(0, r.ExitCode);
            var built = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Append("sh").OrderBy(n => n).ToList();
            var table = ProgramTable.All.Select(p => p.Name).OrderBy(n => n).ToList();
            Assert.Equal(built, table);
        }

        [Fact]
        public void TestsAndDemosComeFromTheirFolders()
        {
            foreach (ProgramSpec p in ProgramTable.All.Where(p => p.Kind != ProgramKind.Shell))
            {
                string folder = p.Kind == ProgramKind.Test ? "tests" : "demos";
                Assert.True(File.Exists(Path.Combine(UserPrograms.RepositoryRoot, "User", folder, p.Name + ".c")), p.Name);
            }
        }

        [Fact]
        public void SwapTestGetsThreeTimesItsRamInMemoryDemand()
        {
            ProgramSpec swap = ProgramTable.Get("swap_fork");
            Assert.Equal(64, swap.MemMb);
            Assert.Equal(384, swap.SwapMb);
        }

        private static RunResult Fake(int exit, string stdout) => new("fake", exit, stdout, "", false, TimeSpan.Zero);

        [Fact]
        public void CheckerAcceptsACleanRun() =>
            Assert.Null(TestOutput.Problem("t", Fake(0, "PASS a\nINFO pid 5\nPASS b\nDONE t: 2 passed, 0 failed\n")));

        [Theory]
        [InlineData(1, "PASS a\nDONE t: 1 passed, 0 failed\n", "exit status 1")]
        [InlineData(0, "PASS a\nFAIL [child 1] b: seen x\nDONE t: 1 passed, 0 failed\n", "FAIL line")]
        [InlineData(0, "PASS a\n", "no DONE line")]
        [InlineData(0, "DONE t: 0 passed, 0 failed\n", "no PASS line")]
        [InlineData(0, "PASS a\nDONE u: 1 passed, 0 failed\n", "DONE line names u")]
        [InlineData(0, "PASS a\nDONE t: 2 passed, 0 failed\n", "saw 1 PASS lines")]
        public void CheckerRejectsABadRun(int exit, string stdout, string expected) =>
            Assert.Contains(expected, TestOutput.Problem("t", Fake(exit, stdout)));

        [Fact]
        public void VerdictsLeaveOutInfoLines()
        {
            var a = new TestOutput("INFO break 0x1000\nPASS a\nDONE t: 1 passed, 0 failed\n");
            var b = new TestOutput("INFO break 0x2000\nPASS a\nDONE t: 1 passed, 0 failed\n");
            Assert.Equal(a.Verdicts, b.Verdicts);
            Assert.Equal(2, a.Verdicts.Count);
        }

        [Fact]
        public void CowbirdCommandLineFollowsTheRunnerContract()
        {
            var args = CowbirdRunner.BuildShArguments(ProgramTable.Get("swap_fork"), new[] { "48" });
            Assert.Equal(new[] { "run", "--mem", "64", "--timeout", "900", "--swap", "384", "--",
                UserPrograms.PathOf("swap_fork"), "48" }, args);
            var noSwap = CowbirdRunner.BuildShArguments(ProgramTable.Get("enosys"), ProgramTable.Get("enosys").CowbirdArgs);
            Assert.Equal(new[] { "run", "--mem", "128", "--timeout", "120", "--",
                UserPrograms.PathOf("enosys"), "--cowbird" }, noSwap);
        }
    }
}
