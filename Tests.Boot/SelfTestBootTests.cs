using System.Text.RegularExpressions;
using Xunit;

namespace Cowbird.Tests.Boot
{
    // One QEMU boot per test. To test a new in-kernel self-test, add its name to
    // PassingSelfTests, or write a one-line BootAndExpect for other outcomes.
    public class SelfTestBootTests
    {
        // Boots with `selftest=<name>` and checks the exit status and a serial-log line.
        private static BootResult BootAndExpect(string selfTest, int expectedStatus, string expectedSerial)
        {
            BootResult result = Qemu.BootKernel("selftest=" + selfTest);
            Assert.False(result.TimedOut, "QEMU timed out. " + result);
            Assert.True(expectedStatus == result.ExitCode,
                $"expected exit status {expectedStatus}, got {result}");
            Assert.True(result.Serial.Contains(expectedSerial),
                $"serial log lacks \"{expectedSerial}\". {result}");
            return result;
        }

        [Theory]
        [InlineData("banner")]
        [InlineData("runtime")]
        public void PassingSelfTests(string name) => BootAndExpect(name, KernelExit.Success, $"selftest {name}: PASS");

        [Fact]
        public void BannerShowsTheMemorySizeFromTheMemoryMap()
        {
            BootResult result = BootAndExpect("banner", KernelExit.Success, "Cowbird");
            Match memory = Regex.Match(result.Serial, @"memory: (\d+) MiB available");
            Assert.True(memory.Success, "no memory line in the banner. " + result);
            int mebibytes = int.Parse(memory.Groups[1].Value);
            // QEMU has -m 256M; the memory map leaves out a few reserved low areas.
            Assert.InRange(mebibytes, 240, 256);
        }

        [Fact]
        public void ThrowEndsInAPanicCarryingTheMessage() =>
            BootAndExpect("throw", KernelExit.Panic, "PANIC: unhandled exception: thrown by ThrowSelfTest");

        [Fact]
        public void UnknownSelfTestNameFails() =>
            BootAndExpect("no-such-test", KernelExit.Failure, "no self-test has that name");
    }
}
