using Cowbird.Kernel.Arch.X64;

namespace Cowbird.Kernel.Drivers
{
    // The VGA text screen (BIOS boots): 80x25 cells at physical 0xB8000, each a character
    // byte and a colour byte, reached through the direct map. The card draws the
    // characters with its own font; the hardware cursor is placed through the CRT
    // controller registers 0x0E/0x0F. Under UEFI there is no text mode (FramebufferConsole).
    public sealed unsafe class VgaTextScreen : TextScreen
    {
        private const ulong BufferPhysical = 0xB8000;
        private const int VgaColumns = 80;
        private const int VgaRows = 25;
        private const byte LightGreyOnBlack = 0x07;

        private const ushort CrtIndexPort = 0x3D4;
        private const ushort CrtDataPort = 0x3D5;
        private const byte CursorHighRegister = 0x0E;
        private const byte CursorLowRegister = 0x0F;

        public VgaTextScreen() : base(VgaColumns, VgaRows) { }

        private static ushort* Cells => (ushort*)KernelLayout.PhysicalToVirtual(BufferPhysical);

        protected override void DrawCell(int row, int column, char c) =>
            Cells[row * VgaColumns + column] = (ushort)((byte)c | LightGreyOnBlack << 8);

        protected override void ScrollPicture()
        {
            ushort* cells = Cells;
            for (int i = 0; i < (VgaRows - 1) * VgaColumns; i++)
                cells[i] = cells[i + VgaColumns];
        }

        // The hardware cursor moves by itself: nothing to undo.
        protected override void HideCursor(int row, int column) { }

        protected override void ShowCursor(int row, int column)
        {
            int position = row * VgaColumns + column;
            Cpu.OutByte(CrtIndexPort, CursorHighRegister);
            Cpu.OutByte(CrtDataPort, (byte)(position >> 8));
            Cpu.OutByte(CrtIndexPort, CursorLowRegister);
            Cpu.OutByte(CrtDataPort, (byte)position);
        }
    }
}
