using System.IO;
using Xunit;

namespace Cowbird.Tests.Boot
{
    // iso/cowbird.iso boots the same kernel through GRUB's multiboot2 command.
    // With no command line the kernel prints its banner and then the uptime once
    // a second, so QEMU is stopped as soon as the first uptime line appears.
    public class IsoBootTests
    {
        private const string TickingMessage = "uptime 1 s, 1";
        private const string UefiFirmware = "/usr/share/ovmf/OVMF.fd";

        private static void AssertBannerThroughGrub(BootResult result)
        {
            Assert.True(result.StoppedAtMarker, "the kernel did not reach its idle loop with a ticking timer. " + result);
            Assert.Contains("boot: multiboot2", result.Serial);
            Assert.Matches(@"memory: \d+ MiB available", result.Serial);
            Assert.Contains("layout: direct map   0xffff800000000000", result.Serial);
        }

        [Fact]
        public void BootsThroughGrubBios() => AssertBannerThroughGrub(Qemu.BootIso(TickingMessage));

        [Fact]
        public void BootsThroughGrubUefi()
        {
            Assert.True(File.Exists(UefiFirmware), $"{UefiFirmware} is missing: install Debian's ovmf (./build.sh setup)");
            AssertBannerThroughGrub(Qemu.BootIso(TickingMessage, UefiFirmware));
        }
    }
}
