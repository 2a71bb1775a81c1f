namespace Cowbird.Mm.Swap
{
    // The seam between swap and a disk: a device of 4096-byte pages, read and written
    // one page or one run of consecutive pages at a time. The kernel's disk drivers
    // implement it (DiskBlockDevice); the host tests use a RAM disk that counts I/O and
    // injects errors.
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

        // Copies pages firstPage .. firstPage + count - 1 of the device into buffers[0..count)
        // (each PageSize bytes, anywhere in memory): one request for the whole run. A device
        // that can move a run in one command overrides this; the default reads page by page.
        // 0, EINVAL (count 0, or the run does not lie inside the device; nothing is read) or
        // EIO (some buffers' content unspecified).
        public virtual unsafe int ReadPages(ulong firstPage, byte** buffers, uint count)
        {
            return PageByPage(firstPage, buffers, count, false);
        }

        // Copies buffers[0..count) to pages firstPage .. firstPage + count - 1 of the device,
        // as one request; the mirror of ReadPages. A failed run leaves each page's old or
        // new content.
        public virtual unsafe int WritePages(ulong firstPage, byte** buffers, uint count)
        {
            return PageByPage(firstPage, buffers, count, true);
        }

        // The default run: one WritePage or ReadPage per page, stopping at the first error.
        unsafe int PageByPage(ulong firstPage, byte** buffers, uint count, bool write)
        {
            if (!RunFits(firstPage, count) || buffers == null)
                return -(int)Errno.EINVAL;
            for (uint i = 0; i < count; i++)
            {
                int result = write ? WritePage(firstPage + i, buffers[i]) : ReadPage(firstPage + i, buffers[i]);
                if (result != 0)
                    return result;
            }
            return 0;
        }

        // True when the run of `count` (> 0) pages from `firstPage` lies inside the device.
        protected bool RunFits(ulong firstPage, uint count)
        {
            return count > 0 && firstPage < PageCount && count <= PageCount - firstPage;
        }
    }
}
