namespace Cowbird.Kernel.Boot
{
    // A linear RGB framebuffer the boot loader set up (Multiboot2 framebuffer tag, type 1):
    // Height rows of Pitch bytes from physical Address, each row Width pixels of
    // BitsPerPixel bits; a colour channel occupies Size bits from bit Position of a pixel.
    public sealed class FramebufferInfo
    {
        public ulong Address;
        public uint Pitch;
        public uint Width;
        public uint Height;
        public byte BitsPerPixel;
        public byte RedPosition, RedSize;
        public byte GreenPosition, GreenSize;
        public byte BluePosition, BlueSize;
    }
}
