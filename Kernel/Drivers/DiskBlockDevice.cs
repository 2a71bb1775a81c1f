using Cowbird.Mm;
using Cowbird.Mm.Swap;

namespace Cowbird.Kernel.Drivers
{
    // A disk of 512-byte sectors seen as swap's BlockDevice: 4096-byte pages, page n =
    // sectors 8n..8n+7, a trailing partial page unused. Swap discovery tries every disk
    // through this one interface, whichever driver runs it (AhciBlockDevice,
    // AtaBlockDevice); a driver supplies the transfer of a run of pages (each page its
    // own buffer) as one disk command, at most MaxPagesPerCommand pages long, and the
    // disk's name. A longer run is split here into commands of that size.
    // Results follow the seam's contract: 0, -(int)Errno.EINVAL for a page index out
    // of range or a null buffer (nothing reaches the disk), -(int)Errno.EIO when the
    // disk fails or times out.
    public abstract unsafe class DiskBlockDevice : BlockDevice
    {
        public const uint SectorSize = AtaIdentity.SectorSize;
        public const uint SectorsPerPage = PageSize / SectorSize;

        public abstract ulong SectorCount { get; }

        public override ulong PageCount => SectorCount / SectorsPerPage;

        // The longest run of pages one command of the driver moves.
        protected abstract uint MaxPagesPerCommand { get; }

        // Writes where the disk is and its model, e.g. `AHCI port 0 "QEMU HARDDISK"`.
        public abstract void WriteName();

        // Transfers `count` (1..MaxPagesPerCommand) pages at sector `lba` (a range inside
        // the disk) to or from pages[0..count) in one command; 0 or a negative errno.
        protected abstract int ReadPageRun(ulong lba, byte** pages, uint count);

        protected abstract int WritePageRun(ulong lba, byte** pages, uint count);

        public override int ReadPage(ulong pageIndex, byte* buffer) => ReadPages(pageIndex, &buffer, 1);

        public override int WritePage(ulong pageIndex, byte* buffer) => WritePages(pageIndex, &buffer, 1);

        public override int ReadPages(ulong firstPage, byte** buffers, uint count) =>
            Transfer(firstPage, buffers, count, write: false);

        public override int WritePages(ulong firstPage, byte** buffers, uint count) =>
            Transfer(firstPage, buffers, count, write: true);

        // Checks the run, then moves it in commands of at most MaxPagesPerCommand pages.
        private int Transfer(ulong firstPage, byte** buffers, uint count, bool write)
        {
            if (!RunFits(firstPage, count) || buffers == null)
                return -(int)Errno.EINVAL;
            for (uint i = 0; i < count; i++)
                if (buffers[i] == null)
                    return -(int)Errno.EINVAL;
            uint done = 0;
            while (done < count)
            {
                uint n = count - done < MaxPagesPerCommand ? count - done : MaxPagesPerCommand;
                ulong lba = (firstPage + done) * SectorsPerPage;
                int result = write ? WritePageRun(lba, buffers + done, n) : ReadPageRun(lba, buffers + done, n);
                if (result != 0)
                    return -(int)Errno.EIO;
                done += n;
            }
            return 0;
        }
    }
}
