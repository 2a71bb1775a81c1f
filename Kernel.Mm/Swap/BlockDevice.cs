namespace Cowbird.Mm.Swap
{
    // The seam between swap and a disk: a device of 4096-byte pages, read and written
    // one page at a time. The kernel's disk drivers implement it (DiskBlockDevice); the host tests
    // use a RAM disk that counts I/O and injects errors.
    // Contract for implementations: pageIndex < PageCount, buffer points to PageSize
    // writable bytes; return 0 on success or a negative errno (-(int)Errno.EIO,
    // -(int)Errno.EINVAL for an index out of range). A failed read leaves the buffer's
    // content unspecified; a failed write leaves the page's old or new content.
    public abstract class BlockDevice
    {
        public const int PageSize = (int)Page.Size;

        // Number of PageSize pages on the device.
        public abstract ulong PageCount { get; }

        // Copies page `pageIndex` of the device into buffer[0..PageSize).
        public abstract unsafe int ReadPage(ulong pageIndex, byte* buffer);

        // Copies buffer[0..PageSize) to page `pageIndex` of the device.
        public abstract unsafe int WritePage(ulong pageIndex, byte* buffer);
    }
}
