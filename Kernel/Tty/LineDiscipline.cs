using Cowbird.Kernel.Fs;
using Cowbird.Kernel.Processes;

namespace Cowbird.Kernel.Tty
{
    // The terminal's line discipline (Linux: drivers/tty/n_tty.c), between the input
    // interrupts and read(), and between write() and the output devices.
    //
    // Input (Receive, in the interrupt handler, one byte at a time; Linux's order):
    //   - IXON: VSTOP stops the terminal's output, VSTART restarts it (neither is input);
    //     with IXANY any other key restarts it too, and so does a signal character.
    //   - ISIG: VINTR, VQUIT and VSUSP send SIGINT, SIGQUIT and SIGTSTP to the foreground
    //     group, discard the pending input (unless NOFLSH) and echo as ^C, ^\, ^Z.
    //   - ICRNL/INLCR/IGNCR translate or drop carriage returns and newlines.
    //   - ICANON: the line is edited in `edit` (VERASE erases a character, VWERASE a word
    //     with IEXTEN, VKILL the line) and becomes readable when '\n', VEOL, VEOL2 (with
    //     IEXTEN) or VEOF ends it. VEOF on an empty line is end of file: read() returns 0
    //     once. With IEXTEN, VLNEXT makes the next byte literal (no signal, no editing, no
    //     translation; echoed "^\b" until it comes) and VREPRINT echoes the line again on a
    //     new line.
    //   - Without ICANON every byte is readable at once, and read() follows VMIN and VTIME.
    //   - ECHO echoes what is typed (control characters as ^X with ECHOCTL), ECHOE erases with
    //     "\b \b", ECHOK/ECHOKE echo a killed line; ECHONL echoes '\n' even without ECHO.
    // Readable input waits in `ready` as 16-bit entries: the byte, EndOfLine when a line of
    // canonical input ends there, and EndOfFile for a VEOF (which carries no byte).
    //
    // Output (Output): OPOST with ONLCR writes "\n" as "\r\n". Echoes go the same way.
    public sealed unsafe class LineDiscipline
    {
        // Linux's N_TTY_BUF_SIZE: what the readable buffer and one line hold at most.
        private const int BufferSize = 4096;
        private const ushort EndOfLine = 0x100, EndOfFile = 0x200;
        private const byte Backspace = 0x08, Delete = 0x7f;
        // Ticks (10 ms) per VTIME unit (0.1 s).
        private const ulong TicksPerVtime = 10;

        private readonly Terminal terminal;
        private readonly ushort[] ready = new ushort[BufferSize];
        private int head, tail;
        // Line ends (EndOfLine entries) in `ready`: canonical readers wait for one.
        private int linesReady;
        private readonly byte[] edit = new byte[BufferSize];
        private int editLength;
        // VLNEXT came: the next byte is taken literally.
        private bool literalNext;

        public LineDiscipline(Terminal owner)
        {
            terminal = owner;
        }

        private int ReadyCount => (tail - head + BufferSize) % BufferSize;

        // One byte from the keyboard or the serial line (interrupts off).
        public void Receive(byte c)
        {
            Termios t = terminal.Settings;
            if (literalNext)
            {
                literalNext = false;
                ReceiveData(t, c);
                return;
            }
            bool flowControl = (t.InputFlags & Termios.Ixon) != 0;
            if (flowControl && ReceiveFlowChar(t, c))
                return;
            if (t.Has(Termios.Isig) && ReceiveSignalChar(t, c))
                return;
            if (flowControl && (t.InputFlags & Termios.Ixany) != 0 && terminal.OutputStopped)
                terminal.StartOutput();
            if (c == '\r')
            {
                if ((t.InputFlags & Termios.Igncr) != 0)
                    return;
                if ((t.InputFlags & Termios.Icrnl) != 0)
                    c = (byte)'\n';
            }
            else if (c == '\n' && (t.InputFlags & Termios.Inlcr) != 0)
                c = (byte)'\r';
            if (t.Has(Termios.Icanon))
                ReceiveCanonical(t, c);
            else
                ReceiveData(t, c);
        }

        // `c` as data, nothing special: added to the line in canonical mode, else readable at once.
        private void ReceiveData(Termios t, byte c)
        {
            if (t.Has(Termios.Icanon))
            {
                AddToLine(t, c);
                return;
            }
            if (t.Has(Termios.Echo))
                Echo(t, c);
            Push(c);
            Scheduler.WakeAll(WaitReason.ConsoleInput);
        }

        // VSTOP and VSTART (IXON): true when `c` was one of them.
        private bool ReceiveFlowChar(Termios t, byte c)
        {
            if (t.Is(c, Termios.Vstart))
                terminal.StartOutput();
            else if (t.Is(c, Termios.Vstop))
                terminal.StopOutput();
            else
                return false;
            return true;
        }

