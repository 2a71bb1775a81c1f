using Cowbird.Kernel.Fs.Vfs;
using Cowbird.Kernel.Memory;
using Cowbird.Kernel.Syscalls;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Fs.RamFs
{
    // Reading, writing and resizing a RAM file's contents (its FilePages), a page at a
    // time straight between the frame and user memory (UserMemory, so a bad buffer is
    // EFAULT and never a kernel fault). Partial transfers count as Linux's do: a fault or a
    // full memory after some bytes moved returns the bytes moved.
    public static unsafe class FileContents
    {
        // Linux's MAX_LFS_FILESIZE on 64-bit: no file grows past it (EFBIG).
        public const ulong MaxSize = long.MaxValue;

        // Copies up to `count` bytes from `offset` of `node` to the user's `buffer`. The
        // count copied (0 at or past the end), or -EFAULT when none could be.
        public static long Read(AddressSpace space, Inode node, ulong offset, ulong buffer, ulong count)
        {
            if (offset >= node.Size)
                return 0;
            if (count > node.Size - offset)
                count = node.Size - offset;
            ulong done = 0;
            while (done < count)
            {
                ulong at = offset + done;
                ulong inPage = at & Page.OffsetMask;
                ulong n = FilePages.PieceLength(at, count - done);
                byte* page = node.Pages.PageAt(at >> Page.Shift);
                long copied = page != null ? ToUser(space, buffer + done, page + inPage, n) : ZerosToUser(space, buffer + done, n);
                if (copied < 0)
                    return done > 0 ? (long)done : copied;
                done += (ulong)copied;
                if ((ulong)copied < n)
                    break;
            }
            node.Accessed();
            return (long)done;
        }

        // Writes `count` zero bytes to the user's `buffer` (a hole, /dev/zero): the count
        // written, or -EFAULT when none could be.
        public static long ZerosToUser(AddressSpace space, ulong buffer, ulong count)
        {
            const int ChunkSize = 256;
            byte* zeros = stackalloc byte[ChunkSize];
            for (int i = 0; i < ChunkSize; i++)
                zeros[i] = 0;
            ulong done = 0;
            while (done < count)
            {
                ulong n = count - done < ChunkSize ? count - done : ChunkSize;
                long copied = ToUser(space, buffer + done, zeros, n);
                if (copied < 0)
                    return done > 0 ? (long)done : copied;
                done += n;
            }
            return (long)done;
        }

        // Copies `count` kernel bytes to the user's `buffer`: the count, or -errno.
        private static long ToUser(AddressSpace space, ulong buffer, byte* source, ulong count)
        {
            Errno error = UserMemory.CopyToUser(space, buffer, source, count);
            return error == Errno.None ? (long)count : -(long)error;
        }

        // Copies `count` bytes from `source` (the user's buffer, or sendfile's kernel page) to
        // `offset` of `node`, growing it. The count copied, or -errno when none could be
        // (EFAULT, ENOSPC without frames, EFBIG past MaxSize).
        public static long Write(WriteSource source, Inode node, ulong offset, ulong count)
        {
            if (offset >= MaxSize)
                return count == 0 ? 0 : -(int)Errno.EFBIG;
            if (count > MaxSize - offset)
                count = MaxSize - offset;
            ulong done = 0;
            long error = 0;
            while (done < count)
            {
                ulong at = offset + done;
                ulong inPage = at & Page.OffsetMask;
                ulong n = FilePages.PieceLength(at, count - done);
                byte* page = node.Pages.PageForWrite(at >> Page.Shift);
                if (page == null)
                {
                    error = -(long)Errno.ENOSPC;
                    break;
                }
                Errno copy = source.CopyTo(page + inPage, done, n);
                if (copy != Errno.None)
                {
                    error = -(long)copy;
                    break;
                }
                done += n;
            }
            if (offset + done > node.Size)
                node.Size = offset + done;
            if (done > 0 || count == 0)
                node.Modified();
            return done > 0 || error == 0 ? (long)done : error;
        }

        // Sets the size of `node` (ftruncate): pages past it go back (also those fallocate
        // put past an unchanged size, as tmpfs does), a longer file reads zeros up to it.
        public static void Resize(Inode node, ulong size)
        {
            if (size <= node.Size)
                node.Pages.Truncate(size);
            node.Size = size;
            node.Modified();
        }

        // fallocate's allocation (tmpfs's shmem_fallocate): every page of [offset, offset +
        // length) holds a frame (zeros where it was a hole), and the size grows to the range's
        // end unless `keepSize`; ctime is now. ENOSPC, nothing changed, when the range has
        // more pages than RAM has frames or the frames cannot all be had.
        public static int Allocate(Inode node, ulong offset, ulong length, bool keepSize)
        {
            ulong first = offset >> Page.Shift;
            ulong end = (offset + length + Page.OffsetMask) >> Page.Shift;
            if (end - first > KernelMemory.Manager.Stat.TotalFrames || !node.Pages.FillHoles(first, end))
                return -(int)Errno.ENOSPC;
            if (!keepSize && offset + length > node.Size)
                node.Size = offset + length;
            node.Changed();
            return 0;
        }

        // fallocate's FALLOC_FL_PUNCH_HOLE (tmpfs's shmem_truncate_range): [offset, offset +
        // length) reads as zeros after, the pages wholly inside it given back and the parts of
        // the pages at its ends zeroed; the size stays, mtime and ctime are now.
        public static void PunchHole(Inode node, ulong offset, ulong length)
        {
            ulong end = offset + length;
            ulong firstWhole = (offset + Page.OffsetMask) >> Page.Shift;
            ulong endWhole = end >> Page.Shift;
            ulong headEnd = firstWhole << Page.Shift;
            ZeroBytes(node, offset, headEnd < end ? headEnd : end);
            if (endWhole > firstWhole)
                node.Pages.FreeRange(firstWhole, endWhole);
            ulong tailStart = endWhole << Page.Shift;
            ZeroBytes(node, tailStart > offset ? tailStart : offset, end);
            node.Modified();
        }

        // Zeroes the bytes [from, to) of `node` that lie in pages holding a frame.
        private static void ZeroBytes(Inode node, ulong from, ulong to)
        {
            while (from < to)
            {
                ulong n = FilePages.PieceLength(from, to - from);
                byte* page = node.Pages.PageAt(from >> Page.Shift);
                if (page != null)
                    for (ulong i = 0; i < n; i++)
                        page[(from & Page.OffsetMask) + i] = 0;
                from += n;
            }
        }

        // Fills the new, empty `node` with `size` kernel bytes from `data` (the initrd's
        // files). False when the frames ran out (the file keeps what fit).
        public static bool Fill(Inode node, byte* data, ulong size)
        {
            for (ulong done = 0; done < size; done += Page.Size)
            {
                byte* page = node.Pages.PageForWrite(done >> Page.Shift);
                if (page == null)
                    return false;
                ulong n = size - done < Page.Size ? size - done : Page.Size;
                for (ulong i = 0; i < n; i++)
                    page[i] = data[done + i];
                node.Size = done + n;
            }
            return true;
        }
    }
}
