namespace Cowbird.Kernel.Drivers
{
    // An ATA (IDE) disk as a DiskBlockDevice. A page is one command (and, in multiple
    // mode, one DRQ block). Writes are flushed to the medium before returning unless
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

        protected override int ReadSectors(ulong lba, uint count, byte* buffer) => Disk.ReadSectors(lba, count, buffer);

        protected override int WriteSectors(ulong lba, uint count, byte* buffer) => Disk.WriteSectors(lba, count, buffer, FlushWrites);

        public override void WriteName()
        {
            Disk.WritePosition();
            KernelConsole.Write(" \"");
            Disk.Identity.WriteModel();
            KernelConsole.Write("\"");
        }
    }
}
