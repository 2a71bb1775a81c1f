using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Fs;
using Cowbird.Kernel.Memory;
using Cowbird.Kernel.Processes;
using Cowbird.Mm;
using Cowbird.Mm.Physical;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // sendfile(out_fd, in_fd, offset, count) (fs/read_write.c do_sendfile): copies up to
    // `count` bytes of the RAM file open as in_fd to out_fd (a RAM file, a pipe, the console
    // or a device) inside the kernel, a page at a time through one kernel frame, never
    // through user memory. With an `offset` pointer (a loff_t in user memory) it reads from
    // *offset and stores the position after the last byte sent there, leaving in_fd's own
    // offset alone; without one it reads from in_fd's offset and moves it.
    // Linux's order of checks:
    //   EFAULT  *offset cannot be read (and, after the copy, written);
    //   EBADF   in_fd is not open, or not open for reading;
    //   ESPIPE  an offset pointer for an input without positions (a pipe, the console);
    //   EINVAL  a negative offset, a count above SSIZE_MAX, or the two adding past it;
    //   EBADF   out_fd is not open, or not open for writing;
    //   EINVAL  an output opened with O_APPEND (unless it is a pipe), an input that is not a
    //           RAM file (a directory, a device, a /proc file: Linux splices the last two
    //           into a pipe, Cowbird does not).
    // The count is cut to MAX_RW_COUNT. The bytes sent are returned; a write that stops
    // early (a full non-blocking pipe, no frame for a RAM file, a broken pipe) returns what
    // was sent before it, or its error when nothing was.
    public static unsafe class SendfileSyscall
    {
        public static long Sendfile(Process process, int outFd, int inFd, ulong offsetAddress, ulong count)
        {
            long position = 0;
            if (offsetAddress != 0 && UserMemory.CopyFromUser(process.Space, (byte*)&position, offsetAddress, 8) != Errno.None)
                return -(long)Errno.EFAULT;
            OpenFile input = process.Files.Get(inFd);
            if (input == null || !input.CanRead)
                return -(long)Errno.EBADF;
            if (offsetAddress != 0 && !input.IsSeekable)
                return -(int)Errno.ESPIPE;
            if (offsetAddress == 0)
                position = (long)input.Offset;
            if (position < 0 || (long)count < 0 || position + (long)count < 0)
                return -(long)Errno.EINVAL;
            OpenFile output = process.Files.Get(outFd);
            if (output == null || !output.CanWrite)
                return -(long)Errno.EBADF;
            if (output.Pipe == null && (output.StatusFlags & OpenFile.Append) != 0 || !input.IsRegular)
                return -(long)Errno.EINVAL;
            long sent = Copy(process, input, (ulong)position, output, count < FileSyscalls.MaxRwCount ? count : FileSyscalls.MaxRwCount);
            if (sent > 0)
                position += sent;
            if (offsetAddress == 0)
                input.Offset = (ulong)position;
            else if (UserMemory.CopyToUser(process.Space, offsetAddress, (byte*)&position, 8) != Errno.None)
                return -(long)Errno.EFAULT;
            return sent;
        }

        // Sends up to `count` bytes of the RAM file `input` from `position` on to `output`:
        // the count sent, or -errno when nothing was.
        private static long Copy(Process process, OpenFile input, ulong position, OpenFile output, ulong count)
        {
            ulong size = input.Node.Size;
            if (position >= size || count == 0)
                return 0;
            if (count > size - position)
                count = size - position;
            ulong frame = KernelMemory.AllocateKernelFrame(true);
            if (frame == FrameAllocator.NoFrame)
                return -(long)Errno.ENOMEM;
            byte* page = KernelLayout.PhysicalToVirtual(frame << Page.Shift);
            ulong done = 0;
            long error = 0;
            while (done < count)
            {
                ulong n = count - done < Page.Size ? count - done : Page.Size;
                input.Node.Pages.Read(position + done, page, n);
                long written = FileSyscalls.WriteTo(process, output, WriteSource.Kernel(page), n);
                if (written < 0)
                {
                    error = written;
                    break;
                }
                done += (ulong)written;
                if ((ulong)written < n)
                    break;
            }
            KernelMemory.FreeKernelFrame(frame);
            input.Node.Accessed();
            return done > 0 || error == 0 ? (long)done : error;
        }
    }
}
