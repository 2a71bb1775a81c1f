using System.Collections.Generic;
using Xunit;
using Xunit.Abstractions;

namespace Cowbird.Tests.User
{
    /// <summary>
    /// Every test program of User/tests on one kernel, through one ProgramRunner: exit status 0, no
    /// FAIL line, a DONE line that matches. A suite for Cowbird is one more subclass giving
    /// `new CowbirdRunner()`.
    /// </summary>
    public abstract class ProgramSuite
    {
        protected readonly ITestOutputHelper Log;

        /// <summary>The kernel the programs run on.</summary>
        protected readonly ProgramRunner Runner;

        protected ProgramSuite(ITestOutputHelper log, ProgramRunner runner)
        {
            Log = log;
            Runner = runner;
        }

        public static IEnumerable<object[]> TestPrograms => ProgramTable.NamesOf(ProgramKind.Test);

        [Theory]
        [MemberData(nameof(TestPrograms))]
        public void TestProgramPasses(string name)
        {
            RunResult run = Runner.Run(ProgramTable.Get(name));
            Log.WriteLine(run.Describe());
            string problem = TestOutput.Problem(name, run);
            Assert.True(problem == null, $"{name} on {Runner.Name}: {problem}\n{run.Describe()}");
        }
    }

    /// <summary>The programs run directly on the host's Linux. A program wrong for Linux is caught
    /// here before it is blamed on Cowbird.</summary>
    public sealed class HostLinuxProgramTests : ProgramSuite
    {
        public HostLinuxProgramTests(ITestOutputHelper log) : base(log, new HostLinuxRunner()) { }

        /// <summary>PASS/FAIL/DONE lines carry no pids, addresses or timings: two runs print the same
        /// verdicts, so a Cowbird run can be compared line by line with a host run.</summary>
        [Theory]
        [MemberData(nameof(TestPrograms))]
        public void VerdictsAreTheSameOnEveryRun(string name)
        {
            ProgramSpec spec = ProgramTable.Get(name);
            RunResult first = Runner.Run(spec), second = Runner.Run(spec);
            ProgramChecks.AssertSameVerdicts(first, second);
        }
    }

    /// <summary>The programs run on the host's Linux as Cowbird starts them: pid 1, /bin/NAME,
    /// argv[0] = NAME. Their verdicts must equal those of a plain host run.</summary>
    public sealed class HostPid1ProgramTests : ProgramSuite
    {
        public HostPid1ProgramTests(ITestOutputHelper log) : base(log, new HostPid1Runner()) { }

        [Theory]
        [MemberData(nameof(TestPrograms))]
        public void VerdictsEqualThoseOfAPlainHostRun(string name)
        {
            ProgramSpec spec = ProgramTable.Get(name);
            RunResult asPid1 = Runner.Run(spec), plain = new HostLinuxRunner().Run(spec);
            ProgramChecks.AssertSameVerdicts(plain, asPid1);
        }

        [Fact]
        public void ProgramRunsAsPid1FromBin() => ProgramChecks.AssertShellRunsProgramsAsPid1(Runner, Log);
    }
}
