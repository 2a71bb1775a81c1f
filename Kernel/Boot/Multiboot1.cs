using Cowbird.Kernel.Arch.X64;

namespace Cowbird.Kernel.Boot
{
    // Reads the Multiboot (version 1) information structure, as QEMU -kernel
    // passes it. Layout: Multiboot Specification 0.6.96, section 3.3.
    public static unsafe class Multiboot1
    {
        public const uint BootloaderMagic = 0x2BADB002;

        private const uint FlagCommandLine = 1 << 2;
        private const uint FlagMemoryMap = 1 << 6;
        private const uint FlagModules = 1 << 3;
        private const int ModuleCountOffset = 20;
        private const int ModuleAddressOffset = 24;
        private const int ModuleEntrySize = 16;         // {uint start, end, string, reserved}
        private const int InfoSize = 120;

        private const int FlagsOffset = 0;
        private const int CommandLineOffset = 16;
        private const int MemoryMapLengthOffset = 44;
        private const int MemoryMapAddressOffset = 48;

        private const uint RegionTypeAvailable = 1;

        // Parses the structure at physical address `infoPhysical`.
        public static BootInfo Parse(ulong infoPhysical)
        {
            byte* info = KernelLayout.PhysicalToVirtual(infoPhysical);
            uint flags = *(uint*)(info + FlagsOffset);
            BootInfo bootInfo = new BootInfo("multiboot1");
            if ((flags & FlagCommandLine) != 0)
                bootInfo.CommandLine = CommandLine.FromCString(KernelLayout.PhysicalToVirtual(*(uint*)(info + CommandLineOffset)));
            if ((flags & FlagMemoryMap) != 0)
                ParseMemoryMap(bootInfo, *(uint*)(info + MemoryMapAddressOffset), *(uint*)(info + MemoryMapLengthOffset));
            if ((flags & FlagModules) != 0 && *(uint*)(info + ModuleCountOffset) > 0)
            {
                byte* module = KernelLayout.PhysicalToVirtual(*(uint*)(info + ModuleAddressOffset));
                bootInfo.AddModule(*(uint*)module, *(uint*)(module + 4));
            }
            bootInfo.InfoStart = infoPhysical;
            bootInfo.InfoEnd = infoPhysical + InfoSize;
            return bootInfo;
        }

        // Entries are {uint size; ulong base; ulong length; uint type}, where `size`
        // counts the bytes after itself, so the next entry is at entry + size + 4.
        private static void ParseMemoryMap(BootInfo bootInfo, uint mapPhysical, uint mapLength)
        {
            byte* entry = KernelLayout.PhysicalToVirtual(mapPhysical);
            byte* end = entry + mapLength;
            while (entry < end)
            {
                uint size = *(uint*)entry;
                ulong baseAddress = *(ulong*)(entry + 4);
                ulong length = *(ulong*)(entry + 12);
                uint type = *(uint*)(entry + 20);
                bootInfo.AddMemoryRegion(baseAddress, length, type == RegionTypeAvailable);
                entry += size + sizeof(uint);
            }
        }
    }
}
