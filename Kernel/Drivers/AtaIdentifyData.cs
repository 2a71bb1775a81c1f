namespace Cowbird.Kernel.Drivers
{
    // The 256 words IDENTIFY DEVICE returns (ATA8-ACS 7.16), as both disk drivers read
    // them: the IDE one (PIO) and the AHCI one (DMA into a frame). Only the fields the
    // kernel uses: the model string, LBA48 support and the sector count.
    public static unsafe class AtaIdentifyData
    {
        public const int Words = 256;
        public const int ModelLength = 40;

        private const int ModelWord = 27;          // words 27-46: model, 2 chars per word, high byte first
        private const int Lba28CountWord = 60;     // words 60-61: LBA28 sector count
        private const int CommandSetsWord = 83;    // bit 10: LBA48 supported
        private const int Lba48CountWord = 100;    // words 100-103: LBA48 sector count
        private const ushort CommandSetLba48 = 1 << 10;

        public static bool SupportsLba48(ushort* identify) => (identify[CommandSetsWord] & CommandSetLba48) != 0;

        // The LBA48 count when the disk has one, else the LBA28 count.
        public static ulong SectorCount(ushort* identify)
        {
            ulong lba28Count = identify[Lba28CountWord] | ((ulong)identify[Lba28CountWord + 1] << 16);
            ulong lba48Count = 0;
            for (int i = 3; i >= 0; i--)
                lba48Count = (lba48Count << 16) | identify[Lba48CountWord + i];
            return SupportsLba48(identify) && lba48Count != 0 ? lba48Count : lba28Count;
        }

        // Copies the model string (byte-swapped words) into model[0..ModelLength), trims the
        // space padding, replaces unprintable bytes by '?', and returns the length kept.
        public static int CopyModel(ushort* identify, byte[] model)
        {
            for (int i = 0; i < ModelLength / 2; i++)
            {
                ushort word = identify[ModelWord + i];
                model[2 * i] = (byte)(word >> 8);
                model[2 * i + 1] = (byte)word;
            }
            int length = ModelLength;
            while (length > 0 && (model[length - 1] == ' ' || model[length - 1] == 0))
                length--;
            for (int i = 0; i < length; i++)
                if (model[i] < 0x20 || model[i] >= 0x7F)
                    model[i] = (byte)'?';
            return length;
        }
    }
}
