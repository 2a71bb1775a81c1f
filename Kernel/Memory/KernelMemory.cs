using Cowbird.Kernel.Drivers;
using System.Runtime;
using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Boot;
using Cowbird.Mm;
using Cowbird.Mm.Paging;
using Cowbird.Mm.Physical;
using Cowbird.Runtime;

namespace Cowbird.Kernel.Memory
{
    // Brings Kernel.Mm up on the real machine (Kernel.Mm/README.md, "Booting it in the kernel"):
    //   1. usable RAM from the boot loader's map, minus what is taken already: the first
    //      MiB (BIOS data, the loader's structures), the kernel image with its .bss (boot
    //      page tables, boot stack, first heap), the boot information and the initrd;
    //   2. a slice of that RAM becomes more GC heap, big enough for the frame descriptors
    //      (a managed array the first 8 MiB heap cannot hold on large machines);
    //   3. the frame allocator over the rest, the MemoryManager with the seams, and
    //      kernel_heap_grow / kernel_heap_release backed by KernelHeapArea.
    // Every user PML4 gets a copy of the kernel's PML4 entries 256..511; so kernel-half
    // tables made later (KernelStackArea) must exist before the first address space.
    public static unsafe class KernelMemory
    {
        private const ulong LowMemoryEnd = 0x100000;
        // Heap room beyond the descriptors, so the kernel's own allocations rarely need to grow
        // the heap when user memory has taken every frame (out of memory, before the OOM kill):
        // 1/32 of RAM, at least 256 KiB and at most 4 MiB, so a small machine keeps its RAM.
        private const ulong MinimumDescriptorSlack = 256UL << 10;
        private const ulong MaximumDescriptorSlack = 4UL << 20;
        private const ulong SlackFraction = 32;

        // The least RAM Cowbird runs in (QEMU -m; Tests.Boot boots it there and forks):
        // the kernel image, the initrd of the default system (about 2 MiB), the frame descriptors
        // and their slack, and MinimumUserFrames.
        // Below it the kernel says so in one line and powers off with ExitStatus.TooLittleMemory.
        public const ulong MinimumRamMiB = 10;
        private const ulong MinimumUserFrames = 256;

        // What the kernel itself took at boot, for the banner.
        public static ulong ImageBytes { get; private set; }
        public static ulong DescriptorRegionBytes { get; private set; }

        private static MemoryManager s_manager;
        private static FrameAllocator s_frames;
        private static ulong s_kernelPml4;

        public static MemoryManager Manager => s_manager;

        // Physical address of the kernel's own PML4 (the boot tables): loaded while no
        // process runs, e.g. before a dying process's address space is destroyed.
        public static ulong KernelPml4 => s_kernelPml4;

