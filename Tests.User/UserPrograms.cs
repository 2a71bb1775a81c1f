using System;
using System.Diagnostics;
using System.IO;

namespace Cowbird.Tests.User
{
    /// <summary>Where the user programs are, and their build: User/build.sh runs once per test run
    /// (it is incremental), the first time any test asks for a program.</summary>
    public static class UserPrograms
    {
        private static readonly Lazy<string> Root = new(FindRepositoryRoot);
        private static readonly Lazy<string> BuildLog = new(BuildAll);

        /// <summary>The repository root: the first folder above the test assembly holding Cowbird.sln.</summary>
        public static string RepositoryRoot => Root.Value;

        /// <summary>User/out: where User/build.sh puts the programs.</summary>
        public static string OutDirectory => Path.Combine(RepositoryRoot, "User", "out");

        /// <summary>The built program NAME (builds everything first if this run has not yet).</summary>
        public static string PathOf(string name)
        {
            _ = BuildLog.Value;
            return Path.Combine(OutDirectory, name);
        }

        /// <summary>Runs User/build.sh once; throws with its output if it fails.</summary>
        public static string EnsureBuilt() => BuildLog.Value;

        private static string FindRepositoryRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Cowbird.sln")) && Directory.Exists(Path.Combine(dir.FullName, "User")))
                    return dir.FullName;
            throw new InvalidOperationException($"no Cowbird.sln with a User/ folder above {AppContext.BaseDirectory}");
        }

        private static string BuildAll()
        {
            string script = Path.Combine(RepositoryRoot, "User", "build.sh");
            RunResult r = ProcessRunner.Run("build", "bash", new[] { script }, null, TimeSpan.FromMinutes(10), RepositoryRoot);
            if (r.ExitCode != 0 || r.TimedOut)
                throw new InvalidOperationException($"User/build.sh failed:\n{r.Describe()}");
            return r.Stdout + r.Stderr;
        }
    }
}
