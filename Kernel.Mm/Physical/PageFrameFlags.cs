namespace Cowbird.Mm.Physical
{
    // State bits of a PageFrame (Linux: page->flags).
    // Bit flags: combine with |.
    public enum PageFrameFlags : uint
    {
        None = 0,
        // The frame is in the buddy allocator (every frame of a free block has it).
        Free = 1 << 0,
        // The frame is the first frame of a free buddy block; PageFrame.Order is its order.
        BuddyHead = 1 << 1,
        // Never handed out: not usable RAM according to the memory map (holes, frame 0).
        Reserved = 1 << 2,
        // Holds a page table (PML4, PDPT, PD or PT) of some address space.
        PageTable = 1 << 3,
        // Holds anonymous user memory (Mapping/Index describe it for the rmap).
        Anonymous = 1 << 4,
        // On an LRU list (Next/Prev are in use). Set by Reclaim.Lru.
        Lru = 1 << 5,
        // On the active rather than the inactive LRU list. Set by Reclaim.Lru.
        Active = 1 << 6,
        // Seen referenced by the last reclaim scan (it earned its place on the active list).
        Referenced = 1 << 7,
        // In the swap cache: SwapEntry names its slot. Set by Swap.SwapState.
        SwapCache = 1 << 8,
        // Contents differ from its swap slot and must be written before freeing.
        Dirty = 1 << 9,
        // Holds a page of a shared anonymous mapping: Mapping is its SharedAnonObject and
        // Index its page index there (Linux: a shmem page, swap-backed but not PageAnon).
        Shmem = 1 << 10,
        // Brought into the swap cache by read-ahead and not faulted on yet (counts swap_ra_hit).
        ReadAhead = 1 << 11,
    }
}
