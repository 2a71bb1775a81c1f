using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace Cowbird.Tests.Boot
{
    // `./build.sh trace-fault KIND`: one page fault single-stepped under gdb, its instructions
    // counted per function. QEMU steps with interrupts held off, so a rerun gives the same counts
    // within a few instructions and the test can compare kinds: a first write zeroes a 4 KiB frame, a first read maps the
    // shared zero page and copies nothing.
    public sealed class FaultTraceTests
    {
        private readonly ITestOutputHelper log;

        public FaultTraceTests(ITestOutputHelper log) => this.log = log;

        [Fact]
        public void ReadAndWriteFaultsAreTracedToTheReturnToRingThree()
        {
            long read = TracedInstructions("read", out string readTable);
            long write = TracedInstructions("write", out string writeTable);
            Assert.Contains("Cowbird.Mm.Vm.FaultHandler.Handle", readTable);
            Assert.Contains("PhysicalMemory.ZeroFrame", writeTable);
            Assert.DoesNotContain("PhysicalMemory.ZeroFrame", readTable);
            Assert.True(read > 100, $"a read fault of {read} instructions cannot have run the fault handler");
            Assert.True(write > read + 512,
                $"a write fault ({write} instructions) must pay for zeroing 512 words that a read fault ({read}) does not");
        }

        // Runs the trace with a gdb port of its own; returns the total and the printed table.
        private long TracedInstructions(string kind, out string table)
        {
            var info = new ProcessStartInfo("bash")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = Repository.Root,
            };
            foreach (string a in new[] { System.IO.Path.Combine(Repository.Root, "build.sh"), "trace-fault", kind, "--top", "40" })
                info.ArgumentList.Add(a);
            info.Environment["GDB_PORT"] = FreeTcpPort().ToString();
            using Process trace = Process.Start(info);
            Task<string> stdout = trace.StandardOutput.ReadToEndAsync();
            Task<string> stderr = trace.StandardError.ReadToEndAsync();
            if (!trace.WaitForExit((int)TimeSpan.FromSeconds(300).TotalMilliseconds))
            {
                trace.Kill(entireProcessTree: true);
                throw new TimeoutException($"trace-fault {kind} did not end");
            }
            trace.WaitForExit();
            table = stdout.Result;
            log.WriteLine(table + stderr.Result);
            Assert.True(trace.ExitCode == 0, $"trace-fault {kind} failed:\n{table}{stderr.Result}");
            Match m = Regex.Match(table, $@"^trace-fault {kind}: ([\d,]+) instructions from the page-fault entry to ring 3", RegexOptions.Multiline);
            Assert.True(m.Success, $"no total in:\n{table}");
            return long.Parse(m.Groups[1].Value.Replace(",", ""));
        }

        private static int FreeTcpPort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }
    }
}
