using Cowbird.Mm;

namespace Cowbird.Kernel.Drivers.Ahci
{
    // An ATA disk behind an AHCI port: IDENTIFY DEVICE for its size and model, then
    // READ DMA EXT and WRITE DMA EXT (LBA48) for its sectors. Each command is a
    // register host-to-device FIS (SATA 3.x 10.5.5):
    //   byte 0 type 0x27, 1 bit 7 "command" (not device control), 2 command,
    //   3 features, 4..6 LBA 0..23, 7 device (bit 6: LBA), 8..10 LBA 24..47,
    //   12..13 sector count
    // Results are 0 or a negative errno: EINVAL for a bad range (nothing is sent),
    // EIO when the disk reports an error or does not answer in time (AhciPort logs it).
    public sealed unsafe class AhciDisk
    {
        public const int SectorSize = AtaIdentity.SectorSize;
        // One PRD entry per page: a command moves at most as many pages as the PRDT has
        // entries (120, well below READ/WRITE DMA EXT's 65536 sectors).
        public const uint MaxPagesPerCommand = (uint)AhciPort.MaxPrdEntries;
        private const uint PageSectors = (uint)(Page.Size / SectorSize);

        private const byte FisTypeRegisterHostToDevice = 0x27;
        private const byte FisCommandBit = 0x80;
        private const byte DeviceLba = 0x40;
        private const byte CommandIdentify = 0xEC;
        private const byte CommandReadDmaExt = 0x25;
        private const byte CommandWriteDmaExt = 0x35;
        private const int FisBytes = 20;

        public readonly AhciPort Port;
        public readonly AtaIdentity Identity;

        private AhciDisk(AhciPort port, ushort* identify)
        {
            Port = port;
            Identity = new AtaIdentity(identify);
        }

        // Sends IDENTIFY DEVICE on `port`; the disk, or null when the command fails or
        // the disk lacks LBA48 (READ/WRITE DMA EXT are LBA48 commands).
        public static AhciDisk Identify(AhciPort port)
        {
            byte[] data = new byte[AtaIdentifyData.Words * 2];
            byte* fis = stackalloc byte[FisBytes];
            fixed (byte* identify = data)
            {
                if (port.Run(Fis(CommandIdentify, 0, 0, fis), identify, (uint)data.Length, write: false) != 0)
                    return null;
                if (!AtaIdentifyData.SupportsLba48((ushort*)identify))
                    return null;
                return new AhciDisk(port, (ushort*)identify);
            }
        }

        public ulong SectorCount => Identity.SectorCount;

        // Writes "AHCI port N".
        public void WritePosition()
        {
            KernelConsole.Write("AHCI port ");
            KernelConsole.WriteDecimal((ulong)Port.Number);
        }

        // Reads `pageCount` pages from sector `lba` into pages[0..pageCount), each page its
        // own buffer, in one command.
        public int ReadPages(ulong lba, byte** pages, uint pageCount) =>
            Transfer(CommandReadDmaExt, lba, pages, pageCount, write: false);

        // Writes pages[0..pageCount) to the disk at sector `lba` in one command.
        public int WritePages(ulong lba, byte** pages, uint pageCount) =>
            Transfer(CommandWriteDmaExt, lba, pages, pageCount, write: true);

        private int Transfer(byte command, ulong lba, byte** pages, uint pageCount, bool write)
        {
            ulong count = (ulong)pageCount * PageSectors;
            if (pages == null || pageCount == 0 || pageCount > MaxPagesPerCommand || lba >= SectorCount || count > SectorCount - lba)
                return -(int)Errno.EINVAL;
            byte* fis = stackalloc byte[FisBytes];
            return Port.RunPages(Fis(command, lba, (uint)count, fis), pages, pageCount, write);
        }

        // Fills `fis` (FisBytes) with a register host-to-device FIS and returns it.
        private static byte* Fis(byte command, ulong lba, uint count, byte* fis)
        {
            for (int i = 0; i < FisBytes; i++)
                fis[i] = 0;
            fis[0] = FisTypeRegisterHostToDevice;
            fis[1] = FisCommandBit;
            fis[2] = command;
            fis[4] = (byte)lba;
            fis[5] = (byte)(lba >> 8);
            fis[6] = (byte)(lba >> 16);
            fis[7] = DeviceLba;
            fis[8] = (byte)(lba >> 24);
            fis[9] = (byte)(lba >> 32);
            fis[10] = (byte)(lba >> 40);
            fis[12] = (byte)count;
            fis[13] = (byte)(count >> 8);
            return fis;
        }
    }
}
