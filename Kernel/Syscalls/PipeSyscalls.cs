using Cowbird.Kernel.Fs;
using Cowbird.Kernel.Processes;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // pipe, pipe2, and read and write on a pipe's ends, as Linux's fs/pipe.c does them:
    //   - read takes what is there, up to the count, from the oldest slot on; it sleeps only
    //     while the pipe is empty and a writer is left, and returns 0 (end of file) once none is;
    //   - write first tops up the newest slot with the count's partial page (count % 4096)
    //     if it fits there, then fills a new slot per page of the source, sleeping while the
    //     pipe is full. A write of at most PIPE_BUF (4096) bytes therefore lands whole in one
    //     slot, never interleaved with another; a bigger one may be split. A page of the
    //     source that cannot all be read is not written (-EFAULT if nothing was);
    //   - no reader left: SIGPIPE to the writer, then -EPIPE (or the count written so far);
    //   - O_NONBLOCK: -EAGAIN instead of a sleep; a signal: -EINTR (the dispatcher restarts
    //     the call under SA_RESTART), or the count moved so far.
    public static unsafe class PipeSyscalls
    {
        private const int PipeFlags = OpenFile.CloseOnExecFlag | OpenFile.NonBlocking;

        public static long Pipe(Process process, ulong fdsAddress) => Pipe2(process, fdsAddress, 0);

        // pipe2(fds, flags): Linux's order of checks: flags (EINVAL), two descriptors below
        // RLIMIT_NOFILE (EMFILE), the pipe, then the fds are written (EFAULT, and the
        // descriptors are closed again: nothing leaks).
        public static long Pipe2(Process process, ulong fdsAddress, int flags)
        {
            if ((flags & ~PipeFlags) != 0)
                return -(long)Errno.EINVAL;
            ulong limit = process.Limits.Soft(ResourceLimits.OpenFiles);
            int readFd = process.Files.LowestFree(limit);
            int writeFd = readFd < 0 ? -1 : process.Files.LowestFree(readFd + 1, limit);
            if (writeFd < 0)
                return -(int)Errno.EMFILE;
            Fs.Pipe pipe = new Fs.Pipe(1);
            bool cloexec = (flags & OpenFile.CloseOnExecFlag) != 0;
            int statusFlags = flags & OpenFile.NonBlocking;
            process.Files.Install(readFd, OpenFile.PipeEnd(pipe, false, statusFlags), cloexec);
            process.Files.Install(writeFd, OpenFile.PipeEnd(pipe, true, statusFlags), cloexec);
            int* fds = stackalloc int[2];
            fds[0] = readFd;
            fds[1] = writeFd;
            if (UserMemory.CopyToUser(process.Space, fdsAddress, (byte*)fds, 8) != Errno.None)
            {
                process.Files.Close(readFd);
                process.Files.Close(writeFd);
                return -(long)Errno.EFAULT;
            }
            return 0;
        }

        // read of a pipe's reading end: up to `count` (> 0) bytes into the user's `buffer`.
        public static long Read(Process process, OpenFile file, ulong buffer, ulong count)
        {
            Fs.Pipe pipe = file.Pipe;
            ulong done = 0;
            while (true)
            {
                if (!pipe.IsEmpty)
                {
                    byte* data = pipe.Oldest(out int length);
                    ulong n = (ulong)length < count - done ? (ulong)length : count - done;
                    if (UserMemory.CopyToUser(process.Space, buffer + done, data, n) != Errno.None)
                        return done > 0 ? (long)done : -(long)Errno.EFAULT;
                    pipe.Consume((int)n);
                    done += n;
                    if (done == count)
                        return (long)done;
                    if (!pipe.IsEmpty)
                        continue;
                }
                if (pipe.Writers == 0 || done > 0)
                    return (long)done;
                if (file.IsNonBlocking)
                    return -(long)Errno.EAGAIN;
                if (!Scheduler.SleepOn(WaitReason.PipeRead, pipe))
                    return -(long)Errno.EINTR;
            }
        }

        // write to a pipe's writing end: `count` (> 0) bytes from `source` (the user's
        // buffer, or sendfile's kernel page).
        public static long Write(Process process, OpenFile file, WriteSource source, ulong count)
        {
            Fs.Pipe pipe = file.Pipe;
            if (pipe.Readers == 0)
                return Broken(process, 0);
            ulong done = 0;
            ulong partial = count & Page.OffsetMask;
            byte* room = pipe.RoomInNewest(partial);
            if (partial != 0 && room != null)
            {
                if (!CopyPiece(source, room, 0, partial))
                    return -(long)Errno.EFAULT;
                pipe.Added((int)partial);
                done = partial;
            }
            while (done < count)
            {
                if (pipe.Readers == 0)
                    return Broken(process, done);
                if (!pipe.IsFull)
                {
                    byte* slot = pipe.AddSlot();
                    if (slot == null)
                        return done > 0 ? (long)done : -(long)Errno.ENOMEM;
                    ulong piece = count - done < Page.Size ? count - done : Page.Size;
                    if (!CopyPiece(source, slot, done, piece))
                        return done > 0 ? (long)done : -(long)Errno.EFAULT;
                    pipe.Added((int)piece);
                    done += piece;
                    continue;
                }
                if (file.IsNonBlocking)
                    return done > 0 ? (long)done : -(long)Errno.EAGAIN;
                if (!Scheduler.SleepOn(WaitReason.PipeWrite, pipe))
                    return done > 0 ? (long)done : -(long)Errno.EINTR;
            }
            return (long)done;
        }

        // Copies [at, at + length) of `source` into `target`, only if all of it can be read
        // (nothing is written from a partly readable source page, as in Linux).
        private static bool CopyPiece(WriteSource source, byte* target, ulong at, ulong length)
        {
            return source.IsReadable(at, length) && source.CopyTo(target, at, length) == Errno.None;
        }

        // No reader is left: SIGPIPE (acted on before the return to ring 3), then -EPIPE, or
        // the count written before the last reader went.
        private static long Broken(Process process, ulong done)
        {
            SignalDelivery.Send(process, Signal.SIGPIPE, process.Pid);
            return done > 0 ? (long)done : -(int)Errno.EPIPE;
        }
    }
}
