using System;

namespace Cowbird.Tests.User
{
    /// <summary>
    /// How one run of a program ended, in the runner contract (README, "Running one program"): ExitCode is the program's
    /// exit status, 128+N if a signal N killed it; Stdout holds exactly the bytes it (and its
    /// children) wrote to fd 1 and 2 (the host runner keeps stderr apart in Stderr).
    /// </summary>
    public sealed record RunResult(string RunnerName, int ExitCode, string Stdout, string Stderr, bool TimedOut, TimeSpan Elapsed)
    {
        /// <summary>Everything a failing assertion should show: how it ended and all output.</summary>
        public string Describe() =>
            $"runner {RunnerName}: exit status {ExitCode}{(TimedOut ? " (TIMED OUT)" : "")} after {Elapsed.TotalSeconds:F1} s\n" +
            $"--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
    }
}
