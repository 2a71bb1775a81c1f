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

        // Busybox `clear` (ESC [ H ESC [ J) empties the screen and puts the cursor top left,
        // and ash's question for the cursor position (ESC [ 6 n) after each prompt leaves no
        // trace: the prompt and what follows are the first rows, nothing below them.
        [Fact]
        public void ClearEmptiesTheUefiScreen()
        {
            using var machine = new InteractiveQemu("framebuffer-clear", Qemu.UefiFirmware);
            string dump = Path.Combine(Path.GetTempPath(), "cowbird-screen-" + Guid.NewGuid().ToString("N") + ".ppm");
            try
            {
                int at = machine.WaitForAsh();
                machine.Type("clear\n");
                at = machine.WaitForAshPrompt(machine.WaitForSerial("clear\n", at));
                machine.Type("echo one\n");
                machine.WaitForAshPrompt(machine.WaitForSerial("\none\n", at));
                machine.Qmp.Screendump(dump);

                string[] rows = ScreenText.Read(dump);
                string screen = string.Join("\n", rows);
                Assert.True(rows.Length > 3, "the screen has too few rows:\n" + screen);
                Assert.Equal(ShellText.AshPrompt + "echo one", rows[0]);
                Assert.Equal("one", rows[1]);
                Assert.StartsWith(ShellText.AshPrompt.TrimEnd(), rows[2]);
                Assert.All(rows.Skip(3), row => Assert.Equal("", row));
            }
            finally
            {
                File.Delete(dump);
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
                foreach (string demo in new[] { "cowdemo", "forkdemo", "swapdemo" })
                    Assert.Matches($@"(?m)^  (\S+ +)*{demo}\b", screen);
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
