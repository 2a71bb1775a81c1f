using Cowbird.Kernel.Diagnostics;
using Cowbird.Kernel.Drivers;

namespace Cowbird.Kernel
{
    // The kernel's text output (like Linux's printk): it goes to COM1 and is
    // mirrored on the screen (Screen: framebuffer or VGA text), or to COM2 after UseLogPort (the kernel
    // command line `console=raw`: COM1 then carries only the programs' bytes).
    // Every character is also kept in the kernel's message buffer (KernelLog) for `dmesg`.
    // No formatting library exists in the kernel, so numbers have their own writers.
    public static unsafe class KernelConsole
    {
        // Linux's console_loglevel: a message reaches the console when its level is below
        // it. All of Cowbird's messages are level 6 (informational), so the default, 7, shows
        // them and syslog(2) (`dmesg -n 1`) can silence the console; a panic shows its report
        // whatever the level. COM2, a log port rather than a console, always gets everything.
        public const int DefaultLevel = 7, MinimumLevel = 1;
        // KERN_INFO, the level of every message (KernelLog writes it at each line's start).
        public const int MessageLevel = 6;
        private const int VerboseLevel = 15;
        private static ushort s_port = SerialPort.Com1;
        private static int s_level = DefaultLevel;

        // The console level now (syslog's CONSOLE_OFF, CONSOLE_ON and CONSOLE_LEVEL set it).
        public static int Level
        {
            get => s_level;
            set => s_level = value;
        }

        // Sends the kernel log to `port` from now on.
        public static void UseLogPort(ushort port) => s_port = port;

        // Shows every message from now on (Linux's console_verbose, for a panic report).
        public static void MakeVerbose() => Level = VerboseLevel;

        public static void Write(char c)
        {
            if (c >= 0x80)
                c = '?';
            KernelLog.Append((byte)c);
            bool shown = MessageLevel < Level;
            if (shown || s_port != SerialPort.Com1)
            {
                if (c == '\n')
                    SerialPort.Write(s_port, (byte)'\r');
                SerialPort.Write(s_port, (byte)c);
            }
            if (shown)
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
