using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Cowbird.Tests.Boot
{
    // The runner contract (`./build.sh run [options] -- PROGRAM ARGS`), checked
    // end to end on Cowbird under QEMU: exit statuses (the program's, 128+N, 124, 125),
    // byte-exact stdout without kernel log lines, the kernel log file and --verbose.
    public sealed class ProcessRunnerTests
    {
        private readonly ITestOutputHelper log;

        public ProcessRunnerTests(ITestOutputHelper log) => this.log = log;

        private const string ExitWithArgument = @"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
int main(int argc, char **argv) {
    if (argc != 3 || strcmp(argv[0], ""exitwith"") != 0 || strcmp(argv[2], ""two words"") != 0) return 99;
    return atoi(argv[1]);
}";

        [Theory]
        [InlineData("0", 0)]
        [InlineData("42", 42)]
        [InlineData("255", 255)]
        public void ExitStatusIsTheProgramsOwnAndArgvArrives(string code, int expected)
        {
            string program = ProcessTestHarness.Compile("exitwith", ExitWithArgument);
            ProcessTestHarness.Run run = ProcessTestHarness.RunOnCowbird(program, code, "two words");
            log.WriteLine(run.Describe());
            Assert.True(run.ExitCode == expected, run.Describe());
            Assert.Contains("COWBIRD-EXIT status=" + expected, run.KernelLog);
        }

        // `cd ~/lab && ~/cowbird/build.sh run -- ./a.out`: a relative PROGRAM is the caller's.
        [Fact]
        public void ARelativeProgramPathIsResolvedFromTheCallersDirectory()
        {
            string program = ProcessTestHarness.Compile("exitwith", ExitWithArgument);
            ProcessTestHarness.Run run = ProcessTestHarness.RunOnCowbird(Array.Empty<string>(),
                "./" + System.IO.Path.GetFileName(program), new[] { "7", "two words" },
                workingDirectory: System.IO.Path.GetDirectoryName(program));
            Assert.True(run.ExitCode == 7, run.Describe());
            ProcessTestHarness.Run missing = ProcessTestHarness.RunOnCowbird(Array.Empty<string>(),
                "./no-such-program", Array.Empty<string>(), workingDirectory: System.IO.Path.GetDirectoryName(program));
            Assert.True(missing.ExitCode == 2, missing.Describe());
            Assert.Contains("no such program: ./no-such-program", missing.Stderr);
        }

        [Fact]
        public void StdoutHoldsExactlyTheProgramsBytes()
        {
            string program = ProcessTestHarness.Compile("allbytes", @"
#include <unistd.h>
int main(void) {
    unsigned char b[256];
    for (int i = 0; i < 256; i++) b[i] = (unsigned char)i;
    write(1, b, 256);
    static const char tail[] = ""\n\r\nstderr too\n"";
    write(2, tail, sizeof tail - 1);
    return 0;
}");
            ProcessTestHarness.Run run = ProcessTestHarness.RunOnCowbird(program);
            byte[] expected = Enumerable.Range(0, 256).Select(i => (byte)i)
                .Concat(System.Text.Encoding.ASCII.GetBytes("\n\r\nstderr too\n")).ToArray();
            Assert.True(run.ExitCode == 0, run.Describe());
            Assert.Equal(expected, run.Stdout);
            Assert.Contains("Cowbird: a teaching kernel", run.KernelLog);
        }

        [Fact]
        public void DeathBySigkillIs137()
        {
            string program = ProcessTestHarness.Compile("selfkill", @"
#include <signal.h>
#include <unistd.h>
int main(void) { kill(getpid(), SIGKILL); return 3; }");
            ProcessTestHarness.Run run = ProcessTestHarness.RunOnCowbird(program);
            Assert.True(run.ExitCode == 128 + 9, run.Describe());
            Assert.Contains("COWBIRD-EXIT signal=9", run.KernelLog);
        }

        [Fact]
        public void SegfaultIs139WithALinuxStyleLogLine()
        {
            string program = ProcessTestHarness.Compile("crash", @"
int main(void) { volatile int *p = 0; return *p; }");
            ProcessTestHarness.Run run = ProcessTestHarness.RunOnCowbird(program);
            Assert.True(run.ExitCode == 128 + 11, run.Describe());
            Assert.Matches(@"(?m)^crash\[1\]: segfault at 0 ip 0x[0-9a-f]{16} sp 0x[0-9a-f]{16} error 4$", run.KernelLog);
            Assert.Empty(run.Stdout);
        }

        [Fact]
        public void TimeoutIs124()
        {
            string program = ProcessTestHarness.Compile("spin", @"
int main(void) { for (;;) { } }");
            ProcessTestHarness.Run run = ProcessTestHarness.RunOnCowbird(new[] { "--timeout", "5" }, program, Array.Empty<string>());
            Assert.True(run.ExitCode == 124, run.Describe());
            Assert.True(run.Elapsed < TimeSpan.FromSeconds(120), run.Describe());
        }

        [Fact]
        public void KernelPanicIs125WithThePanicTextOnStderr()
        {
            string program = ProcessTestHarness.Compile("exitwith", ExitWithArgument);
            ProcessTestHarness.Run run = ProcessTestHarness.RunOnCowbird(Array.Empty<string>(), program, new[] { "1", "two words" },
                new Dictionary<string, string> { ["COWBIRD_KERNEL_ARGS"] = "selftest=nullderef" });
            Assert.True(run.ExitCode == 125, run.Describe());
            Assert.Contains("PANIC: page fault (null dereference)", run.Stderr);
            Assert.Empty(run.Stdout);
        }

        [Fact]
        public void VerboseSendsTheKernelLogToStderr()
        {
            string program = ProcessTestHarness.Compile("exitwith", ExitWithArgument);
            ProcessTestHarness.Run run = ProcessTestHarness.RunOnCowbird(new[] { "--verbose" }, program, new[] { "7", "two words" });
            Assert.True(run.ExitCode == 7, run.Describe());
            Assert.Contains("Cowbird: a teaching kernel", run.Stderr);
            Assert.Contains("COWBIRD-EXIT status=7", run.Stderr);
            Assert.Empty(run.Stdout);
        }

        // A CPU exception in ring 3 other than #PF kills the program with Linux's signal and
        // one "traps:" log line; the kernel keeps running (it would have panicked before).
        [Theory]
        [InlineData("ud", "__asm__ volatile(\"ud2\");", 4, "invalid opcode")]
        [InlineData("int81", "__asm__ volatile(\"int $0x81\");", 11, "general protection")]
        [InlineData("divide", "volatile int zero = 0; return 7 / zero;", 8, "divide error")]
        [InlineData("hlt", "__asm__ volatile(\"hlt\");", 11, "general protection")]
        public void CpuExceptionsInRing3KillWithLinuxsSignal(string name, string body, int signal, string trap)
        {
            string program = ProcessTestHarness.Compile(name, "int main(void) { " + body + " return 0; }");
            ProcessTestHarness.Run run = ProcessTestHarness.RunOnCowbird(program);
            Assert.True(run.ExitCode == 128 + signal, run.Describe());
            Assert.Matches(@"(?m)^traps: " + name + @"\[1\] trap " + trap + " ip:[0-9a-f]+ sp:[0-9a-f]+ error:[0-9a-f]+$", run.KernelLog);
        }
    }
}
