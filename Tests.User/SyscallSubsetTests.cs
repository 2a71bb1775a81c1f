using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Cowbird.Tests.User
{
    /// <summary>
    /// Every program stays inside Cowbird's syscall subset: User/check-syscalls.sh runs it under
    /// `strace -f -c` on the host and names any system call outside the subset (musl's library
    /// functions are the usual culprit: nanosleep is clock_nanosleep, for one).
    /// </summary>
    public sealed class SyscallSubsetTests
    {
        private readonly ITestOutputHelper log;

        public SyscallSubsetTests(ITestOutputHelper log) => this.log = log;

        public static IEnumerable<object[]> AllPrograms => ProgramTable.All.Select(p => new object[] { p.Name });

        private static RunResult Check(string name, IReadOnlyDictionary<string, string> environment = null)
        {
            string script = Path.Combine(UserPrograms.RepositoryRoot, "User", "check-syscalls.sh");
            return ProcessRunner.Run("check-syscalls", "bash", new[] { script, name }, null,
                TimeSpan.FromMinutes(10), UserPrograms.RepositoryRoot, environment);
        }

        [Theory]
        [MemberData(nameof(AllPrograms))]
        public void ProgramUsesOnlyTheSubset(string name)
        {
            UserPrograms.EnsureBuilt();
            RunResult r = Check(name);
            log.WriteLine(r.Describe());
            Assert.True(r.ExitCode == 0 && r.Stdout.StartsWith($"OK {name}:", StringComparison.Ordinal),
                $"check-syscalls.sh {name}:\n{r.Describe()}");
        }

        /// <summary>The check can fail: a program calling ustat (outside the subset) is reported.</summary>
        [Fact]
        public void CheckRejectsAProgramOutsideTheSubset()
        {
            string dir = Directory.CreateTempSubdirectory("cowbird-syscalls-").FullName;
            try
            {
                File.WriteAllText(Path.Combine(dir, "ustat.c"),
                    "#include <unistd.h>\n#include <sys/syscall.h>\nint main(void) { syscall(SYS_ustat, 0, 0); return 0; }\n");
                RunResult cc = ProcessRunner.Run("cc", "musl-gcc", new[] { "-static", "-O2", "ustat.c", "-o", "ustat" },
                    null, TimeSpan.FromMinutes(2), dir);
                Assert.True(cc.ExitCode == 0, cc.Describe());
                RunResult r = Check("ustat", new Dictionary<string, string> { ["CB_USER_OUT"] = dir });
                log.WriteLine(r.Describe());
                Assert.NotEqual(0, r.ExitCode);
                Assert.Contains("BAD ustat: outside the subset: ustat", r.Stdout);
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}
