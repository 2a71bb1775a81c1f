using Cowbird.Mm;
using System;
using Cowbird.Mm.Swap;

namespace Cowbird.Tests.Host.Swap
{
    // Host double for the BlockDevice seam: pages in a managed array, I/O counters (pages,
    // and requests: a run of pages is one request, as one disk command), and error
    // injection (fail one page, or every I/O after the next N succeed; a run fails whole
    // when one of its pages does).
    public sealed unsafe class RamDisk : BlockDevice
    {
        readonly byte[] data;
        readonly ulong pages;

        public int Reads;
        public int Writes;
        public int ReadRequests;
        public int WriteRequests;
        public long FailPage = -1;           // I/O on this page returns EIO
        public int FailAfter = -1;           // after this many more successful I/Os, all return EIO

        public RamDisk(ulong pages)
        {
            this.pages = pages;
            data = new byte[pages * PageSize];
        }

        public override ulong PageCount => pages;

        public byte[] Bytes => data;

        public override int ReadPage(ulong pageIndex, byte* buffer)
        {
            int check = Check(pageIndex);
            if (check != 0)
                return check;
            Reads++;
            fixed (byte* src = &data[pageIndex * PageSize])
                Buffer.MemoryCopy(src, buffer, PageSize, PageSize);
            return 0;
        }

        public override int WritePage(ulong pageIndex, byte* buffer)
        {
            int check = Check(pageIndex);
            if (check != 0)
                return check;
            Writes++;
            fixed (byte* dst = &data[pageIndex * PageSize])
                Buffer.MemoryCopy(buffer, dst, PageSize, PageSize);
            return 0;
        }

        public override int ReadPages(ulong firstPage, byte** buffers, uint count) =>
            Request(firstPage, buffers, count, write: false);

        public override int WritePages(ulong firstPage, byte** buffers, uint count) =>
            Request(firstPage, buffers, count, write: true);

        // One request for a run: counted once, failing whole (CheckRun) or moving every page.
        int Request(ulong firstPage, byte** buffers, uint count, bool write)
        {
            int check = CheckRun(firstPage, buffers, count);
            if (check != 0)
                return check;
            if (write)
                WriteRequests++;
            else
                ReadRequests++;
            for (uint i = 0; i < count; i++)
            {
                if (write)
                    WritePage(firstPage + i, buffers[i]);
                else
                    ReadPage(firstPage + i, buffers[i]);
            }
            return 0;
        }

        // EINVAL outside the disk; EIO when a page of the run is FailPage or FailAfter ran out
        // (then nothing is moved).
        int CheckRun(ulong firstPage, byte** buffers, uint count)
        {
            if (!RunFits(firstPage, count) || buffers == null)
                return -(int)Errno.EINVAL;
            if (FailPage >= 0 && (ulong)FailPage >= firstPage && (ulong)FailPage < firstPage + count)
                return -(int)Errno.EIO;
            if (FailAfter >= 0 && FailAfter < count)
            {
                FailAfter = 0;
                return -(int)Errno.EIO;
            }
            return 0;
        }

        int Check(ulong pageIndex)
        {
            if (pageIndex >= pages)
                return -(int)Errno.EINVAL;
            if ((long)pageIndex == FailPage)
                return -(int)Errno.EIO;
            if (FailAfter == 0)
                return -(int)Errno.EIO;
            if (FailAfter > 0)
                FailAfter--;
            return 0;
        }
    }
}
