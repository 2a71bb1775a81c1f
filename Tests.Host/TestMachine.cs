using System.Collections.Generic;
using Cowbird.Mm;
using Cowbird.Mm.Physical;
using Cowbird.Mm.Platform;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Swap;
using Cowbird.Mm.Vm;
using Cowbird.Tests.Host.Swap;
using Xunit;

namespace Cowbird.Tests.Host
{
    // A whole host "machine" for a test: native memory standing in for RAM, a buddy
    // allocator over it, a SoftMmu as the CPU (its TLB and CR3 seams go to the MM), and
    // the MemoryManager. Keeps the live address spaces so the invariant checker and the
    // leak check can see all of them.
    //
    //   using var m = new TestMachine(frames: 256);
    //   var a = m.NewSpace();
    //   long p = a.Mmap(0, 4 * Page.Size, Protection.Read | Protection.Write, MapFlags.Private | MapFlags.Anonymous);
    //   m.Write(a, (ulong)p, 42);          // faults through SoftMmu -> FaultHandler
    //   var b = m.Fork(a);
    //   m.Check();                         // invariants after every step
    //   // Dispose: destroys every space and asserts every frame is free again
    public sealed class TestMachine : System.IDisposable
    {
        public readonly HostPhysicalMemory Ram;
        public readonly FrameAllocator Frames;
        public readonly SoftMmu Mmu;
        public readonly MemoryManager Manager;
        public readonly List<AddressSpace> Spaces = new List<AddressSpace>();
        public readonly ulong InitialFreeFrames;
        // The swap device (a formatted RamDisk with I/O counters and error injection) and
        // the swap space attached to the MemoryManager, or null when built without swap.
        public readonly RamDisk SwapDisk;
        public readonly SwapSpace Swap;
        // References to a frame held by something other than a PTE (swap cache, pins), for
        // the invariant checker's "RefCount = MapCount + others"; null means none exist.
        public System.Func<ulong, int> ExtraReferences;
        // The reverse-mapping design this machine runs, and where its anonymous page
        // offsets come from.
        public readonly RmapDesign Design;
        public readonly AnonOffsets Offsets;
        bool leakChecked;

        // RAM with `frames` usable frames starting at physical frame 1 (frame 0 is never
        // usable). `tlbForTest` may wrap the SoftMmu's TLB seam (e.g. to drop invalidations).
        // `swapPages` > 0 attaches a swap device of that many pages (header included).
        // `rmap` chooses the reverse-mapping design (default: anon_vma + anon_vma_chain);
        // `offsets` the anonymous page offsets (default: OffsetsFromEnvironment).
        public unsafe TestMachine(int frames = 512, System.Func<Tlb, Tlb> tlbForTest = null, int swapPages = 0,
                                  RmapDesign rmap = RmapDesign.AnonVmaChain, AnonOffsets? offsets = null)
        {
            HostPanicHandler.Install();
            Ram = new HostPhysicalMemory((ulong)(frames + 1) * Page.Size);
            var map = new MemoryMap();
            map.Add(Page.Size, (ulong)frames * Page.Size);
            Frames = new FrameAllocator(map);
            Mmu = new SoftMmu(Ram);
            Tlb tlb = tlbForTest == null ? Mmu.Tlb : tlbForTest(Mmu.Tlb);
            Manager = new MemoryManager(Ram, Frames, tlb, Mmu.Switcher, null);
            // Tests that count each copied PTE expect fork to copy; the shared-table tests
            // and the model runs turn sharing on themselves.
            Manager.SharePageTables = false;
            if (rmap != RmapDesign.AnonVmaChain)
                Manager.SetReverseMap(RmapDesigns.Create(rmap, Manager));
            Design = rmap;
            Offsets = offsets ?? OffsetsFromEnvironment(Manager.Rmap);
            Assert.Equal(Errno.None, Manager.SetAnonOffsets(Offsets));
            InitialFreeFrames = Frames.FreeFrames;
            if (swapPages > 0)
            {
                SwapDisk = SwapDisks.Formatted((ulong)swapPages);
                Swap = new SwapSpace(Frames.EndFrame);
                using var scratch = new PageBuffer();
                Assert.Equal(0, Swap.SwapOn(SwapDisk, scratch.Pointer, out int type, out SwapHeaderStatus status));
                SwapDisk.Reads = 0;
                Manager.AttachSwap(Swap);
            }
        }

