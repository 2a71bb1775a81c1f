namespace Cowbird.Kernel.Drivers.Pci
{
    // PCI enumeration by brute force: every device slot (32) of every bus (256), and the
    // other 7 functions of a slot only when function 0's header type says multi-function.
    // An absent function reads vendor id 0xFFFF. Brute force needs no bridge programming
    // and finds devices behind PCI-to-PCI bridges the firmware numbered (QEMU's q35 puts
    // everything on bus 0; a bridge's devices appear on its secondary bus).
    public static class PciBus
    {
        private const int BusCount = 256;
        private const int DevicesPerBus = 32;
        private const int FunctionsPerDevice = 8;
        private const ushort NoVendor = 0xFFFF;
        private const byte HeaderTypeOffset = 0x0E;
        private const byte MultiFunction = 0x80;
        private const int MaxDevices = 256;

        private static PciDevice[] s_devices;

        // The functions found by Enumerate, in bus/device/function order (empty before).
        public static PciDevice[] Devices => s_devices ?? new PciDevice[0];

        // Walks every bus, keeps every function present and logs one "pci:" line for each.
        // Call once at boot.
        public static void Enumerate()
        {
            PciDevice[] found = new PciDevice[MaxDevices];
            int count = 0;
            for (int bus = 0; bus < BusCount; bus++)
                for (int device = 0; device < DevicesPerBus; device++)
                    count = ScanSlot((byte)bus, (byte)device, found, count);
            s_devices = new PciDevice[count];
            for (int i = 0; i < count; i++)
            {
                s_devices[i] = found[i];
                found[i].WriteLine();
            }
        }

        // The first function of class/subclass/prog-if, or null.
        public static PciDevice Find(byte classCode, byte subclass, byte progIf)
        {
            PciDevice[] devices = Devices;
            for (int i = 0; i < devices.Length; i++)
                if (devices[i].Is(classCode, subclass, progIf))
                    return devices[i];
            return null;
        }

        // Adds the functions present in one slot to found[count..]; returns the new count.
        private static int ScanSlot(byte bus, byte device, PciDevice[] found, int count)
        {
            if (!Present(bus, device, 0))
                return count;
            byte header = PciConfigSpace.Read8(bus, device, 0, HeaderTypeOffset);
            int functions = (header & MultiFunction) != 0 ? FunctionsPerDevice : 1;
            for (int function = 0; function < functions && count < MaxDevices; function++)
                if (Present(bus, device, (byte)function))
                    found[count++] = new PciDevice(bus, device, (byte)function);
            return count;
        }

        private static bool Present(byte bus, byte device, byte function) =>
            PciConfigSpace.Read16(bus, device, function, 0x00) != NoVendor;
    }
}
