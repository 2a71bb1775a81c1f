namespace Cowbird.Kernel.Tty
{
    // struct winsize, as TIOCGWINSZ and TIOCSWINSZ move it (8 bytes). The console's starts
    // as the screen's size in character cells (0 x 0 without a screen, as a serial line
    // reports); a program may set another one, and the terminal's foreground group then
    // gets SIGWINCH.
    public struct WindowSize
    {
        public const int Size = 8;

        public ushort Rows;
        public ushort Columns;
        public ushort PixelWidth;
        public ushort PixelHeight;

        public bool SameAs(WindowSize other) =>
            Rows == other.Rows && Columns == other.Columns && PixelWidth == other.PixelWidth && PixelHeight == other.PixelHeight;
    }
}
