using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Memory;
using Cowbird.Kernel.Processes;
using Cowbird.Mm;
using Cowbird.Mm.Physical;

namespace Cowbird.Kernel.Fs
{
    // A pipe's buffer (Linux: struct pipe_inode_info in fs/pipe.c): a ring of 16 slots, each
    // a page frame from the frame allocator holding the bytes [Offset, Offset + Length) of
    // it. Writers add at the head, readers take from the tail. As in Linux:
    //   - the pipe is full when all 16 slots are in use, however few bytes they hold, so it
    //     holds at most 65536 bytes (16 pages, Linux's default pipe size);
    //   - a slot read empty gives its frame back, except one spare kept for the next write
    //     (Linux's tmp_page); the pipe takes a frame only when a write needs a slot;
    //   - the last close of both ends frees every frame.
    // pipe() makes one with a reader and a writer; a FIFO's (Fifo) starts with neither and
    // gains them as the FIFO is opened.
    // Readers and writers sleep on the pipe itself (Scheduler.SleepOn) and are woken when
    // data arrives, room is made, or the other end's last descriptor is closed. What the
    // bytes mean to a read or write call is PipeSyscalls' business.
    public sealed unsafe class Pipe
    {
        public const int Slots = 16;
        public const ulong Capacity = Slots * Page.Size;

        private readonly ulong[] frames = new ulong[Slots];
        private readonly int[] offsets = new int[Slots];
        private readonly int[] lengths = new int[Slots];
        // Slots in use are tail, tail + 1, ..., head - 1 (modulo Slots); head == tail when empty.
        private int head;
        private int tail;
        private int used;
        private ulong spareFrame = FrameAllocator.NoFrame;

        // Open file descriptions of each end (a fork or dup shares one; OpenFile counts those).
        public int Readers;
        public int Writers;
        // st_ino of the pipe's ends, and the N of "pipe:[N]" in /proc/<pid>/fd.
        public readonly ulong Number = Vfs.FileSystem.NextNumber();
        // How many times each end was ever opened, from 1 (Linux: r_counter, w_counter): a
        // FIFO's open waits for the other count to move, so a partner that opened and closed
        // again meanwhile still lets it go on.
        public uint ReadOpens = 1;
        public uint WriteOpens = 1;

        // A pipe with `ends` readers and as many writers: 1 for pipe(), 0 for a FIFO.
        public Pipe(int ends)
        {
            Readers = ends;
            Writers = ends;
        }

        public bool IsEmpty => used == 0;
        public bool IsFull => used == Slots;

        // The oldest slot's bytes (the pipe is not empty): where they are and how many.
        public byte* Oldest(out int length)
        {
            length = lengths[tail];
            return Data(tail) + offsets[tail];
        }

        // The first `count` bytes of the oldest slot were read; a slot read empty is freed
        // and the writers are woken.
        public void Consume(int count)
        {
            offsets[tail] += count;
            lengths[tail] -= count;
            if (lengths[tail] != 0)
                return;
            ReleaseFrame(frames[tail]);
            frames[tail] = FrameAllocator.NoFrame;
            tail = (tail + 1) % Slots;
            used--;
            Scheduler.WakeAll(WaitReason.PipeWrite, this);
        }

        // Where `count` more bytes would go in the newest slot, if the pipe is not empty and
        // they fit there after its bytes (Linux merges a write's partial page this way);
        // null otherwise.
        public byte* RoomInNewest(ulong count)
        {
            if (used == 0)
                return null;
            int newest = (head + Slots - 1) % Slots;
            ulong end = (ulong)(offsets[newest] + lengths[newest]);
            return end + count <= Page.Size ? Data(newest) + end : null;
        }

        // Takes a new empty slot at the head (the pipe is not full) with a frame of its own and
        // returns the frame's bytes; null when no frame can be had. The slot stays, empty, if
        // the caller then writes nothing into it (as in Linux: a reader skips it).
        public byte* AddSlot()
        {
            ulong frame = spareFrame;
            spareFrame = FrameAllocator.NoFrame;
            if (frame == FrameAllocator.NoFrame)
                frame = KernelMemory.AllocateKernelFrame(true);
            if (frame == FrameAllocator.NoFrame)
                return null;
            frames[head] = frame;
            offsets[head] = 0;
            lengths[head] = 0;
            byte* data = Data(head);
            head = (head + 1) % Slots;
            used++;
            return data;
        }

        // `count` bytes were written at the end of the newest slot: readers may take them.
        public void Added(int count)
        {
            lengths[(head + Slots - 1) % Slots] += count;
            Scheduler.WakeAll(WaitReason.PipeRead, this);
        }

        // The last description of one end was closed: the other side is woken (readers see
        // end of file, writers EPIPE); once both ends are closed the frames go back.
        public void CloseEnd(bool writeEnd)
        {
            if (writeEnd)
                Writers--;
            else
                Readers--;
            Scheduler.WakeAll(writeEnd ? WaitReason.PipeRead : WaitReason.PipeWrite, this);
            if (Readers > 0 || Writers > 0)
                return;
            while (used > 0)
            {
                KernelMemory.FreeKernelFrame(frames[tail]);
                tail = (tail + 1) % Slots;
                used--;
            }
            if (spareFrame != FrameAllocator.NoFrame)
                KernelMemory.FreeKernelFrame(spareFrame);
            spareFrame = FrameAllocator.NoFrame;
        }

        // A frame no slot needs any more: kept as the spare if there is none, else freed.
        private void ReleaseFrame(ulong frame)
        {
            if (spareFrame == FrameAllocator.NoFrame)
                spareFrame = frame;
            else
                KernelMemory.FreeKernelFrame(frame);
        }

        private byte* Data(int slot) => KernelLayout.PhysicalToVirtual(frames[slot] << Page.Shift);
    }
}