        [RuntimeImport("__kernel_end_address")]
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.InternalCall)]
        private static extern ulong KernelEndAddress();

        public static void Initialize(BootInfo bootInfo)
        {
            Mm.Mm.SetPanicHandler(new MmPanicHandler());
            s_kernelPml4 = Cpu.ReadCr3() & Pte.FrameMask;
            MemoryMap map = UsableMemory(bootInfo);
            map = GiveDescriptorRoomToHeap(map, bootInfo);
            // The initrd's frames get descriptors too: they join the allocator once unpacked.
            FrameAllocator frames = new FrameAllocator(map, new MemoryRange(bootInfo.InitrdStart, bootInfo.InitrdEnd - bootInfo.InitrdStart));
            s_frames = frames;
            ulong[] kernelHalf = new ulong[PageTable.EntriesPerTable - PageTable.KernelHalfFirstEntry];
            KernelStackArea.Initialize();
            KernelHeapArea.Initialize();
            ulong* pml4 = (ulong*)KernelLayout.PhysicalToVirtual(s_kernelPml4);
            for (int i = 0; i < kernelHalf.Length; i++)
                kernelHalf[i] = pml4[PageTable.KernelHalfFirstEntry + i];
            s_manager = new MemoryManager(new DirectMapPhysicalMemory(), frames, new HardwareTlb(), new Cr3Switcher(), kernelHalf);
        }

        // Usable RAM minus the reserved ranges.
        private static MemoryMap UsableMemory(BootInfo bootInfo)
        {
            ulong kernelEnd = KernelLayout.VirtualToPhysical((void*)KernelEndAddress());
            ImageBytes = kernelEnd - KernelLayout.KernelPhysicalStart;
            const int reservedCount = 5;
            ulong* reservedStart = stackalloc ulong[reservedCount];
            ulong* reservedEnd = stackalloc ulong[reservedCount];
            reservedStart[0] = 0; reservedEnd[0] = LowMemoryEnd;
            reservedStart[1] = KernelLayout.KernelPhysicalStart; reservedEnd[1] = kernelEnd;
            reservedStart[2] = Page.AlignDown(bootInfo.InitrdStart); reservedEnd[2] = AlignUp(bootInfo.InitrdEnd);
            reservedStart[3] = Page.AlignDown(bootInfo.InfoStart); reservedEnd[3] = AlignUp(bootInfo.InfoEnd);
            reservedStart[4] = 0; reservedEnd[4] = 0;
            if (bootInfo.CommandLine.Text != null)
            {
                ulong text = KernelLayout.VirtualToPhysical(bootInfo.CommandLine.Text);
                reservedStart[4] = Page.AlignDown(text);
                reservedEnd[4] = AlignUp(text + (ulong)bootInfo.CommandLine.Length + 1);
            }
            MemoryMap map = new MemoryMap();
            for (int i = 0; i < bootInfo.MemoryRegionCount; i++)
            {
                MemoryRegion region = bootInfo.MemoryRegions[i];
                if (region.IsAvailable)
                    AddWithout(map, region.Base, region.Base + region.Length, reservedStart, reservedEnd, reservedCount);
            }
            return map;
        }

        // Adds [start, end) minus the reserved ranges (recursively splitting around each).
        private static void AddWithout(MemoryMap map, ulong start, ulong end, ulong* rStart, ulong* rEnd, int count)
        {
            for (int i = 0; i < count; i++)
            {
                if (rEnd[i] <= start || rStart[i] >= end || rEnd[i] <= rStart[i])
                    continue;
                if (rStart[i] > start)
                    AddWithout(map, start, rStart[i], rStart, rEnd, count);
                if (rEnd[i] < end)
                    AddWithout(map, rEnd[i], end, rStart, rEnd, count);
                return;
            }
            if (end > start && !map.Add(start, end - start))
                KernelConsole.WriteLine("warning: memory map full; some RAM unused");
        }

        // Takes room for the frame descriptors (+ slack) from the largest range, hands it
        // to the GC heap for good, and returns the map without it. On a machine too small
        // for that and MinimumUserFrames more, stops with TooLittleMemory.
        private static MemoryMap GiveDescriptorRoomToHeap(MemoryMap map, BootInfo bootInfo)
        {
            ulong lowest = ulong.MaxValue, highest = 0;
            int largest = -1;
            for (int i = 0; i < map.Count; i++)
            {
                MemoryRange range = map[i];
                if (range.Base < lowest) lowest = range.Base;
                if (range.Base + range.Length > highest) highest = range.Base + range.Length;
                if (largest < 0 || range.Length > map[largest].Length)
                    largest = i;
            }
            if (largest < 0)
                StopTooSmall(bootInfo);
            ulong slack = bootInfo.AvailableMemoryBytes / SlackFraction;
            if (slack < MinimumDescriptorSlack) slack = MinimumDescriptorSlack;
            if (slack > MaximumDescriptorSlack) slack = MaximumDescriptorSlack;
            ulong bytes = AlignUp((highest - lowest) / Page.Size * (ulong)FrameAllocator.DescriptorBytesPerFrame + slack);
            MemoryRange chosen = map[largest];
            ulong start = AlignUp(chosen.Base);
            if (start + bytes + MinimumUserFrames * Page.Size > chosen.Base + chosen.Length)
                StopTooSmall(bootInfo);
            DescriptorRegionBytes = bytes;
            if (!Gc.AddRegion(KernelLayout.PhysicalToVirtual(start), KernelLayout.PhysicalToVirtual(start) + bytes))
                Panic.Halt("KernelMemory: the heap refused the descriptor region");
            MemoryMap rest = new MemoryMap();
            for (int i = 0; i < map.Count; i++)
            {
                MemoryRange range = map[i];
                if (i == largest)
                    rest.Add(start + bytes, range.Base + range.Length - start - bytes);
                else
                    rest.Add(range.Base, range.Length);
            }
            return rest;
        }

        // One line naming the minimum, then power off: not a panic, the kernel is fine.
        private static void StopTooSmall(BootInfo bootInfo)
        {
            KernelConsole.Write("Cowbird needs at least ");
            KernelConsole.WriteDecimal(MinimumRamMiB);
            KernelConsole.Write(" MiB of RAM; this machine has ");
            KernelConsole.WriteDecimal(bootInfo.AvailableMemoryBytes >> 10);
            KernelConsole.WriteLine(" KiB available");
            QemuDebugExit.Exit(ExitStatus.TooLittleMemory);
        }

        private static ulong AlignUp(ulong value) => (value + Page.OffsetMask) & ~Page.OffsetMask;

        // A frame for kernel memory (heap, kernel stacks, their page tables), contents not
        // zeroed; NoFrame when none. With `mayReclaim`, once the memory manager exists, it
        // goes through the same reclaim as user pages (AllocateFrameWithReclaim). Only where
        // no kernel operation is half done: reclaim rewrites user PTEs behind its back.
        public static ulong AllocateKernelFrame(bool mayReclaim)
        {
            if (mayReclaim && s_manager != null)
                return s_manager.AllocateFrameWithReclaim();
            return s_frames.AllocFrame();
        }

        public static void FreeKernelFrame(ulong pfn) => s_frames.Put(pfn);

        // Gives the whole frames of the physical range [start, end), reserved at boot (the
        // initrd, once unpacked), to the frame allocator.
        public static void ReleaseBootMemory(ulong start, ulong end)
        {
            ulong first = AlignUp(start);
            ulong last = Page.AlignDown(end);
            if (first < last)
                s_frames.AddReserved(new MemoryRange(first, last - first));
        }

        // The runtime's hook: a new heap region (see Runtime/Native/GcStubs.S).
        [RuntimeExport("kernel_heap_grow")]
        private static byte* GrowHeap(ulong minimumBytes, ulong preferredBytes, bool mayReclaim, ulong* grantedBytes)
        {
            *grantedBytes = 0;
            if (s_manager == null)
                return null;
            ulong granted;
            byte* region = KernelHeapArea.Grow(AlignUp(minimumBytes), AlignUp(preferredBytes), mayReclaim, out granted);
            *grantedBytes = granted;
            return region;
        }

        // The runtime's hook: a region kernel_heap_grow gave is empty again.
        [RuntimeExport("kernel_heap_release")]
        private static void ReleaseHeap(byte* start, ulong bytes) => KernelHeapArea.Release(start, bytes);
    }
}
