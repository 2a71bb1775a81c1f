using Cowbird.Mm;
using Cowbird.Mm.Physical;
using Cowbird.Runtime;

namespace Cowbird.Kernel.Memory
{
    // Process kernel stacks, each with an unmapped guard page below it, in their own
    // kernel window (PML4 entry 510, 0xFFFFFF00_00000000; KernelPageWindow).
    // Slot i occupies [Base + i * SlotSize, + SlotSize): guard page, then the stack;
    // the rest of the slot stays unmapped. The page table of a 2 MiB block (SlotsPerTable
    // slots) goes back when its last stack does, so a crowd of processes leaves none behind.
    // Each stack is a GC root range (Gc.RegisterStack) while it exists: a process
    // switched away holds references only in its saved registers on its stack.
    public static unsafe class KernelStackArea
    {
        public const ulong Base = 0xFFFFFF0000000000UL;
        public const ulong StackSize = 32 * 1024;
        private const ulong SlotSize = 64 * 1024;
        private const int SlotsPerTable = (int)(2 * 1024 * 1024 / SlotSize);
        private const int Pml4Index = 510;
        // 4 GiB of the window: more stacks than ProcessTable allows below 16 GiB of RAM.
        public const int MaxSlots = 65536;

        private static KernelPageWindow s_window;
        // One bit per slot (1 = a stack): 8 KiB, where a bool per slot would take 64 KiB of the
        // heap on a machine that may have only 10 MiB of RAM (KernelMemory.MinimumRamMiB).
        private static readonly ulong[] s_used = new ulong[MaxSlots / 64];

        public static void Initialize()
        {
            s_window = new KernelPageWindow(Pml4Index);
        }

        // Maps a fresh stack and registers it with the collector; returns its top (0 when
        // out of slots, frames or collector stack slots).
        // `limitReached` tells "out of slots" (a process limit) from "out of frames".
        public static ulong Allocate(out bool limitReached)
        {
            limitReached = true;
            int slot = 0;
            while (slot < MaxSlots && IsUsed(slot))
                slot++;
            if (slot == MaxSlots)
                return 0;
            limitReached = false;
            ulong bottom = Base + (ulong)slot * SlotSize + Page.Size;
            for (ulong page = bottom; page < bottom + StackSize; page += Page.Size)
            {
                ulong pfn = KernelMemory.AllocateKernelFrame(false);
                if (pfn == FrameAllocator.NoFrame || !s_window.Map(page, pfn, false))
                {
                    if (pfn != FrameAllocator.NoFrame)
                        KernelMemory.FreeKernelFrame(pfn);
                    UnmapStack(slot, bottom, page);
                    return 0;
                }
            }
            // The collector scans a bounded number of stacks; a stack it would not see could
            // hold the only reference to an object, so no stack rather than an unscanned one.
            if (!Gc.RegisterStack((void*)bottom, (void*)(bottom + StackSize)))
            {
                UnmapStack(slot, bottom, bottom + StackSize);
                limitReached = true;
                return 0;
            }
            s_used[slot / 64] |= 1UL << (slot % 64);
            return bottom + StackSize;
        }

        // Unmaps and frees the stack whose top is `top`. Never the running stack.
        public static void Free(ulong top)
        {
            ulong bottom = top - StackSize;
            int slot = (int)((bottom - Page.Size - Base) / SlotSize);
            if (top == 0 || slot < 0 || slot >= MaxSlots || !IsUsed(slot))
                Panic.Halt("KernelStackArea.Free: not an allocated stack");
            Gc.UnregisterStack((void*)bottom, (void*)top);
            s_used[slot / 64] &= ~(1UL << (slot % 64));
            UnmapStack(slot, bottom, top);
        }

        private static bool IsUsed(int slot) => (s_used[slot / 64] & (1UL << (slot % 64))) != 0;

        // Frees the page table of the block whose first slot is `first` when none of its
        // slots holds a stack (KernelPageWindow.FreePageTable).
        private static void FreeTableIfUnused(int first)
        {
            for (int slot = first; slot < first + SlotsPerTable; slot++)
                if (IsUsed(slot))
                    return;
            s_window.FreePageTable(Base + (ulong)first * SlotSize);
        }

        // True when `address` is in this region (a stack, a guard page or an unused slot).
        public static bool Contains(ulong address) => address >= Base && address < Base + (ulong)MaxSlots * SlotSize;

        // True when `address` is in the guard page of a slot (a process stack overflow).
        public static bool IsGuardPage(ulong address) => Contains(address) && (address - Base) % SlotSize < Page.Size;

        // Unmaps [start, end) of unused `slot` and frees its block's page table if it was the last.
        private static void UnmapStack(int slot, ulong start, ulong end)
        {
            UnmapRange(start, end);
            FreeTableIfUnused(slot - slot % SlotsPerTable);
        }

        private static void UnmapRange(ulong start, ulong end)
        {
            for (ulong page = start; page < end; page += Page.Size)
                KernelMemory.FreeKernelFrame(s_window.Unmap(page));
        }
    }
}
