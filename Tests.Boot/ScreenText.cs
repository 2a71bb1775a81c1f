using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Cowbird.Tests.Boot
{
    // Reads the text off a screendump of the framebuffer console: the screen is a grid of
    // 8x16 cells from the top left corner, and a cell shows character c when its lit pixels
    // are exactly the bits of c's glyph in the kernel's own font (iso build output). A cell
    // matching no glyph (the cursor's cell, a stray pixel) reads as '\0'.
    public static class ScreenText
    {
        private const int CellWidth = 8, CellHeight = 16;

        // The rows of text on the PPM image (P6, 8-bit channels) at `ppmPath`, trailing spaces trimmed.
        public static string[] Read(string ppmPath)
        {
            (int width, int height, byte[] rgb) = ReadPpm(ppmPath);
            Dictionary<string, char> glyphs = LoadGlyphs();
            var rows = new string[height / CellHeight];
            for (int row = 0; row < rows.Length; row++)
            {
                var text = new StringBuilder();
                for (int column = 0; column < width / CellWidth; column++)
                    text.Append(glyphs.TryGetValue(CellKey(rgb, width, row, column), out char c) ? c : '\0');
                rows[row] = text.ToString().TrimEnd(' ');
            }
            return rows;
        }

        // Printable ASCII by glyph bitmap (the bitmap's 16 bytes as hex).
        private static Dictionary<string, char> LoadGlyphs()
        {
            byte[] font = File.ReadAllBytes(Repository.ConsoleFont);
            var glyphs = new Dictionary<string, char>();
            for (char c = ' '; c <= '~'; c++)
                glyphs.TryAdd(Convert.ToHexString(font, c * CellHeight, CellHeight), c);
            return glyphs;
        }

        // The cell's bitmap in the font's layout: a byte a pixel row, bit 7 the leftmost pixel,
        // a pixel lit when it is brighter than half of the console's grey.
        private static string CellKey(byte[] rgb, int width, int row, int column)
        {
            var bits = new byte[CellHeight];
            for (int y = 0; y < CellHeight; y++)
                for (int x = 0; x < CellWidth; x++)
                {
                    int offset = ((row * CellHeight + y) * width + column * CellWidth + x) * 3;
                    if (rgb[offset] + rgb[offset + 1] + rgb[offset + 2] > 3 * 0x55)
                        bits[y] |= (byte)(0x80 >> x);
                }
            return Convert.ToHexString(bits);
        }

        private static (int Width, int Height, byte[] Rgb) ReadPpm(string path)
        {
            byte[] data = File.ReadAllBytes(path);
            int position = 0;
            string magic = Token(data, ref position);
            int width = int.Parse(Token(data, ref position));
            int height = int.Parse(Token(data, ref position));
            int max = int.Parse(Token(data, ref position));
            if (magic != "P6" || max != 255)
                throw new InvalidDataException($"{path}: not an 8-bit P6 PPM image");
            position++;                                   // the single whitespace after the header
            var rgb = new byte[width * height * 3];
            Array.Copy(data, position, rgb, 0, rgb.Length);
            return (width, height, rgb);
        }

        private static string Token(byte[] data, ref int position)
        {
            while (char.IsWhiteSpace((char)data[position]))
                position++;
            int start = position;
            while (!char.IsWhiteSpace((char)data[position]))
                position++;
            return Encoding.ASCII.GetString(data, start, position - start);
        }
    }
}
