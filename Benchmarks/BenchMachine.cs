using Cowbird.Mm;
using Cowbird.Mm.Physical;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Swap;
using Cowbird.Mm.Vm;
using Cowbird.Tests.Host;
using Cowbird.Tests.Host.Swap;

namespace Cowbird.Benchmarks
{
    // A host machine for benchmarks, built from the same pieces as Tests.Host's
    // TestMachine (HostPhysicalMemory, SoftMmu, HostPanicHandler) but without xunit and
    // without invariant checks: errors throw InvalidOperationException. `swapPages` > 0
    // attaches a RamDisk swap device of that many pages (ReclaimBenchmarks).
    public sealed class BenchMachine : System.IDisposable
    {
        public readonly HostPhysicalMemory Ram;
        public readonly CountingPhysicalMemory Counted;
        public readonly FrameAllocator Frames;
        public readonly SoftMmu Mmu;
        public readonly MemoryManager Manager;

        // `offsets`: where anonymous page offsets come from (Reserve only under the anon_vma
        // designs).
        public BenchMachine(int frames, RmapDesign design = RmapDesign.AnonVmaChain, int swapPages = 0,
                            AnonOffsets offsets = AnonOffsets.Linear)
        {
            HostPanicHandler.Install();
            Ram = new HostPhysicalMemory((ulong)(frames + 1) * Page.Size);
            Counted = new CountingPhysicalMemory(Ram);
            var map = new MemoryMap();
            map.Add(Page.Size, (ulong)frames * Page.Size);
            Frames = new FrameAllocator(map);
            Mmu = new SoftMmu(Counted);
            Manager = new MemoryManager(Counted, Frames, Mmu.Tlb, Mmu.Switcher, null);
            if (design != RmapDesign.AnonVmaChain)
                Manager.SetReverseMap(RmapDesigns.Create(design, Manager));
            if (Manager.SetAnonOffsets(offsets) != Errno.None)
                throw new System.InvalidOperationException("offsets " + AnonOffsetModes.Name(offsets) + " refused");
            if (swapPages > 0)
                AttachRamDiskSwap(swapPages);
        }

        // A formatted RamDisk of `pages` pages, swapped on and attached.
        unsafe void AttachRamDiskSwap(int pages)
        {
            var swap = new SwapSpace(Frames.EndFrame);
            using var scratch = new PageBuffer();
            int result = swap.SwapOn(SwapDisks.Formatted((ulong)pages), scratch.Pointer, out _, out SwapHeaderStatus status);
            if (result != 0)
                throw new System.InvalidOperationException("swapon failed: " + result + " " + status);
            Manager.AttachSwap(swap);
        }

        public AddressSpace NewSpace()
        {
            return AddressSpace.Create(Manager) ?? throw new System.InvalidOperationException("AddressSpace.Create failed");
        }

        public AddressSpace Fork(AddressSpace parent)
        {
            Errno e = parent.Fork(out AddressSpace child);
            if (e != Errno.None)
                throw new System.InvalidOperationException("fork failed: " + e);
            return child;
        }

        // A private read/write anonymous mapping of `pages` pages at `address`.
        public void MapFixed(AddressSpace space, ulong address, int pages)
        {
            long r = space.Mmap(address, (ulong)pages * Page.Size, Protection.Read | Protection.Write,
                                MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed);
            if (r != (long)address)
                throw new System.InvalidOperationException("mmap failed: " + r);
        }

        // One user write to the first byte of each of `pages` pages from `address`.
        public void Touch(AddressSpace space, ulong address, int pages, byte value)
        {
            Mmu.Enter(space);
            for (int i = 0; i < pages; i++)
                Mmu.WriteByte(address + (ulong)i * Page.Size, value);
        }

        // Reads one byte of each of `pages` pages from `address` in `space`.
        public void Read(AddressSpace space, ulong address, int pages)
        {
            Mmu.Enter(space);
            for (int i = 0; i < pages; i++)
                Mmu.ReadByte(address + (ulong)i * Page.Size);
        }

        public void Dispose()
        {
            Ram.Dispose();
        }
    }
}
