using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace Cowbird.Tests.User
{
    /// <summary>The shell and the demo programs on the host's Linux.</summary>
    public sealed class ShellAndDemoTests
    {
        private static readonly Regex CounterLine =
            new(@"pgfault \+\d+, pgcowfault (n/a|\+\d+), pswpin (n/a|\+\d+), pswpout (n/a|\+\d+)");

        private readonly ITestOutputHelper log;
        private readonly ProgramRunner runner = new HostLinuxRunner();

        public ShellAndDemoTests(ITestOutputHelper log) => this.log = log;

        public static IEnumerable<object[]> Demos => ProgramTable.NamesOf(ProgramKind.Demo);

        /// <summary>A demo ends with status 0 (its own sanity check held) and prints its figures,
        /// "n/a" for a counter the kernel lacks (Linux has no COW-fault counter).</summary>
        [Theory]
        [MemberData(nameof(Demos))]
        public void DemoRunsAndPrintsCounters(string name) =>
            ProgramChecks.AssertDemoRunsAndPrintsCounters(runner, name, CounterLine, log);

        /// <summary>vmbench prints every figure the Linux comparison needs.</summary>
        [Fact]
        public void BenchmarkPrintsEveryFigure() => ProgramChecks.AssertBenchmarkPrintsEveryFigure(runner, log);

        /// <summary>The shell runs programs with arguments, reports non-zero endings and unknown
        /// commands, lists the programs on `help`, and `exit N` ends it with status N.</summary>
        [Fact]
        public void ShellRunsProgramsAndBuiltins()
        {
            string input = "help\n\n  enosys   \nenosys --cowbird\nnosuch a b\nexit 5\nenosys\n";
            RunResult run = runner.Run(ProgramTable.Get("sh"), new[] { "-d", UserPrograms.OutDirectory }, input);
            log.WriteLine(run.Describe());
            Assert.True(run.ExitCode == 5, run.Describe());
            foreach (ProgramSpec p in ProgramTable.All.Where(p => p.Kind != ProgramKind.Shell))
                Assert.Matches($@"(?m)^(  \S+ *)*  {Regex.Escape(p.Name)}( |$)", run.Stdout);
            Assert.Contains("DONE enosys: 8 passed, 0 failed", run.Stdout);
            Assert.Contains("[enosys: exit 1]", run.Stdout);            // --cowbird checks fail on Linux
            Assert.Contains("sh: nosuch: not found", run.Stdout);
            Assert.Contains("[nosuch: exit 127]", run.Stdout);
            Assert.Equal(2, Regex.Matches(run.Stdout, "DONE enosys").Count); // nothing ran after exit
        }

        /// <summary>With -e (a raw console) the shell echoes input, erases on backspace and takes
        /// carriage return as end of line.</summary>
        [Fact]
        public void ShellEchoesAndEditsOnARawConsole()
        {
            RunResult run = runner.Run(ProgramTable.Get("sh"), new[] { "-e", "-d", UserPrograms.OutDirectory },
                "helx\u007fp\rexit 4\r");
            Assert.True(run.ExitCode == 4, run.Describe());
            Assert.Contains("$ helx\b \bp\nCowbird sh. Builtins", run.Stdout);
        }

        /// <summary>Pipelines: each command's output is the next one's input; the shell waits for
        /// all (`yes | head` ends only once yes died of SIGPIPE) and reports only the last one's
        /// ending; an empty command around `|` is a syntax error.</summary>
        [Fact]
        public void ShellRunsPipelines()
        {
            string input = "seq 1 5 | tac | head -n 2\nyes | head -n 1\nseq 3 | false\nfalse | true\nseq 2 | | cat\nexit 6\n";
            RunResult run = runner.Run(ProgramTable.Get("sh"), new[] { "-d", "/usr/bin" }, input);
            log.WriteLine(run.Describe());
            Assert.True(run.ExitCode == 6, run.Describe());
            Assert.Contains("$ 5\n4\n$ y\n$ [false: exit 1]\n$ $ sh: syntax error near |\n$ ", run.Stdout);
        }

        /// <summary>End of input ends the shell with status 0; a killed program is reported.</summary>
        [Fact]
        public void ShellEndsAtEndOfInputAndReportsSignals()
        {
            // perl (Debian's essential perl-base) kills itself; no spaces, as the shell has no quoting.
            RunResult run = runner.Run(ProgramTable.Get("sh"), new[] { "-d", "/usr/bin" }, "perl -e kill(9,$$)\n");
            log.WriteLine(run.Describe());
            Assert.True(run.ExitCode == 0, run.Describe());
            Assert.Contains("killed by signal 9", run.Stdout);
        }
    }
}
