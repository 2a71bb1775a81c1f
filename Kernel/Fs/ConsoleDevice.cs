using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Drivers;
using Cowbird.Kernel.Processes;

namespace Cowbird.Kernel.Fs
{
    // The console every process has as fds 0, 1 and 2: COM1, and the screen and keyboard.
    // Input: COM1's receive interrupt (IRQ 4) and the PS/2 keyboard (IRQ 1, Ps2Keyboard)
    // both put bytes into one ring buffer and wake readers; read() sleeps while it is empty,
    // then returns what is there (no line discipline: the shell edits and echoes itself,
    // `sh -e`). The keyboard sends what a serial terminal would (Ctrl-C = 0x03, arrows =
    // escape sequences), so a reader cannot tell the two apart.
    // Output goes to COM1 and to the screen (Screen). Raw mode (`console=raw`, the
    // runner) sends bytes to COM1 unchanged; otherwise (a terminal on the serial line)
    // "\n" becomes "\r\n".
    public sealed unsafe class ConsoleDevice : InterruptHandler
    {
        private const int BufferSize = 4096;

        private static readonly byte[] s_buffer = new byte[BufferSize];
        private static int s_head;
        private static int s_tail;
        private static bool s_raw;

        public static bool IsRaw => s_raw;

        public static void Initialize(bool raw)
        {
            s_raw = raw;
            Interrupts.RegisterIrq(SerialPort.Com1Irq, new ConsoleDevice());
            SerialPort.EnableReceiveInterrupt();
            if (!Ps2Keyboard.Initialize())
                KernelConsole.WriteLine("console: no PS/2 controller, input from COM1 only");
        }

        // IRQ 4: drain the UART into the ring buffer.
        public override void Handle(TrapFrame* frame)
        {
            byte value;
            while (SerialPort.TryRead(out value))
                Receive(value);
        }

        // Called by the input interrupt handlers (interrupts off): queues one input byte and
        // wakes the readers. A byte that finds the buffer full is dropped.
        public static void Receive(byte value)
        {
            int next = (s_tail + 1) % BufferSize;
            if (next == s_head)
                return;
            s_buffer[s_tail] = value;
            s_tail = next;
            Scheduler.WakeAll(WaitReason.ConsoleInput);
        }

        // Takes up to `count` buffered bytes into `target`, sleeping while there are
        // none. The count, or -1 when a fatal signal interrupted the sleep.
        public static int Read(byte* target, int count)
        {
            while (s_head == s_tail)
                if (!Scheduler.Sleep(WaitReason.ConsoleInput, 0))
                    return -1;
            int n = 0;
            while (n < count && s_head != s_tail)
            {
                target[n++] = s_buffer[s_head];
                s_head = (s_head + 1) % BufferSize;
            }
            return n;
        }

        public static void Write(byte* source, int count)
        {
            for (int i = 0; i < count; i++)
            {
                if (source[i] == '\n' && !s_raw)
                    SerialPort.Write((byte)'\r');
                SerialPort.Write(source[i]);
                Screen.Write((char)source[i]);
            }
        }
    }
}
