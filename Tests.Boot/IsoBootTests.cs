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
            Assert.Contains("rmap: anon_vma_chain (reverse-mapping design", result.Serial);
        }

        [Fact]
        public void BootsThroughGrubBios() => AssertBannerThroughGrub(Qemu.BootIso(TickingMessage));

        // The kernel's symbol table is part of the loaded image, so panics name C#
        // methods under GRUB too (here a stack overflow, through the double-fault stack).
        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void PanicThroughGrubNamesTheMethod(bool uefi)
        {
            string iso = GrubIso.Build("selftest=stackoverflow");
            try
            {
                BootResult result = Qemu.BootIso(stopMarker: null, uefi ? UefiFirmware : null, isoPath: iso);
                Assert.True(result.ExitCode == KernelExit.Panic, "expected a panic. " + result);
                Assert.Matches(@"PANIC: double fault \(kernel stack overflow: boot stack guard page hit\) at 0x[0-9a-f]{16} in Cowbird\.Kernel\.SelfTests\.StackOverflowSelfTest\.Recurse\+0x", result.Serial);
            }
            finally
            {
                Directory.Delete(Path.GetDirectoryName(iso), recursive: true);
            }
        }

        [Fact]
        public void BootsThroughGrubUefi()
        {
            Assert.True(File.Exists(UefiFirmware), $"{UefiFirmware} is missing: install Debian's ovmf (./build.sh setup)");
            AssertBannerThroughGrub(Qemu.BootIso(TickingMessage, UefiFirmware));
        }
    }
}
