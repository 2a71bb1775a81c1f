using Cowbird.Kernel.Arch.X64;
using Cowbird.Mm.Platform;

namespace Cowbird.Kernel.Memory
{
    // Kernel.Mm's view of physical memory: the direct map (physical p at DirectMapBase + p).
    public sealed unsafe class DirectMapPhysicalMemory : PhysicalMemory
    {
        public override byte* Pointer(ulong physicalAddress, ulong length)
        {
            return KernelLayout.PhysicalToVirtual(physicalAddress);
        }
    }
}