        // The offsets COWBIRD_RMAP_OFFSETS names (an AnonOffsetModes.Name: linear or
        // reserve) for a design that finds pages by offset; Linear when unset and for the
        // other designs. So `COWBIRD_RMAP_OFFSETS=reserve dotnet test Tests.Host` runs the
        // whole suite with reservations under both anon_vma designs.
        public static AnonOffsets OffsetsFromEnvironment(ReverseMap rmap)
        {
            string name = System.Environment.GetEnvironmentVariable("COWBIRD_RMAP_OFFSETS");
            if (string.IsNullOrEmpty(name) || !rmap.UsesPageOffsets)
                return AnonOffsets.Linear;
            for (int i = 0; i < AnonOffsetModes.Count; i++)
                if (AnonOffsetModes.Name((AnonOffsets)i) == name)
                    return (AnonOffsets)i;
            throw new System.ArgumentException("COWBIRD_RMAP_OFFSETS names no mode: " + name);
        }

        // A fresh empty address space, tracked for checks.
        public AddressSpace NewSpace()
        {
            AddressSpace space = AddressSpace.Create(Manager);
            Assert.NotNull(space);
            Spaces.Add(space);
            return space;
        }

        // fork of `parent`, tracked for checks; asserts it succeeded.
        public AddressSpace Fork(AddressSpace parent)
        {
            AddressSpace child;
            Assert.Equal(Errno.None, parent.Fork(out child));
            Spaces.Add(child);
            return child;
        }

        // exit: destroys `space`.
        public void Exit(AddressSpace space)
        {
            Assert.True(Spaces.Remove(space));
            space.Destroy();
        }

        // Overcommit mode 1 (vm.overcommit_memory=1): for tests that map more than RAM and
        // swap on purpose, to run out of frames at fault time rather than at mmap.
        public void AllowOvercommit()
        {
            Assert.Equal(Errno.None, Manager.Commit.SetMode((ulong)OvercommitMode.Always));
        }

        // Private anonymous read/write mapping of `pages` pages anywhere; returns its address.
        public ulong MapAnonymous(AddressSpace space, int pages, Protection prot = Protection.Read | Protection.Write)
        {
            long address = space.Mmap(0, (ulong)pages * Page.Size, prot, MapFlags.Private | MapFlags.Anonymous);
            Assert.True(address > 0, "mmap failed: " + address);
            return (ulong)address;
        }

        // Shared anonymous mapping (MAP_SHARED|MAP_ANONYMOUS) of `pages` pages anywhere; returns its address.
        public ulong MapShared(AddressSpace space, int pages, Protection prot = Protection.Read | Protection.Write)
        {
            long address = space.Mmap(0, (ulong)pages * Page.Size, prot, MapFlags.Shared | MapFlags.Anonymous);
            Assert.True(address > 0, "mmap failed: " + address);
            return (ulong)address;
        }

        // User-mode accesses of `space`, through the SoftMmu.
        public byte Read(AddressSpace space, ulong address) { Mmu.Enter(space); return Mmu.ReadByte(address); }
        public void Write(AddressSpace space, ulong address, byte value) { Mmu.Enter(space); Mmu.WriteByte(address, value); }
        public ulong ReadU64(AddressSpace space, ulong address) { Mmu.Enter(space); return Mmu.ReadU64(address); }
        public void WriteU64(AddressSpace space, ulong address, ulong value) { Mmu.Enter(space); Mmu.WriteU64(address, value); }
        public FaultResult TryAccess(AddressSpace space, ulong address, AccessKind kind) { Mmu.Enter(space); return Mmu.TryAccess(address, kind); }

        // Runs the invariant checker over the whole machine (throws on a violation).
        public void Check()
        {
            Invariants.Check(this);
        }

        // Exits every remaining space and asserts all frames are free again.
        public void AssertNoLeaks()
        {
            leakChecked = true;
            while (Spaces.Count > 0)
                Exit(Spaces[Spaces.Count - 1]);
            Check();
            Assert.Equal(0UL, Manager.Stat.PageTablePages);
            Assert.Equal(0, Manager.LiveVmas);
            Assert.Equal(0, Manager.LiveSharedObjects);
            Assert.Equal(InitialFreeFrames, Frames.FreeFrames);
            Assert.Empty(Mmu.StaleEntries());
            Assert.Equal(0UL, Manager.Lru.ActiveCount + Manager.Lru.InactiveCount);
            if (Swap != null)
            {
                Assert.Equal(Swap.TotalSlots, Swap.FreeSlots);
                Assert.Equal(0UL, Swap.Cache.Count);
            }
        }

        public void Dispose()
        {
            try
            {
                // Every scenario ends with the leak check, even if the test forgot it.
                // (If the test failed earlier, this check may report a follow-on error.)
                if (!leakChecked)
                    AssertNoLeaks();
            }
            finally
            {
                Ram.Dispose();
            }
        }
    }
}
