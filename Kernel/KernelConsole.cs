using Cowbird.Kernel.Drivers;

namespace Cowbird.Kernel
{
    // The kernel's text output (like Linux's printk): it goes to COM1 and is
    // mirrored on the screen (Screen: framebuffer or VGA text), or to COM2 after UseLogPort (the kernel
    // command line `console=raw`: COM1 then carries only the programs' bytes).
    // No formatting library exists in the kernel, so numbers have their own writers.
    public static unsafe class KernelConsole
    {
        private static ushort s_port = SerialPort.Com1;

        // Sends the kernel log to `port` from now on.
        public static void UseLogPort(ushort port) => s_port = port;

        public static void Write(char c)
        {
            if (c >= 0x80)
                c = '?';
            if (c == '\n')
                SerialPort.Write(s_port, (byte)'\r');
            SerialPort.Write(s_port, (byte)c);
            Screen.Write(c);
        }

        public static void Write(string text)
        {
            for (int i = 0; i < text.Length; i++)
                Write(text[i]);
        }

        public static void WriteLine(string text)
        {
            Write(text);
            Write('\n');
        }

        // Writes `length` characters starting at `chars` (used for strings handed over as pointers).
        public static void Write(char* chars, int length)
        {
            for (int i = 0; i < length; i++)
                Write(chars[i]);
        }

        // Writes `length` ASCII bytes (boot-loader strings).
        public static void WriteAscii(byte* bytes, int length)
        {
            for (int i = 0; i < length; i++)
                Write((char)bytes[i]);
        }

        public static void WriteDecimal(ulong value)
        {
            char* digits = stackalloc char[20];
            int count = 0;
            do
            {
                digits[count++] = (char)('0' + (int)(value % 10));
                value /= 10;
            } while (value != 0);
            while (count > 0)
                Write(digits[--count]);
        }

        // Writes `value` in hex without leading zeros and without 0x.
        public static void WriteHexCompact(ulong value)
        {
            int shift = 60;
            while (shift > 0 && (value >> shift) == 0)
                shift -= 4;
            for (; shift >= 0; shift -= 4)
                WriteHexDigit((int)((value >> shift) & 0xF));
        }

        private static void WriteHexDigit(int nibble) => Write((char)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10));

        // Writes `value` as 0x followed by 16 hex digits.
        public static void WriteHex(ulong value)
        {
            Write("0x");
            WriteHexDigits(value, 16);
        }

        // Writes the low `digits` hex digits of `value`, zero-padded, without 0x.
        public static void WriteHexDigits(ulong value, int digits)
        {
            for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4)
                WriteHexDigit((int)((value >> shift) & 0xF));
        }
    }
}
