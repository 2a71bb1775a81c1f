using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading.Tasks;

namespace Cowbird.Tests.User
{
    /// <summary>Starts a host process, feeds its stdin, collects stdout and stderr, enforces a time
    /// limit (killing the whole process tree) and reports the exit status as the runner contract
    /// wants it (.NET already reports death by signal N as 128+N).</summary>
    public static class ProcessRunner
    {
        /// <summary>Runs file with args in workingDirectory, with extra environment variables if
        /// given; see the class comment.</summary>
        public static RunResult Run(string runnerName, string file, IReadOnlyList<string> args, string stdin,
            TimeSpan timeout, string workingDirectory, IReadOnlyDictionary<string, string> environment = null)
        {
            var info = new ProcessStartInfo(file)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = workingDirectory,
            };
            foreach (string a in args)
                info.ArgumentList.Add(a);
            if (environment != null)
                foreach (KeyValuePair<string, string> pair in environment)
                    info.Environment[pair.Key] = pair.Value;
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            try
            {
                if (stdin != null)
                    process.StandardInput.Write(stdin);
                process.StandardInput.Close();
            }
            catch (System.IO.IOException)
            {
                // The program exited without reading all its input: its exit status tells the rest.
            }
            bool finished = process.WaitForExit((int)timeout.TotalMilliseconds);
            if (!finished)
                process.Kill(entireProcessTree: true);
            process.WaitForExit();
            // Children the program left behind may keep the pipes open; do not wait for them forever.
            Task.WaitAll(new Task[] { stdout, stderr }, TimeSpan.FromSeconds(10));
            string Text(Task<string> t) => t.IsCompletedSuccessfully ? t.Result : "(output not complete: a process still holds the pipe)";
            return new RunResult(runnerName, process.ExitCode, Text(stdout), Text(stderr), !finished, clock.Elapsed);
        }
    }
}
