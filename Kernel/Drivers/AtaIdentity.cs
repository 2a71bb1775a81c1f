namespace Cowbird.Kernel.Drivers
{
    // What IDENTIFY DEVICE said about one disk, kept by both disk drivers (IDE and AHCI):
    // its model string, its size in sectors and whether it takes LBA48 commands. It also
    // writes the one-line description both drivers log when they find the disk.
    public sealed unsafe class AtaIdentity
    {
        public const int SectorSize = 512;    // the ATA logical sector, as both drivers address it

        public readonly ulong SectorCount;
        public readonly bool SupportsLba48;
        private readonly byte[] _model = new byte[AtaIdentifyData.ModelLength];
        private readonly int _modelLength;

        // Keeps the fields of the 256 IDENTIFY words at `identify` (AtaIdentifyData.Words).
        public AtaIdentity(ushort* identify)
        {
            SectorCount = AtaIdentifyData.SectorCount(identify);
            SupportsLba48 = AtaIdentifyData.SupportsLba48(identify);
            _modelLength = AtaIdentifyData.CopyModel(identify, _model);
        }

        // Writes the model string from IDENTIFY (e.g. "QEMU HARDDISK").
        public void WriteModel()
        {
            for (int i = 0; i < _modelLength; i++)
                KernelConsole.Write((char)_model[i]);
        }

        // Writes `ATA disk "QEMU HARDDISK", 131072 sectors (64 MiB)`, without a line end.
        public void WriteSummary()
        {
            KernelConsole.Write("ATA disk \"");
            WriteModel();
            KernelConsole.Write("\", ");
            KernelConsole.WriteDecimal(SectorCount);
            KernelConsole.Write(" sectors (");
            KernelConsole.WriteDecimal(SectorCount * SectorSize >> 20);
            KernelConsole.Write(" MiB)");
        }
    }
}