        // VINTR, VQUIT, VSUSP: true when `c` was one of them and its signal went out (which
        // also restarts stopped output, as Linux's n_tty_receive_signal_char does).
        private bool ReceiveSignalChar(Termios t, byte c)
        {
            int signal = t.Is(c, Termios.Vintr) ? Signal.SIGINT
                : t.Is(c, Termios.Vquit) ? Signal.SIGQUIT
                : t.Is(c, Termios.Vsusp) ? Signal.SIGTSTP : 0;
            if (signal == 0)
                return false;
            if (!t.Has(Termios.Noflsh))
                Flush();
            if ((t.InputFlags & Termios.Ixon) != 0)
                terminal.StartOutput();
            if (t.Has(Termios.Echo))
                Echo(t, c);
            terminal.SignalForeground(signal);
            return true;
        }

        private void ReceiveCanonical(Termios t, byte c)
        {
            bool extended = t.Has(Termios.Iexten);
            if (t.Is(c, Termios.Verase))
                EraseBack(t, false);
            else if (extended && t.Is(c, Termios.Vwerase))
                EraseBack(t, true);
            else if (t.Is(c, Termios.Vkill))
                KillLine(t);
            else if (extended && t.Is(c, Termios.Vlnext))
                StartLiteral(t);
            else if (extended && t.Is(c, Termios.Vreprint) && t.Has(Termios.Echo))
                Reprint(t, c);
            else if (t.Is(c, Termios.Veof))
                EndLine(EndOfFile);
            else if (c == '\n' || t.Is(c, Termios.Veol) || (extended && t.Is(c, Termios.Veol2)))
            {
                if (t.Has(Termios.Echo) || t.Has(Termios.Echonl))
                    Echo(t, c);
                EndLine((ushort)(c | EndOfLine));
            }
            else
                ReceiveData(t, c);
        }

        // Appends `c` to the line being edited (echoed), unless the line is full.
        private void AddToLine(Termios t, byte c)
        {
            if (editLength >= BufferSize - 1)
                return;
            if (t.Has(Termios.Echo))
                Echo(t, c);
            edit[editLength++] = c;
        }

        // VLNEXT: the next byte is literal. With ECHO and ECHOCTL, "^" then a backspace show
        // it is awaited (the literal byte's echo then writes over the caret).
        private void StartLiteral(Termios t)
        {
            literalNext = true;
            if (t.Has(Termios.Echo) && t.Has(Termios.Echoctl))
            {
                Output((byte)'^');
                Output(Backspace);
            }
        }

        // VREPRINT: echoes the reprint character, a newline and the line being edited.
        private void Reprint(Termios t, byte c)
        {
            Echo(t, c);
            Output((byte)'\n');
            for (int i = 0; i < editLength; i++)
                Echo(t, edit[i]);
        }

        // Erases the last character (or word, as Linux's WERASE: non-word characters, then
        // letters, digits and '_') of the line being edited, on the screen too.
        private void EraseBack(Termios t, bool word)
        {
            bool seenWord = false;
            while (editLength > 0)
            {
                byte c = edit[editLength - 1];
                bool wordChar = IsWordChar(c);
                if (word && seenWord && !wordChar)
                    return;
                seenWord |= wordChar;
                editLength--;
                EchoErase(t, c);
                if (!word)
                    return;
            }
        }

        private static bool IsWordChar(byte c) =>
            c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

        // VKILL: the line being edited goes. With ECHOE and ECHOKE it is erased from the
        // screen; otherwise the kill character is echoed, then '\n' with ECHOK.
        private void KillLine(Termios t)
        {
            if (t.Has(Termios.Echo) && t.Has(Termios.Echoe) && t.Has(Termios.Echoke))
            {
                while (editLength > 0)
                    EchoErase(t, edit[--editLength]);
                return;
            }
            editLength = 0;
            if (!t.Has(Termios.Echo))
                return;
            Echo(t, t.At(Termios.Vkill));
            if (t.Has(Termios.Echok))
                Output((byte)'\n');
        }

        // Takes an erased character `c` off the screen: "\b \b" per column it took (two for
        // a ^X echo) with ECHOE, else the erase character is echoed.
        private void EchoErase(Termios t, byte c)
        {
            if (!t.Has(Termios.Echo))
                return;
            if (!t.Has(Termios.Echoe))
            {
                Echo(t, t.At(Termios.Verase));
                return;
            }
            int columns = EchoesAsCaret(t, c) ? 2 : 1;
            for (int i = 0; i < columns; i++)
            {
                Output(Backspace);
                Output((byte)' ');
                Output(Backspace);
            }
        }

        // The line being edited, with `end` (a line end or EndOfFile) after it, becomes readable.
        private void EndLine(ushort end)
        {
            for (int i = 0; i < editLength; i++)
                Push(edit[i]);
            editLength = 0;
            Push(end);
            linesReady++;
            Scheduler.WakeAll(WaitReason.ConsoleInput);
        }

