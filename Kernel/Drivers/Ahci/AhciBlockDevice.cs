namespace Cowbird.Kernel.Drivers.Ahci
{
    // An AHCI disk as a DiskBlockDevice: a page is one READ/WRITE DMA EXT of 8 sectors,
    // the PRDT pointing straight at the caller's buffer (no copy). Writes are not
    // flushed: the swap device's contents do not outlive the boot, and a later read
    // sees the data regardless.
    public sealed unsafe class AhciBlockDevice : DiskBlockDevice
    {
        public readonly AhciDisk Disk;

        public AhciBlockDevice(AhciDisk disk) => Disk = disk;

        public override ulong SectorCount => Disk.SectorCount;

        protected override int ReadSectors(ulong lba, uint count, byte* buffer) => Disk.ReadSectors(lba, count, buffer);

        protected override int WriteSectors(ulong lba, uint count, byte* buffer) => Disk.WriteSectors(lba, count, buffer);

        public override void WriteName()
        {
            Disk.WritePosition();
            KernelConsole.Write(" \"");
            Disk.Identity.WriteModel();
            KernelConsole.Write("\"");
        }
    }
}
