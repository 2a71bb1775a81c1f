using Cowbird.Mm;
using Cowbird.Mm.Swap;

namespace Cowbird.Kernel.Drivers
{
    // A disk of 512-byte sectors seen as swap's BlockDevice: 4096-byte pages, page n =
    // sectors 8n..8n+7, a trailing partial page unused. Swap discovery tries every disk
    // through this one interface, whichever driver runs it (AhciBlockDevice,
    // AtaBlockDevice); a driver supplies the sector transfers and the disk's name.
    // Results follow the seam's contract: 0, -(int)Errno.EINVAL for a page index out
    // of range or a null buffer (nothing reaches the disk), -(int)Errno.EIO when the
    // disk fails or times out.
    public abstract unsafe class DiskBlockDevice : BlockDevice
    {
        public const uint SectorSize = AtaIdentity.SectorSize;
        public const uint SectorsPerPage = PageSize / SectorSize;

        public abstract ulong SectorCount { get; }

        public override ulong PageCount => SectorCount / SectorsPerPage;

        // Writes where the disk is and its model, e.g. `AHCI port 0 "QEMU HARDDISK"`.
        public abstract void WriteName();

        // Transfers `count` sectors at `lba` (a range inside the disk); 0 or a negative errno.
        protected abstract int ReadSectors(ulong lba, uint count, byte* buffer);

        protected abstract int WriteSectors(ulong lba, uint count, byte* buffer);

        public override int ReadPage(ulong pageIndex, byte* buffer)
        {
            if (pageIndex >= PageCount || buffer == null)
                return -(int)Errno.EINVAL;
            return ReadSectors(pageIndex * SectorsPerPage, SectorsPerPage, buffer) == 0 ? 0 : -(int)Errno.EIO;
        }

        public override int WritePage(ulong pageIndex, byte* buffer)
        {
            if (pageIndex >= PageCount || buffer == null)
                return -(int)Errno.EINVAL;
            return WriteSectors(pageIndex * SectorsPerPage, SectorsPerPage, buffer) == 0 ? 0 : -(int)Errno.EIO;
        }
    }
}
