using Cowbird.Kernel.Arch.X64;
using Cowbird.Mm;

namespace Cowbird.Kernel.Drivers
{
    // One ATA (IDE) hard disk on a legacy channel, driven by PIO: the CPU moves every
    // 16-bit word through the data port. Sectors are 512 bytes; a command moves
    // 1..MaxSectorsPerCommand sectors. LBA28 addresses the first 2^28 sectors
    // (128 GiB); beyond that the LBA48 ("EXT") commands are used when the disk has them.
    //
    // The PIO protocol for one command (ATA/ATAPI-6, PIO data-in / data-out):
    //   1. wait until BSY is clear; select the device (and LBA28 bits 24-27); wait 400 ns
    //   2. write sector count and LBA (LBA48: the high bytes first, then the low bytes)
    //   3. write the command
    //   4. per DRQ block: wait 400 ns, poll until BSY clears; ERR or DF = failure; DRQ
    //      set = the device wants one block moved: one sector with READ/WRITE SECTORS, or
    //      up to MultipleSectors sectors with READ/WRITE MULTIPLE (see below), with
    //      rep insw / rep outsw, or insd / outsd when the disk allows 32-bit PIO
    //   5. writes: after the last block poll BSY again and check ERR/DF, then (unless
    //      the caller says the data need not be durable yet) FLUSH CACHE, so the data
    //      is on the medium when WriteSectors returns
    //
    // Speed (PIO under an emulator is dominated by the number of trapped port accesses
    // and device requests): IDENTIFY word 48 bit 0 says the disk takes 32-bit data
    // transfers (half the accesses); word 47 gives the largest DRQ block, and when it
    // holds a whole page the disk is put in multiple mode (SET MULTIPLE MODE) with
    // PageSectors sectors per block, so a 4 KiB page is one DRQ block and one request
    // inside the device instead of eight.
    //
    // Results are 0 or a negative Linux errno: EINVAL for a bad range (nothing is sent
    // to the disk), EIO when the disk reports an error or does not answer in time.
    // A failure is also logged with the status and error registers.
    public sealed unsafe class AtaDisk
    {
        public const int SectorSize = AtaIdentity.SectorSize;
        public const uint MaxSectorsPerCommand = 256;
        public const ulong Lba28Limit = 1UL << 28;    // first sector LBA28 cannot address

        private const int WordsPerSector = SectorSize / 2;
        private const int IdentifyCapabilitiesWord = 49;   // bit 9: LBA supported
        private const int IdentifyMultipleWord = 47;       // bits 7-0: largest DRQ block for READ/WRITE MULTIPLE
        private const int IdentifyDwordIoWord = 48;        // bit 0: 32-bit PIO data transfers allowed
        private const ushort CapabilityLba = 1 << 9;
        private const ushort MultipleMaxMask = 0xFF;
        private const ushort DwordIoSupported = 1;
        // The DRQ block size multiple mode is set to: one 4 KiB page.
        public const uint PageSectors = 8;

        public readonly AtaChannel Channel;
        public readonly int Drive;                // 0 master, 1 slave
        public readonly AtaIdentity Identity;
        // 32-bit PIO data transfers (IDENTIFY word 48).
        public readonly bool UsesDwordIo;
        // Sectors per DRQ block: PageSectors once SET MULTIPLE MODE succeeded, else 1
        // (READ/WRITE SECTORS).
        public uint MultipleSectors { get; private set; } = 1;

        private AtaDisk(AtaChannel channel, int drive, ushort* identify)
        {
            Channel = channel;
            Drive = drive;
            Identity = new AtaIdentity(identify);
            UsesDwordIo = (identify[IdentifyDwordIoWord] & DwordIoSupported) != 0;
        }

        // "master" or "slave".
        public string DriveName => Drive == 0 ? "master" : "slave";

        // Writes "primary master" etc.
        public void WritePosition()
        {
            KernelConsole.Write(Channel.Name);
            KernelConsole.Write(' ');
            KernelConsole.Write(DriveName);
        }

