using Cowbird.Mm;
using System;
using Cowbird.Mm.Swap;

namespace Cowbird.Tests.Host.Swap
{
    // Host double for the BlockDevice seam: pages in a managed array, I/O counters, and
    // error injection (fail one page, or every I/O after the next N succeed).
    public sealed unsafe class RamDisk : BlockDevice
    {
        readonly byte[] data;
        readonly ulong pages;

        public int Reads;
        public int Writes;
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
