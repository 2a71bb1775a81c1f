namespace Cowbird.Kernel.Drivers
{
    // The four legacy IDE positions (primary/secondary × master/slave): probes each
    // with IDENTIFY once, logs what it found, and keeps the ATA disks in position
    // order (primary master first), which is the order swap discovery tries them in.
    // QEMU's `-drive if=ide,index=N` puts drive N at position N (2 is where QEMU's
    // CD-ROM goes by default).
    public static class AtaBus
    {
        public const int PositionCount = 4;

        private static AtaDisk[] s_disks;

        // The ATA disks found by Probe, in position order (empty before Probe).
        public static AtaDisk[] Disks => s_disks ?? new AtaDisk[0];

        // Resets each channel and identifies its two devices; logs one line per position.
        public static AtaDisk[] Probe()
        {
            AtaDisk[] found = new AtaDisk[PositionCount];
            int count = 0;
            for (int position = 0; position < PositionCount; position++)
            {
                AtaChannel channel = position < 2 ? AtaChannel.Primary : AtaChannel.Secondary;
                int drive = position % 2;
                if (drive == 0 && !channel.IsFloating)
                    ResetChannel(channel);
                AtaDeviceKind kind = AtaDisk.Identify(channel, drive, out AtaDisk disk);
                LogPosition(channel, drive, kind, disk);
                if (disk != null)
                    found[count++] = disk;
            }
            s_disks = new AtaDisk[count];
            for (int i = 0; i < count; i++)
                s_disks[i] = found[i];
            return s_disks;
        }

        // Soft reset of both devices, so each starts from its power-on state whatever the
        // firmware left behind. A channel that stays busy is reported by the IDENTIFYs after it.
        private static void ResetChannel(AtaChannel channel)
        {
            channel.Begin("AtaBus.ResetChannel: channel already running a command");
            channel.SoftReset();
            channel.End();
        }

        // "ata: primary master: ATA disk "QEMU HARDDISK", 131072 sectors (64 MiB), LBA48"
        private static void LogPosition(AtaChannel channel, int drive, AtaDeviceKind kind, AtaDisk disk)
        {
            KernelConsole.Write("ata: ");
            KernelConsole.Write(channel.Name);
            KernelConsole.Write(drive == 0 ? " master: " : " slave: ");
            if (kind == AtaDeviceKind.Ata)
            {
                disk.Identity.WriteSummary();
                KernelConsole.WriteLine(disk.SupportsLba48 ? ", LBA48" : ", LBA28");
            }
            else if (kind == AtaDeviceKind.Atapi)
                KernelConsole.WriteLine("ATAPI (packet) device, skipped");
            else if (kind == AtaDeviceKind.NoLba)
                KernelConsole.WriteLine("ATA disk without LBA, skipped");
            else if (kind == AtaDeviceKind.Unknown)
                KernelConsole.WriteLine("device not responding or not ATA, skipped");
            else
                KernelConsole.WriteLine("none");
        }
    }
}
