using Xunit;

namespace Cowbird.Tests.Boot
{
    // PCI enumeration at boot: the "pci:" lines of QEMU's two PC machines, and a device
    // behind a PCI-to-PCI bridge, on the bus the firmware gave the bridge.
    public sealed class PciBootTests
    {
        [Fact]
        public void I440fxDevicesAreListed()
        {
            BootResult result = Boot();
            Assert.Contains("pci: 00:00.0 8086:1237 class 06/00/00 host bridge\n", result.Serial);
            Assert.Contains("pci: 00:01.0 8086:7000 class 06/01/00 ISA bridge\n", result.Serial);
            Assert.Contains("pci: 00:01.1 8086:7010 class 01/01/80 IDE controller\n", result.Serial);
            Assert.Contains("pci: 00:02.0 1234:1111 class 03/00/00 VGA compatible controller\n", result.Serial);
            Assert.DoesNotContain("ahci:", result.Serial);
        }

        [Fact]
        public void Q35DevicesAreListedAndItsAhciControllerStarted()
        {
            BootResult result = Boot("-M", "q35");
            Assert.Contains("pci: 00:00.0 8086:29c0 class 06/00/00 host bridge\n", result.Serial);
            Assert.Contains("pci: 00:1f.0 8086:2918 class 06/01/00 ISA bridge\n", result.Serial);
            Assert.Contains("pci: 00:1f.2 8086:2922 class 01/06/01 SATA controller (AHCI)\n", result.Serial);
            Assert.Contains("pci: 00:1f.3 8086:2930 class 0c/05/00 SMBus controller\n", result.Serial);
            Assert.Contains("ahci: controller 8086:2922, ABAR 0x", result.Serial);
            Assert.Contains("ahci: port 2: ATAPI (packet) device, skipped\n", result.Serial);   // q35's CD-ROM drive
            Assert.Contains("\nswap: none", result.Serial);
        }

        // SeaBIOS numbers the bridge's secondary bus 1; the walk finds the card there.
        [Fact]
        public void DeviceBehindABridgeIsListedOnItsBus()
        {
            BootResult result = Boot("-device", "pci-bridge,id=bridge,chassis_nr=1", "-device", "e1000,bus=bridge,addr=3");
            Assert.Matches(@"pci: 00:[0-9a-f]{2}\.0 1b36:0001 class 06/04/00 PCI-to-PCI bridge\n", result.Serial);
            Assert.Contains("pci: 01:03.0 8086:100e class 02/00/00 Ethernet controller\n", result.Serial);
        }

        private static BootResult Boot(params string[] machine)
        {
            BootResult result = Qemu.BootKernel("selftest=banner", machine: machine);
            Assert.True(result.ExitCode == KernelExit.Success, result.ToString());
            return result;
        }
    }
}
