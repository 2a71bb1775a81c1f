using Cowbird.Mm;
using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Boot;
using Cowbird.Kernel.Drivers;
using Cowbird.Kernel.Swap;
using Cowbird.Mm.Swap;

namespace Cowbird.Kernel.SelfTests
{
    // The ATA driver on a blank scratch disk (the first ATA disk that is not swap),
    // through AtaBlockDevice: patterned pages written at scattered indexes (the first,
    // the last, and on a disk larger than 128 GiB the last LBA28 page and LBA48-only
    // pages), then all read back and compared, so a driver that ignored or truncated
    // the address would read the wrong pattern. Pages 0 and 3 are never written and
    // must read as zeros (an LBA48 address truncated to 28 bits lands near page 0). Pages beyond the end give EINVAL without touching the disk. The host
    // test then checks the image file at the logged pages ("ataio: wrote page N").
    // Also prints the transfer mode and the time 256 consecutive page writes (flushed each,
    // then unflushed as swap writes them) and reads take.
    public sealed unsafe class AtaIoSelfTest : SelfTest
    {
        public const ulong PatternSeed = 0xC0B1D5EEDUL;
        private const ulong Lba28Pages = AtaDisk.Lba28Limit / AtaBlockDevice.SectorsPerPage;
        private const ulong UntouchedPage = 3;
        private const ulong RunStart = 1000;
        private const uint RunLength = 256;

        public override string Name => "ataio";

        public override bool Run(BootInfo bootInfo)
        {
            AtaDisk disk = ScratchDisk();
            if (!Check(disk != null, "a scratch ATA disk (not the swap disk) is attached"))
                return false;
            var device = new AtaBlockDevice(disk);
            ulong[] pages = PagesToTest(device.PageCount);
            byte[] buffer = new byte[BlockDevice.PageSize];
            bool ok = true;
            fixed (byte* page = buffer)
            {
                ok &= WriteAll(device, pages, page);
                ok &= Check(ReadAll(device, pages, page), "every written page reads back with its own pattern");
                ok &= Check(device.ReadPage(UntouchedPage, page) == 0 && IsZero(page) &&
                            device.ReadPage(0, page) == 0 && IsZero(page),
                            "pages 0 and 3, never written, still read as zeros (no write was misdirected)");
                ok &= Check(device.ReadPage(device.PageCount, page) == -(int)Errno.EINVAL, "reading page PageCount gives EINVAL");
                ok &= Check(device.WritePage(device.PageCount + 7, page) == -(int)Errno.EINVAL, "writing beyond the end gives EINVAL");
                ok &= Check(device.ReadPage(ulong.MaxValue, page) == -(int)Errno.EINVAL, "reading page 2^64-1 gives EINVAL");
                ok &= Check(disk.ReadSectors(disk.SectorCount - 4, 8, page) == -(int)Cowbird.Mm.Errno.EINVAL,
                            "a sector range straddling the end gives EINVAL");
                ok &= Check(disk.ReadSectors(disk.SectorCount - 1, 1, page) == 0, "the last sector reads");
                ok &= Check(disk.ReadSectors(0, 0, page) == -(int)Cowbird.Mm.Errno.EINVAL, "a zero-sector read gives EINVAL");
                ok &= Check(InterruptsEnabled(), "interrupts are on again after the disk commands");
                if (device.PageCount > RunStart + RunLength)
                    ok &= Check(TimedRun(device, new AtaBlockDevice(disk, flushWrites: false), page),
                                "256 consecutive pages written (flushed, then not) and read back");
            }
            return ok;
        }

