using Cowbird.Mm;
using Cowbird.Mm.Swap;

namespace Cowbird.Kernel.Drivers
{
    // An ATA disk seen as swap's BlockDevice: 4096-byte pages, page n = sectors
    // 8n..8n+7. A trailing partial page (disk size not a multiple of 4 KiB) is unused.
    // Results follow the seam's contract: 0, -(int)Errno.EINVAL for a page index out
    // of range or a null buffer (nothing reaches the disk), -(int)Errno.EIO when the
    // disk fails or times out. A page is one command (and, in multiple mode, one DRQ block).
    // Writes are flushed to the medium before returning unless the device was made with
    // flushWrites = false: the swap device, whose contents do not outlive the boot
    // (Linux does not flush swap writes either; a later read sees the data regardless).
    public sealed unsafe class AtaBlockDevice : BlockDevice
    {
        public const uint SectorsPerPage = PageSize / AtaDisk.SectorSize;

        public readonly AtaDisk Disk;
        public readonly bool FlushWrites;

        public AtaBlockDevice(AtaDisk disk, bool flushWrites = true)
        {
            Disk = disk;
            FlushWrites = flushWrites;
        }

        public override ulong PageCount => Disk.SectorCount / SectorsPerPage;

        public override int ReadPage(ulong pageIndex, byte* buffer)
        {
            if (pageIndex >= PageCount || buffer == null)
                return -(int)Errno.EINVAL;
            return Disk.ReadSectors(pageIndex * SectorsPerPage, SectorsPerPage, buffer) == 0 ? 0 : -(int)Errno.EIO;
        }

        public override int WritePage(ulong pageIndex, byte* buffer)
        {
            if (pageIndex >= PageCount || buffer == null)
                return -(int)Errno.EINVAL;
            return Disk.WriteSectors(pageIndex * SectorsPerPage, SectorsPerPage, buffer, FlushWrites) == 0 ? 0 : -(int)Errno.EIO;
        }
    }
}
