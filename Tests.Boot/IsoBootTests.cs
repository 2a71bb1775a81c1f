using System.IO;
using Xunit;

namespace Cowbird.Tests.Boot
{
    // iso/cowbird.iso boots the same kernel through GRUB's multiboot2 command.
    // With no command line the kernel prints its banner and halts, so QEMU is
    // stopped as soon as the halt message appears.
    public class IsoBootTests
    {
        private const string HaltMessage = "Nothing more to do yet: halted";
        private const string UefiFirmware = "/usr/share/ovmf/OVMF.fd";

        private static void AssertBannerThroughGrub(BootResult result)
        {
            Assert.True(result.StoppedAtMarker, "the kernel did not reach its idle halt. " + result);
            Assert.Contains("boot: multiboot2", result.Serial);
            Assert.Matches(@"memory: \d+ MiB available", result.Serial);
        }

        [Fact]
        public void BootsThroughGrubBios() => AssertBannerThroughGrub(Qemu.BootIso(HaltMessage));

        [Fact]
        public void BootsThroughGrubUefi()
        {
            Assert.True(File.Exists(UefiFirmware), $"{UefiFirmware} is missing: install Debian's ovmf (./build.sh setup)");
            AssertBannerThroughGrub(Qemu.BootIso(HaltMessage, UefiFirmware));
        }
    }
}
