using System.Globalization;
using System.Text.RegularExpressions;
using Xunit;

namespace Cowbird.Tests.Boot
{
    // One QEMU boot per test. To test a new in-kernel self-test, add its name to
    // PassingSelfTests, or write a one-line BootAndExpect for other outcomes.
    public class SelfTestBootTests
    {
        // Boots with `selftest=<name>` and checks the exit status and a serial-log line.
        internal static BootResult BootAndExpect(string selfTest, int expectedStatus, string expectedSerial)
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
        [InlineData("interrupts")]
        [InlineData("directmap")]
        [InlineData("kernel-stacks")]
        public void PassingSelfTests(string name) => BootAndExpect(name, KernelExit.Success, $"selftest {name}: PASS");

        // With 4.5 GiB, QEMU puts RAM above 4 GiB: the direct map must grow past
        // what the boot stub maps, with 1 GiB pages.
        [Fact]
        public void DirectMapCoversRamAbove4GiB()
        {
            BootResult result = Qemu.BootKernel("selftest=directmap", memory: "4608M");
            Assert.True(result.ExitCode == KernelExit.Success && result.Serial.Contains("selftest directmap: PASS"), "the direct-map self-test failed. " + result);
            Match page = Regex.Match(result.Serial, @"highest RAM page: physical 0x([0-9a-f]{16})");
            Assert.True(page.Success, "no highest-page line. " + result);
            Assert.True(ulong.Parse(page.Groups[1].Value, NumberStyles.HexNumber) >= 4UL << 30, "the highest RAM page is not above 4 GiB. " + result);
        }

        [Fact]
        public void BannerShowsLayoutAndATickingTimer()
        {
            BootResult result = BootAndExpect("banner", KernelExit.Success, "selftest banner: PASS");
            Assert.Matches(@"layout: direct map   0xffff800000000000 \+ physical \(\d+ MiB mapped\)", result.Serial);
            Assert.Contains("kernel image 0xffffffff80100000", result.Serial);
            // QEMU -cpu max has SMEP and SMAP; the boot stub sets WP and NX.
            Assert.Contains("protection: CR0.WP on, NX on, SMEP on, SMAP on", result.Serial);
            Assert.Matches(@"W\^X: text r-x at 0xffffffff80100000, rodata r-- at 0xffffffff8[0-9a-f]{4}000, data rw- at 0xffffffff8[0-9a-f]{4}000", result.Serial);
            Assert.Contains("timer: PIT at 100 Hz", result.Serial);
            Match ticks = Regex.Match(result.Serial, @"  timer: (\d+) ticks");
            Assert.True(ticks.Success && int.Parse(ticks.Groups[1].Value) >= 3, "the banner self-test saw no ticks. " + result);
        }

        // The clock line says which source keeps time: the TSC with its calibrated rate, or
        // the PIT tick and why.
        [Fact]
        public void BannerNamesTheClockSource()
        {
            BootResult result = BootAndExpect("banner", KernelExit.Success, "selftest banner: PASS");
            Assert.Matches(@"clock: (TSC \d+\.\d MHz, (invariant|not flagged invariant but under a hypervisor \(host rate\)), calibrated against the PIT; clock_gettime in ns|PIT ticks, 10 ms resolution \(.+\))\r?\n", result.Serial);
            Assert.Matches(@"  clock: \d+ ns over 3 ticks", result.Serial);
        }

        // clock=pit keeps time in ticks, and the banner says so.
        [Fact]
        public void ClockEqualsPitKeepsTheTickClock()
        {
            BootResult result = Qemu.BootKernel("selftest=banner clock=pit");
            Assert.True(result.ExitCode == KernelExit.Success, "the banner self-test failed. " + result);
            Assert.Contains("clock: PIT ticks, 10 ms resolution (clock=pit on the command line)", result.Serial);
        }

        // With no self-test the kernel idles and prints its uptime once a second.
        [Fact]
        public void IdleKernelShowsTheTimerTicking()
        {
            BootResult result = Qemu.BootKernel("", stopMarker: "uptime 2 s, 2");
            Assert.True(result.StoppedAtMarker, "no second uptime line. " + result);
            Assert.Contains("uptime 1 s, 1", result.Serial);
        }

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