        public ulong SectorCount => Identity.SectorCount;
        public bool SupportsLba48 => Identity.SupportsLba48;

        // Sends IDENTIFY DEVICE to `drive` on `channel` and classifies what answers.
        // On AtaDeviceKind.Ata, `disk` is the disk; otherwise null.
        public static AtaDeviceKind Identify(AtaChannel channel, int drive, out AtaDisk disk)
        {
            disk = null;
            if (channel.IsFloating)
                return AtaDeviceKind.None;
            ushort* identify = stackalloc ushort[AtaIdentifyData.Words];
            channel.Begin("AtaDisk.Identify: channel already running a command");
            AtaDeviceKind kind = SendIdentify(channel, drive, identify);
            channel.End();
            if (kind != AtaDeviceKind.Ata)
                return kind;
            if ((identify[IdentifyCapabilitiesWord] & CapabilityLba) == 0)
                return AtaDeviceKind.NoLba;
            disk = new AtaDisk(channel, drive, identify);
            if (disk.SectorCount == 0)
                return AtaDeviceKind.Unknown;
            if ((identify[IdentifyMultipleWord] & MultipleMaxMask) >= PageSectors)
                disk.EnableMultipleMode();
            return AtaDeviceKind.Ata;
        }

        // SET MULTIPLE MODE with PageSectors sectors per DRQ block; on success transfers
        // use READ/WRITE MULTIPLE. A disk that refuses keeps single-sector blocks.
        private void EnableMultipleMode()
        {
            Channel.Begin("AtaDisk.EnableMultipleMode: channel already running a command");
            bool ok = StartCommand(0, PageSectors, false, AtaRegisters.CommandSetMultipleMode) == 0 && CommandCompleted() == 0;
            Channel.End();
            if (ok)
                MultipleSectors = PageSectors;
        }

        // Reads `count` sectors from `lba` into `buffer` (count × SectorSize bytes).
        public int ReadSectors(ulong lba, uint count, byte* buffer)
        {
            Channel.Begin("AtaDisk.ReadSectors: channel already running a command");
            int result = Transfer(lba, count, buffer, null, write: false);
            Channel.End();
            return result;
        }

        // Reads `pageCount` pages (PageSectors sectors each) from `lba` into pages[0..pageCount),
        // each page its own buffer, in one command (pageCount × PageSectors ≤ MaxSectorsPerCommand).
        public int ReadPages(ulong lba, byte** pages, uint pageCount)
        {
            if (pages == null)
                return -(int)Errno.EINVAL;
            Channel.Begin("AtaDisk.ReadPages: channel already running a command");
            int result = Transfer(lba, pageCount * PageSectors, null, pages, write: false);
            Channel.End();
            return result;
        }

        // Writes pages[0..pageCount) to the disk at `lba` in one command, then, when `flush`,
        // flushes the disk's write cache so the data survives a power loss. Swap passes
        // flush = false: swap contents die with the machine anyway (Linux never flushes
        // swap writes), and a read after the write sees the new data either way.
        public int WritePages(ulong lba, byte** pages, uint pageCount, bool flush = true)
        {
            if (pages == null)
                return -(int)Errno.EINVAL;
            Channel.Begin("AtaDisk.WritePages: channel already running a command");
            int result = Transfer(lba, pageCount * PageSectors, null, pages, write: true);
            if (result == 0 && flush)
                result = FlushCache();
            Channel.End();
            return result;
        }

