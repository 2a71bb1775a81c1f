using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Drivers;
using Cowbird.Kernel.Processes;
using Cowbird.Kernel.Tty;

namespace Cowbird.Kernel.Fs
{
    // The console every process has as fds 0, 1 and 2: COM1, and the screen and keyboard.
    // Input: COM1's receive interrupt (IRQ 4) and the PS/2 keyboard (IRQ 1, Ps2Keyboard)
    // both hand bytes to Receive. The keyboard sends what a serial terminal would (Ctrl-C =
    // 0x03, arrows = escape sequences), so nobody can tell the two apart. Output goes to COM1
    // and to the screen (Screen).
    //
    // Two modes, chosen at boot:
    //   - a terminal (the default): input and output go through the line discipline of
    //     Terminal.Console (echo, line editing, Ctrl-C, "\n" -> "\r\n"), and the terminal
    //     ioctls work (TerminalIoctls);
    //   - raw (`console=raw`, what the runner passes): a byte stream like a pipe. Input waits
    //     in a ring buffer until read() takes it as it is, output goes out unchanged, and the
    //     terminal ioctls give ENOTTY, so programs write what they would into a pipe on Linux.
    public sealed unsafe class ConsoleDevice : InterruptHandler
    {
        private const int BufferSize = 4096;

        // Raw mode's input ring buffer.
        private static readonly byte[] s_buffer = new byte[BufferSize];
        private static int s_head;
        private static int s_tail;

        public static void Initialize(bool raw)
        {
            if (!raw)
                Terminal.Initialize();
            Interrupts.RegisterIrq(SerialPort.Com1Irq, new ConsoleDevice());
            SerialPort.EnableReceiveInterrupt();
            if (!Ps2Keyboard.Initialize())
                KernelConsole.WriteLine("console: no PS/2 controller, input from COM1 only");
        }

        // IRQ 4: drain the UART.
        public override void Handle(TrapFrame* frame)
        {
            byte value;
            while (SerialPort.TryRead(out value))
                Receive(value);
        }

        // Called by the input interrupt handlers (interrupts off): one input byte, to the line
        // discipline, or (raw) queued for readers, who are woken. A byte that finds the raw
        // buffer full is dropped.
        public static void Receive(byte value)
        {
            Terminal terminal = Terminal.Console;
            if (terminal != null)
            {
                terminal.Line.Receive(value);
                return;
            }
            int next = (s_tail + 1) % BufferSize;
            if (next == s_head)
                return;
            s_buffer[s_tail] = value;
            s_tail = next;
            Scheduler.WakeAll(WaitReason.ConsoleInput);
        }

        // True when a read() would find input without sleeping (poll's POLLIN): bytes the
        // terminal's line discipline can hand out, or, without a terminal, received bytes.
        public static bool InputReady
        {
            get
            {
                Terminal terminal = Terminal.Console;
                return terminal != null ? terminal.Line.Available() > 0 : s_head != s_tail;
            }
        }

        // read() of up to `count` (> 0) bytes into `target` for `process`: the count, or
        // -errno (EINTR when a signal interrupted the wait, EIO from job control).
        public static int Read(Process process, byte* target, int count)
        {
            Terminal terminal = Terminal.Console;
            if (terminal != null)
            {
                int check = terminal.CheckForeground(process, Signal.SIGTTIN);
                if (check != 0)
                    return check;
                int got = terminal.Line.Read(target, count);
                return got >= 0 ? got : -(int)Mm.Errno.EINTR;
            }
            while (s_head == s_tail)
                if (!Scheduler.Sleep(WaitReason.ConsoleInput, 0))
                    return -(int)Mm.Errno.EINTR;
            int n = 0;
            while (n < count && s_head != s_tail)
            {
                target[n++] = s_buffer[s_head];
                s_head = (s_head + 1) % BufferSize;
            }
            return n;
        }

        // Before `process` writes: with TOSTOP, a background process gets SIGTTOU (Terminal);
        // then the write waits while VSTOP holds the output (IXON). 0, or -errno.
        public static int CheckWrite(Process process)
        {
            Terminal terminal = Terminal.Console;
            if (terminal == null)
                return 0;
            if (terminal.Settings.Has(Termios.Tostop))
            {
                int check = terminal.CheckForeground(process, Signal.SIGTTOU);
                if (check != 0)
                    return check;
            }
            return terminal.WaitForOutput();
        }

        // Writes `count` bytes a program wrote: through the terminal's output processing, or
        // unchanged when raw.
        public static void Write(byte* source, int count)
        {
            Terminal terminal = Terminal.Console;
            for (int i = 0; i < count; i++)
            {
                if (terminal != null)
                    terminal.Line.Output(source[i]);
                else
                    Emit(source[i]);
            }
        }

        // One byte to COM1 and to the screen, as it is.
        public static void Emit(byte value)
        {
            SerialPort.Write(value);
            Screen.Write((char)value);
        }
    }
}
