using Cowbird.Kernel.Arch.X64;

namespace Cowbird.Kernel.Drivers
{
    // The VGA text screen: 80x25 cells at physical 0xB8000, each a character byte
    // and a colour byte, reached through the direct map. Writes go at the cursor;
    // a full screen scrolls up one line. The hardware cursor follows (CRT
    // controller registers 0x0E/0x0F). Under UEFI there is no text mode: the
    // screen is disabled when the boot loader reports a graphics framebuffer.
    public static unsafe class VgaTextScreen
    {
        private const ulong BufferPhysical = 0xB8000;
        private const int Columns = 80;
        private const int Rows = 25;
        private const byte LightGreyOnBlack = 0x07;

        private const ushort CrtIndexPort = 0x3D4;
        private const ushort CrtDataPort = 0x3D5;
        private const byte CursorHighRegister = 0x0E;
        private const byte CursorLowRegister = 0x0F;

        private static bool s_enabled = true;
        private static int s_row;
        private static int s_column;

        private static ushort* Cells => (ushort*)KernelLayout.PhysicalToVirtual(BufferPhysical);

        // Stops all output to the screen (there is no text mode to write to).
        public static void Disable() => s_enabled = false;

        // Clears the screen and puts the cursor top left.
        public static void Clear()
        {
            if (!s_enabled)
                return;
            for (int i = 0; i < Columns * Rows; i++)
                Cells[i] = Blank;
            s_row = 0;
            s_column = 0;
            MoveHardwareCursor();
        }

        private static ushort Blank => (ushort)(' ' | LightGreyOnBlack << 8);

        // Writes one character: '\n' starts a new line, '\r' returns to column 0, '\b' moves
        // one cell left (the shell erases with "\b \b"), '\t' goes to the next multiple of 8;
        // other control characters (escape sequences' ESC among them) are not shown.
        public static void Write(char c)
        {
            if (!s_enabled)
                return;
            if (c == '\n')
                NewLine();
            else if (c == '\r')
                s_column = 0;
            else if (c == '\b')
            {
                if (s_column > 0)
                    s_column--;
            }
            else if (c == '\t')
            {
                do
                    Put(' ');
                while (s_column % 8 != 0 && s_column < Columns);
            }
            else if (c >= ' ')
                Put(c);
            MoveHardwareCursor();
        }

        // Draws `c` at the cursor and moves it right, to the next line first if this one is full.
        private static void Put(char c)
        {
            if (s_column == Columns)
                NewLine();
            Cells[s_row * Columns + s_column] = (ushort)((byte)c | LightGreyOnBlack << 8);
            s_column++;
        }

        private static void NewLine()
        {
            s_column = 0;
            if (s_row < Rows - 1)
            {
                s_row++;
                return;
            }
            ushort* cells = Cells;
            for (int i = 0; i < (Rows - 1) * Columns; i++)
                cells[i] = cells[i + Columns];
            for (int i = (Rows - 1) * Columns; i < Rows * Columns; i++)
                cells[i] = Blank;
        }

        private static void MoveHardwareCursor()
        {
            int position = s_row * Columns + s_column;
            Cpu.OutByte(CrtIndexPort, CursorHighRegister);
            Cpu.OutByte(CrtDataPort, (byte)(position >> 8));
            Cpu.OutByte(CrtIndexPort, CursorLowRegister);
            Cpu.OutByte(CrtDataPort, (byte)position);
        }
    }
}
