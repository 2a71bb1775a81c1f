using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace Cowbird.Tests.Boot
{
    // Runs programs on Cowbird through the runner (`./build.sh run ... -- PROGRAM ARGS`)
    // for the process tests: compiles small C programs with musl-gcc, keeps stdout as raw
    // bytes (the contract is byte-exact), and finds the kernel log the runner names on stderr.
    public static class ProcessTestHarness
    {
        private static readonly string ProgramDirectory =
            Path.Combine(AppContext.BaseDirectory, "process-test-programs");

        public sealed record Run(int ExitCode, byte[] Stdout, string Stderr, string KernelLog, TimeSpan Elapsed)
        {
            public string StdoutText => System.Text.Encoding.Latin1.GetString(Stdout);

            public string Describe() =>
                $"exit {ExitCode} after {Elapsed.TotalSeconds:F1} s\n--- stdout ---\n{StdoutText}\n--- stderr ---\n{Stderr}\n--- kernel log ---\n{KernelLog}";
        }

        // Compiles `source` (C) into a static musl program named `name`; returns its path.
        public static string Compile(string name, string source)
        {
            Directory.CreateDirectory(ProgramDirectory);
            string sourcePath = Path.Combine(ProgramDirectory, name + ".c");
            string programPath = Path.Combine(ProgramDirectory, name);
            File.WriteAllText(sourcePath, source);
            var info = new ProcessStartInfo("musl-gcc") { RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in new[] { "-static", "-O2", "-o", programPath, sourcePath })
                info.ArgumentList.Add(a);
            using Process cc = Process.Start(info);
            string errors = cc.StandardError.ReadToEnd();
            cc.WaitForExit();
            if (cc.ExitCode != 0)
                throw new InvalidOperationException($"musl-gcc failed for {name}:\n{errors}");
            return programPath;
        }

        // Writes a plain file (not a program) for tests that hand the runner something else.
        public static string WriteFile(string name, string text)
        {
            Directory.CreateDirectory(ProgramDirectory);
            string path = Path.Combine(ProgramDirectory, name);
            File.WriteAllText(path, text);
            return path;
        }

        // ./build.sh run OPTIONS -- program ARGS, with extra environment variables, started in
        // `workingDirectory` (default: the repository root).
        public static Run RunOnCowbird(IEnumerable<string> options, string program, IEnumerable<string> args,
            IReadOnlyDictionary<string, string> environment = null, TimeSpan? hostLimit = null,
            string workingDirectory = null)
        {
            var info = new ProcessStartInfo("bash")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = workingDirectory ?? Repository.Root,
            };
            info.ArgumentList.Add(Path.Combine(Repository.Root, "build.sh"));
            info.ArgumentList.Add("run");
            foreach (string o in options)
                info.ArgumentList.Add(o);
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(program);
            foreach (string a in args)
                info.ArgumentList.Add(a);
            if (environment != null)
                foreach (KeyValuePair<string, string> pair in environment)
                    info.Environment[pair.Key] = pair.Value;
            var clock = Stopwatch.StartNew();
            using Process runner = Process.Start(info);
            runner.StandardInput.Close();
            var stdout = new MemoryStream();
            Task copy = runner.StandardOutput.BaseStream.CopyToAsync(stdout);
            Task<string> stderr = runner.StandardError.ReadToEndAsync();
            if (!runner.WaitForExit((int)(hostLimit ?? TimeSpan.FromSeconds(180)).TotalMilliseconds))
            {
                runner.Kill(entireProcessTree: true);
                throw new TimeoutException("the runner did not end");
            }
            runner.WaitForExit();
            Task.WaitAll(copy, stderr);
            string log = "";
            Match m = Regex.Match(stderr.Result, @"kernel log: (\S+)");
            if (m.Success && File.Exists(m.Groups[1].Value))
                log = File.ReadAllText(m.Groups[1].Value).Replace("\r", "");
            return new Run(runner.ExitCode, stdout.ToArray(), stderr.Result, log, clock.Elapsed);
        }

        public static Run RunOnCowbird(string program, params string[] args) =>
            RunOnCowbird(Array.Empty<string>(), program, args);
    }
}
