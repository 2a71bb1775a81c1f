using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace Cowbird.Tests.User
{
    /// <summary>
    /// The busybox comparison suite: each shell script of Tests.User/Busybox runs as
    /// `busybox sh -c SCRIPT NAME` with Debian's busybox-static (Kernel/Build/busybox.sh fetches
    /// it into out/busybox/) on the host's Linux, with an empty environment as Cowbird's init has
    /// and SIGPIPE's default action (the test host ignores it, and children inherit that),
    /// and on Cowbird through the runner. Output (stderr joined to stdout by a leading
    /// `exec 2>&1`) must match line by line, and so must the exit status. What really differs
    /// between the two systems (a pid, a kernel release) is named in the script by a
    /// `# mask: REGEX` line: matches are replaced by &lt;masked&gt; in both outputs first.
    /// </summary>
    public sealed class BusyboxScriptTests
    {
        private const int TimeoutSeconds = 120;
        private readonly ITestOutputHelper log;

        public BusyboxScriptTests(ITestOutputHelper log) => this.log = log;

        private static string ScriptDirectory => Path.Combine(UserPrograms.RepositoryRoot, "Tests.User", "Busybox");

        private static IEnumerable<string> AllScripts() =>
            Directory.GetFiles(ScriptDirectory, "*.sh").Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal);

        public static IEnumerable<object[]> Scripts => AllScripts().Select(n => new object[] { n });

        [Theory]
        [MemberData(nameof(Scripts))]
        public void ScriptPrintsWhatLinuxPrints(string script) => Compare(script);

        /// <summary>A mask hides what it matches and nothing else, and unmasked lines still differ.</summary>
        [Fact]
        public void MasksHideOnlyWhatTheyName()
        {
            var masks = MasksOf("echo hi\n# mask: (?<=^pid )\\d+$\n");
            Assert.Equal(new[] { "pid <masked>", "pids 12" }, Normalize("pid 12\npids 12\n", masks));
            Assert.NotEqual(Normalize("pid 1\nsame 1\n", masks), Normalize("pid 2\nsame 2\n", masks));
        }

        private void Compare(string script)
        {
            string text = "exec 2>&1\n" + File.ReadAllText(Path.Combine(ScriptDirectory, script));
            string name = Path.GetFileNameWithoutExtension(script);
            string busybox = BusyboxPath();
            RunResult host = ProcessRunner.Run("host", "env", new[] { "--default-signal=PIPE", "-i", busybox, "sh", "-c", text, name }, null,
                TimeSpan.FromSeconds(TimeoutSeconds), Path.GetTempPath());
            RunResult cowbird = ProcessRunner.Run("cowbird", "bash",
                new[] { Path.Combine(UserPrograms.RepositoryRoot, "build.sh"), "run", "--timeout", TimeoutSeconds.ToString(), "--",
                        busybox, "sh", "-c", text, name },
                null, TimeSpan.FromSeconds(TimeoutSeconds + 60), UserPrograms.RepositoryRoot);
            log.WriteLine(host.Describe());
            log.WriteLine(cowbird.Describe());
            Assert.False(host.TimedOut || cowbird.TimedOut, "a run timed out");
            var masks = MasksOf(text);
            Assert.Equal(Normalize(host.Stdout, masks), Normalize(cowbird.Stdout, masks));
            Assert.Equal(host.ExitCode, cowbird.ExitCode);
        }

        /// <summary>The script's `# mask: REGEX` lines.</summary>
        private static List<Regex> MasksOf(string script) =>
            Regex.Matches(script, @"(?m)^# mask: (.+)$").Select(m => new Regex(m.Groups[1].Value.TrimEnd('\r'))).ToList();

        /// <summary>The output's lines with every mask's matches replaced.</summary>
        private static string[] Normalize(string output, List<Regex> masks) =>
            output.Replace("\r\n", "\n").TrimEnd('\n').Split('\n')
                .Select(line => masks.Aggregate(line, (l, mask) => mask.Replace(l, "<masked>"))).ToArray();

        /// <summary>Debian's busybox, fetched once (Kernel/Build/busybox.sh prints its path).</summary>
        private static string BusyboxPath()
        {
            RunResult fetch = ProcessRunner.Run("busybox.sh", "bash",
                new[] { Path.Combine(UserPrograms.RepositoryRoot, "Kernel", "Build", "busybox.sh") }, null,
                TimeSpan.FromMinutes(5), UserPrograms.RepositoryRoot);
            Assert.True(fetch.ExitCode == 0, "fetching busybox:\n" + fetch.Describe());
            return fetch.Stdout.Trim();
        }
    }
}
