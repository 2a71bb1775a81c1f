namespace Cowbird.Kernel.Drivers
{
    // What answered IDENTIFY DEVICE at one channel/drive position.
    public enum AtaDeviceKind
    {
        None,      // no device: status 0 or a floating bus (0xFF)
        Ata,       // an ATA hard disk with LBA: usable
        Atapi,     // a packet device (CD-ROM, e.g. the GRUB ISO's drive): skipped
        NoLba,     // an ATA disk without LBA (CHS only, pre-1990s): not supported
        Unknown,   // did not answer in time, or an unexpected signature (e.g. SATA): skipped
    }
}
