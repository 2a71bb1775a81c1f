namespace Cowbird.Kernel.Drivers.Pci
{
    // Readable names for PCI class codes (the PCI Code and ID Assignment specification;
    // lspci prints the same ones). The common subclasses are named; any other device is
    // named by its class alone.
    public static class PciClassNames
    {
        public static string Name(byte classCode, byte subclass, byte progIf)
        {
            switch (classCode)
            {
                case 0x01: return StorageName(subclass, progIf);
                case 0x02: return subclass == 0x00 ? "Ethernet controller" : "network controller";
                case 0x03: return subclass == 0x00 ? "VGA compatible controller" : "display controller";
                case 0x04: return "multimedia controller";
                case 0x05: return "memory controller";
                case 0x06: return BridgeName(subclass);
                case 0x07: return "communication controller";
                case 0x08: return "system peripheral";
                case 0x09: return "input device controller";
                case 0x0C: return SerialBusName(subclass);
                case 0x0D: return "wireless controller";
                default: return "unclassified device";
            }
        }

        private static string StorageName(byte subclass, byte progIf)
        {
            switch (subclass)
            {
                case 0x00: return "SCSI storage controller";
                case 0x01: return "IDE controller";
                case 0x05: return "ATA controller";
                case 0x06: return progIf == 0x01 ? "SATA controller (AHCI)" : "SATA controller";
                case 0x08: return progIf == 0x02 ? "NVMe controller" : "non-volatile memory controller";
                default: return "mass storage controller";
            }
        }

        private static string BridgeName(byte subclass)
        {
            switch (subclass)
            {
                case 0x00: return "host bridge";
                case 0x01: return "ISA bridge";
                case 0x04: return "PCI-to-PCI bridge";
                case 0x80: return "bridge";
                default: return "bridge device";
            }
        }

        private static string SerialBusName(byte subclass)
        {
            switch (subclass)
            {
                case 0x03: return "USB controller";
                case 0x05: return "SMBus controller";
                default: return "serial bus controller";
            }
        }
    }
}
