using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Boot;

namespace Cowbird.Kernel.Drivers
{
    // Text on a linear RGB framebuffer (what GRUB hands over under UEFI, or under BIOS when
    // asked for a graphics mode): every cell is an 8x16 glyph of ConsoleFont drawn pixel by
    // pixel, light grey on black like the VGA text screen; the cursor is an underline.
    // 32 and 24 bits per pixel; the channel positions come from the boot loader, so BGR and
    // RGB orders both work. The framebuffer is reached through the direct map.
    public sealed unsafe class FramebufferConsole : TextScreen
    {
        private const byte Grey = 0xAA;                // VGA's light grey
        private const int CursorRows = 2;              // the underline: the glyph's last two rows

        private readonly byte* _pixels;
        private readonly uint _pitch;
        private readonly int _bytesPerPixel;
        private readonly uint _foreground;
        private readonly uint _background;

        // At most this many cells (a 2048x2048-pixel corner): the text buffer is allocated while
        // the kernel still runs on its small first heap, whatever size the loader reports.
        private const uint MaxColumns = 256;
        private const uint MaxRows = 128;

        private FramebufferConsole(FramebufferInfo info, int bytesPerPixel)
            : base((int)Min(info.Width / ConsoleFont.Width, MaxColumns), (int)Min(info.Height / ConsoleFont.Height, MaxRows))
        {
            _pixels = KernelLayout.PhysicalToVirtual(info.Address);
            _pitch = info.Pitch;
            _bytesPerPixel = bytesPerPixel;
            _foreground = Pack(info, Grey, Grey, Grey);
            _background = Pack(info, 0, 0, 0);
        }

        // A console on `info`, or null when its format is not supported (not 24 or 32 bits per
        // pixel, smaller than one cell, rows shorter than their pixels) or it lies outside the
        // direct map.
        public static FramebufferConsole TryCreate(FramebufferInfo info)
        {
            if (info.BitsPerPixel != 24 && info.BitsPerPixel != 32)
                return null;
            int bytesPerPixel = info.BitsPerPixel / 8;
            if (info.Width < ConsoleFont.Width || info.Height < ConsoleFont.Height || info.Pitch < info.Width * (uint)bytesPerPixel)
                return null;
            ulong size = (ulong)info.Pitch * info.Height;
            if (info.Address + size > KernelLayout.DirectMapSize || info.Address + size < info.Address)
                return null;
            return new FramebufferConsole(info, bytesPerPixel);
        }

        private static uint Min(uint a, uint b) => a < b ? a : b;

        // The pixel value of colour (red, green, blue), each 0..255, in the framebuffer's layout.
        private static uint Pack(FramebufferInfo info, byte red, byte green, byte blue) =>
            Channel(red, info.RedPosition, info.RedSize)
            | Channel(green, info.GreenPosition, info.GreenSize)
            | Channel(blue, info.BluePosition, info.BlueSize);

        private static uint Channel(byte value, byte position, byte size)
        {
            if (size == 0 || size > 8 || position >= 32)
                return 0;
            return (uint)(value >> (8 - size)) << position;
        }

        protected override void DrawCell(int row, int column, char c)
        {
            byte* glyph = ConsoleFont.Glyph(c);
            for (int y = 0; y < ConsoleFont.Height; y++)
                DrawGlyphRow(row, column, y, glyph[y]);
        }

        // Draws pixel row `y` of a cell: bit 7 of `bits` is its leftmost pixel.
        private void DrawGlyphRow(int row, int column, int y, byte bits)
        {
            byte* pixel = PixelAddress(row, column, y);
            for (int x = 0; x < ConsoleFont.Width; x++, pixel += _bytesPerPixel)
                PutPixel(pixel, (bits & (0x80 >> x)) != 0 ? _foreground : _background);
        }

        private byte* PixelAddress(int row, int column, int y) =>
            _pixels + (ulong)(row * ConsoleFont.Height + y) * _pitch + (ulong)(column * ConsoleFont.Width * _bytesPerPixel);

        private void PutPixel(byte* pixel, uint value)
        {
            if (_bytesPerPixel == 4)
            {
                *(uint*)pixel = value;
                return;
            }
            pixel[0] = (byte)value;
            pixel[1] = (byte)(value >> 8);
            pixel[2] = (byte)(value >> 16);
        }

        // Copies the pixel rows of text rows 1.. up by one text row (16 pixel rows).
        protected override void ScrollPicture()
        {
            ulong rowBytes = (ulong)_pitch * ConsoleFont.Height;
            ulong count = rowBytes * (ulong)(Rows - 1);
            byte* target = _pixels;
            byte* source = _pixels + rowBytes;
            ulong i = 0;
            if (((ulong)target & 7) == 0 && (rowBytes & 7) == 0)
                for (; i + 8 <= count; i += 8)
                    *(ulong*)(target + i) = *(ulong*)(source + i);
            for (; i < count; i++)
                target[i] = source[i];
        }

        protected override void ShowCursor(int row, int column)
        {
            for (int y = ConsoleFont.Height - CursorRows; y < ConsoleFont.Height; y++)
                DrawGlyphRow(row, column, y, 0xFF);
        }
    }
}
