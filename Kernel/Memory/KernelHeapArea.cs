using Cowbird.Mm;
using Cowbird.Mm.Physical;

namespace Cowbird.Kernel.Memory
{
    // Where the kernel heap grows (kernel_heap_grow, kernel_heap_release): single frames
    // mapped one after another in a kernel window (PML4 entry 509, 0xFFFFFE80_00000000),
    // so a heap segment is contiguous in virtual memory without being contiguous in
    // physical memory. Reclaim frees single frames, scattered wherever user pages were;
    // asking the buddy allocator for a large block would fail on fragmented RAM however
    // much reclaim could free.
    // A region occupies whole 2 MiB slots of the window (one page table each, freed with
    // the region), found first fit; its pages are mapped from the start of its first slot.
    public static unsafe class KernelHeapArea
    {
        public const ulong Base = 0xFFFFFE8000000000UL;
        private const int Pml4Index = 509;
        private const ulong SlotSize = 2UL << 20;
        private const int MaxSlots = 16384;         // 32 GiB of heap
        public const ulong End = Base + MaxSlots * SlotSize;

        private static KernelPageWindow s_window;
        private static readonly bool[] s_used = new bool[MaxSlots];

        public static void Initialize()
        {
            s_window = new KernelPageWindow(Pml4Index);
        }

        // Maps a region of `preferredBytes` (page multiple), or as much as the frames allow
        // but at least `minimumBytes`; null when not even that. `mayReclaim`: the frames may
        // come from reclaiming user pages (KernelMemory.AllocateKernelFrame).
        public static byte* Grow(ulong minimumBytes, ulong preferredBytes, bool mayReclaim, out ulong grantedBytes)
        {
            grantedBytes = 0;
            int first = FindFreeSlots(SlotsFor(preferredBytes));
            if (first < 0)
                return null;
            ulong start = Base + (ulong)first * SlotSize;
            ulong mapped = 0;
            while (mapped < preferredBytes && MapOne(start + mapped, mayReclaim))
                mapped += Page.Size;
            if (mapped < minimumBytes)
            {
                UnmapRange(start, mapped);
                return null;
            }
            for (int slot = first; slot < first + SlotsFor(mapped); slot++)
                s_used[slot] = true;
            grantedBytes = mapped;
            return (byte*)start;
        }

        // Unmaps a region Grow returned and frees its frames and page tables.
        public static void Release(byte* start, ulong bytes)
        {
            ulong address = (ulong)start;
            int first = (int)((address - Base) / SlotSize);
            if (address < Base || (address - Base) % SlotSize != 0 || first + SlotsFor(bytes) > MaxSlots || !s_used[first])
                Panic.Halt("KernelHeapArea.Release: not a region of the heap area");
            UnmapRange(address, bytes);
            for (int slot = first; slot < first + SlotsFor(bytes); slot++)
                s_used[slot] = false;
        }

        // Maps one fresh frame at `address`; false when there is none.
        private static bool MapOne(ulong address, bool mayReclaim)
        {
            ulong pfn = KernelMemory.AllocateKernelFrame(mayReclaim);
            if (pfn == FrameAllocator.NoFrame)
                return false;
            if (s_window.Map(address, pfn, mayReclaim))
                return true;
            KernelMemory.FreeKernelFrame(pfn);
            return false;
        }

        // Unmaps [start, start + bytes) and frees the frames, then the page tables of its slots.
        private static void UnmapRange(ulong start, ulong bytes)
        {
            for (ulong offset = 0; offset < bytes; offset += Page.Size)
                KernelMemory.FreeKernelFrame(s_window.Unmap(start + offset));
            for (ulong slot = start; slot < start + bytes; slot += SlotSize)
                s_window.FreePageTable(slot);
        }

        private static int SlotsFor(ulong bytes) => (int)((bytes + SlotSize - 1) / SlotSize);

        // The first of `count` consecutive free slots, or -1.
        private static int FindFreeSlots(int count)
        {
            int run = 0;
            for (int slot = 0; slot < MaxSlots; slot++)
            {
                run = s_used[slot] ? 0 : run + 1;
                if (run == count)
                    return slot + 1 - count;
            }
            return -1;
        }
    }
}
