using System.IO;
using Xunit;

namespace Cowbird.Tests.Boot
{
    // iso/cowbird.iso boots the same kernel through GRUB's multiboot2 command, with the
    // initrd as a Multiboot2 module: the kernel prints its banner and starts busybox ash,
    // so QEMU is stopped as soon as ash greets.
    public class IsoBootTests
    {

        private static void AssertBannerThroughGrub(BootResult result)
        {
            Assert.True(result.StoppedAtMarker, "the shell did not start. " + result);
            Assert.Contains("boot: multiboot2", result.Serial);
            Assert.Matches(@"memory: \d+ MiB available", result.Serial);
            Assert.Contains("layout: direct map   0xffff800000000000", result.Serial);
            Assert.Contains("rmap: anon_vma_chain (reverse-mapping design", result.Serial);
            Assert.Matches(@"initrd: \d+ KiB boot module", result.Serial);
            Assert.Contains("init: starting /bin/sh as pid 1", result.Serial);
        }

        [Fact]
        public void BootsThroughGrubBios() => AssertBannerThroughGrub(Qemu.BootIso(ShellText.AshGreeting));

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
                BootResult result = Qemu.BootIso(stopMarker: null, uefi ? Qemu.UefiFirmware : null, isoPath: iso);
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
            Assert.True(File.Exists(Qemu.UefiFirmware), $"{Qemu.UefiFirmware} is missing: install Debian's ovmf (./build.sh setup)");
            AssertBannerThroughGrub(Qemu.BootIso(ShellText.AshGreeting, Qemu.UefiFirmware));
        }
    }
}
