using Cowbird.Kernel.Fs;
using Cowbird.Kernel.Fs.RamFs;
using Cowbird.Kernel.Fs.Vfs;
using Cowbird.Kernel.Processes;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // read, write, close, readv, writev, pread64, pwrite64, lseek. Files: the console (fds
    // 0-2, /dev/tty, /dev/console), RAM files (FileContents), the devices of /dev
    // (DeviceFiles), the /proc files (ProcFiles, generated as they are read) and pipes
    // (PipeSyscalls moves their bytes). A transfer copies through a
    // kernel bounce buffer, one chunk at a time through UserMemory: a bad buffer gives
    // -EFAULT when nothing was transferred yet, else the count done so far (as Linux).
    // As in Linux's vfs_read/vfs_write, a buffer range reaching past TASK_SIZE (a huge
    // count such as ~0) is -EFAULT before anything moves, and a count is cut to
    // MAX_RW_COUNT. Console writes go a page at a time as Linux's pipe_write does (the
    // test programs' stdout is a pipe on Linux): a page whose source is not all
    // readable is not written at all.
    public static unsafe class FileSyscalls
    {
        private const int ChunkSize = 512;
        private const int SeekSet = 0, SeekCur = 1, SeekEnd = 2, SeekData = 3, SeekHole = 4;
        private const int MaxIovecs = 1024;
        // Linux's MAX_RW_COUNT (INT_MAX rounded down to a page): the most one call moves.
        public const ulong MaxRwCount = 0x7ffff000;
        // What Linux's pipe_write copies at once: one page of the source.
        private const ulong PipePage = 4096;

        private static OpenFile FileOf(Process process, int fd) => process.Files.Get(fd);

        public static long Read(Process process, int fd, ulong buffer, ulong count)
        {
            OpenFile file = FileOf(process, fd);
            if (file == null || !file.CanRead)
                return -(long)Errno.EBADF;
            if (!IsUserRange(buffer, count))
                return -(long)Errno.EFAULT;
            if (file.IsDirectory)
                return -(int)Errno.EISDIR;
            if (count == 0)
                return 0;
            if (count > MaxRwCount)
                count = MaxRwCount;
            if (file.Pipe != null)
                return PipeSyscalls.Read(process, file, buffer, count);
            byte* chunk = stackalloc byte[ChunkSize];
            if (file.IsConsole)
            {
                int want = count < ChunkSize ? (int)count : ChunkSize;
                if (!IsUserRange(buffer, (ulong)want))
                    return -(long)Errno.EFAULT;
                int got = ConsoleDevice.Read(process, chunk, want);
                if (got < 0)
                    return got;
                Errno error = UserMemory.CopyToUser(process.Space, buffer, chunk, (ulong)got);
                return error == Errno.None ? got : -(long)error;
            }
            if (file.Generated != null)
            {
                long generated = ReadGenerated(process, file.Generated, buffer, count, chunk);
                if (generated > 0)
                    file.Offset += (ulong)generated;
                return generated;
            }
            long read = ReadAt(process, file, file.Offset, buffer, count);
            if (read > 0)
                file.Offset += (ulong)read;
            return read;
        }

        // Reads from `offset` of a RAM file or a device (zeros, random bytes, or end of file
        // for /dev/null) into the user's `buffer`: the count, or -errno.
        private static long ReadAt(Process process, OpenFile file, ulong offset, ulong buffer, ulong count)
        {
            if (file.IsRegular)
                return FileContents.Read(process.Space, file.Node, offset, buffer, count);
            if (DeviceFiles.IsRandom(file.Node.Device))
                return RandomSyscalls.FillUser(process, buffer, count);
            ulong zeros = DeviceFiles.ReadLength(file.Node.Device, count);
            return FileContents.ZerosToUser(process.Space, buffer, zeros);
        }

        // read of a /proc file: chunk by chunk from its SeqFile. A bad buffer gives -EFAULT
        // when nothing was transferred yet, else the count so far; the bytes that could
        // not be delivered are given back, so the next read starts with them.
        private static long ReadGenerated(Process process, SeqFile file, ulong buffer, ulong count, byte* chunk)
        {
            ulong done = 0;
            while (done < count)
            {
                int want = count - done < ChunkSize ? (int)(count - done) : ChunkSize;
                int got = file.Read(chunk, want);
                if (got == 0)
                    break;
                Errno error = UserMemory.CopyToUser(process.Space, buffer + done, chunk, (ulong)got);
                if (error != Errno.None)
                {
                    file.GiveBack(got);
                    return done > 0 ? (long)done : -(long)error;
                }
                done += (ulong)got;
            }
            return (long)done;
        }

        public static long Write(Process process, int fd, ulong buffer, ulong count)
        {
            OpenFile file = FileOf(process, fd);
            if (file == null || !file.CanWrite)
                return -(long)Errno.EBADF;    // initrd and /proc files are opened read-only
            if (!IsUserRange(buffer, count))
                return -(long)Errno.EFAULT;
            return WriteTo(process, file, WriteSource.User(process.Space, buffer), count < MaxRwCount ? count : MaxRwCount);
        }

        // Writes `count` bytes of `source` to `file` (the console, a pipe's writing end, a
        // RAM file at its offset, or the end under O_APPEND, or a device): the count
        // written, or -errno when nothing was.
        public static long WriteTo(Process process, OpenFile file, WriteSource source, ulong count)
        {
            if (file.Pipe != null)
                return count == 0 ? 0 : PipeSyscalls.Write(process, file, source, count);
            if (file.IsRegular)
            {
                if ((file.StatusFlags & OpenFile.Append) != 0)
                    file.Offset = file.Node.Size;
                long written = FileContents.Write(source, file.Node, file.Offset, count);
                if (written > 0)
                    file.Offset += (ulong)written;
                return written;
            }
            if (!file.IsConsole)
                return DeviceFiles.Write(file.Node.Device, count);
            int check = ConsoleDevice.CheckWrite(process);    // a background job's write (TOSTOP)
            return check != 0 ? check : WriteConsole(source, count);
        }

        // Writes `count` bytes of `source` to the console a page of the source at a time
        // (PipePage bytes): a page is written only when all of it can be read, so a bad
        // buffer gives -EFAULT when nothing was written yet, else the count of whole pages
        // written.
        private static long WriteConsole(WriteSource source, ulong count)
        {
            byte* chunk = stackalloc byte[ChunkSize];
            ulong done = 0;
            while (done < count)
            {
                ulong piece = count - done < PipePage ? count - done : PipePage;
                if (!source.IsReadable(done, piece))
                    return done > 0 ? (long)done : -(long)Errno.EFAULT;
                for (ulong at = 0; at < piece; at += ChunkSize)
                {
                    ulong n = piece - at < ChunkSize ? piece - at : ChunkSize;
                    Errno error = source.CopyTo(chunk, done + at, n);
                    if (error != Errno.None)
                        return done + at > 0 ? (long)(done + at) : -(long)error;
                    ConsoleDevice.Write(chunk, (int)n);
                }
                done += piece;
            }
            return (long)done;
        }

        public static long Writev(Process process, int fd, ulong iov, long count) => Vectored(process, fd, iov, count, true);

        public static long Readv(Process process, int fd, ulong iov, long count) => Vectored(process, fd, iov, count, false);

        // readv and writev: the segments are moved in order, as reads or writes, until one is
        // not moved whole. Once some bytes were read, a segment that would have to wait is not
        // read (Linux reads a pipe's segments in one pipe_read that stops when it is empty); the
        // console gives one read. Linux 6.1's order: the fd, the segments, then the access mode.
        private static long Vectored(Process process, int fd, ulong iov, long count, bool write)
        {
            OpenFile file = FileOf(process, fd);
            if (file == null)
                return -(long)Errno.EBADF;
            long error = CheckVectors(process, iov, count);
            if (error != 0)
                return error;
            if (write ? !file.CanWrite : !file.CanRead)
                return -(long)Errno.EBADF;
            ulong* vectors = stackalloc ulong[2];
            long total = 0;
            for (long i = 0; i < count; i++)
            {
                UserMemory.CopyFromUser(process.Space, (byte*)vectors, iov + (ulong)i * 16, 16);
                if (!write && total > 0 && (file.IsConsole || (file.Pipe != null && file.Pipe.IsEmpty)))
                    break;
                long moved = write ? WriteTo(process, file, WriteSource.User(process.Space, vectors[0]), vectors[1]) : Read(process, fd, vectors[0], vectors[1]);
                if (moved < 0)
                    return total > 0 ? total : moved;
                total += moved;
                if ((ulong)moved < vectors[1])
                    break;
            }
            return total;
        }

        // Like Linux's import_iovec: at most MaxIovecs segments (else -EINVAL), each lying in
        // user space (else -EFAULT), checked before any byte moves. 0 when they do.
        private static long CheckVectors(Process process, ulong iov, long count)
        {
            if (count < 0 || count > MaxIovecs)
                return -(long)Errno.EINVAL;
            ulong* vectors = stackalloc ulong[2];
            for (long i = 0; i < count; i++)
            {
                if (UserMemory.CopyFromUser(process.Space, (byte*)vectors, iov + (ulong)i * 16, 16) != Errno.None)
                    return -(long)Errno.EFAULT;
                if (!IsUserRange(vectors[0], vectors[1]))
                    return -(long)Errno.EFAULT;
            }
            return 0;
        }

        // lseek(fd, offset, whence): EBADF, ESPIPE on pipes and terminals, EINVAL for an
        // unknown whence or a negative result. A RAM file seeks anywhere (SEEK_SET, SEEK_CUR,
        // SEEK_END) and finds its data and holes (SEEK_DATA, SEEK_HOLE); a directory by
        // getdents64 position (not SEEK_END, as Linux's dcache_dir_lseek); a /proc file only
        // where it is or back to 0, which reads it afresh; a device stays at 0.
        public static long Lseek(Process process, int fd, long offset, int whence)
        {
            OpenFile file = FileOf(process, fd);
            if (file == null)
                return -(long)Errno.EBADF;
            if (!file.IsSeekable)
                return -(int)Errno.ESPIPE;
            if ((whence == SeekData || whence == SeekHole) && file.IsRegular)
                return SeekDataOrHole(file, offset, whence == SeekHole);
            long basis;
            if (whence == SeekSet)
                basis = 0;
            else if (whence == SeekCur)
                basis = (long)file.Offset;
            else if (whence == SeekEnd && file.IsRegular)
                basis = (long)file.Node.Size;
            else
                return -(long)Errno.EINVAL;
            long target = basis + offset;
            if (target < 0 || (offset > 0 && target < basis))
                return -(long)Errno.EINVAL;
            if (file.Node.Type == Inode.CharDevice)
                return 0;
            if (file.Generated != null && target != (long)file.Offset)
            {
                if (target != 0)
                    return -(long)Errno.EINVAL;
                file.Generated.Rewind();
            }
            file.Offset = (ulong)target;
            return target;
        }

        // lseek's SEEK_DATA and SEEK_HOLE on a RAM file (tmpfs's shmem_file_llseek): the first
        // offset at or after `offset` in a page holding a frame (data), or in a page without
        // one or at the end (hole; every file has one at its size). ENXIO for an offset
        // outside the file, or no data after it. The file's offset moves there.
        private static long SeekDataOrHole(OpenFile file, long offset, bool hole)
        {
            ulong size = file.Node.Size;
            if (offset < 0 || (ulong)offset >= size)
                return -(int)Errno.ENXIO;
            ulong at = (ulong)offset;
            if (hole)
            {
                while (at < size && file.Node.Pages.PageAt(at >> Page.Shift) != null)
                    at = (at | Page.OffsetMask) + 1;
                at = at < size ? at : size;
            }
            else
            {
                ulong page = file.Node.Pages.NextData(at >> Page.Shift);
                if (page == ulong.MaxValue || page >= (size + Page.OffsetMask) >> Page.Shift)
                    return -(int)Errno.ENXIO;
                if (page != at >> Page.Shift)
                    at = page << Page.Shift;
            }
            file.Offset = at;
            return (long)at;
        }

        // pread64(fd, buffer, count, offset): read at `offset`, the file's offset unchanged.
        // Linux's order: a negative offset is EINVAL, then EBADF (no fd, or not readable),
        // ESPIPE (pipes, terminals, /proc files here), EFAULT, EISDIR.
        public static long Pread64(Process process, int fd, ulong buffer, ulong count, long offset)
        {
            if (offset < 0)
                return -(long)Errno.EINVAL;
            OpenFile file = FileOf(process, fd);
            if (file == null || !file.CanRead)
                return -(long)Errno.EBADF;
            if (!file.IsSeekable || file.Generated != null)
                return -(int)Errno.ESPIPE;
            if (!IsUserRange(buffer, count))
                return -(long)Errno.EFAULT;
            if (file.IsDirectory)
                return -(int)Errno.EISDIR;
            return ReadAt(process, file, (ulong)offset, buffer, count < MaxRwCount ? count : MaxRwCount);
        }

        // pwrite64(fd, buffer, count, offset): write at `offset` (under O_APPEND at the end,
        // as Linux does), the file's offset unchanged. The checks in pread64's order.
        public static long Pwrite64(Process process, int fd, ulong buffer, ulong count, long offset)
        {
            if (offset < 0)
                return -(long)Errno.EINVAL;
            OpenFile file = FileOf(process, fd);
            if (file == null || !file.CanWrite)
                return -(long)Errno.EBADF;
            if (!file.IsSeekable || file.Generated != null)
                return -(int)Errno.ESPIPE;
            if (!IsUserRange(buffer, count))
                return -(long)Errno.EFAULT;
            if (count > MaxRwCount)
                count = MaxRwCount;
            if (!file.IsRegular)
                return DeviceFiles.Write(file.Node.Device, count);
            ulong at = (file.StatusFlags & OpenFile.Append) != 0 ? file.Node.Size : (ulong)offset;
            return FileContents.Write(WriteSource.User(process.Space, buffer), file.Node, at, count);
        }

        public static long Close(Process process, int fd)
        {
            return process.Files.Close(fd) ? 0 : -(long)Errno.EBADF;
        }

        // Linux's access_ok: the range ends at or below TASK_SIZE and does not wrap.
        public static bool IsUserRange(ulong address, ulong length)
        {
            return address + length >= address && address + length <= AddressSpace.TaskSize;
        }
    }
}
