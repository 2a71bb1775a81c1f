using Cowbird.Mm.Physical;
using Cowbird.Mm.Platform;
using Cowbird.Mm.Stats;
using Cowbird.Mm.Vm;

namespace Cowbird.Mm
{
    // Everything an address space needs from the machine, handed over once at boot
    // (or by a host test): physical memory, the frame allocator, the TLB and the
    // address-space switch, the counters, the VMA cache, and the kernel's half of every PML4.
    // There is one MemoryManager per machine; AddressSpaces keep a reference to it.
    public sealed class MemoryManager
    {
        public readonly PhysicalMemory Physical;
        public readonly FrameAllocator Frames;
        public readonly Tlb Tlb;
        public readonly AddressSpaceSwitcher Switcher;
        public readonly VmStat Stat;
        // Every Vma of every address space comes from (and returns to) this cache.
        public readonly VmaCache VmaCache = new VmaCache();
        // Every backing object of a shared anonymous mapping comes from (and returns to) this cache.
        public readonly SharedAnonObjectCache SharedAnonObjects = new SharedAnonObjectCache();

        // PML4 entries 256..511 (the kernel half) copied into every new address space so
        // all of them share the kernel's page tables. Null on the host: no kernel half.
        public readonly ulong[] KernelPml4Entries;

        // Wires the seams together. kernelPml4Entries is null or has exactly 256 entries.
        public MemoryManager(PhysicalMemory physical, FrameAllocator frames, Tlb tlb,
                             AddressSpaceSwitcher switcher, ulong[] kernelPml4Entries)
        {
            if (kernelPml4Entries != null && kernelPml4Entries.Length != 256)
                Mm.Panic("MemoryManager: kernel PML4 half must have 256 entries");
            Physical = physical;
            Frames = frames;
            Tlb = tlb;
            Switcher = switcher;
            KernelPml4Entries = kernelPml4Entries;
            Stat = new VmStat(frames);
        }
    }
}
