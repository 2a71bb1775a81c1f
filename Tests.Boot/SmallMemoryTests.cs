using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace Cowbird.Tests.Boot
{
    // The kernel's own footprint scales with RAM: it boots and forks in the minimum it
    // names, at most 16 MiB, and below that minimum it says so in one line and powers
    // off with its own status (39) instead of panicking. (With less RAM than the kernel
    // image itself, about 4 MiB, QEMU's loader has nowhere to put it: not tested.)
    public class SmallMemoryTests
    {
        private readonly ITestOutputHelper log;

        public SmallMemoryTests(ITestOutputHelper log) => this.log = log;

        private const string ForkProgram = @"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#define SIZE (256 * 1024)
int main(void) {
    char *buffer = malloc(SIZE);
    memset(buffer, 'p', SIZE);
    for (int i = 0; i < 3; i++) {
        pid_t pid = fork();
        if (pid < 0) { printf(""fork failed\n""); return 1; }
        if (pid == 0) {
            memset(buffer, 'a' + i, SIZE);
            for (int j = 0; j < SIZE; j++) if (buffer[j] != 'a' + i) _exit(2);
            _exit(0);
        }
        int status;
        if (waitpid(pid, &status, 0) != pid || status != 0) { printf(""child %d: status %d\n"", i, status); return 1; }
    }
    for (int j = 0; j < SIZE; j++) if (buffer[j] != 'p') { printf(""parent's copy changed\n""); return 1; }
    printf(""ok\n"");
    return 0;
}";

        [Fact]
        public void BootsAndForksInTheMinimumItNamesAndStopsCleanlyBelowIt()
        {
            string program = ProcessTestHarness.Compile("small_memory_fork", ForkProgram);

            ProcessTestHarness.Run tooSmall = ProcessTestHarness.RunOnCowbird(new[] { "--mem", "6" }, program, new string[0]);
            log.WriteLine(tooSmall.Describe());
            Match minimum = Regex.Match(tooSmall.Stderr, @"Cowbird needs at least (\d+) MiB of RAM; this machine has \d+ KiB available");
            Assert.True(minimum.Success, tooSmall.Describe());
            Assert.DoesNotContain("PANIC", tooSmall.KernelLog);
            Assert.Equal(125, tooSmall.ExitCode);
            int minimumMiB = int.Parse(minimum.Groups[1].Value);
            Assert.InRange(minimumMiB, 7, 16);

            ProcessTestHarness.Run fits = ProcessTestHarness.RunOnCowbird(new[] { "--mem", minimumMiB.ToString() }, program, new string[0]);
            log.WriteLine(fits.Describe());
            Assert.True(fits.ExitCode == 0, fits.Describe());
            Assert.Equal("ok\n", fits.StdoutText);
            Assert.Matches(@"kernel footprint: \d+ KiB", fits.KernelLog);
        }
    }
}
