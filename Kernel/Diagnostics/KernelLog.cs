using System.Runtime.InteropServices;
using Cowbird.Kernel.Time;

namespace Cowbird.Kernel.Diagnostics
{
    // The kernel's message buffer (Linux's printk ring, log_buf): every character KernelConsole
    // writes is also kept here, each line starting with its level and the time since boot,
    // "<6>[    1.234567] ", so `dmesg` (syslog(2), SyslogSyscall) can show the messages after
    // they scrolled off the screen. Cowbird's messages have no levels of their own: all are
    // level 6, informational. When the buffer is full the oldest lines go, whole.
    //
    // Positions are byte counts since boot (they only grow): the text kept is [Start, End),
    // at most Size bytes, byte p at s_storage[p % Size]. syslog's reader and its "clear"
    // mark are positions too, so they stay right as old lines are dropped.
    public static unsafe class KernelLog
    {
        // Linux's log_buf_len with CONFIG_LOG_BUF_SHIFT=17, as Debian builds it.
        public const int Size = 128 * 1024;

        [StructLayout(LayoutKind.Sequential, Size = Size)]
        private struct Storage
        {
            public byte First;
        }

        // In the kernel image's zeroed data, so the log works before the heap does.
        private static Storage s_storage;
        private static ulong s_start, s_end;
        private static bool s_midLine;

        // Oldest byte kept, and one past the newest.
        public static ulong Start => s_start;
        public static ulong End => s_end;

        // The byte at position `position` (Start <= position < End).
        public static byte At(ulong position)
        {
            fixed (Storage* storage = &s_storage)
                return (&storage->First)[position % Size];
        }

        // Keeps character `c`, starting a line with its level and time when it is the first.
        public static void Append(byte c)
        {
            if (!s_midLine)
                AppendPrefix();
            Put(c);
            s_midLine = c != '\n';
        }

        // The first position at or after `position` where a line starts (End if none).
        public static ulong NextLineStart(ulong position)
        {
            if (position < s_start)
                position = s_start;
            while (position < s_end && position > s_start && At(position - 1) != '\n')
                position++;
            return position;
        }

        // "<6>[%5lu.%06lu] " as Linux's print_time writes it.
        private static void AppendPrefix()
        {
            ulong now = Clock.Monotonic;
            ulong seconds = now / Clock.NanosecondsPerSecond;
            ulong micros = now % Clock.NanosecondsPerSecond / 1000;
            Put((byte)'<');
            Put((byte)('0' + KernelConsole.MessageLevel));
            Put((byte)'>');
            Put((byte)'[');
            PutDecimal(seconds, 5, (byte)' ');
            Put((byte)'.');
            PutDecimal(micros, 6, (byte)'0');
            Put((byte)']');
            Put((byte)' ');
        }

        // `value` in decimal, padded on the left with `pad` to `width` characters.
        private static void PutDecimal(ulong value, int width, byte pad)
        {
            byte* digits = stackalloc byte[20];
            int count = 0;
            do
            {
                digits[count++] = (byte)('0' + (int)(value % 10));
                value /= 10;
            } while (value != 0);
            for (int i = count; i < width; i++)
                Put(pad);
            while (count > 0)
                Put(digits[--count]);
        }

        // Stores one byte at End, dropping the oldest line first when the buffer is full.
        private static void Put(byte c)
        {
            if (s_end - s_start == Size)
                DropOldestLine();
            fixed (Storage* storage = &s_storage)
                (&storage->First)[s_end % Size] = c;
            s_end++;
        }

        private static void DropOldestLine()
        {
            s_start++;
            while (s_start < s_end && At(s_start - 1) != '\n')
                s_start++;
        }
    }
}
