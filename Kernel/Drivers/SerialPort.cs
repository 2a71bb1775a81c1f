using Cowbird.Kernel.Arch.X64;

namespace Cowbird.Kernel.Drivers
{
    // A 16550 UART (COM1), polled: 115200 baud, 8 data bits, no parity, 1 stop bit.
    public static class SerialPort
    {
        private const ushort Com1 = 0x3F8;

        // Register offsets from the base port.
        private const ushort Data = 0;                 // DLAB=0: transmit/receive byte
        private const ushort InterruptEnable = 1;      // DLAB=1: divisor high byte
        private const ushort FifoControl = 2;
        private const ushort LineControl = 3;
        private const ushort ModemControl = 4;
        private const ushort LineStatus = 5;

        private const byte LineControlDivisorLatch = 0x80;
        private const byte LineControl8N1 = 0x03;
        private const byte FifoEnableAndClear = 0xC7;
        private const byte ModemDtrRtsOut2 = 0x0B;
        private const byte LineStatusTransmitEmpty = 0x20;
        private const byte Divisor115200 = 1;

        // Programs the UART; call once before Write.
        public static void Initialize()
        {
            Cpu.OutByte(Com1 + InterruptEnable, 0);
            Cpu.OutByte(Com1 + LineControl, LineControlDivisorLatch);
            Cpu.OutByte(Com1 + Data, Divisor115200);
            Cpu.OutByte(Com1 + InterruptEnable, 0);
            Cpu.OutByte(Com1 + LineControl, LineControl8N1);
            Cpu.OutByte(Com1 + FifoControl, FifoEnableAndClear);
            Cpu.OutByte(Com1 + ModemControl, ModemDtrRtsOut2);
        }

        // Sends one byte, waiting until the transmitter can take it.
        public static void Write(byte value)
        {
            while ((Cpu.InByte(Com1 + LineStatus) & LineStatusTransmitEmpty) == 0) { }
            Cpu.OutByte(Com1 + Data, value);
        }
    }
}