        // IDENTIFY protocol: returns the kind of device and, for an ATA disk, fills
        // `identify` with its 256 words. The channel must be claimed.
        private static AtaDeviceKind SendIdentify(AtaChannel channel, int drive, ushort* identify)
        {
            if (channel.WaitNotBusy(out _) != 0)
                return AtaDeviceKind.Unknown;
            channel.Select(drive, 0);
            channel.WriteRegister(AtaRegisters.SectorCount, 0);
            channel.WriteRegister(AtaRegisters.LbaLow, 0);
            channel.WriteRegister(AtaRegisters.LbaMid, 0);
            channel.WriteRegister(AtaRegisters.LbaHigh, 0);
            channel.WriteRegister(AtaRegisters.Command, AtaRegisters.CommandIdentify);
            channel.Delay400ns();
            byte status = channel.AlternateStatus;
            // Nobody there: an absent device reads 0 (QEMU, most controllers) or floats to 0xFF.
            if (status == 0 || status == AtaRegisters.FloatingBus)
                return AtaDeviceKind.None;
            if (channel.WaitNotBusy(out status) != 0)
                return AtaDeviceKind.Unknown;
            AtaDeviceKind signature = Signature(channel);
            if (signature != AtaDeviceKind.Ata)
                return signature;
            if (channel.WaitDataRequest(out status) != 0)
                return Signature(channel) == AtaDeviceKind.Atapi ? AtaDeviceKind.Atapi : AtaDeviceKind.Unknown;
            Cpu.InWords((ushort)(channel.IoBase + AtaRegisters.Data), identify, AtaIdentifyData.Words);
            _ = channel.Status;
            return AtaDeviceKind.Ata;
        }

        // What LbaMid/LbaHigh say the device is: 0/0 an ATA disk; the packet (ATAPI)
        // signature a CD-ROM or similar; anything else a device this driver does not drive.
        private static AtaDeviceKind Signature(AtaChannel channel)
        {
            byte mid = channel.ReadRegister(AtaRegisters.LbaMid);
            byte high = channel.ReadRegister(AtaRegisters.LbaHigh);
            if (mid == 0 && high == 0)
                return AtaDeviceKind.Ata;
            if (mid == AtaRegisters.AtapiSignatureMid && high == AtaRegisters.AtapiSignatureHigh)
                return AtaDeviceKind.Atapi;
            return AtaDeviceKind.Unknown;
        }

        // Checks the range, issues the read or write command and moves the sectors, to or
        // from one contiguous `buffer`, or, when it is null, a list of `pages` of
        // PageSectors sectors each (a DRQ block never straddles two of them: it is one
        // sector or one page). The channel must be claimed.
        private int Transfer(ulong lba, uint count, byte* buffer, byte** pages, bool write)
        {
            if ((buffer == null && pages == null) || count == 0 || count > MaxSectorsPerCommand ||
                lba >= SectorCount || count > SectorCount - lba)
                return -(int)Errno.EINVAL;
            bool lba48 = lba + count > Lba28Limit;
            if (lba48 && !SupportsLba48)
                return -(int)Errno.EINVAL;
            byte command = CommandFor(write, lba48);
            if (StartCommand(lba, count, lba48, command) != 0)
                return Failed(write ? "write" : "read", lba, count);
            for (uint done = 0; done < count; done += MultipleSectors)
            {
                Channel.Delay400ns();
                if (Channel.WaitDataRequest(out _) != 0)
                    return Failed(write ? "write" : "read", lba, count);
                uint block = count - done < MultipleSectors ? count - done : MultipleSectors;
                byte* data = pages == null
                    ? buffer + (ulong)done * SectorSize
                    : pages[done / PageSectors] + (ulong)(done % PageSectors) * SectorSize;
                MoveBlock(data, block, write);
            }
            if (write && CommandCompleted() != 0)
                return Failed("write", lba, count);
            _ = Channel.Status;
            return 0;
        }

        // The read or write command: MULTIPLE in multiple mode, EXT for LBA48.
        private byte CommandFor(bool write, bool lba48)
        {
            if (MultipleSectors > 1)
                return write
                    ? (lba48 ? AtaRegisters.CommandWriteMultipleExt : AtaRegisters.CommandWriteMultiple)
                    : (lba48 ? AtaRegisters.CommandReadMultipleExt : AtaRegisters.CommandReadMultiple);
            return write
                ? (lba48 ? AtaRegisters.CommandWriteSectorsExt : AtaRegisters.CommandWriteSectors)
                : (lba48 ? AtaRegisters.CommandReadSectorsExt : AtaRegisters.CommandReadSectors);
        }

