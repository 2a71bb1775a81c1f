using Cowbird.Kernel.Drivers;
using Cowbird.Kernel.Fs;
using Cowbird.Kernel.Processes;
using Cowbird.Kernel.Time;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // poll (Linux: fs/select.c do_sys_poll). Cowbird's files have no wait queues one
    // sleeper can join several of, so a poll that must wait re-checks its files every
    // timer tick until one is ready, the timeout passes or a signal arrives: at most a
    // tick (10 ms) late, and simple.
    public static unsafe class PollSyscalls
    {
        private const short PollIn = 0x1, PollOut = 0x4, PollErr = 0x8, PollHup = 0x10, PollNval = 0x20,
            PollRdNorm = 0x40, PollWrNorm = 0x100;
        // struct pollfd: int fd, short events, short revents.
        private const int EntrySize = 8;
        // How many entries are checked from a stack buffer at a time.
        private const int Batch = 64;

        // poll(fds, nfds, timeout): the number of entries with events, 0 on timeout, or
        // -errno: EINVAL when nfds exceeds RLIMIT_NOFILE, EFAULT for the array, EINTR when a
        // handler ran. A negative timeout waits for ever; entries with a negative fd are
        // skipped (revents 0); a closed fd gets POLLNVAL.
        public static long Poll(Process process, ulong fds, ulong count, int timeoutMs)
        {
            if (count > process.Limits.Soft(ResourceLimits.OpenFiles))
                return -(long)Errno.EINVAL;
            ulong deadline = timeoutMs < 0 ? ulong.MaxValue : Clock.Monotonic + (ulong)timeoutMs * 1000000;
            while (true)
            {
                long ready = CheckAll(process, fds, count, false);
                if (ready != 0 || Clock.Monotonic >= deadline)
                    return ready < 0 ? ready : CheckAll(process, fds, count, true);
                if (!Scheduler.Sleep(WaitReason.Timer, PitTimer.Ticks + 1))
                    return -(long)Errno.EINTR;
            }
        }

        // Checks every entry: the number with events, or -EFAULT. With `writeBack`, stores
        // each revents in the caller's array (all of them, as Linux does).
        private static long CheckAll(Process process, ulong fds, ulong count, bool writeBack)
        {
            byte* entries = stackalloc byte[Batch * EntrySize];
            long ready = 0;
            for (ulong first = 0; first < count; first += Batch)
            {
                ulong n = count - first < Batch ? count - first : Batch;
                ulong address = fds + first * EntrySize;
                if (UserMemory.CopyFromUser(process.Space, entries, address, n * EntrySize) != Errno.None)
                    return -(long)Errno.EFAULT;
                for (ulong i = 0; i < n; i++)
                {
                    byte* entry = entries + i * EntrySize;
                    short revents = Events(process, *(int*)entry, *(short*)(entry + 4));
                    *(short*)(entry + 6) = revents;
                    if (revents != 0)
                        ready++;
                }
                if (writeBack && UserMemory.CopyToUser(process.Space, address, entries, n * EntrySize) != Errno.None)
                    return -(long)Errno.EFAULT;
            }
            return ready;
        }

        // What entry (fd, events) reports now: the file's readiness among the events asked
        // for, plus POLLERR and POLLHUP, which are always reported; POLLNVAL for a closed fd.
        private static short Events(Process process, int fd, short events)
        {
            if (fd < 0)
                return 0;
            OpenFile file = process.Files.Get(fd);
            if (file == null)
                return PollNval;
            return (short)(Readiness(file) & (events | PollErr | PollHup));
        }

        // A file's poll mask: a pipe's read end is readable with data and hung up without
        // writers (HungUp); its write end writable with room and in error without readers
        // (a FIFO open O_RDWR is both ends); the console readable with input and always
        // writable; other files always both.
        private static short Readiness(OpenFile file)
        {
            if (file.Pipe != null)
            {
                Pipe pipe = file.Pipe;
                int mask = 0;
                if (file.CanRead)
                    mask |= (pipe.IsEmpty ? 0 : PollIn | PollRdNorm) | (HungUp(file) ? PollHup : 0);
                if (file.CanWrite)
                    mask |= (pipe.IsFull ? 0 : PollOut | PollWrNorm) | (pipe.Readers == 0 ? PollErr : 0);
                return (short)mask;
            }
            if (file.IsConsole)
                return (short)((ConsoleDevice.InputReady ? PollIn | PollRdNorm : 0) | PollOut | PollWrNorm);
            return PollIn | PollRdNorm | PollOut | PollWrNorm;
        }

        // Whether the pipe read through `file` has no writer left, as poll reports it: a FIFO
        // reader that opened before any writer came hears of none until one has come since
        // (Linux's pipe_poll compares f_version with w_counter).
        private static bool HungUp(OpenFile file) =>
            file.Pipe.Writers == 0 && file.WriterOpensAtOpen != file.Pipe.WriteOpens;
    }
}
