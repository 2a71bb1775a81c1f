namespace Cowbird.Kernel.Drivers
{
    // The legacy IDE (parallel ATA) register interface, as every PC-compatible IDE
    // controller (and QEMU's PIIX, and VMware's IDE) decodes it at fixed I/O ports.
    // A channel has a command block of 8 byte registers at IoBase (0x1F0 primary,
    // 0x170 secondary) and a control block of one register at ControlBase (0x3F6,
    // 0x376). Register meanings follow ATA/ATAPI-6 (T13 1410D), chapter 7.
    public static class AtaRegisters
    {
        // Offsets from IoBase.
        public const ushort Data = 0;            // 16-bit data port: 256 reads/writes per sector
        public const ushort Error = 1;           // read: why the last command failed
        public const ushort Features = 1;        // write: command parameter
        public const ushort SectorCount = 2;
        public const ushort LbaLow = 3;          // LBA bits 0-7 (LBA48: then 24-31)
        public const ushort LbaMid = 4;          // LBA bits 8-15 (40-47); ATAPI signature 0x14
        public const ushort LbaHigh = 5;         // LBA bits 16-23 (40-47); ATAPI signature 0xEB
        public const ushort Device = 6;          // drive select, LBA mode, LBA28 bits 24-27
        public const ushort Status = 7;          // read: status (clears a pending interrupt)
        public const ushort Command = 7;         // write: start a command

        // The control block register (offset 0 from ControlBase).
        public const ushort AlternateStatus = 0; // read: status without side effects
        public const ushort DeviceControl = 0;   // write: nIEN, SRST

        // Status register bits.
        public const byte StatusError = 0x01;         // ERR: the command failed, see Error
        public const byte StatusDataRequest = 0x08;   // DRQ: ready to transfer a sector
        public const byte StatusDeviceFault = 0x20;   // DF: device fault
        public const byte StatusReady = 0x40;         // DRDY: accepts commands
        public const byte StatusBusy = 0x80;          // BSY: every other bit is meaningless
        public const byte FloatingBus = 0xFF;         // nothing drives the bus: no controller/devices

        // Device register bits.
        public const byte DeviceObsoleteBits = 0xA0;  // bits 7 and 5: set on old drives, harmless on new
        public const byte DeviceLba = 0x40;           // LBA addressing instead of CHS
        public const byte DeviceSlave = 0x10;         // DEV: selects device 1 (slave)

        // Device control bits.
        public const byte ControlInterruptsOff = 0x02; // nIEN: no INTRQ; this driver polls
        public const byte ControlSoftReset = 0x04;     // SRST: reset both devices of the channel

        // Commands.
        public const byte CommandReadSectors = 0x20;
        public const byte CommandReadSectorsExt = 0x24;    // LBA48
        public const byte CommandWriteSectors = 0x30;
        public const byte CommandWriteSectorsExt = 0x34;   // LBA48
        public const byte CommandReadMultiple = 0xC4;      // one DRQ block = the multiple-mode count of sectors
        public const byte CommandReadMultipleExt = 0x29;   // LBA48
        public const byte CommandWriteMultiple = 0xC5;
        public const byte CommandWriteMultipleExt = 0x39;  // LBA48
        public const byte CommandSetMultipleMode = 0xC6;   // sector count register = sectors per DRQ block
        public const byte CommandFlushCache = 0xE7;
        public const byte CommandFlushCacheExt = 0xEA;     // LBA48
        public const byte CommandIdentify = 0xEC;

        // Signatures left in LbaMid/LbaHigh by a device that is not an ATA disk.
        public const byte AtapiSignatureMid = 0x14;
        public const byte AtapiSignatureHigh = 0xEB;
        public const byte SataSignatureMid = 0x3C;
        public const byte SataSignatureHigh = 0xC3;
    }
}
