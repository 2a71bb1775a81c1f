namespace Cowbird.Mm.Swap
{
    // Which slots to read when a fault needs one (Linux swapin_readahead, the classic
    // "cluster" variant): the naturally aligned window of `window` slots around the
    // faulting slot. Because the allocator places consecutive swap-outs on consecutive
    // slots, the neighbours are likely to be the neighbouring pages of the same process,
    // and one pass over the disk brings them in before they are faulted on.
    public static class SwapReadAhead
    {
        public const uint MaxWindow = SwapMap.ClusterSize;
        public const uint DefaultWindow = 8;          // Linux's default page_cluster = 3

        // Fills `slots` with the slots to read for a fault on `faultSlot`: first the
        // faulting slot itself, then, ascending, every other slot of the aligned window
        // that holds a page (count > 0) and is not already cached. Free, bad and cached
        // slots are skipped. `window` must be a power of two, 1..MaxWindow, and at most
        // slots.Length. Returns the number of slots written, ENOENT if faultSlot holds no
        // page, EINVAL for bad arguments.
        public static int Window(SwapMap map, ulong faultSlot, uint window, ulong[] slots)
        {
            if (map == null || slots == null || window == 0 || window > MaxWindow ||
                (window & (window - 1)) != 0 || window > (ulong)slots.Length)
                return -(int)Errno.EINVAL;
            if (!map.IsUsable(faultSlot))
                return -(int)Errno.EINVAL;
            if (map.Count(faultSlot) == 0)
                return -(int)Errno.ENOENT;
            int n = 0;
            slots[n++] = faultSlot;
            ulong start = faultSlot & ~((ulong)window - 1);
            ulong end = start + window;
            if (end > map.SlotCount)
                end = map.SlotCount;
            for (ulong s = start; s < end; s++)
                if (s != faultSlot && map.Count(s) > 0 && !map.HasCache(s))
                    slots[n++] = s;
            return n;
        }
    }
}
