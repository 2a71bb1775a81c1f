using Cowbird.Kernel.Drivers;
using Cowbird.Kernel.Fs;
using Cowbird.Kernel.Processes;
using Cowbird.Kernel.Time;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // poll and ppoll (Linux: fs/select.c do_sys_poll), and what they share with select and
    // pselect6 (SelectSyscalls): a file's readiness, the timeouts and the wait. Cowbird's
    // files have no wait queues one sleeper can join several of, so a call that must wait
    // re-checks its files every timer tick until one is ready, the timeout passes or a
    // signal arrives: at most a tick (10 ms) late, and simple.
    public static unsafe class PollSyscalls
    {
        private const short PollIn = 0x1, PollPri = 0x2, PollOut = 0x4, PollErr = 0x8, PollHup = 0x10, PollNval = 0x20,
            PollRdNorm = 0x40, PollRdBand = 0x80, PollWrNorm = 0x100, PollWrBand = 0x200;
        // The readiness bits select reports in its read, write and exception sets (Linux's
        // POLLIN_SET, POLLOUT_SET and POLLEX_SET).
        public const short ReadSet = PollRdNorm | PollRdBand | PollIn | PollHup | PollErr,
            WriteSet = PollWrBand | PollWrNorm | PollOut | PollErr, ExceptSet = PollPri;
        // The deadline of a call without a timeout.
        public const ulong Never = ulong.MaxValue;
        // struct pollfd: int fd, short events, short revents.
        private const int EntrySize = 8;
        // How many entries are checked from a stack buffer at a time.
        private const int Batch = 64;
        private const ulong NanosecondsPerMillisecond = 1000000, NanosecondsPerMicrosecond = 1000;

        // poll(fds, nfds, timeout): the number of entries with events, 0 on timeout, or
        // -errno: EINVAL when nfds exceeds RLIMIT_NOFILE, EFAULT for the array, EINTR when a
        // handler ran. A negative timeout waits for ever; entries with a negative fd are
        // skipped (revents 0); a closed fd gets POLLNVAL.
        public static long Poll(Process process, ulong fds, ulong count, int timeoutMs)
        {
            ulong deadline = timeoutMs < 0 ? Never : Clock.Monotonic + (ulong)timeoutMs * NanosecondsPerMillisecond;
            return PollUntil(process, fds, count, deadline);
        }

        // ppoll(fds, nfds, tsp, sigmask, sigsetsize): poll with a struct timespec timeout
        // (NULL: none) and a signal mask in force during the call. Linux's order: the timeout
        // is read (EFAULT) and checked (EINVAL), the mask set (SetTemporaryMask), then poll's
        // checks. The time left goes back to tsp (WriteTimeLeft).
        public static long Ppoll(Process process, ulong fds, ulong count, ulong timeoutAddress, ulong maskAddress, ulong setSize)
        {
            long error = ReadTimeout(process, timeoutAddress, false, out ulong deadline);
            if (error == 0)
                error = SignalWaitSyscalls.SetTemporaryMask(process, maskAddress, setSize);
            if (error != 0)
                return error;
            long result = PollUntil(process, fds, count, deadline);
            WriteTimeLeft(process, timeoutAddress, deadline, false);
            return SignalWaitSyscalls.EndTemporaryMask(process, result);
        }

        // poll's work until `deadline` (Clock.Monotonic ns, or Never).
        private static long PollUntil(Process process, ulong fds, ulong count, ulong deadline)
        {
            if (count > process.Limits.Soft(ResourceLimits.OpenFiles))
                return -(long)Errno.EINVAL;
            while (true)
            {
                long ready = CheckAll(process, fds, count, false);
                if (ready < 0)
                    return ready;
                long step = ready != 0 ? 0 : WaitStep(process, deadline);
                if (step <= 0)
                    return step < 0 ? step : CheckAll(process, fds, count, true);
            }
        }

        // After a check of poll, ppoll, select or pselect6 found nothing ready (Linux's
        // do_poll and do_select): -EINTR when a signal is pending that a handler catches or
        // that kills (even with a zero timeout), 0 when `deadline` has passed (the call
        // returns what it found), 1 after a tick's sleep (check again).
        public static long WaitStep(Process process, ulong deadline)
        {
            if (SignalDelivery.HandlePending(process, false))
                return -(long)Errno.EINTR;
            if (Clock.Monotonic >= deadline)
                return 0;
            return Scheduler.Sleep(WaitReason.Timer, PitTimer.Ticks + 1) ? 1 : -(long)Errno.EINTR;
        }

        // Reads the timeout of ppoll and pselect6 (a struct timespec) or select (a struct
        // timeval, `microseconds`) at `address` into a Clock.Monotonic deadline: Never for a
        // NULL address. EFAULT for a bad address; EINVAL for negative seconds or a fraction
        // outside a second, except that select carries whole seconds of tv_usec over into
        // tv_sec, as Linux's kern_select does.
        public static long ReadTimeout(Process process, ulong address, bool microseconds, out ulong deadline)
        {
            deadline = Never;
            if (address == 0)
                return 0;
            long* time = stackalloc long[2];
            if (UserMemory.CopyFromUser(process.Space, (byte*)time, address, 16) != Errno.None)
                return -(long)Errno.EFAULT;
            long seconds = time[0], nanoseconds = time[1];
            if (microseconds)
            {
                seconds += time[1] / 1000000;
                nanoseconds = time[1] % 1000000 * (long)NanosecondsPerMicrosecond;
            }
            if (seconds < 0 || (ulong)nanoseconds >= Clock.NanosecondsPerSecond)
                return -(long)Errno.EINVAL;
            ulong length = TimeSyscalls.Saturate((ulong)seconds, (ulong)nanoseconds);
            deadline = length == 0 ? 0 : TimeSyscalls.SaturatingAdd(Clock.Monotonic, length);
            return 0;
        }

        // Writes the time left until `deadline` (0 once passed) back to the timeout at
        // `address`, as a struct timeval (`microseconds`, truncated) or timespec (Linux's
        // poll_select_finish): not for a NULL or zero timeout; a failed write is not an error.
        public static void WriteTimeLeft(Process process, ulong address, ulong deadline, bool microseconds)
        {
            if (address == 0 || deadline == 0)
                return;
            ulong now = Clock.Monotonic;
            ulong left = deadline > now ? deadline - now : 0;
            ulong* time = stackalloc ulong[2];
            time[0] = left / Clock.NanosecondsPerSecond;
            time[1] = left % Clock.NanosecondsPerSecond / (microseconds ? NanosecondsPerMicrosecond : 1);
            UserMemory.CopyToUser(process.Space, address, (byte*)time, 16);
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

        // A file's poll mask (poll, ppoll, select and pselect6): a pipe's read end is readable
        // with data and hung up without writers (HungUp); its write end writable with room and
        // in error without readers (a FIFO open O_RDWR is both ends); the console readable with
        // input and always writable; other files always both.
        public static short Readiness(OpenFile file)
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
