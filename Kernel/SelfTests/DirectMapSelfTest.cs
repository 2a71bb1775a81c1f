using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Boot;

using Cowbird.Mm;

namespace Cowbird.Kernel.SelfTests
{
    // The memory layout: the direct map covers all RAM and maps each physical
    // page to the right frame (checked by walking the page tables and by
    // writing through one mapping and reading through another); the low
    // identity map is gone; kernel stack guard pages are unmapped.
    public sealed unsafe class DirectMapSelfTest : SelfTest
    {
        public override string Name => "directmap";

        private static ulong s_probe;

        public override bool Run(BootInfo bootInfo)
        {
            ulong highestPage = bootInfo.HighestAvailableAddress - Page.Size;
            KernelConsole.Write("  highest RAM page: physical ");
            KernelConsole.WriteHex(highestPage);
            KernelConsole.Write('\n');
            bool ok = Check(KernelLayout.DirectMapSize >= bootInfo.HighestAvailableAddress, "the direct map reaches the end of RAM");
            ok &= Check(ReadsBackThroughDirectMap(highestPage), "write/read the highest RAM page through the direct map");
            ok &= Check(TranslatesTo(highestPage), "the page tables map the direct-map address of that page to it");
            ok &= Check(TranslatesTo(bootInfo.HighestAvailableAddress / 2 & ~(Page.Size - 1)), "... and of a page in the middle of RAM");

            fixed (ulong* probe = &s_probe)
            {
                *probe = 0x0DDBA11C0FFEE;
                ulong* alias = (ulong*)KernelLayout.PhysicalToVirtual(KernelLayout.VirtualToPhysical(probe));
                ok &= Check(*alias == 0x0DDBA11C0FFEE, "a kernel variable reads the same through the direct map");
            }
            ok &= Check(!KernelPageTable.Translate(0, out _), "virtual address 0 is not mapped (no identity map)");
            KernelStack bootStack = KernelStacks.Containing(Cpu.FramePointer(), 8);
            ok &= Check(bootStack != null && !KernelPageTable.Translate(bootStack.GuardPage, out _), "the current kernel stack's guard page is unmapped");
            return ok;
        }

        // Writes two patterns to the page's first and last word through the direct map and reads them back.
        private static bool ReadsBackThroughDirectMap(ulong physical)
        {
            ulong* first = (ulong*)KernelLayout.PhysicalToVirtual(physical);
            ulong* last = first + Page.Size / sizeof(ulong) - 1;
            *first = 0x5555AAAA5555AAAA ^ physical;
            *last = ~physical;
            return *first == (0x5555AAAA5555AAAA ^ physical) && *last == ~physical;
        }

        private static bool TranslatesTo(ulong physical) =>
            KernelPageTable.Translate((ulong)KernelLayout.PhysicalToVirtual(physical), out ulong mapped) && mapped == physical;
    }
}
