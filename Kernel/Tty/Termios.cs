namespace Cowbird.Kernel.Tty
{
    // A terminal's settings, laid out as the kernel's struct termios that TCGETS and TCSETS
    // move (include/uapi/asm-generic/termbits.h: four flag words, c_line, c_cc[19]; 36
    // bytes), not libc's larger struct. Only the flags and characters the line discipline
    // acts on are named; the others are stored and read back unchanged.
    public unsafe struct Termios
    {
        public const int ControlCharCount = 19;
        public const int Size = 36;

        // c_iflag
        public const uint Ignbrk = 0x1, Inlcr = 0x40, Igncr = 0x80, Icrnl = 0x100, Ixon = 0x400, Ixany = 0x800;
        // c_oflag
        public const uint Opost = 0x1, Onlcr = 0x4;
        // c_cflag: B38400 | CS8 | CREAD | HUPCL, what Linux's tty_std_termios has
        public const uint DefaultCflag = 0xf | 0x30 | 0x80 | 0x400;
        // c_lflag
        public const uint Isig = 0x1, Icanon = 0x2, Echo = 0x8, Echoe = 0x10, Echok = 0x20, Echonl = 0x40,
            Noflsh = 0x80, Tostop = 0x100, Echoctl = 0x200, Echoke = 0x800, Iexten = 0x8000;
        // c_cc indices
        public const int Vintr = 0, Vquit = 1, Verase = 2, Vkill = 3, Veof = 4, Vtime = 5, Vmin = 6, Vswtc = 7,
            Vstart = 8, Vstop = 9, Vsusp = 10, Veol = 11, Vreprint = 12, Vdiscard = 13, Vwerase = 14, Vlnext = 15,
            Veol2 = 16;
        // A c_cc entry of 0 turns that function off (_POSIX_VDISABLE).
        public const byte Disabled = 0;

        public uint InputFlags;
        public uint OutputFlags;
        public uint ControlFlags;
        public uint LocalFlags;
        public byte LineDiscipline;
        public fixed byte ControlChars[ControlCharCount];

        // What a fresh Linux terminal has (tty_std_termios and INIT_C_CC): ICRNL|IXON, OPOST|ONLCR,
        // B38400|CS8|CREAD|HUPCL, ISIG|ICANON|ECHO|ECHOE|ECHOK|ECHOCTL|ECHOKE|IEXTEN; ^C ^\ DEL ^U
        // ^D, VTIME 0, VMIN 1, ^Q ^S ^Z, VEOL 0, ^R ^O ^W ^V, VEOL2 0.
        public static Termios Default()
        {
            Termios t = default;
            t.InputFlags = Icrnl | Ixon;
            t.OutputFlags = Opost | Onlcr;
            t.ControlFlags = DefaultCflag;
            t.LocalFlags = Isig | Icanon | Echo | Echoe | Echok | Echoctl | Echoke | Iexten;
            byte* cc = t.ControlChars;
            cc[Vintr] = 0x03;
            cc[Vquit] = 0x1c;
            cc[Verase] = 0x7f;
            cc[Vkill] = 0x15;
            cc[Veof] = 0x04;
            cc[Vtime] = 0;
            cc[Vmin] = 1;
            cc[Vswtc] = 0;
            cc[Vstart] = 0x11;
            cc[Vstop] = 0x13;
            cc[Vsusp] = 0x1a;
            cc[Veol] = 0;
            cc[Vreprint] = 0x12;
            cc[Vdiscard] = 0x0f;
            cc[Vwerase] = 0x17;
            cc[Vlnext] = 0x16;
            cc[Veol2] = 0;
            return t;
        }

        public bool Has(uint localFlag) => (LocalFlags & localFlag) != 0;

        // Whether `c` is the character c_cc[index] names (never when that entry is disabled).
        public bool Is(byte c, int index)
        {
            fixed (byte* cc = ControlChars)
                return cc[index] != Disabled && cc[index] == c;
        }

        public byte At(int index)
        {
            fixed (byte* cc = ControlChars)
                return cc[index];
        }
    }
}
