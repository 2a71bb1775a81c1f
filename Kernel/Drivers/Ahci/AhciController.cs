using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Drivers.Pci;

namespace Cowbird.Kernel.Drivers.Ahci
{
    // The AHCI host bus adapter: the first PCI function of class 01/06/01 (SATA, AHCI).
    // Probe takes it over from the firmware and identifies the disk on every port:
    //   1. enable memory decoding and bus mastering (DMA) in the PCI command register;
    //   2. map ABAR (BAR5), the HBA's registers, uncached;
    //   3. BIOS/OS handoff when CAP2.BOH says the firmware may still own it;
    //   4. GHC.AE: AHCI mode (no legacy task-file emulation);
    //   5. for each implemented port (PI) with a device (SSTS.DET = 3) whose signature
    //      says ATA disk (not ATAPI, port multiplier or bridge): give it memory, start
    //      it and IDENTIFY it.
    //   6. route the HBA's PCI interrupt to the ports' waiting processes (AhciInterrupt).
    // Commands at boot are polled; a process that issues one sleeps until it ends (AhciPort).
    public static unsafe class AhciController
    {
        private const byte ClassStorage = 0x01, SubclassSata = 0x06, ProgIfAhci = 0x01;
        private const int AbarIndex = 5;
        private const ulong AbarSize = 0x1100;          // generic registers + 32 ports
        private const ulong FourGiB = 1UL << 32;         // the DMA limit without CAP.S64A

        private static AhciDisk[] s_disks;

        // The AHCI disks found by Probe, in port order (empty before Probe or without an HBA).
        public static AhciDisk[] Disks => s_disks ?? new AhciDisk[0];

        // Finds and starts the HBA and identifies its disks; logs one "ahci:" line per
        // port with a device, or why no disk could be used. Call once, after PciBus.Enumerate.
        public static AhciDisk[] Probe()
        {
            s_disks = new AhciDisk[0];
            PciDevice function = PciBus.Find(ClassStorage, SubclassSata, ProgIfAhci);
            if (function == null)
                return s_disks;
            byte* hba = MapRegisters(function);
            if (hba == null)
                return s_disks;
            TakeOwnership(hba);
            Write(hba, AhciRegisters.Ghc, Read(hba, AhciRegisters.Ghc) | AhciRegisters.GhcAe);
            ulong dmaLimit = (Read(hba, AhciRegisters.Cap) & AhciRegisters.CapS64a) != 0 ? ulong.MaxValue : FourGiB;
            s_disks = ProbePorts(hba, dmaLimit);
            AhciInterrupt.Enable(hba, function.InterruptLine, s_disks);
            return s_disks;
        }

        // Enables the function and maps ABAR uncached; null (logged) when it cannot be used.
        private static byte* MapRegisters(PciDevice function)
        {
            ulong abar = function.MemoryBar(AbarIndex);
            if (abar == 0 || abar + AbarSize > KernelLayout.DirectMapSize)
            {
                KernelConsole.WriteLine("ahci: controller without a usable ABAR (BAR5), skipped");
                return null;
            }
            byte* hba = KernelLayout.PhysicalToVirtual(abar);
            if (!KernelPageTable.MakeUncached((ulong)hba, AbarSize))
            {
                KernelConsole.WriteLine("ahci: ABAR not in a 2 MiB page of the direct map, skipped");
                return null;
            }
            function.EnableCommand(PciDevice.CommandMemorySpace | PciDevice.CommandBusMaster);
            KernelConsole.Write("ahci: controller ");
            KernelConsole.WriteHexDigits(function.VendorId, 4);
            KernelConsole.Write(':');
            KernelConsole.WriteHexDigits(function.DeviceId, 4);
            KernelConsole.Write(", ABAR 0x");
            KernelConsole.WriteHexCompact(abar);
            KernelConsole.Write(", ports 0x");
            KernelConsole.WriteHexCompact(Read(hba, AhciRegisters.Pi));
            KernelConsole.Write('\n');
            return hba;
        }

        // BIOS/OS handoff (AHCI 10.6.3): set OOS, wait for BOS to clear, then for BB to
        // clear if the firmware signals it is finishing commands. A firmware that does not
        // let go within the poll limit is logged and overruled.
        private static void TakeOwnership(byte* hba)
        {
            if ((Read(hba, AhciRegisters.Cap2) & AhciRegisters.Cap2Boh) == 0)
                return;
            Write(hba, AhciRegisters.Bohc, Read(hba, AhciRegisters.Bohc) | AhciRegisters.BohcOos);
            uint poll = 0;
            while (poll < AhciPort.PollLimit && (Read(hba, AhciRegisters.Bohc) & (AhciRegisters.BohcBos | AhciRegisters.BohcBb)) != 0)
                poll++;
            if (poll == AhciPort.PollLimit)
                KernelConsole.WriteLine("ahci: the firmware did not release the controller, taking it anyway");
        }

        private static AhciDisk[] ProbePorts(byte* hba, ulong dmaLimit)
        {
            uint implemented = Read(hba, AhciRegisters.Pi);
            AhciDisk[] found = new AhciDisk[AhciRegisters.MaxPorts];
            int count = 0;
            for (int number = 0; number < AhciRegisters.MaxPorts; number++)
            {
                if ((implemented & (1u << number)) == 0)
                    continue;
                AhciDisk disk = ProbePort(number, hba + AhciRegisters.PortBase + (uint)number * AhciRegisters.PortStride, dmaLimit);
                if (disk != null)
                    found[count++] = disk;
            }
            AhciDisk[] disks = new AhciDisk[count];
            for (int i = 0; i < count; i++)
                disks[i] = found[i];
            return disks;
        }

        // "ahci: port 0: ATA disk "QEMU HARDDISK", 131072 sectors (64 MiB)"
        private static AhciDisk ProbePort(int number, byte* registers, ulong dmaLimit)
        {
            if (!AhciPort.DevicePresent(registers))
                return null;
            AhciPort port = AhciPort.Start(number, registers, dmaLimit);
            if (port == null)
            {
                WritePort(number);
                KernelConsole.WriteLine(": does not stop or no memory it can reach, skipped");
                return null;
            }
            if (port.Signature == AhciRegisters.SignatureAtapi)
            {
                WritePort(number);
                KernelConsole.WriteLine(": ATAPI (packet) device, skipped");
                return null;
            }
            if (port.Signature != AhciRegisters.SignatureAta)
            {
                WritePort(number);
                KernelConsole.Write(": not an ATA disk (signature 0x");
                KernelConsole.WriteHexCompact(port.Signature);
                KernelConsole.WriteLine("), skipped");
                return null;
            }
            AhciDisk disk = AhciDisk.Identify(port);
            WritePort(number);
            if (disk == null)
            {
                KernelConsole.WriteLine(": IDENTIFY failed or no LBA48, skipped");
                return null;
            }
            KernelConsole.Write(": ");
            disk.Identity.WriteSummary();
            KernelConsole.WriteLine("");
            return disk;
        }

        private static void WritePort(int number)
        {
            KernelConsole.Write("ahci: port ");
            KernelConsole.WriteDecimal((ulong)number);
        }

        private static uint Read(byte* hba, uint register) => Cpu.ReadMmio32((uint*)(hba + register));

        private static void Write(byte* hba, uint register, uint value) => Cpu.WriteMmio32((uint*)(hba + register), value);
    }
}
