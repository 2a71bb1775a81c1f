namespace Cowbird.Kernel.Fs
{
    // Builds the text of a /proc file in a byte buffer (the kernel has no string formatting).
    public sealed class TextBuilder
    {
        public byte[] Bytes = new byte[4096];
        public int Length;

        public void Append(byte value)
        {
            if (Length == Bytes.Length)
            {
                byte[] bigger = new byte[Bytes.Length * 2];
                for (int i = 0; i < Length; i++)
                    bigger[i] = Bytes[i];
                Bytes = bigger;
            }
            Bytes[Length++] = value;
        }

        public void Append(string text)
        {
            for (int i = 0; i < text.Length; i++)
                Append((byte)text[i]);
        }

        public void AppendDecimal(ulong value, int width)
        {
            byte[] digits = new byte[20];
            int count = 0;
            do
            {
                digits[count++] = (byte)('0' + (int)(value % 10));
                value /= 10;
            } while (value != 0);
            for (int i = count; i < width; i++)
                Append((byte)' ');
            while (count > 0)
                Append(digits[--count]);
        }

        // A signed decimal, minus sign first, no padding.
        public void AppendSigned(long value)
        {
            if (value < 0)
            {
                Append((byte)'-');
                AppendDecimal((ulong)(-value), 0);
            }
            else
                AppendDecimal((ulong)value, 0);
        }

        // Lower-case hex with at least `width` digits, zero-padded (no 0x).
        public void AppendHex(ulong value, int width)
        {
            int digits = 1;
            while (digits < 16 && (value >> (4 * digits)) != 0)
                digits++;
            for (int i = digits; i < width; i++)
                Append((byte)'0');
            for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4)
            {
                int nibble = (int)((value >> shift) & 0xF);
                Append((byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10));
            }
        }

        // The text so far as an array of its own length.
        public byte[] ToArray()
        {
            byte[] bytes = new byte[Length];
            for (int i = 0; i < Length; i++)
                bytes[i] = Bytes[i];
            return bytes;
        }

        // Spaces up to column `column` (at least one).
        public void PadTo(int lineStart, int column)
        {
            do
                Append((byte)' ');
            while (Length - lineStart < column);
        }
    }
}
