using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Drivers;
using Cowbird.Kernel.Processes;

namespace Cowbird.Kernel.Fs
{
    // The console every process has as fds 0, 1 and 2: COM1.
    // Input: COM1's receive interrupt (IRQ 4) moves bytes into a ring buffer and wakes
    // readers; read() sleeps while it is empty, then returns what is there (no line
    // discipline: the shell edits and echoes itself, `sh -e`).
    // Output: raw mode (`console=raw`, the runner) sends bytes unchanged; otherwise
    // (a terminal on the serial line) "\n" becomes "\r\n".
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
        }

        // IRQ 4: drain the UART into the ring buffer (bytes beyond its size are dropped).
        public override void Handle(TrapFrame* frame)
        {
            byte value;
            bool any = false;
            while (SerialPort.TryRead(out value))
            {
                int next = (s_tail + 1) % BufferSize;
                if (next != s_head)
                {
                    s_buffer[s_tail] = value;
                    s_tail = next;
                }
                any = true;
            }
            if (any)
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
            }
        }
    }
}
