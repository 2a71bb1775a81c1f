using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Boot;

namespace Cowbird.Kernel.Drivers
{
    // The screen the console shows its text on: the boot loader's RGB framebuffer when there
    // is one (UEFI, or a graphics mode asked of GRUB), else the VGA text screen (BIOS), else
    // none (only the serial line shows output). Kernel messages and the console's output
    // both come here.
    public static class Screen
    {
        private static TextScreen s_screen;
        private static string s_kind = "none";

        // Picks the screen from what the boot loader reported, and clears it.
        public static void Initialize(BootInfo bootInfo)
        {
            if (bootInfo.Framebuffer != null)
            {
                s_screen = FramebufferConsole.TryCreate(bootInfo.Framebuffer);
                s_kind = s_screen != null ? "framebuffer" : "none (framebuffer format or address not supported)";
            }
            else if (bootInfo.HasTextScreen)
            {
                s_screen = new VgaTextScreen();
                s_kind = "VGA text";
            }
            s_screen?.Clear();
        }

        // The screen's size in character cells (0 x 0 without a screen).
        public static int Columns => s_screen != null ? s_screen.Columns : 0;
        public static int Rows => s_screen != null ? s_screen.Rows : 0;

        // Writes one character with interrupts off: a message printed from an interrupt
        // handler must not land in the middle of a character being placed (the cursor would
        // move under its feet, past the end of a row).
        public static void Write(char c)
        {
            if (s_screen == null)
                return;
            ulong flags = Cpu.SaveFlagsAndDisableInterrupts();
            s_screen.Write(c);
            Cpu.RestoreFlags(flags);
        }

        // The banner's line: which screen, and its size in cells.
        public static void WriteBannerLine(BootInfo bootInfo)
        {
            KernelConsole.Write("screen: ");
            KernelConsole.Write(s_kind);
            if (s_screen != null)
            {
                KernelConsole.Write(", ");
                KernelConsole.WriteDecimal((ulong)s_screen.Columns);
                KernelConsole.Write("x");
                KernelConsole.WriteDecimal((ulong)s_screen.Rows);
                KernelConsole.Write(" cells");
            }
            FramebufferInfo fb = bootInfo.Framebuffer;
            if (fb != null)
            {
                KernelConsole.Write(" (");
                KernelConsole.WriteDecimal(fb.Width);
                KernelConsole.Write("x");
                KernelConsole.WriteDecimal(fb.Height);
                KernelConsole.Write(", ");
                KernelConsole.WriteDecimal(fb.BitsPerPixel);
                KernelConsole.Write(" bpp at ");
                KernelConsole.WriteHex(fb.Address);
                KernelConsole.Write(")");
            }
            KernelConsole.Write('\n');
        }
    }
}
