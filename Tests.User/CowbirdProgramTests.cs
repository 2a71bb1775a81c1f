using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace Cowbird.Tests.User
{
    /// <summary>Every test program on Cowbird under QEMU, through the runner (`./build.sh run`):
    /// each must pass (exit 0, no FAIL, a matching DONE line), and where Cowbird and Linux run it
    /// with the same arguments its PASS/FAIL/DONE lines must equal those of a host run.</summary>
    public sealed class CowbirdProgramTests : ProgramSuite
    {
        private static readonly Regex CounterLine =
            new(@"pgfault \+\d+, pgcowfault \+\d+, pswpin \+\d+, pswpout \+\d+");

        // One QEMU run per program serves both TestProgramPasses and VerdictsEqualThoseOfAHostRun.
        private static readonly ProgramRunner SharedRunner = new OncePerProgramRunner(new CowbirdRunner());

        public CowbirdProgramTests(ITestOutputHelper log) : base(log, SharedRunner) { }

        /// <summary>Same verdict lines as on the host's Linux (programs whose arguments do not
        /// differ between the kernels; the others add kernel-specific checks).</summary>
        [Theory]
        [MemberData(nameof(TestPrograms))]
        public void VerdictsEqualThoseOfAHostRun(string name)
        {
            ProgramSpec spec = ProgramTable.Get(name);
            if (!spec.CowbirdArgs.SequenceEqual(spec.HostArgs))
                return;
            RunResult onCowbird = Runner.Run(spec), onHost = new HostLinuxRunner().Run(spec);
            Log.WriteLine(onCowbird.Describe());
            ProgramChecks.AssertSameVerdicts(onHost, onCowbird);
        }

        public static IEnumerable<object[]> Demos => ProgramTable.NamesOf(ProgramKind.Demo);

        /// <summary>A demo ends with status 0 and prints every counter: Cowbird has them all,
        /// so none may be "n/a".</summary>
        [Theory]
        [MemberData(nameof(Demos))]
        public void DemoRunsAndPrintsCounters(string name) =>
            ProgramChecks.AssertDemoRunsAndPrintsCounters(Runner, name, CounterLine, Log);

        /// <summary>vmbench prints every figure the Linux comparison needs.</summary>
        [Fact]
        public void BenchmarkPrintsEveryFigure() => ProgramChecks.AssertBenchmarkPrintsEveryFigure(Runner, Log);

        /// <summary>The shell as pid 1 runs /bin/forkdemo (whose parent is then pid 1) and
        /// `exit 7` ends the machine with status 7.</summary>
        [Fact]
        public void ShellRunsProgramsAsPid1() => ProgramChecks.AssertShellRunsProgramsAsPid1(Runner, Log);

        /// <summary>A pipeline through the bundled shell: in `sh | sh` the first shell reads the
        /// console (it runs forkdemo, then exits), its output goes through a pipe into the second,
        /// which tries each line as a command and ends at end of file; then `exit 7`.</summary>
        [Fact]
        public void ShellRunsAPipeline()
        {
            RunResult run = Runner.Run(ProgramTable.Get("sh"), new string[0], "sh | sh\nforkdemo\nexit 0\nexit 7\n");
            Log.WriteLine(run.Describe());
            Assert.True(run.ExitCode == 7, run.Describe());
            Assert.Contains("$ sh: Cowbird: not found (try help)\n[Cowbird: exit 127]\n", run.Stdout);
            Assert.Contains("$ sh: forkdemo:: not found (try help)\n", run.Stdout);
        }
    }
}
