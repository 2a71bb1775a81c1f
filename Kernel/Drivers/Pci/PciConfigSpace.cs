using Cowbird.Kernel.Arch.X64;

namespace Cowbird.Kernel.Drivers.Pci
{
    // PCI configuration space through the legacy I/O ports (configuration mechanism #1):
    // write the address of a dword to CONFIG_ADDRESS (0xCF8), then read or write it at
    // CONFIG_DATA (0xCFC). The address is
    //   bit 31 enable | bits 23..16 bus | 15..11 device | 10..8 function | 7..2 register
    // Every PC chipset since the i440FX (and QEMU's q35) answers these ports. Narrower
    // fields are read as their containing dword and shifted. The two port accesses are
    // one step: callers run with interrupts off or before anything else touches PCI.
    public static class PciConfigSpace
    {
        private const ushort AddressPort = 0xCF8;
        private const ushort DataPort = 0xCFC;
        private const uint Enable = 1u << 31;

        // The dword at byte `offset` (rounded down to a multiple of 4) of a function's space.
        public static uint Read32(byte bus, byte device, byte function, byte offset)
        {
            Cpu.OutDword(AddressPort, Address(bus, device, function, offset));
            return Cpu.InDword(DataPort);
        }

        public static void Write32(byte bus, byte device, byte function, byte offset, uint value)
        {
            Cpu.OutDword(AddressPort, Address(bus, device, function, offset));
            Cpu.OutDword(DataPort, value);
        }

        public static ushort Read16(byte bus, byte device, byte function, byte offset) =>
            (ushort)(Read32(bus, device, function, offset) >> ((offset & 2) * 8));

        public static byte Read8(byte bus, byte device, byte function, byte offset) =>
            (byte)(Read32(bus, device, function, offset) >> ((offset & 3) * 8));

        private static uint Address(byte bus, byte device, byte function, byte offset) =>
            Enable | (uint)bus << 16 | (uint)(device & 31) << 11 | (uint)(function & 7) << 8 | (uint)(offset & 0xFC);
    }
}
