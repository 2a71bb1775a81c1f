using Cowbird.Kernel.Diagnostics;
using Cowbird.Kernel.Drivers;
using Cowbird.Kernel.Processes;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // syslog(type, buf, len) (glibc's klogctl; busybox dmesg): the kernel's message buffer
    // (KernelLog) and the console level, as Linux 6.1's do_syslog answers them to root.
    //   0 CLOSE, 1 OPEN          nothing to do: 0
    //   2 READ                   the messages this reader has not read yet, waiting for one
    //   3 READ_ALL               the newest whole lines that fit in len, from the clear mark
    //   4 READ_CLEAR             READ_ALL, then the clear mark moves to the end
    //   5 CLEAR                  the clear mark moves to the end
    //   6 CONSOLE_OFF            console level to the minimum (the old one kept for ON)
    //   7 CONSOLE_ON             the level CONSOLE_OFF kept, if any
    //   8 CONSOLE_LEVEL          level = len, 1..8
    //   9 SIZE_UNREAD            bytes READ would give
    //   10 SIZE_BUFFER           the buffer's size
    // The reading types check buf (NULL: EINVAL), then len (< 0: EINVAL, 0: 0), in that order;
    // any other type is EINVAL.
    public static unsafe class SyslogSyscall
    {
        private const int Close = 0, Open = 1, Read = 2, ReadAll = 3, ReadClear = 4, Clear = 5,
            ConsoleOff = 6, ConsoleOn = 7, ConsoleLevel = 8, SizeUnread = 9, SizeBuffer = 10;
        // Linux's saved_console_loglevel when nothing is saved (LOGLEVEL_DEFAULT).
        private const int NoSavedLevel = -1;
        // Bytes copied to the caller per step.
        private const int Chunk = 512;

        private static ulong s_readPosition;
        private static ulong s_clearPosition;
        private static int s_savedLevel = NoSavedLevel;

        public static long Syslog(Process process, int type, ulong buffer, int length)
        {
            switch (type)
            {
                case Close:
                case Open:
                    return 0;
                case Read:
                case ReadAll:
                case ReadClear:
                    if (buffer == 0 || length < 0)
                        return -(long)Errno.EINVAL;
                    if (length == 0)
                        return 0;
                    return type == Read ? ReadUnread(process, buffer, (ulong)length)
                        : ReadNewest(process, buffer, (ulong)length, type == ReadClear);
                case Clear:
                    s_clearPosition = KernelLog.End;
                    return 0;
                case ConsoleOff:
                    if (s_savedLevel == NoSavedLevel)
                        s_savedLevel = KernelConsole.Level;
                    KernelConsole.Level = KernelConsole.MinimumLevel;
                    return 0;
                case ConsoleOn:
                    if (s_savedLevel != NoSavedLevel)
                    {
                        KernelConsole.Level = s_savedLevel;
                        s_savedLevel = NoSavedLevel;
                    }
                    return 0;
                case ConsoleLevel:
                    if (length < 1 || length > 8)
                        return -(long)Errno.EINVAL;
                    KernelConsole.Level = length < KernelConsole.MinimumLevel ? KernelConsole.MinimumLevel : length;
                    s_savedLevel = NoSavedLevel;
                    return 0;
                case SizeUnread:
                    return (long)(KernelLog.End - UnreadStart());
                case SizeBuffer:
                    return KernelLog.Size;
                default:
                    return -(long)Errno.EINVAL;
            }
        }

        // READ_ALL and READ_CLEAR: the newest whole lines after the clear mark that fit in
        // `length` bytes, oldest first; the count copied, or -EFAULT.
        private static long ReadNewest(Process process, ulong buffer, ulong length, bool clear)
        {
            ulong from = KernelLog.NextLineStart(s_clearPosition);
            ulong end = KernelLog.End;
            while (end - from > length)
                from = KernelLog.NextLineStart(from + 1);
            long copied = CopyOut(process, buffer, from, end);
            if (clear && copied >= 0)
                s_clearPosition = end;
            return copied;
        }

        // READ: up to `length` bytes this reader has not had yet, after waiting (a tick at a
        // time) until there is one; -EINTR when a signal ends the wait.
        private static long ReadUnread(Process process, ulong buffer, ulong length)
        {
            while (UnreadStart() == KernelLog.End)
            {
                if (!Scheduler.Sleep(WaitReason.Timer, PitTimer.Ticks + 1))
                    return -(long)Errno.EINTR;
            }
            ulong from = UnreadStart();
            ulong end = KernelLog.End - from > length ? from + length : KernelLog.End;
            long copied = CopyOut(process, buffer, from, end);
            if (copied >= 0)
                s_readPosition = end;
            return copied;
        }

        // Where READ goes on: its last position, or the oldest line still kept.
        private static ulong UnreadStart() => s_readPosition < KernelLog.Start ? KernelLog.Start : s_readPosition;

        // Copies log positions [from, end) to `buffer`; the count, or -EFAULT.
        private static long CopyOut(Process process, ulong buffer, ulong from, ulong end)
        {
            byte* chunk = stackalloc byte[Chunk];
            ulong done = 0;
            while (from + done < end)
            {
                ulong count = end - from - done < Chunk ? end - from - done : Chunk;
                for (ulong i = 0; i < count; i++)
                    chunk[i] = KernelLog.At(from + done + i);
                if (UserMemory.CopyToUser(process.Space, buffer + done, chunk, count) != Errno.None)
                    return -(long)Errno.EFAULT;
                done += count;
            }
            return (long)done;
        }
    }
}
