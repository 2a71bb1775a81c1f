using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace Cowbird.Tests.User
{
    /// <summary>
    /// The output of a test program (see User/include/cbtest.h): PASS/FAIL lines, INFO lines that
    /// may differ between kernels, and the final "DONE name: n passed, m failed" line.
    /// </summary>
    public sealed class TestOutput
    {
        private static readonly Regex DoneLine = new(@"^DONE (\S+): (\d+) passed, (\d+) failed$");

        public IReadOnlyList<string> Passes { get; }
        public IReadOnlyList<string> Failures { get; }

        /// <summary>The PASS, FAIL and DONE lines in order: what must be equal on every kernel.</summary>
        public IReadOnlyList<string> Verdicts { get; }

        /// <summary>The DONE line's figures, or null if the program never printed it.</summary>
        public (string Program, int Passed, int Failed)? Done { get; }

        public TestOutput(string stdout)
        {
            string[] lines = stdout.Replace("\r\n", "\n").Split('\n');
            Passes = lines.Where(l => l.StartsWith("PASS ", StringComparison.Ordinal)).ToList();
            Failures = lines.Where(l => l.StartsWith("FAIL ", StringComparison.Ordinal)).ToList();
            Verdicts = lines.Where(l => l.StartsWith("PASS ", StringComparison.Ordinal) ||
                                        l.StartsWith("FAIL ", StringComparison.Ordinal) ||
                                        l.StartsWith("DONE ", StringComparison.Ordinal)).ToList();
            foreach (string line in lines)
            {
                Match m = DoneLine.Match(line);
                if (m.Success)
                    Done = (m.Groups[1].Value, int.Parse(m.Groups[2].Value), int.Parse(m.Groups[3].Value));
            }
        }

        /// <summary>Why this run of program `name` did not pass, or null if it passed: exit status 0,
        /// no FAIL line, at least one PASS, and a DONE line naming the program whose counts match.</summary>
        public static string Problem(string name, RunResult run)
        {
            var output = new TestOutput(run.Stdout);
            if (run.TimedOut)
                return "timed out";
            if (run.ExitCode != 0)
                return $"exit status {run.ExitCode}";
            if (output.Failures.Count > 0)
                return $"{output.Failures.Count} FAIL line(s), first: {output.Failures[0]}";
            if (output.Passes.Count == 0)
                return "no PASS line";
            if (output.Done is not { } done)
                return "no DONE line";
            if (done.Program != name)
                return $"DONE line names {done.Program}";
            if (done.Failed != 0 || done.Passed != output.Passes.Count)
                return $"DONE line says {done.Passed} passed, {done.Failed} failed; saw {output.Passes.Count} PASS lines";
            return null;
        }
    }
}
