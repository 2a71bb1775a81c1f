using Cowbird.Kernel.Arch.X64;
using Cowbird.Mm.Platform;
using Cowbird.Mm.Paging;

namespace Cowbird.Kernel.Memory
{
    // The TLB seam on one CPU: only the loaded address space can have TLB entries
    // (CR3 reloads flush the others, no PCIDs), so a change to another PML4 needs nothing.
    public sealed class HardwareTlb : Tlb
    {
        public override void InvalidatePage(ulong pml4, ulong virtualAddress)
        {
            if (IsLoaded(pml4))
                Cpu.InvalidatePage(virtualAddress);
        }

        public override void FlushAll(ulong pml4)
        {
            if (IsLoaded(pml4))
                UserModeCpu.WriteCr3(Cpu.ReadCr3());
        }

        private static bool IsLoaded(ulong pml4) => (Cpu.ReadCr3() & Pte.FrameMask) == pml4;
    }
}
