namespace Cowbird.Mm.Physical
{
    // The descriptor of one 4 KiB physical frame (Linux: struct page). FrameAllocator
    // keeps one per frame in an array indexed by frame number, so its size is paid for
    // every frame of RAM: FrameAllocator.DescriptorBytesPerFrame reports it.
    //
    // Counting rules (checked by the invariant checker in the host tests):
    //   MapCount = number of user PTEs (present or PROT_NONE) that hold this frame.
    //   RefCount = MapCount + other holders (swap cache, kernel pins); a frame is freed
    //              when RefCount drops to 0. A free frame has both counts 0.
    public struct PageFrame
    {
        // Holders of the frame; FrameAllocator.Put frees it at 0. Only the first frame of
        // an allocated block counts; tail frames of a block stay 0.
        public int RefCount;

        // User PTEs mapping the frame (Linux: _mapcount + 1). Copy-on-write reuses a
        // frame in place only when MapCount == 1 and RefCount == 1.
        public int MapCount;

        public PageFrameFlags Flags;

        // Buddy order of the block this frame heads (free or allocated): 2^Order frames.
        public byte Order;

        // Reverse mapping: for an anonymous frame, the Rmap.AnonVma whose VMAs may map it
        // (Linux: page->mapping), set by ReverseMap.AddNewAnonPage when the frame is first
        // mapped and stale once MapCount is 0 (the anon_vma may have been released), so
        // walks skip such frames; for a shared anonymous frame (Flags.Shmem), its
        // SharedAnonObject, set by SharedAnonObject.GetPage while the object holds it.
        public object Mapping;

        // Linear page offset of the frame within Mapping (Linux: page->index):
        // vma.PgOff + (virtualAddress - vma.Start) / Page.Size. Set at first mapping.
        public ulong Index;

        // Intrusive list links, as frame numbers (0 = none; frame 0 is never managed).
        // While free: the buddy free list of its order. While in use: the LRU list.
        public ulong Next;
        public ulong Prev;

        // The raw swap entry while the frame is in the swap cache (Flags.SwapCache),
        // else 0. Owned by Swap.SwapState.
        public ulong SwapEntry;
    }
}
