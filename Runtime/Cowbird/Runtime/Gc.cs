namespace Cowbird.Runtime
{
    // Heap figures for the kernel banner or /proc (all in bytes except counts).
    public struct GcStatistics
    {
        public ulong BytesInUse;               // slots and pages of allocated objects
        public ulong ObjectCount;              // allocated objects (live or not yet collected)
        public ulong Collections;              // collections run so far
        public ulong HeapBytes;                // usable heap, all segments
        public ulong FreeBytes;                // whole free pages, all segments
        public ulong BytesFreedLastCollection;
        public ulong DeferredLastCollection;   // objects the full mark stack left pending in their page
    }

    // The kernel's interface to the garbage collector (see Heap/GcHeap.cs for the
    // design). Interrupt handlers must not allocate and must not call Collect.
    public static unsafe class Gc
    {
        // Runs a full collection now.
        public static void Collect() => Heap.Collector.Collect();

        // A collection, then every empty grown segment back to the kernel but the reserve,
        // without the usual slack: for when much of the heap has just died for good (the
        // kernel calls it when most processes of a peak are gone).
        public static void CollectAndTrim()
        {
            Heap.Collector.Collect();
            Heap.GcHeap.ReleaseEmptySegments(keepSlack: false);
        }

        public static GcStatistics GetStatistics()
        {
            GcStatistics statistics;
            statistics.BytesInUse = Heap.GcHeap.BytesInUse;
            statistics.ObjectCount = Heap.GcHeap.ObjectCount;
            statistics.Collections = Heap.GcHeap.Collections;
            statistics.HeapBytes = Heap.GcHeap.TotalBytes;
            statistics.FreeBytes = Heap.GcHeap.FreePages * Heap.HeapSegment.PageSize;
            statistics.BytesFreedLastCollection = Heap.GcHeap.BytesFreedLastCollection;
            statistics.DeferredLastCollection = Heap.Collector.DeferredLastCollection;
            return statistics;
        }

        // Free heap bytes that EnsureHeadroom keeps for the paths that free memory.
        public const ulong ReserveBytes = Heap.GcHeap.ReservePages * Heap.HeapSegment.PageSize;

        // Makes sure `bytes` can be allocated with ReserveBytes still free afterwards,
        // collecting and growing the heap (the kernel may reclaim user pages for it)
        // when needed; false when the memory is not there. Call it before work that
        // allocates, where a failure can still be reported (ENOMEM, the OOM killer) and
        // where reclaim may run (no kernel operation half done).
        public static bool EnsureHeadroom(ulong bytes) => EnsureHeadroom(bytes, ReserveBytes);

        // The same, keeping only `keptBytes` (at most ReserveBytes) free afterwards: for
        // work that frees memory or allocates little, which may use the rest of the
        // reserve, so it still works after EnsureHeadroom(bytes) says no.
        public static bool EnsureHeadroom(ulong bytes, ulong keptBytes) =>
            Heap.GcHeap.EnsureHeadroom(bytes, (keptBytes + Heap.HeapSegment.PageSize - 1) / Heap.HeapSegment.PageSize);

        // Declares [low, high) a stack whose words are roots (a kernel stack of a
        // process or thread). Register before the stack runs code that holds
        // references; false when the registry is full or the range is empty.
        public static bool RegisterStack(void* low, void* high) => Heap.StackRegistry.Register((byte*)low, (byte*)high);

        // Makes room in the registry for `count` stacks (it holds 256 at first); once, at
        // start-up: the memory of a smaller registry is not given back.
        public static void ReserveStacks(int count) => Heap.StackRegistry.Reserve(count);

        // Removes a stack registered with the same bounds; false when not found.
        public static bool UnregisterStack(void* low, void* high) => Heap.StackRegistry.Unregister((byte*)low, (byte*)high);

        // True when `obj` lives in the collected heap (not frozen data, not on a stack).
        public static bool IsInHeap(object obj)
        {
            byte* address = *(byte**)&obj;
            return address != null && Heap.GcHeap.FindSegment(address) != null;
        }

        // The object reference (the address of its MethodTable pointer) of the allocated
        // heap object that contains `address`, or null: the lookup a conservative stack
        // scan makes for every word, here for tests. Null for free slots, free pages and
        // anything outside the heap.
        public static void* ObjectContaining(void* address) => Heap.Collector.FindObject((byte*)address);

        // Gives [start, end) to the heap for good (mapped, writable, otherwise
        // unused). False when the region is too small to hold a page.
        public static bool AddRegion(void* start, void* end) => Heap.GcHeap.AddRegion((byte*)start, (byte*)end);
    }
}
