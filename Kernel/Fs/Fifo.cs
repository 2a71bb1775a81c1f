using Cowbird.Kernel.Fs.Vfs;
using Cowbird.Kernel.Processes;
using Cowbird.Mm;

namespace Cowbird.Kernel.Fs
{
    // Opening a FIFO, a named pipe (Linux: fifo_open in fs/pipe.c). Every open file of one
    // FIFO shares one Pipe, made at the first open and dropped when the last is closed, its
    // unread bytes with it. Reads and writes are then a pipe's (PipeSyscalls). The access
    // mode says which ends a file holds and whether the open waits:
    //   O_RDONLY  the reading end; waits until a writer has opened, unless O_NONBLOCK;
    //   O_WRONLY  the writing end; waits until a reader has opened; with O_NONBLOCK and no
    //             reader, ENXIO;
    //   O_RDWR    both ends; never waits (the process can talk to itself);
    //   3         EINVAL (no end at all).
    // A waiting open sleeps on the pipe, woken by any open of it. It goes on once the other
    // end's count of opens has moved, even if that partner closed again meanwhile; a signal
    // first ends it with EINTR (restarted under SA_RESTART), the end it took given back.
    // A reader that opened with O_NONBLOCK before any writer sees no hang-up in poll until
    // one has come (OpenFile.WriterOpensAtOpen).
    public static class Fifo
    {
        private const int NoAccess = 3;

        // Opens the FIFO `node` as open's `flags` ask: 0 with the new open file, or -errno.
        public static int Open(Inode node, int flags, out OpenFile file)
        {
            file = null;
            int access = flags & OpenFile.AccessModeMask;
            bool nonBlocking = (flags & OpenFile.NonBlocking) != 0;
            if (access == NoAccess)
                return -(int)Errno.EINVAL;
            if (access == OpenFile.WriteOnly && nonBlocking && (node.FifoPipe == null || node.FifoPipe.Readers == 0))
                return -(int)Errno.ENXIO;
            if (node.FifoPipe == null)
                node.FifoPipe = new Pipe(0);
            Pipe pipe = node.FifoPipe;
            bool reads = access != OpenFile.WriteOnly, writes = access != OpenFile.ReadOnly;
            if (reads)
            {
                pipe.Readers++;
                pipe.ReadOpens++;
            }
            if (writes)
            {
                pipe.Writers++;
                pipe.WriteOpens++;
            }
            Scheduler.WakeAll(WaitReason.FifoOpen, pipe);
            bool ready = access == OpenFile.ReadWrite || (reads && (pipe.Writers > 0 || nonBlocking)) || (writes && pipe.Readers > 0);
            if (!ready && !WaitForPartner(pipe, reads))
            {
                pipe.CloseEnd(writes);
                Forget(node);
                return -(int)Errno.EINTR;
            }
            file = OpenFile.FifoEnd(node, pipe, access);
            if (access == OpenFile.ReadOnly && nonBlocking && pipe.Writers == 0)
                file.WriterOpensAtOpen = pipe.WriteOpens;
            return 0;
        }

        // The FIFO `node` lost an end: once no file holds either, its pipe goes.
        public static void Forget(Inode node)
        {
            Pipe pipe = node.FifoPipe;
            if (pipe != null && pipe.Readers == 0 && pipe.Writers == 0)
                node.FifoPipe = null;
        }

        // Sleeps until the other end is opened (a reader waits for the writers' count of
        // opens to move, a writer for the readers'): false when a signal came first.
        private static bool WaitForPartner(Pipe pipe, bool reader)
        {
            uint seen = PartnerOpens(pipe, reader);
            while (PartnerOpens(pipe, reader) == seen)
                if (!Scheduler.SleepOn(WaitReason.FifoOpen, pipe))
                    return PartnerOpens(pipe, reader) != seen;
            return true;
        }

        private static uint PartnerOpens(Pipe pipe, bool reader) => reader ? pipe.WriteOpens : pipe.ReadOpens;
    }
}
