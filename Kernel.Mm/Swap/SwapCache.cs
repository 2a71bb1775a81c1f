namespace Cowbird.Mm.Swap
{
    // Linux's swap cache: swap entry -> frame number of the page holding that slot's data.
    // While a page is being written out, or after it was read back in and some PTEs
    // still hold the swap entry, the page lives here, so a second fault on the same entry
    // (the parent and the child after fork) finds the frame instead of reading again.
    //
    // Invariant: an entry is cached iff its slot has HasCache set in its SwapMap (S2);
    // the callers keep the two in step (see the protocol in SwapMap.cs).
    //
    // Implementation: an open-addressing hash table with linear probing, keyed by the
    // entry's PTE encoding (never 0, so 0 marks an empty bucket). Deletion shifts later
    // members of the probe run back ("backward-shift deletion") instead of leaving
    // tombstones, so lookups never slow down with age. The table does not grow: every
    // cached entry pins one frame, so it is sized at twice the number of frames and can
    // never be more than half full.
    public sealed class SwapCache
    {
        const ulong EmptyKey = 0;
        const ulong HashMultiplier = 0x9E3779B97F4A7C15UL;   // 2^64 / golden ratio (Fibonacci hashing)

        readonly ulong[] keys;      // SwapEntry.ToPte(), or EmptyKey
        readonly ulong[] frames;    // frame number for keys[i]
        readonly ulong mask;        // capacity - 1 (capacity is a power of two)
        readonly int shift;         // 64 - log2(capacity)
        readonly ulong maxEntries;
        ulong count;

        // A cache for at most `maxEntries` entries (pass the number of frames).
        public SwapCache(ulong maxEntries)
        {
            if (maxEntries == 0 || maxEntries > (1UL << 40))
                Mm.Panic("SwapCache: maxEntries out of range");
            int log2 = 1;
            while ((1UL << log2) < 2 * maxEntries)
                log2++;
            keys = new ulong[1UL << log2];
            frames = new ulong[1UL << log2];
            mask = (1UL << log2) - 1;
            shift = 64 - log2;
            this.maxEntries = maxEntries;
        }

        // Number of cached entries.
        public ulong Count
        {
            get { return count; }
        }

        // Records that frame `pfn` holds the data of `entry`. Returns 0, EINVAL for an
        // invalid entry, EEXIST if the entry is already cached (the existing frame stays),
        // ENOMEM if the cache already holds maxEntries.
        public int Add(SwapEntry entry, ulong pfn)
        {
            if (!entry.IsValid)
                return -(int)Errno.EINVAL;
            ulong key = entry.ToPte();
            ulong i = Home(key);
            while (keys[i] != EmptyKey)
            {
                if (keys[i] == key)
                    return -(int)Errno.EEXIST;
                i = (i + 1) & mask;
            }
            if (count == maxEntries)
                return -(int)Errno.ENOMEM;
            keys[i] = key;
            frames[i] = pfn;
            count++;
            return 0;
        }

        // Finds the frame caching `entry`. Returns true and the frame number, or false.
        public bool Lookup(SwapEntry entry, out ulong pfn)
        {
            long i = Find(entry);
            pfn = i < 0 ? 0 : frames[i];
            return i >= 0;
        }

        // Forgets `entry`. Returns 0 and the frame it was cached in, or ENOENT.
        public int Delete(SwapEntry entry, out ulong pfn)
        {
            long found = Find(entry);
            pfn = 0;
            if (found < 0)
                return -(int)Errno.ENOENT;
            pfn = frames[found];
            RemoveAt((ulong)found);
            count--;
            return 0;
        }

        // Number of buckets, for walking the cache with EntryAt (invariant checker, teardown).
        public ulong BucketCount
        {
            get { return (ulong)keys.Length; }
        }

        // The entry and frame in bucket `bucket` (< BucketCount), or false if it is empty.
        // Walking every bucket visits each cached entry exactly once, in no useful order.
        public bool EntryAt(ulong bucket, out SwapEntry entry, out ulong pfn)
        {
            entry = new SwapEntry(0, 0);
            pfn = 0;
            if (bucket >= (ulong)keys.Length || keys[bucket] == EmptyKey)
                return false;
            entry = SwapEntry.FromPte(keys[bucket]);
            pfn = frames[bucket];
            return true;
        }

        // Bucket index of `entry`, or -1 if it is not cached.
        long Find(SwapEntry entry)
        {
            if (!entry.IsValid)
                return -1;
            ulong key = entry.ToPte();
            for (ulong i = Home(key); keys[i] != EmptyKey; i = (i + 1) & mask)
                if (keys[i] == key)
                    return (long)i;
            return -1;
        }

        // Empties bucket `hole`, then walks the rest of its probe run moving back every
        // key whose home bucket lies at or before the hole (cyclically), so each key stays
        // reachable from its home without crossing an empty bucket.
        void RemoveAt(ulong hole)
        {
            keys[hole] = EmptyKey;
            for (ulong i = (hole + 1) & mask; keys[i] != EmptyKey; i = (i + 1) & mask)
            {
                ulong home = Home(keys[i]);
                // Distance from home to i versus from home to the hole, along the probe order.
                if (((i - home) & mask) >= ((i - hole) & mask))
                {
                    keys[hole] = keys[i];
                    frames[hole] = frames[i];
                    keys[i] = EmptyKey;
                    hole = i;
                }
            }
        }

        // Home bucket of `key`: Fibonacci hashing keeps neighbouring slots apart.
        ulong Home(ulong key)
        {
            return (key * HashMultiplier) >> shift;
        }
    }
}
