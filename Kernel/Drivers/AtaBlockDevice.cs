namespace Cowbird.Kernel.Drivers
{
    // An ATA (IDE) disk as a DiskBlockDevice. A run of up to 32 pages (256 sectors, the
    // most one command moves) is one command, each page one DRQ block in multiple mode. Writes are flushed to the medium before returning unless
    // the device was made with flushWrites = false: the swap device, whose contents do
    // not outlive the boot (Linux does not flush swap writes either; a later read sees
    // the data regardless).
    public sealed unsafe class AtaBlockDevice : DiskBlockDevice
    {
        public readonly AtaDisk Disk;
        public readonly bool FlushWrites;

        public AtaBlockDevice(AtaDisk disk, bool flushWrites = true)
        {
            Disk = disk;
            FlushWrites = flushWrites;
        }

        public override ulong SectorCount => Disk.SectorCount;

        protected override uint MaxPagesPerCommand => AtaDisk.MaxSectorsPerCommand / SectorsPerPage;

        protected override int ReadPageRun(ulong lba, byte** pages, uint count) => Disk.ReadPages(lba, pages, count);

        protected override int WritePageRun(ulong lba, byte** pages, uint count) => Disk.WritePages(lba, pages, count, FlushWrites);

        public override void WriteName()
        {
            Disk.WritePosition();
            KernelConsole.Write(" \"");
            Disk.Identity.WriteModel();
            KernelConsole.Write("\"");
        }
    }
}
