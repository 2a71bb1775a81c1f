using Cowbird.Kernel.Arch.X64;
using Cowbird.Mm.Platform;

namespace Cowbird.Kernel.Memory
{
    // AddressSpace.Activate: load CR3 (skipped when it is loaded already, which would
    // only flush the TLB for nothing).
    public sealed class Cr3Switcher : AddressSpaceSwitcher
    {
        public override void SwitchTo(ulong pml4)
        {
            if (Cpu.ReadCr3() != pml4)
                UserModeCpu.WriteCr3(pml4);
        }
    }
}
