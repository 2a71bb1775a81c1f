using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace Cowbird.Tests.Boot
{
    // The ATA drivers (IDE and AHCI) and swap discovery on QEMU disks. Every test makes its own
    // disk images in a temporary directory (truncate + /sbin/mkswap), boots, and
    // checks the kernel log, the exit status and, where the kernel wrote, the bytes
    // of the image file itself.
    public sealed class AtaBootTests : IDisposable
    {
        private const int PageSize = 4096;
        private const string Model = "\"QEMU HARDDISK\"";
        private const string CdRomSkipped = "ata: secondary master: ATAPI (packet) device, skipped";
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "cowbird-ata-" + Guid.NewGuid().ToString("N"));

        public AtaBootTests() => Directory.CreateDirectory(_directory);

        public void Dispose() => Directory.Delete(_directory, recursive: true);

        [Fact]
        public void SwapDiskWithAMkswapHeaderIsFoundAndUsed()
        {
            string swap = SwapImage("swap.img", 64);
            uint lastPage = ReadU32(swap, 1028);
            BootResult result = Boot("selftest=ataswap", Ide(swap, 0));
            Assert.True(result.ExitCode == KernelExit.Success, "the ataswap self-test failed. " + result);
            Assert.Contains($"swap: primary master {Model}: swap on, 64 MiB area, {lastPage} slots (63 MiB), 0 bad pages, type 0", result.Serial);
            Assert.Contains($"ataswap: last_page {lastPage}, bad pages 0, slots {lastPage}", result.Serial);
            AssertSlotsHoldPattern(swap, result, expectedCount: 64);
        }

        // The runner's swap test machine: 64 MiB of RAM and a 384 MiB swap disk.
        [Fact]
        public void RunnerSizedSwapDiskWorksWith64MiBOfRam()
        {
            string swap = SwapImage("swap.img", 384);
            uint lastPage = ReadU32(swap, 1028);
            BootResult result = Qemu.BootKernel("selftest=ataswap", memory: "64M", drives: new[] { Ide(swap, 0) });
            Assert.True(result.ExitCode == KernelExit.Success, "the ataswap self-test failed. " + result);
            Assert.Contains($"swap on, 384 MiB area, {lastPage} slots (383 MiB), 0 bad pages, type 0", result.Serial);
        }

        // A swap area whose slot map would not fit the machine is refused, not a heap panic.
        [Fact]
        public void SwapAreaTooLargeForTheRamIsRefused()
        {
            string swap = SwapImage("huge.img", 1100);
            BootResult result = Qemu.BootKernel("selftest=banner", memory: "64M", drives: new[] { Ide(swap, 0) });
            Assert.True(result.ExitCode == KernelExit.Success, result.ToString());
            Assert.Matches($@"swap: primary master {Regex.Escape(Model)}: swap area too large for this machine \({ReadU32(swap, 1028) + 1} slots, at most 16 per frame of RAM = \d+\), ignored", result.Serial);
            Assert.Contains("\nswap: none", result.Serial);
        }

        // mkswap cannot mark pages bad without a real bad block, so the test edits the
        // header it wrote: two bad pages, which the slot count and the allocator honour.
        [Fact]
        public void BadPagesInTheHeaderAreCountedAndNeverUsed()
        {
            string swap = SwapImage("swap.img", 32);
            uint lastPage = ReadU32(swap, 1028);
            WriteU32(swap, 1032, 2);
            WriteU32(swap, 1536, 3);
            WriteU32(swap, 1540, 10);
            BootResult result = Boot("selftest=ataswap", Ide(swap, 0));
            Assert.True(result.ExitCode == KernelExit.Success, "the ataswap self-test failed. " + result);
            Assert.Contains($"swap on, 32 MiB area, {lastPage - 2} slots", result.Serial);
            Assert.Contains(", 2 bad pages, type 0", result.Serial);
            List<ulong> slots = AssertSlotsHoldPattern(swap, result, expectedCount: 64);
            Assert.DoesNotContain(3UL, slots);
            Assert.DoesNotContain(10UL, slots);
            Assert.True(PageIsZero(swap, 3) && PageIsZero(swap, 10), "a bad page was written");
        }

        [Fact]
        public void BlankDiskIsListedAndIgnored()
        {
            string blank = BlankImage("blank.img", 16L << 20);
            BootResult result = Boot("selftest=banner", Ide(blank, 0));
            Assert.True(result.ExitCode == KernelExit.Success, result.ToString());
            Assert.Contains($"ata: primary master: ATA disk {Model}, 32768 sectors (16 MiB), LBA48", result.Serial);
            Assert.Contains($"swap: primary master {Model}: no swap header (NoMagic: no SWAPSPACE2 signature at offset 4086), ignored", result.Serial);
            Assert.Contains("\nswap: none", result.Serial);
            Assert.True(PageIsZero(blank, 0), "probing wrote to the disk");
        }

        // Without any disk the kernel still boots, skips QEMU's default (empty) CD-ROM drive and has no swap.
        [Fact]
        public void NoDiskMeansNoSwap()
        {
            BootResult result = Boot("selftest=banner");
            Assert.True(result.ExitCode == KernelExit.Success, result.ToString());
            Assert.Contains("ata: primary master: none", result.Serial);
            Assert.Contains(CdRomSkipped, result.Serial);
            Assert.Contains("\nswap: none", result.Serial);
        }

        [Fact]
        public void FirstDiskWithAHeaderWins()
        {
            string blank = BlankImage("blank.img", 8L << 20);
            string first = SwapImage("first.img", 32);
            string second = SwapImage("second.img", 16);
            BootResult result = Boot("selftest=banner", Ide(blank, 0), Ide(first, 1), Ide(second, 3));
            Assert.True(result.ExitCode == KernelExit.Success, result.ToString());
            Assert.Contains($"swap: primary master {Model}: no swap header (NoMagic", result.Serial);
            Assert.Contains($"swap: primary slave {Model}: swap on, 32 MiB area", result.Serial);
            Assert.Contains($"swap: secondary slave {Model}: swap is already on another disk, ignored", result.Serial);
            Assert.Contains(CdRomSkipped, result.Serial);
            Assert.DoesNotContain("swap: none", result.Serial);
        }

        // A disk alone on the slave position: the probe must not mistake the empty master
        // (which answers IDENTIFY with an abort in QEMU) for a disk.
        [Fact]
        public void SwapDiskOnTheSlaveWithoutAMasterIsFound()
        {
            string swap = SwapImage("swap.img", 16);
            BootResult result = Boot("selftest=ataswap", Ide(swap, 1));
            Assert.True(result.ExitCode == KernelExit.Success, "the ataswap self-test failed. " + result);
            Assert.DoesNotContain("ata: primary master: ATA disk", result.Serial);
            Assert.Contains($"swap: primary slave {Model}: swap on, 16 MiB area", result.Serial);
            AssertSlotsHoldPattern(swap, result, expectedCount: 64);
        }

        [Theory]
        [InlineData("version", "UnsupportedVersion")]
        [InlineData("truncated", "LastPageBeyondDevice")]
        [InlineData("oldmagic", "OldMagic")]
        [InlineData("badpagezero", "BadPageOutOfRange")]
        [InlineData("lastpagezero", "EmptyArea")]
        public void CorruptedHeaderIsReportedWithTheReason(string corruption, string status)
        {
            string swap = SwapImage("swap.img", 32);
            switch (corruption)
            {
                case "version": WriteU32(swap, 1024, 2); break;
                case "truncated": using (var file = File.OpenWrite(swap)) file.SetLength(16L << 20); break;
                case "oldmagic": WriteBytes(swap, PageSize - 10, Encoding.ASCII.GetBytes("SWAP-SPACE")); break;
                case "badpagezero": WriteU32(swap, 1032, 1); WriteU32(swap, 1536, 0); break;
                case "lastpagezero": WriteU32(swap, 1028, 0); break;
            }
            BootResult result = Boot("selftest=banner", Ide(swap, 0));
            Assert.True(result.ExitCode == KernelExit.Success, result.ToString());
            Assert.Matches($@"swap: primary master {Regex.Escape(Model)}: invalid swap header \({status}: [^)]+\), ignored", result.Serial);
            Assert.Contains("\nswap: none", result.Serial);
        }

        // QEMU's blkdebug fails every read of sector 0: the header is unreadable, which is
        // reported, and the kernel boots on without swap.
        [Fact]
        public void UnreadableHeaderIsReportedNotFatal()
        {
            string swap = SwapImage("swap.img", 16);
            string config = BlkdebugConfig("sector0.conf", ("read_aio", 0));
            BootResult result = Boot("selftest=banner", $"file=blkdebug:{config}:{swap},format=raw,if=ide,index=0,media=disk");
            Assert.True(result.ExitCode == KernelExit.Success, result.ToString());
            Assert.Contains("ata: primary master: read of 8 sectors at LBA 0 failed: status 0x41, error 0x4", result.Serial);
            Assert.Contains($"swap: primary master {Model}: swap header unreadable (ReadFailed: page 0 could not be read), ignored", result.Serial);
            Assert.Contains("\nswap: none", result.Serial);
        }

        // A sparse 130 GiB disk: pages below and above the 128 GiB LBA28 limit, read back
        // in the kernel and checked here in the image file.
        [Fact]
        public void ReadWriteReachesTheImageBelowAndAbove128GiB()
        {
            string scratch = BlankImage("scratch.img", 130L << 30);
            BootResult result = Boot("selftest=ataio", Ide(scratch, 0));
            Assert.True(result.ExitCode == KernelExit.Success, "the ataio self-test failed. " + result);
            List<ulong> pages = Regex.Matches(result.Serial, @"ataio: wrote page (\d+)\n").Select(m => ulong.Parse(m.Groups[1].Value)).ToList();
            ulong pageCount = (130UL << 30) / PageSize;
            ulong lba28Pages = (1UL << 28) / 8;
            Assert.Equal(new ulong[] { 1, 2, 100, pageCount / 2, pageCount - 1, lba28Pages - 1, lba28Pages, lba28Pages + 12345 }, pages);
            Match run = Regex.Match(result.Serial, @"ataio: wrote pages (\d+)\.\.(\d+)\n");
            Assert.True(run.Success, "no timed run. " + result);
            for (ulong p = ulong.Parse(run.Groups[1].Value); p <= ulong.Parse(run.Groups[2].Value); p++)
                pages.Add(p);
            foreach (ulong page in pages)
                Assert.True(PageHasPattern(scratch, page), $"page {page} of the image does not hold its pattern. {result}");
            Assert.True(PageIsZero(scratch, 0) && PageIsZero(scratch, 3), "a page that was never written is not zero (misdirected write?)");
            Assert.Matches(@"ataio: 256 page writes \(each flushed\) took \d+ ms, 256 page writes \(not flushed, as swap\) \d+ ms, 256 page reads \d+ ms", result.Serial);
            // QEMU's IDE disk offers 32-bit PIO and 16-sector DRQ blocks: the fast path is the one tested.
            Assert.Contains("ataio: 32-bit PIO, 8 sectors per DRQ block", result.Serial);
        }

        // blkdebug fails reads of page 5 (sector 40) and writes of page 7 (sector 56):
        // exactly those come back as EIO, everything else works.
        [Fact]
        public void InjectedDiskErrorsComeBackAsEio()
        {
            string scratch = BlankImage("scratch.img", 16L << 20);
            string config = BlkdebugConfig("errors.conf", ("read_aio", 40), ("write_aio", 56));
            BootResult result = Boot("selftest=ataerror", $"file=blkdebug:{config}:{scratch},format=raw,if=ide,index=0,media=disk");
            Assert.True(result.ExitCode == KernelExit.Success, "the ataerror self-test failed. " + result);
            string[] failures = Regex.Matches(result.Serial, @"ataerror: (\w+ page \d+): EIO").Select(m => m.Groups[1].Value).ToArray();
            Assert.Equal(new[] { "write page 7", "read page 5" }, failures);
            Assert.Contains("ata: primary master: read of 8 sectors at LBA 40 failed", result.Serial);
            Assert.Contains("ata: primary master: write of 8 sectors at LBA 56 failed", result.Serial);
            Assert.True(PageHasPattern(scratch, 6), "page 6 was not written");
        }

        // The GRUB ISO is an ATAPI CD-ROM on the secondary master: skipped, and the shell starts.
        [Fact]
        public void IsoBootSkipsTheCdRom()
        {
            BootResult result = Qemu.BootIso(ShellText.AshGreeting);
            Assert.True(result.StoppedAtMarker, "the shell did not start. " + result);
            Assert.Contains(CdRomSkipped, result.Serial);
            Assert.Contains("\nswap: none", result.Serial);
        }

        [Fact]
        public void IsoBootFindsASwapDisk()
        {
            string swap = SwapImage("swap.img", 16);
            BootResult result = Qemu.BootIso(ShellText.AshGreeting, drives: new[] { Ide(swap, 0) });
            Assert.True(result.StoppedAtMarker, "the shell did not start. " + result);
            Assert.Contains(CdRomSkipped, result.Serial);
            Assert.Contains($"swap: primary master {Model}: swap on, 16 MiB area, {ReadU32(swap, 1028)} slots", result.Serial);
        }

        // A SATA disk on port 0 of an AHCI controller added to the i440FX machine (the
        // runner's --swap): found before the IDE positions, used for swap through DMA.
        [Fact]
        public void SwapDiskOnAnAhciPortIsFoundAndUsed()
        {
            string swap = SwapImage("swap.img", 64);
            uint lastPage = ReadU32(swap, 1028);
            BootResult result = BootAhci("selftest=ataswap", Ahci($"file={swap},format=raw", 0));
            Assert.True(result.ExitCode == KernelExit.Success, "the ataswap self-test failed. " + result);
            Assert.Contains($"ahci: port 0: ATA disk {Model}, 131072 sectors (64 MiB)\n", result.Serial);
            Assert.Contains($"swap: AHCI port 0 {Model}: swap on, 64 MiB area, {lastPage} slots (63 MiB), 0 bad pages, type 0", result.Serial);
            AssertSlotsHoldPattern(swap, result, expectedCount: 64);
        }

        // q35's own AHCI controller (00:1f.2), the disk on its port 2.
        [Fact]
        public void SwapDiskOnQ35sAhciControllerIsFound()
        {
            string swap = SwapImage("swap.img", 16);
            BootResult result = Qemu.BootKernel("selftest=ataswap", machine: new[]
            {
                "-M", "q35", "-drive", $"id=swap,file={swap},if=none,format=raw", "-device", "ide-hd,drive=swap,bus=ide.2",
            });
            Assert.True(result.ExitCode == KernelExit.Success, "the ataswap self-test failed. " + result);
            Assert.Contains($"swap: AHCI port 2 {Model}: swap on, 16 MiB area, {ReadU32(swap, 1028)} slots", result.Serial);
            AssertSlotsHoldPattern(swap, result, expectedCount: 64);
        }

        [Fact]
        public void AhciDiskWinsOverAnIdeDisk()
        {
            string ide = SwapImage("ide.img", 16);
            string sata = SwapImage("sata.img", 16);
            BootResult result = Qemu.BootKernel("selftest=banner", drives: new[] { Ide(ide, 0) }, machine: Ahci($"file={sata},format=raw", 0));
            Assert.True(result.ExitCode == KernelExit.Success, result.ToString());
            Assert.Contains($"swap: AHCI port 0 {Model}: swap on, 16 MiB area", result.Serial);
            Assert.Contains($"swap: primary master {Model}: swap is already on another disk, ignored", result.Serial);
        }

        // blkdebug fails every read of sector 0 of the AHCI disk: the task-file error comes
        // back as a logged error, the header is unreadable, and the kernel boots on.
        [Fact]
        public void AhciReadErrorIsReportedNotFatal()
        {
            string swap = SwapImage("swap.img", 16);
            string config = BlkdebugConfig("sector0.conf", ("read_aio", 0));
            BootResult result = BootAhci("selftest=banner", Ahci($"file=blkdebug:{config}:{swap},format=raw", 0));
            Assert.True(result.ExitCode == KernelExit.Success, result.ToString());
            Assert.Matches(@"ahci: port 0: command error, status 0x41, error 0x4, interrupt status 0x[0-9a-f]+\n", result.Serial);
            Assert.Contains($"swap: AHCI port 0 {Model}: swap header unreadable (ReadFailed: page 0 could not be read), ignored", result.Serial);
            Assert.Contains("\nswap: none", result.Serial);
        }

        private static BootResult Boot(string commandLine, params string[] drives) => BootWith(commandLine, drives, null);

        private static BootResult BootAhci(string commandLine, string[] machine) => BootWith(commandLine, null, machine);

        private static BootResult BootWith(string commandLine, string[] drives, string[] machine)
        {
            BootResult result = Qemu.BootKernel(commandLine, drives: drives, machine: machine);
            Assert.False(result.TimedOut, "QEMU timed out. " + result);
            return result;
        }

        // An AHCI controller with the disk `drive` (QEMU -drive options, without id and
        // interface) on port `port`.
        private static string[] Ahci(string drive, int port) => new[]
        {
            "-device", "ahci,id=ahci", "-drive", $"id=sata,{drive},if=none", "-device", $"ide-hd,drive=sata,bus=ahci.{port}",
        };

        private static string Ide(string image, int index) => $"file={image},format=raw,if=ide,index={index},media=disk";

        private string BlankImage(string name, long bytes)
        {
            string path = Path.Combine(_directory, name);
            using (var file = new FileStream(path, FileMode.CreateNew))
                file.SetLength(bytes);
            return path;
        }

        private string SwapImage(string name, int megabytes)
        {
            string path = BlankImage(name, (long)megabytes << 20);
            var start = new ProcessStartInfo("/sbin/mkswap") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(path);
            using Process mkswap = Process.Start(start);
            string errors = mkswap.StandardError.ReadToEnd();
            mkswap.StandardOutput.ReadToEnd();
            mkswap.WaitForExit();
            Assert.True(mkswap.ExitCode == 0, "mkswap failed (Debian package util-linux): " + errors);
            return path;
        }

        // A blkdebug rule file failing every `event` (read_aio, write_aio) touching `sector`.
        private string BlkdebugConfig(string name, params (string Event, int Sector)[] rules)
        {
            string path = Path.Combine(_directory, name);
            File.WriteAllText(path, string.Concat(rules.Select(r =>
                $"[inject-error]\nevent = \"{r.Event}\"\nerrno = \"5\"\nsector = \"{r.Sector}\"\nonce = \"off\"\n\n")));
            return path;
        }

        // Checks the image at every "ataswap: wrote slot N" and returns the slots.
        private static List<ulong> AssertSlotsHoldPattern(string image, BootResult result, int expectedCount)
        {
            List<ulong> slots = Regex.Matches(result.Serial, @"ataswap: wrote slot (\d+)\n").Select(m => ulong.Parse(m.Groups[1].Value)).ToList();
            Assert.Equal(expectedCount, slots.Distinct().Count());
            Assert.DoesNotContain(0UL, slots);
            foreach (ulong slot in slots)
                Assert.True(PageHasPattern(image, slot), $"slot {slot} of the image does not hold its pattern. {result}");
            return slots;
        }

        // The same pattern as AtaIoSelfTest.PatternWord (splitmix64 of the word's position).
        private static ulong PatternWord(ulong page, ulong word)
        {
            ulong z = page * (PageSize / 8) + word + 0xC0B1D5EEDUL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        private static byte[] ReadPage(string image, ulong page)
        {
            using var file = new FileStream(image, FileMode.Open, FileAccess.Read);
            file.Position = (long)(page * PageSize);
            byte[] bytes = new byte[PageSize];
            file.ReadExactly(bytes);
            return bytes;
        }

        private static bool PageHasPattern(string image, ulong page)
        {
            byte[] bytes = ReadPage(image, page);
            for (int i = 0; i < PageSize / 8; i++)
                if (BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(i * 8)) != PatternWord(page, (ulong)i))
                    return false;
            return true;
        }

        private static bool PageIsZero(string image, ulong page) => ReadPage(image, page).All(b => b == 0);

        private static uint ReadU32(string image, long offset)
        {
            using var file = new FileStream(image, FileMode.Open, FileAccess.Read);
            file.Position = offset;
            byte[] bytes = new byte[4];
            file.ReadExactly(bytes);
            return BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        }

        private static void WriteU32(string image, long offset, uint value)
        {
            byte[] bytes = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
            WriteBytes(image, offset, bytes);
        }

        private static void WriteBytes(string image, long offset, byte[] bytes)
        {
            using var file = new FileStream(image, FileMode.Open, FileAccess.Write);
            file.Position = offset;
            file.Write(bytes);
        }
    }
}
