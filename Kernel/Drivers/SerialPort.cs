using Cowbird.Kernel.Arch.X64;

namespace Cowbird.Kernel.Drivers
{
    // 16550 UARTs, 115200 baud, 8 data bits, no parity, 1 stop bit: COM1 (the console
    // programs read and write) and COM2 (the kernel log with `console=raw`).
    // Transmission is polled; COM1 can raise IRQ 4 when a byte arrives (ConsoleDevice).
    public static class SerialPort
    {
        public const ushort Com1 = 0x3F8;
        public const ushort Com2 = 0x2F8;
        public const int Com1Irq = 4;

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
        private const byte LineStatusDataReady = 0x01;
        private const byte LineStatusTransmitEmpty = 0x20;
        private const byte InterruptReceivedData = 0x01;
        private const byte Divisor115200 = 1;

        private const ushort InterruptIdentification = 2;   // read side of FifoControl
        private const byte FifosEnabledMask = 0xC0;
        private const byte FifoEnableOnly = 0x01;

        // Programs both UARTs; call once before Write.
        // COM1's FIFO mode is left as found and its receive FIFO is never reset: input may
        // be waiting already (QEMU hands input to the UART as soon as the machine starts),
        // and switching the FIFOs on or off empties them (16550 datasheet; QEMU does too).
        public static void Initialize()
        {
            bool fifos = (Cpu.InByte(Com1 + InterruptIdentification) & FifosEnabledMask) == FifosEnabledMask;
            Program(Com1, fifos ? FifoEnableOnly : (byte)0);
            Program(Com2, FifoEnableAndClear);
        }

        private static void Program(ushort port, byte fifoControl)
        {
            Cpu.OutByte((ushort)(port + InterruptEnable), 0);
            Cpu.OutByte((ushort)(port + LineControl), LineControlDivisorLatch);
            Cpu.OutByte((ushort)(port + Data), Divisor115200);
            Cpu.OutByte((ushort)(port + InterruptEnable), 0);
            Cpu.OutByte((ushort)(port + LineControl), LineControl8N1);
            Cpu.OutByte((ushort)(port + FifoControl), fifoControl);
            Cpu.OutByte((ushort)(port + ModemControl), ModemDtrRtsOut2);
        }

        // Sends one byte on COM1, waiting until the transmitter can take it.
        public static void Write(byte value) => Write(Com1, value);

        // Sends one byte on `port`.
        public static void Write(ushort port, byte value)
        {
            while ((Cpu.InByte((ushort)(port + LineStatus)) & LineStatusTransmitEmpty) == 0) { }
            Cpu.OutByte((ushort)(port + Data), value);
        }

        // Makes COM1 raise its IRQ when a byte arrives.
        public static void EnableReceiveInterrupt() =>
            Cpu.OutByte(Com1 + InterruptEnable, InterruptReceivedData);

        // True with the next received byte of COM1, false when none is waiting.
        public static bool TryRead(out byte value)
        {
            value = 0;
            if ((Cpu.InByte(Com1 + LineStatus) & LineStatusDataReady) == 0)
                return false;
            value = Cpu.InByte(Com1 + Data);
            return true;
        }
    }
}
