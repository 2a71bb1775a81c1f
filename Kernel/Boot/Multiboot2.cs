using Cowbird.Kernel.Arch.X64;

namespace Cowbird.Kernel.Boot
{
    // Reads the Multiboot2 boot information, as GRUB's `multiboot2` command
    // passes it: {uint totalSize; uint reserved;} then 8-byte aligned tags
    // {uint type; uint size; ...}, ending with a tag of type 0.
    public static unsafe class Multiboot2
    {
        public const uint BootloaderMagic = 0x36D76289;

        private const uint TagEnd = 0;
        private const uint TagCommandLine = 1;
        private const uint TagMemoryMap = 6;
        private const uint TagModule = 3;               // {type, size, uint start, uint end, string}
        private const uint TagFramebuffer = 8;
        // {type, size, ulong address, uint pitch, uint width, uint height, byte bpp, byte type,
        //  ushort reserved, then for RGB: byte position and size of red, green, blue}
        private const int FramebufferTypeOffset = 29;
        private const int FramebufferColorOffset = 32;
        private const byte FramebufferTypeRgb = 1;
        private const byte FramebufferTypeEgaText = 2;

        private const int TagHeaderSize = 8;
        private const uint RegionTypeAvailable = 1;
        private const uint MinimumEntrySize = 24;

        // Parses the information at physical address `infoPhysical`.
        public static BootInfo Parse(ulong infoPhysical)
        {
            byte* info = KernelLayout.PhysicalToVirtual(infoPhysical);
            uint totalSize = *(uint*)info;
            BootInfo bootInfo = new BootInfo("multiboot2");
            byte* tag = info + 8;
            while (tag < info + totalSize)
            {
                uint type = *(uint*)tag;
                uint size = *(uint*)(tag + 4);
                if (type == TagEnd)
                    break;
                if (type == TagCommandLine)
                    bootInfo.CommandLine = CommandLine.FromCString(tag + TagHeaderSize);
                else if (type == TagMemoryMap)
                    ParseMemoryMap(bootInfo, tag, size);
                else if (type == TagModule)
                    bootInfo.AddModule(*(uint*)(tag + 8), *(uint*)(tag + 12));
                else if (type == TagFramebuffer)
                    ParseFramebuffer(bootInfo, tag);
                tag += (size + 7) & ~7u;
            }
            bootInfo.InfoStart = infoPhysical;
            bootInfo.InfoEnd = infoPhysical + totalSize;
            return bootInfo;
        }

        private static void ParseFramebuffer(BootInfo bootInfo, byte* tag)
        {
            byte kind = tag[FramebufferTypeOffset];
            bootInfo.HasTextScreen = kind == FramebufferTypeEgaText;
            if (kind != FramebufferTypeRgb)
                return;
            byte* color = tag + FramebufferColorOffset;
            bootInfo.Framebuffer = new FramebufferInfo
            {
                Address = *(ulong*)(tag + 8),
                Pitch = *(uint*)(tag + 16),
                Width = *(uint*)(tag + 20),
                Height = *(uint*)(tag + 24),
                BitsPerPixel = tag[28],
                RedPosition = color[0], RedSize = color[1],
                GreenPosition = color[2], GreenSize = color[3],
                BluePosition = color[4], BlueSize = color[5],
            };
        }

        // The map tag: {type, size, uint entrySize, uint entryVersion} then entries
        // {ulong base; ulong length; uint type; uint reserved}.
        private static void ParseMemoryMap(BootInfo bootInfo, byte* tag, uint size)
        {
            uint entrySize = *(uint*)(tag + 8);
            if (entrySize < MinimumEntrySize)
            {
                KernelConsole.WriteLine("warning: multiboot2 memory map has a bad entry size; ignored");
                return;
            }
            for (byte* entry = tag + 16; entry + entrySize <= tag + size; entry += entrySize)
                bootInfo.AddMemoryRegion(*(ulong*)entry, *(ulong*)(entry + 8), *(uint*)(entry + 16) == RegionTypeAvailable);
        }
    }
}