        // Moves one DRQ block of `sectors` sectors through the data register.
        private void MoveBlock(byte* data, uint sectors, bool write)
        {
            ushort dataPort = (ushort)(Channel.IoBase + AtaRegisters.Data);
            ulong words = sectors * (ulong)WordsPerSector;
            if (UsesDwordIo && write)
                Cpu.OutDwords(dataPort, (uint*)data, words / 2);
            else if (UsesDwordIo)
                Cpu.InDwords(dataPort, (uint*)data, words / 2);
            else if (write)
                Cpu.OutWords(dataPort, (ushort*)data, words);
            else
                Cpu.InWords(dataPort, (ushort*)data, words);
        }

        // FLUSH CACHE (EXT on LBA48 disks, which may cache above 128 GiB). The channel must be claimed.
        private int FlushCache()
        {
            byte command = SupportsLba48 ? AtaRegisters.CommandFlushCacheExt : AtaRegisters.CommandFlushCache;
            if (StartCommand(0, 0, false, command) != 0 || CommandCompleted() != 0)
                return Failed("flush", 0, 0);
            return 0;
        }

        // Steps 1-3 of the protocol. Returns 0, or EIO if the device stays busy or not ready.
        private int StartCommand(ulong lba, uint count, bool lba48, byte command)
        {
            if (Channel.WaitNotBusy(out _) != 0)
                return -(int)Errno.EIO;
            Channel.Select(Drive, (byte)(AtaRegisters.DeviceLba | (lba48 ? 0 : (lba >> 24) & 0x0F)));
            if (Channel.WaitNotBusy(out byte status) != 0 || (status & AtaRegisters.StatusReady) == 0)
                return -(int)Errno.EIO;
            if (lba48)
            {
                Channel.WriteRegister(AtaRegisters.SectorCount, (byte)(count >> 8));
                Channel.WriteRegister(AtaRegisters.LbaLow, (byte)(lba >> 24));
                Channel.WriteRegister(AtaRegisters.LbaMid, (byte)(lba >> 32));
                Channel.WriteRegister(AtaRegisters.LbaHigh, (byte)(lba >> 40));
            }
            Channel.WriteRegister(AtaRegisters.SectorCount, (byte)count);   // 256 is sent as 0 (LBA28)
            Channel.WriteRegister(AtaRegisters.LbaLow, (byte)lba);
            Channel.WriteRegister(AtaRegisters.LbaMid, (byte)(lba >> 8));
            Channel.WriteRegister(AtaRegisters.LbaHigh, (byte)(lba >> 16));
            Channel.WriteRegister(AtaRegisters.Command, command);
            return 0;
        }

        // Waits for a command without (more) data to finish. Returns 0, or EIO on ERR, DF or timeout.
        private int CommandCompleted()
        {
            Channel.Delay400ns();
            if (Channel.WaitNotBusy(out byte status) != 0)
                return -(int)Errno.EIO;
            _ = Channel.Status;
            return (status & (AtaRegisters.StatusError | AtaRegisters.StatusDeviceFault)) != 0 ? -(int)Errno.EIO : 0;
        }

        // Logs a failed command with the device's registers and returns EIO.
        private int Failed(string what, ulong lba, uint count)
        {
            byte status = Channel.AlternateStatus;
            byte error = Channel.ReadRegister(AtaRegisters.Error);
            _ = Channel.Status;
            KernelConsole.Write("ata: ");
            WritePosition();
            KernelConsole.Write(": ");
            KernelConsole.Write(what);
            if (count != 0)
            {
                KernelConsole.Write(" of ");
                KernelConsole.WriteDecimal(count);
                KernelConsole.Write(" sectors at LBA ");
                KernelConsole.WriteDecimal(lba);
            }
            KernelConsole.Write(" failed: status 0x");
            KernelConsole.WriteHexCompact(status);
            KernelConsole.Write(", error 0x");
            KernelConsole.WriteHexCompact(error);
            KernelConsole.Write('\n');
            return -(int)Errno.EIO;
        }
    }
}
