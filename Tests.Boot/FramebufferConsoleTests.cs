using System;
using System.IO;
using System.Linq;
using Xunit;

namespace Cowbird.Tests.Boot
{
    // On a framebuffer, the screen is the framebuffer console: a command typed on the keyboard,
    // and its output, must be on the screen, drawn with the kernel's font at the cells of a
    // terminal's grid (ScreenText reads the screendump back glyph by glyph).
    public sealed class FramebufferConsoleTests
    {
        // UEFI: GRUB keeps the firmware's graphics mode (OVMF: 32 bits per pixel).
        [Fact]
        public void TypedCommandAndItsOutputAreOnTheUefiScreen()
        {
            using var machine = new InteractiveQemu("framebuffer-uefi", Qemu.UefiFirmware);
            AssertHelpOnScreen(machine, 32);
        }

        // BIOS with a VESA mode asked of GRUB, at 24 bits per pixel (3 bytes a pixel).
        [Fact]
        public void TypedCommandAndItsOutputAreOnABios24BitScreen()
        {
            string iso = GrubIso.Build("", "insmod all_video\n    set gfxpayload=800x600x24");
            try
            {
                using var machine = new InteractiveQemu("framebuffer-bios24", isoPath: iso);
                AssertHelpOnScreen(machine, 24);
            }
            finally
            {
                Directory.Delete(Path.GetDirectoryName(iso), recursive: true);
            }
        }

        // Types `help` once the shell prompts, then reads the screen.
        private static void AssertHelpOnScreen(InteractiveQemu machine, int bitsPerPixel)
        {
            string dump = Path.Combine(Path.GetTempPath(), "cowbird-screen-" + Guid.NewGuid().ToString("N") + ".ppm");
            try
            {
                int at = machine.WaitForShell();
                machine.Type("help\n");
                at = machine.WaitForSerial("Run one with its arguments", at);
                // The screen is written before the serial line's next bytes: once the next prompt
                // is on the serial line, every line above it is on the screen.
                machine.WaitForSerial("\n$ ", at);
                machine.Qmp.Screendump(dump);

                string[] rows = ScreenText.Read(dump);
                string screen = string.Join("\n", rows);
                Assert.True(rows.Contains("$ help"), "no \"$ help\" row on the screen:\n" + screen);
                Assert.Contains("Cowbird sh. Builtins: help, exit [N], jobs, fg [N], bg [N]. Programs in /bin:", screen);
                Assert.Matches(@"(?m)^  cowdemo +forkdemo +swapdemo", screen);
                Assert.Contains("Run one with its arguments, e.g.: swapdemo 96", screen);
                Assert.Matches($@"screen: framebuffer, \d+x\d+ cells \(\d+x\d+, {bitsPerPixel} bpp at 0x[0-9a-f]{{16}}\)", machine.Serial);
            }
            finally
            {
                File.Delete(dump);
            }
        }
    }
}
