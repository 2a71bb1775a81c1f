using System;
using System.IO;
using System.Linq;
using Xunit;

namespace Cowbird.Tests.Boot
{
    // Under UEFI the screen is the framebuffer console: a command typed on the keyboard, and
    // its output, must be on the screen, drawn with the kernel's font at the cells of a
    // terminal's grid (ScreenText reads the screendump back glyph by glyph).
    public sealed class FramebufferConsoleTests
    {
        [Fact]
        public void TypedCommandAndItsOutputAreOnTheUefiScreen()
        {
            string dump = Path.Combine(Path.GetTempPath(), "cowbird-screen-" + Guid.NewGuid().ToString("N") + ".ppm");
            try
            {
                using var machine = new InteractiveQemu("framebuffer-uefi", Qemu.UefiFirmware);
                int at = machine.WaitForSerial(ShellText.Greeting);
                at = machine.WaitForSerial("$ ", at);
                foreach (char c in "help")
                    machine.Qmp.SendKey(c.ToString());
                machine.Qmp.SendKey("ret");
                at = machine.WaitForSerial("Run one with its arguments", at);
                // The screen is written before the serial line's next bytes: once the next prompt
                // is on the serial line, every line above it is on the screen.
                machine.WaitForSerial("\n$ ", at);
                machine.Qmp.Screendump(dump);

                string[] rows = ScreenText.Read(dump);
                string screen = string.Join("\n", rows);
                Assert.True(rows.Contains("$ help"), "no \"$ help\" row on the screen:\n" + screen);
                Assert.Contains("Cowbird sh. Builtins: help, exit [N]. Programs in /bin:", screen);
                Assert.Contains("\n  forkdemo\n", screen);
                Assert.Contains("Run one with its arguments, e.g.: swapdemo 96", screen);
                Assert.Matches(@"screen: framebuffer, \d+x\d+ cells \(\d+x\d+, 32 bpp at 0x[0-9a-f]{16}\)", machine.Serial);
            }
            finally
            {
                File.Delete(dump);
            }
        }
    }
}