        // Appends one entry to `ready`; dropped when it is full (as Linux drops input then).
        private void Push(ushort entry)
        {
            int next = (tail + 1) % BufferSize;
            if (next == head)
                return;
            ready[tail] = entry;
            tail = next;
        }

        // Discards all input: readable and being edited (ISIG, TCSETSF, TCFLSH).
        public void Flush()
        {
            head = tail = 0;
            linesReady = 0;
            editLength = 0;
            literalNext = false;
        }

        // The mode changed from `before` to the current settings: turning IXON off restarts
        // stopped output; leaving canonical mode makes the line being edited readable as it
        // is; entering it makes what is readable a line (Linux's n_tty_set_termios "push").
        public void SettingsChanged(Termios before)
        {
            if ((before.InputFlags & Termios.Ixon) != 0 && (terminal.Settings.InputFlags & Termios.Ixon) == 0)
                terminal.StartOutput();             // output stopped by VSTOP goes on without IXON
            bool wasCanonical = before.Has(Termios.Icanon), canonical = terminal.Settings.Has(Termios.Icanon);
            if (wasCanonical && !canonical)
            {
                for (int i = 0; i < editLength; i++)
                    Push(edit[i]);
                editLength = 0;
                linesReady = 0;
            }
            else if (!wasCanonical && canonical && ReadyCount > 0)
            {
                int last = (tail - 1 + BufferSize) % BufferSize;
                ready[last] |= EndOfLine;
                linesReady = 1;
            }
            Scheduler.WakeAll(WaitReason.ConsoleInput);
        }

        // Bytes read() could take now without sleeping (FIONREAD): in canonical mode only
        // those of complete lines.
        public int Available()
        {
            if (!terminal.Settings.Has(Termios.Icanon))
                return ReadyCount;
            return linesReady > 0 ? ReadyCount : 0;
        }

        // read() of up to `count` bytes (count > 0) into `target`: a line (or what fits of it)
        // in canonical mode, else as VMIN and VTIME say. The count (0 at end of file or when
        // VMIN/VTIME allow an empty read), or -1 when a signal interrupted the wait with
        // nothing read.
        public int Read(byte* target, int count)
        {
            if (terminal.Settings.Has(Termios.Icanon))
                return ReadLine(target, count);
            return ReadRaw(target, count);
        }

        private int ReadLine(byte* target, int count)
        {
            while (linesReady == 0)
                if (!Scheduler.Sleep(WaitReason.ConsoleInput, 0))
                    return -1;
            int n = 0;
            while (n < count && head != tail)
            {
                ushort entry = ready[head];
                if ((entry & EndOfFile) == 0)
                    target[n++] = (byte)entry;
                head = (head + 1) % BufferSize;
                if ((entry & (EndOfLine | EndOfFile)) != 0)
                {
                    linesReady--;
                    break;
                }
            }
            return n;
        }

        // Non-canonical read (Linux's n_tty_read): waits until it has min(VMIN, count) bytes;
        // with VTIME, at most VTIME tenths of a second (VMIN 0: for the first byte, else
        // between bytes, once one came); VMIN 0 and VTIME 0 never wait.
        private int ReadRaw(byte* target, int count)
        {
            int minimum = terminal.Settings.At(Termios.Vmin);
            ulong time = terminal.Settings.At(Termios.Vtime) * TicksPerVtime;
            if (minimum > count)
                minimum = count;
            int n = 0;
            while (true)
            {
                while (n < count && head != tail)
                {
                    target[n++] = (byte)ready[head];
                    head = (head + 1) % BufferSize;
                }
                if (n >= minimum && (n > 0 || minimum > 0 || time == 0))
                    return n;
                bool timed = time > 0 && (minimum == 0 || n > 0);
                ulong deadline = timed ? Drivers.PitTimer.Ticks + time : 0;
                if (!Scheduler.Sleep(WaitReason.ConsoleInput, deadline))
                    return n > 0 ? n : -1;
                if (timed && head == tail && Drivers.PitTimer.Ticks >= deadline)
                    return n;
            }
        }

        // Echoes typed byte `c`: a control character other than tab and newline as ^X with
        // ECHOCTL (DEL as ^?).
        private void Echo(Termios t, byte c)
        {
            if (EchoesAsCaret(t, c))
            {
                Output((byte)'^');
                Output((byte)(c ^ 0x40));
            }
            else
                Output(c);
        }

        private static bool EchoesAsCaret(Termios t, byte c) =>
            t.Has(Termios.Echoctl) && (c < 0x20 || c == Delete) && c != '\t' && c != '\n';

        // One byte of output, with OPOST/ONLCR's "\n" -> "\r\n".
        public void Output(byte c)
        {
            Termios t = terminal.Settings;
            if (c == '\n' && (t.OutputFlags & Termios.Opost) != 0 && (t.OutputFlags & Termios.Onlcr) != 0)
                ConsoleDevice.Emit((byte)'\r');
            ConsoleDevice.Emit(c);
        }
    }
}
