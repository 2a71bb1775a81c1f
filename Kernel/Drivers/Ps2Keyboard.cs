using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Fs;

namespace Cowbird.Kernel.Drivers
{
    // The PS/2 keyboard as a console input: IRQ 1 takes the scancodes the i8042 holds,
    // KeyboardDecoder turns them into terminal bytes, and they join the console's input
    // exactly as bytes from COM1 do (ConsoleDevice.Receive), so the shell cannot tell the
    // screen's keyboard from a serial terminal.
    public sealed unsafe class Ps2Keyboard : InterruptHandler
    {
        // Bytes the controller acknowledges commands with; they are not keys.
        private const byte Acknowledge = 0xFA;
        private const byte Resend = 0xFE;

        private static readonly KeyboardDecoder s_decoder = new KeyboardDecoder();

        // Sets the controller up and takes IRQ 1; false (and nothing registered) without a controller.
        public static bool Initialize()
        {
            if (!I8042Controller.Initialize())
                return false;
            Interrupts.RegisterIrq(I8042Controller.KeyboardIrq, new Ps2Keyboard());
            return true;
        }

        public override void Handle(TrapFrame* frame)
        {
            byte* bytes = stackalloc byte[KeyboardDecoder.MaxOutput];
            byte scancode;
            while (I8042Controller.TryReadKeyboardByte(out scancode))
            {
                if (scancode == Acknowledge || scancode == Resend)
                    continue;
                int count = s_decoder.Decode(scancode, bytes);
                for (int i = 0; i < count; i++)
                    ConsoleDevice.Receive(bytes[i]);
            }
        }
    }
}
