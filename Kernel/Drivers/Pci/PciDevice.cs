namespace Cowbird.Kernel.Drivers.Pci
{
    // One PCI function, as its configuration header (type 0 or 1) describes it:
    //   0x00 vendor id, device id    0x04 command, status
    //   0x08 revision, prog-if, subclass, class    0x0E header type (bit 7: multi-function)
    //   0x10..0x24 BAR0..BAR5 (type 0 headers only)
    public sealed class PciDevice
    {
        public const byte CommandOffset = 0x04;
        public const ushort CommandMemorySpace = 1 << 1;
        public const ushort CommandBusMaster = 1 << 2;
        private const byte BarOffset = 0x10;
        private const byte InterruptLineOffset = 0x3C;
        private const uint BarIoSpace = 1;
        private const uint BarTypeMask = 0x6, BarType64 = 0x4;

        public readonly byte Bus, Device, Function;
        public readonly ushort VendorId, DeviceId;
        public readonly byte ClassCode, Subclass, ProgIf;

        public PciDevice(byte bus, byte device, byte function)
        {
            Bus = bus;
            Device = device;
            Function = function;
            uint id = PciConfigSpace.Read32(bus, device, function, 0x00);
            VendorId = (ushort)id;
            DeviceId = (ushort)(id >> 16);
            uint classWord = PciConfigSpace.Read32(bus, device, function, 0x08);
            ProgIf = (byte)(classWord >> 8);
            Subclass = (byte)(classWord >> 16);
            ClassCode = (byte)(classWord >> 24);
        }

        public bool Is(byte classCode, byte subclass, byte progIf) =>
            ClassCode == classCode && Subclass == subclass && ProgIf == progIf;

        // The physical address a memory BAR (0..5) decodes, 64-bit BARs included; 0 for an
        // I/O BAR or one the firmware left unassigned.
        public ulong MemoryBar(int index)
        {
            byte offset = (byte)(BarOffset + 4 * index);
            uint low = PciConfigSpace.Read32(Bus, Device, Function, offset);
            if ((low & BarIoSpace) != 0)
                return 0;
            ulong address = low & ~0xFu;
            if ((low & BarTypeMask) == BarType64 && index < 5)
                address |= (ulong)PciConfigSpace.Read32(Bus, Device, Function, (byte)(offset + 4)) << 32;
            return address;
        }

        // The legacy interrupt line (PIC input) the firmware routed the function's INTx pin
        // to; 0xFF when it routed none.
        public byte InterruptLine => (byte)PciConfigSpace.Read32(Bus, Device, Function, InterruptLineOffset);

        // Sets bits in the command register: memory decoding and bus mastering (DMA) are
        // off until a driver asks for them.
        public void EnableCommand(ushort bits)
        {
            uint word = PciConfigSpace.Read32(Bus, Device, Function, CommandOffset);
            // The status half is write-1-to-clear: write zeros there so no bit is cleared.
            uint command = (word & 0xFFFF) | bits;
            PciConfigSpace.Write32(Bus, Device, Function, CommandOffset, command);
        }

        // "pci: 00:01.1 8086:7010 class 01/01/80 IDE controller"
        public void WriteLine()
        {
            KernelConsole.Write("pci: ");
            WriteHex(Bus, 2);
            KernelConsole.Write(':');
            WriteHex(Device, 2);
            KernelConsole.Write('.');
            WriteHex(Function, 1);
            KernelConsole.Write(' ');
            WriteHex(VendorId, 4);
            KernelConsole.Write(':');
            WriteHex(DeviceId, 4);
            KernelConsole.Write(" class ");
            WriteHex(ClassCode, 2);
            KernelConsole.Write('/');
            WriteHex(Subclass, 2);
            KernelConsole.Write('/');
            WriteHex(ProgIf, 2);
            KernelConsole.Write(' ');
            KernelConsole.WriteLine(PciClassNames.Name(ClassCode, Subclass, ProgIf));
        }

        private static void WriteHex(uint value, int digits) => KernelConsole.WriteHexDigits(value, digits);
    }
}