        // rmap_offsets=reserve: the banner says the anon_vma designs run with reservations;
        // a design that does not find pages by offset keeps linear and says why.
        [Theory]
        [InlineData("rmap_offsets=reserve", "rmap: anon_vma_chain, offsets reserve (reverse-mapping design")]
        [InlineData("rmap=anon_vma_2004 rmap_offsets=reserve", "rmap: anon_vma_2004, offsets reserve (reverse-mapping design")]
        [InlineData("rmap=scan rmap_offsets=reserve", "rmap_offsets: this design does not find pages by offset, using linear")]
        public void BannerNamesTheAnonymousOffsets(string commandLine, string expected) =>
            AssertBannerSays(commandLine, expected);

        // rmap=NAME: the banner names the design, given by its name or its short form; an
        // unknown name keeps the default and says so.
        [Theory]
        [InlineData("rmap=pte_chain", "rmap: pte_chain (reverse-mapping design")]
        [InlineData("rmap=objtree", "rmap: object_tree (reverse-mapping design")]
        [InlineData("rmap=anonvma2004", "rmap: anon_vma_2004 (reverse-mapping design")]
        [InlineData("rmap=anonvma", "rmap: anon_vma_chain (reverse-mapping design")]
        [InlineData("rmap=btree", "rmap: unknown design on the command line, using anon_vma_chain")]
        public void BannerNamesTheRmapDesign(string commandLine, string expected) =>
            AssertBannerSays(commandLine, expected);

        // rmap_reuse=0: the banner says anon_vma_chain runs without the 2015 reuse; other
        // designs and other values keep the default and say why.
        [Theory]
        [InlineData("rmap_reuse=0", "rmap: anon_vma_chain, no anon_vma reuse (reverse-mapping design")]
        [InlineData("rmap=pte_chain rmap_reuse=0", "rmap_reuse: only anon_vma_chain reuses anon_vmas, ignored")]
        [InlineData("rmap_reuse=no", "rmap_reuse: not 0 or 1 on the command line, keeping it on")]
        public void BannerSaysWhetherAnonVmasAreReused(string commandLine, string expected) =>
            AssertBannerSays(commandLine, expected);

        // mm.zero_page: the banner says whether read faults map the shared zero page; 0 turns
        // it off, a value other than 0 or 1 keeps it on and says so.
        [Theory]
        [InlineData("", "zero page: on (frame ")]
        [InlineData("mm.zero_page=0", "zero page: off (mm.zero_page=0 on the command line)")]
        [InlineData("mm.zero_page=yes", "mm.zero_page: not 0 or 1 on the command line, keeping it on")]
        public void BannerSaysWhetherTheZeroPageIsOn(string commandLine, string expected) =>
            AssertBannerSays(commandLine, expected);

        // mm.shared_pt: the banner says whether fork shares last-level page tables; 0 turns
        // it off, a design that records single PTEs cannot use it, a value other than 0 or
        // 1 keeps it on and says so.
        [Theory]
        [InlineData("", "shared page tables: on (fork shares last-level tables")]
        [InlineData("mm.shared_pt=0", "shared page tables: off (mm.shared_pt=0 on the command line)")]
        [InlineData("rmap=pte_chain", "shared page tables: off (this rmap design records single PTEs)")]
        [InlineData("mm.shared_pt=yes", "mm.shared_pt: not 0 or 1 on the command line, keeping it on")]
        public void BannerSaysWhetherPageTablesAreShared(string commandLine, string expected) =>
            AssertBannerSays(commandLine, expected);

        // Boots the banner self-test with `commandLine` added; it must pass and print `expected`.
        static void AssertBannerSays(string commandLine, string expected)
        {
            BootResult result = Qemu.BootKernel("selftest=banner " + commandLine);
            Assert.True(result.ExitCode == KernelExit.Success, "the banner self-test failed. " + result);
            Assert.Contains(expected, result.Serial);
        }

        [Fact]
        public void UnknownSelfTestNameFails() =>
            BootAndExpect("no-such-test", KernelExit.Failure, "no self-test has that name");
    }
}
