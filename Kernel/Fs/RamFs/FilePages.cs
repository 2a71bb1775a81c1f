using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Memory;
using Cowbird.Mm;
using Cowbird.Mm.Physical;

namespace Cowbird.Kernel.Fs.RamFs
{
    // The contents of a RAM file (Linux: a tmpfs inode's page cache): page n of the file
    // is frame Frames[n] from the frame allocator, or a hole (NoFrame) that reads as zeros.
    // The kernel reaches a frame's bytes through the direct map. Every frame held here is
    // counted in VmStat.ShmemPages (meminfo Shmem and Cached) until Truncate gives it back.
    public sealed unsafe class FilePages
    {
        private ulong[] frames = new ulong[0];

        // Frames this file holds (st_blocks is 8 times this).
        public ulong FrameCount { get; private set; }

        // How many of `left` bytes from file offset `at` lie in the page `at` is in: the piece
        // one page copy moves.
        public static ulong PieceLength(ulong at, ulong left)
        {
            ulong inPage = Page.Size - (at & Page.OffsetMask);
            return inPage < left ? inPage : left;
        }

        // The bytes of page `index`, or null for a hole.
        public byte* PageAt(ulong index)
        {
            if (index >= (ulong)frames.Length || frames[index] == FrameAllocator.NoFrame)
                return null;
            return KernelLayout.PhysicalToVirtual(Page.FrameToAddress(frames[index]));
        }

        // The bytes of page `index`, a zeroed frame allocated for a hole; null when no frame
        // can be had (ENOSPC to the writer).
        public byte* PageForWrite(ulong index)
        {
            byte* bytes = PageAt(index);
            if (bytes != null)
                return bytes;
            Grow(index + 1);
            ulong pfn = KernelMemory.Manager.AllocateFrameWithReclaim();
            if (pfn == FrameAllocator.NoFrame)
                return null;
            frames[index] = pfn;
            FrameCount++;
            KernelMemory.Manager.Stat.ShmemPages++;
            bytes = KernelLayout.PhysicalToVirtual(Page.FrameToAddress(pfn));
            for (ulong i = 0; i < Page.Size; i++)
                bytes[i] = 0;
            return bytes;
        }

        // Copies `count` bytes from file offset `offset` (all below the file's size) to
        // `target`; holes give zeros.
        public void Read(ulong offset, byte* target, ulong count)
        {
            while (count > 0)
            {
                ulong inPage = offset & Page.OffsetMask;
                ulong n = PieceLength(offset, count);
                byte* page = PageAt(offset >> Page.Shift);
                for (ulong i = 0; i < n; i++)
                    target[i] = page != null ? page[inPage + i] : (byte)0;
                offset += n;
                target += n;
                count -= n;
            }
        }

        // Gives back the frames wholly past `size` and zeroes the tail of the page `size`
        // ends in, so a later extension reads zeros there (Linux: truncate_inode_pages).
        public void Truncate(ulong size)
        {
            ulong keep = (size + Page.OffsetMask) >> Page.Shift;
            for (ulong index = keep; index < (ulong)frames.Length; index++)
            {
                if (frames[index] == FrameAllocator.NoFrame)
                    continue;
                KernelMemory.FreeKernelFrame(frames[index]);
                frames[index] = FrameAllocator.NoFrame;
                FrameCount--;
                KernelMemory.Manager.Stat.ShmemPages--;
            }
            byte* last = (size & Page.OffsetMask) != 0 ? PageAt(size >> Page.Shift) : null;
            if (last != null)
                for (ulong i = size & Page.OffsetMask; i < Page.Size; i++)
                    last[i] = 0;
        }

        // Makes room for `count` page slots (the index doubles, like FileTable's).
        private void Grow(ulong count)
        {
            if (count <= (ulong)frames.Length)
                return;
            ulong size = frames.Length == 0 ? 4 : (ulong)frames.Length;
            while (size < count)
                size *= 2;
            ulong[] bigger = new ulong[size];
            for (int i = 0; i < frames.Length; i++)
                bigger[i] = frames[i];
            frames = bigger;
        }
    }
}
