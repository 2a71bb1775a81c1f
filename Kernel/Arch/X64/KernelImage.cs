using System.Runtime;
using System.Runtime.CompilerServices;

namespace Cowbird.Kernel.Arch.X64
{
    // The kernel image's segments as the linker placed them (linker.ld) and the boot
    // page tables protect them (Boot.S, W^X):
    //   [TextStart, RodataStart)   text: read-only, executable
    //   [RodataStart, DataStart)   rodata: read-only, no-execute
    //   DataStart ..               data and bss: writable, no-execute
    // Each boundary is page-aligned (the linker script asserts it).
    public static class KernelImage
    {
        public const ulong TextStart = KernelLayout.KernelVirtualBase + KernelLayout.KernelPhysicalStart;

        [RuntimeImport("kernel_rodata_start_address")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern ulong RodataStartAddress();

        [RuntimeImport("kernel_data_start_address")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern ulong DataStartAddress();

        public static ulong RodataStart => RodataStartAddress();

        public static ulong DataStart => DataStartAddress();

        public static bool IsText(ulong address) => address >= TextStart && address < RodataStart;

        public static bool IsRodata(ulong address) => address >= RodataStart && address < DataStart;
    }
}
