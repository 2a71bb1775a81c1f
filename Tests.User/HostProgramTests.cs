using System.Collections.Generic;
using Xunit;
using Xunit.Abstractions;

namespace Cowbird.Tests.User
{
    /// <summary>
    /// Every test program of User/tests on the host's Linux: exit status 0, no FAIL line, a DONE line
    /// that matches. A program wrong for Linux is caught here before it is blamed on Cowbird.
    /// A Cowbird suite is this class with `new CowbirdRunner()` (and, to compare, the host verdicts).
    /// </summary>
    public sealed class HostProgramTests
    {
        private readonly ITestOutputHelper log;
        private readonly ProgramRunner runner = new HostLinuxRunner();

        public HostProgramTests(ITestOutputHelper log) => this.log = log;

        public static IEnumerable<object[]> TestPrograms => ProgramTable.NamesOf(ProgramKind.Test);

        [Theory]
        [MemberData(nameof(TestPrograms))]
        public void TestProgramPassesOnHostLinux(string name)
        {
            RunResult run = runner.Run(ProgramTable.Get(name));
            log.WriteLine(run.Describe());
            string problem = TestOutput.Problem(name, run);
            Assert.True(problem == null, $"{name} on {runner.Name}: {problem}\n{run.Describe()}");
        }

        /// <summary>PASS/FAIL/DONE lines carry no pids, addresses or timings: two runs print the same
        /// verdicts, so a Cowbird run can be compared line by line with a host run.</summary>
        [Theory]
        [MemberData(nameof(TestPrograms))]
        public void VerdictsAreTheSameOnEveryRun(string name)
        {
            ProgramSpec spec = ProgramTable.Get(name);
            RunResult first = runner.Run(spec), second = runner.Run(spec);
            Assert.Equal(new TestOutput(first.Stdout).Verdicts, new TestOutput(second.Stdout).Verdicts);
        }
    }
}