        // The word `word` (0..511) of the test pattern for page `pageIndex`:
        // splitmix64 of the word's position, so no two words or pages look alike.
        public static ulong PatternWord(ulong pageIndex, ulong word)
        {
            ulong z = pageIndex * (BlockDevice.PageSize / 8) + word + PatternSeed;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        // Fills `page` with the pattern of `pageIndex`.
        public static void FillPattern(byte* page, ulong pageIndex)
        {
            ulong* words = (ulong*)page;
            for (ulong i = 0; i < BlockDevice.PageSize / 8; i++)
                words[i] = PatternWord(pageIndex, i);
        }

        // True when `page` holds the pattern of `pageIndex`.
        public static bool HasPattern(byte* page, ulong pageIndex)
        {
            ulong* words = (ulong*)page;
            for (ulong i = 0; i < BlockDevice.PageSize / 8; i++)
                if (words[i] != PatternWord(pageIndex, i))
                    return false;
            return true;
        }

        // The first ATA disk that swap does not use, or null.
        private static AtaDisk ScratchDisk()
        {
            AtaDisk[] disks = AtaBus.Disks;
            for (int i = 0; i < disks.Length; i++)
                if (!KernelSwap.IsSwapDisk(disks[i]))
                    return disks[i];
            return null;
        }

        // 1, 2, 100, the middle and the last page; beyond 128 GiB also the last LBA28
        // page, the first LBA48-only page and one further out.
        private static ulong[] PagesToTest(ulong pageCount)
        {
            bool lba48 = pageCount > Lba28Pages + 12345;
            ulong[] pages = new ulong[lba48 ? 8 : 5];
            pages[0] = 1;
            pages[1] = 2;
            pages[2] = 100;
            pages[3] = pageCount / 2;
            pages[4] = pageCount - 1;
            if (lba48)
            {
                pages[5] = Lba28Pages - 1;
                pages[6] = Lba28Pages;
                pages[7] = Lba28Pages + 12345;
            }
            return pages;
        }

        // Writes each page's pattern and logs it for the host test.
        private static bool WriteAll(AtaBlockDevice device, ulong[] pages, byte* page)
        {
            bool ok = true;
            for (int i = 0; i < pages.Length; i++)
            {
                FillPattern(page, pages[i]);
                bool written = device.WritePage(pages[i], page) == 0;
                KernelConsole.Write(written ? "  ataio: wrote page " : "  FAIL: could not write page ");
                KernelConsole.WriteDecimal(pages[i]);
                KernelConsole.Write('\n');
                ok &= written;
            }
            return ok;
        }

        // Reads every page back (after all writes) and compares it with its pattern.
        private static bool ReadAll(AtaBlockDevice device, ulong[] pages, byte* page)
        {
            bool ok = true;
            for (int i = 0; i < pages.Length; i++)
            {
                for (int b = 0; b < BlockDevice.PageSize; b++)
                    page[b] = 0xEE;
                ok &= device.ReadPage(pages[i], page) == 0 && HasPattern(page, pages[i]);
            }
            return ok;
        }

        // True when rflags.IF is set (AtaChannel.End must restore it).
        private static bool InterruptsEnabled()
        {
            const ulong InterruptFlag = 1UL << 9;
            ulong flags = Cpu.SaveFlagsAndDisableInterrupts();
            Cpu.RestoreFlags(flags);
            return (flags & InterruptFlag) != 0;
        }

        // Writes the pattern of each page of the run through `device`.
        private static bool WriteRun(AtaBlockDevice device, byte* page)
        {
            bool ok = true;
            for (ulong p = RunStart; p < RunStart + RunLength; p++)
            {
                FillPattern(page, p);
                ok &= device.WritePage(p, page) == 0;
            }
            return ok;
        }

        private static bool IsZero(byte* page)
        {
            for (int i = 0; i < BlockDevice.PageSize; i++)
                if (page[i] != 0)
                    return false;
            return true;
        }

        // Writes and reads back RunLength consecutive pages from RunStart and prints
        // how long each half took (a figure, not a check: machines differ).
        // `unflushed` is the same disk without the per-write cache flush (the swap device).
        private static bool TimedRun(AtaBlockDevice device, AtaBlockDevice unflushed, byte* page)
        {
            bool ok = true;
            ulong start = PitTimer.Ticks;
            ok &= WriteRun(device, page);
            ulong written = PitTimer.Ticks;
            ok &= WriteRun(unflushed, page);
            ulong writtenUnflushed = PitTimer.Ticks;
            for (ulong p = RunStart; p < RunStart + RunLength; p++)
                ok &= device.ReadPage(p, page) == 0 && HasPattern(page, p);
            ulong read = PitTimer.Ticks;
            KernelConsole.Write("  ataio: ");
            KernelConsole.Write(device.Disk.UsesDwordIo ? "32-bit" : "16-bit");
            KernelConsole.Write(" PIO, ");
            KernelConsole.WriteDecimal(device.Disk.MultipleSectors);
            KernelConsole.WriteLine(" sectors per DRQ block");
            KernelConsole.Write("  ataio: 256 page writes (each flushed) took ");
            KernelConsole.WriteDecimal((written - start) * 1000 / PitTimer.FrequencyHz);
            KernelConsole.Write(" ms, 256 page writes (not flushed, as swap) ");
            KernelConsole.WriteDecimal((writtenUnflushed - written) * 1000 / PitTimer.FrequencyHz);
            KernelConsole.Write(" ms, 256 page reads ");
            KernelConsole.WriteDecimal((read - writtenUnflushed) * 1000 / PitTimer.FrequencyHz);
            KernelConsole.WriteLine(" ms");
            KernelConsole.Write("  ataio: wrote pages ");
            KernelConsole.WriteDecimal(RunStart);
            KernelConsole.Write("..");
            KernelConsole.WriteDecimal(RunStart + RunLength - 1);
            KernelConsole.Write('\n');
            return ok;
        }
    }
}
