using Cowbird.Mm;
using Cowbird.Kernel.Boot;
using Cowbird.Kernel.Drivers;
using Cowbird.Kernel.Swap;
using Cowbird.Mm.Swap;

namespace Cowbird.Kernel.SelfTests
{
    // A failing disk gives EIO, never a hang or a panic, and the driver keeps working
    // afterwards. Tests.Boot attaches the scratch disk through QEMU's blkdebug driver,
    // which fails some sectors' reads and writes with EIO; QEMU's IDE reports that as
    // ERR/ABRT. This test writes then reads pages 1..10, logs each result
    // ("ataerror: read page N: EIO") for the host to match against the injected
    // sectors, and requires at least one failed read, one failed write, some successes,
    // and a successful read after the last failure.
    public sealed unsafe class AtaErrorSelfTest : SelfTest
    {
        private const ulong FirstPage = 1;
        private const ulong LastPage = 10;

        public override string Name => "ataerror";

        public override bool Run(BootInfo bootInfo)
        {
            AtaDisk disk = null;
            AtaDisk[] disks = AtaBus.Disks;
            for (int i = 0; i < disks.Length && disk == null; i++)
                if (!KernelSwap.IsSwapDisk(disks[i]))
                    disk = disks[i];
            if (!Check(disk != null, "a scratch ATA disk is attached"))
                return false;
            var device = new AtaBlockDevice(disk);
            byte[] buffer = new byte[BlockDevice.PageSize];
            int readErrors = 0, writeErrors = 0, successes = 0;
            bool ok = true;
            fixed (byte* page = buffer)
            {
                for (ulong p = FirstPage; p <= LastPage; p++)
                {
                    AtaIoSelfTest.FillPattern(page, p);
                    int result = device.WritePage(p, page);
                    Log("write", p, result);
                    if (result == -(int)Errno.EIO) writeErrors++; else if (result == 0) successes++; else ok = false;
                }
                for (ulong p = FirstPage; p <= LastPage; p++)
                {
                    int result = device.ReadPage(p, page);
                    Log("read", p, result);
                    if (result == -(int)Errno.EIO) readErrors++; else if (result == 0) successes++; else ok = false;
                }
                ok &= Check(readErrors > 0 && writeErrors > 0, "injected read and write errors come back as EIO");
                ok &= Check(successes > 0, "the other pages work");
                ok &= Check(device.ReadPage(LastPage + 1, page) == 0, "the disk still works after the errors");
            }
            return Check(ok, "every result is 0 or EIO") && ok;
        }

        private static void Log(string what, ulong page, int result)
        {
            KernelConsole.Write("  ataerror: ");
            KernelConsole.Write(what);
            KernelConsole.Write(" page ");
            KernelConsole.WriteDecimal(page);
            KernelConsole.WriteLine(result == 0 ? ": ok" : result == -(int)Errno.EIO ? ": EIO" : ": unexpected result");
        }
    }
}
