namespace Cowbird.Kernel.Drivers.Ahci
{
    // An AHCI disk as a DiskBlockDevice: a run of pages is one READ/WRITE DMA EXT, one
    // PRDT entry per page pointing straight at the caller's buffer (no copy), up to the
    // PRDT's AhciPort.MaxPrdEntries entries. Writes are not
    // flushed: the swap device's contents do not outlive the boot, and a later read
    // sees the data regardless.
    public sealed unsafe class AhciBlockDevice : DiskBlockDevice
    {
        public readonly AhciDisk Disk;

        public AhciBlockDevice(AhciDisk disk) => Disk = disk;

        public override ulong SectorCount => Disk.SectorCount;

        protected override uint MaxPagesPerCommand => AhciDisk.MaxPagesPerCommand;

        protected override int ReadPageRun(ulong lba, byte** pages, uint count) => Disk.ReadPages(lba, pages, count);

        protected override int WritePageRun(ulong lba, byte** pages, uint count) => Disk.WritePages(lba, pages, count);

        public override void WriteName()
        {
            Disk.WritePosition();
            KernelConsole.Write(" \"");
            Disk.Identity.WriteModel();
            KernelConsole.Write("\"");
        }
    }
}
