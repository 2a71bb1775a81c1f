using Cowbird.Mm.Platform;

namespace Cowbird.Benchmarks
{
    // The RAM seam with a counter: every access Kernel.Mm makes to physical memory
    // (a page-table word, a frame zeroed or copied) goes through Pointer once, so the
    // count over an rmap walk is the number of page-table words that walk read.
    public sealed unsafe class CountingPhysicalMemory : PhysicalMemory
    {
        readonly PhysicalMemory ram;
        public long Accesses;

        public CountingPhysicalMemory(PhysicalMemory real) { ram = real; }

        public override byte* Pointer(ulong physicalAddress, ulong length)
        {
            Accesses++;
            return ram.Pointer(physicalAddress, length);
        }
    }
}
