using System.Runtime;
using System.Runtime.CompilerServices;

namespace Cowbird.Kernel.Drivers
{
    // The 8x16 bitmap font the framebuffer console draws with: one glyph per ASCII code,
    // 16 bytes from top to bottom, bit 7 of a byte the leftmost pixel. The glyphs come from
    // a public-domain Linux console font (Debian's console-setup-linux), converted at build
    // time (Kernel/Build/console-font.sh) and linked into the kernel's read-only data.
    public static unsafe class ConsoleFont
    {
        public const int Width = 8;
        public const int Height = 16;
        private const int GlyphCount = 128;

        // The glyph of `c`; '?' for a character outside ASCII.
        public static byte* Glyph(char c)
        {
            if (c >= GlyphCount)
                c = '?';
            return GlyphsAddress() + c * Height;
        }

        [RuntimeImport("console_font_address")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern byte* GlyphsAddress();
    }
}
