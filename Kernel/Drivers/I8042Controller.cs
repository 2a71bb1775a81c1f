using Cowbird.Kernel.Arch.X64;

namespace Cowbird.Kernel.Drivers
{
    // The i8042 PS/2 controller: a keyboard on its first port (IRQ 1), a mouse on its
    // second (IRQ 12, unused here). Two I/O ports: 0x60 carries data both ways, 0x64 is the
    // status register when read and the controller's command register when written.
    // The firmware has set it up already (BIOS, or UEFI with a PS/2 driver; USB keyboards
    // reach it through the firmware's legacy emulation), so Initialize only makes sure the
    // keyboard port is on, raises IRQ 1 and translates scancodes to set 1.
    public static class I8042Controller
    {
        public const int KeyboardIrq = 1;

        private const ushort DataPort = 0x60;
        private const ushort StatusPort = 0x64;     // read
        private const ushort CommandPort = 0x64;    // write

        private const byte StatusOutputFull = 0x01; // a byte waits at DataPort
        private const byte StatusInputFull = 0x02;  // the controller has not taken our last byte
        private const byte StatusFromMouse = 0x20;  // the waiting byte came from the second port
        private const byte StatusAbsent = 0xFF;     // what a floating bus reads: no controller

        private const byte CommandReadConfig = 0x20;
        private const byte CommandWriteConfig = 0x60;
        private const byte CommandDisableKeyboardPort = 0xAD;
        private const byte CommandEnableKeyboardPort = 0xAE;

        private const byte ConfigKeyboardIrq = 0x01;         // raise IRQ 1 for keyboard bytes
        private const byte ConfigKeyboardClockOff = 0x10;    // set = keyboard port disabled
        private const byte ConfigTranslate = 0x40;           // scancode set 2 -> set 1

        private const byte KeyboardEnableScanning = 0xF4;

        // How many status reads a wait may take before giving up on a controller that
        // never answers (a broken or emulated one must not hang the boot).
        private const int WaitLimit = 100000;

        // Readies the keyboard port; false when there is no controller (nothing is changed).
        public static bool Initialize()
        {
            if (Cpu.InByte(StatusPort) == StatusAbsent)
                return false;
            // Keyboard port off while the configuration is rewritten, so no keystroke lands
            // between the drain and the configuration byte we read.
            if (!SendCommand(CommandDisableKeyboardPort))
                return false;
            Drain();
            if (!SendCommand(CommandReadConfig) || !WaitOutputFull())
                return false;
            byte config = Cpu.InByte(DataPort);
            config = (byte)((config | ConfigKeyboardIrq | ConfigTranslate) & ~ConfigKeyboardClockOff);
            if (!SendCommand(CommandWriteConfig) || !SendData(config) || !SendCommand(CommandEnableKeyboardPort))
                return false;
            // The keyboard answers 0xFA (acknowledge); the interrupt handler ignores it.
            return SendData(KeyboardEnableScanning);
        }

        // True with the next keyboard byte, false when none waits. Mouse bytes are dropped.
        public static bool TryReadKeyboardByte(out byte value)
        {
            value = 0;
            while (true)
            {
                byte status = Cpu.InByte(StatusPort);
                if ((status & StatusOutputFull) == 0)
                    return false;
                value = Cpu.InByte(DataPort);
                if ((status & StatusFromMouse) == 0)
                    return true;
            }
        }

        // Throws away bytes left over from the firmware (at most a few; bounded all the same).
        private static void Drain()
        {
            for (int i = 0; i < 64 && (Cpu.InByte(StatusPort) & StatusOutputFull) != 0; i++)
                Cpu.InByte(DataPort);
        }

        private static bool SendCommand(byte command)
        {
            if (!WaitInputEmpty())
                return false;
            Cpu.OutByte(CommandPort, command);
            return true;
        }

        // Writes `value` to the data port: the argument of a controller command, or a byte for the keyboard.
        private static bool SendData(byte value)
        {
            if (!WaitInputEmpty())
                return false;
            Cpu.OutByte(DataPort, value);
            return true;
        }

        private static bool WaitInputEmpty()
        {
            for (int i = 0; i < WaitLimit; i++)
                if ((Cpu.InByte(StatusPort) & StatusInputFull) == 0)
                    return true;
            return false;
        }

        private static bool WaitOutputFull()
        {
            for (int i = 0; i < WaitLimit; i++)
                if ((Cpu.InByte(StatusPort) & StatusOutputFull) != 0)
                    return true;
            return false;
        }
    }
}
