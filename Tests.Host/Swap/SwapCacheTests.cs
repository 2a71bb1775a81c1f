using Cowbird.Mm;
using System;
using System.Collections.Generic;
using Cowbird.Mm.Swap;
using Xunit;

namespace Cowbird.Tests.Host.Swap
{
    public class SwapCacheTests
    {
        [Fact]
        public void Added_entry_is_found_with_its_frame_and_gone_after_delete()
        {
            var cache = new SwapCache(16);
            var entry = new SwapEntry(2, 77);
            Assert.Equal(0, cache.Add(entry, 0x1234));
            Assert.True(cache.Lookup(entry, out ulong pfn));
            Assert.Equal(0x1234ul, pfn);
            Assert.False(cache.Lookup(new SwapEntry(3, 77), out _));   // same slot, other device
            Assert.Equal(0, cache.Delete(entry, out ulong deleted));
            Assert.Equal(0x1234ul, deleted);
            Assert.False(cache.Lookup(entry, out _));
            Assert.Equal(0ul, cache.Count);
        }

        [Fact]
        public void Adding_a_cached_entry_again_is_eexist_and_keeps_the_first_frame()
        {
            var cache = new SwapCache(16);
            var entry = new SwapEntry(0, 5);
            Assert.Equal(0, cache.Add(entry, 10));
            Assert.Equal(-(int)Errno.EEXIST, cache.Add(entry, 11));
            Assert.True(cache.Lookup(entry, out ulong pfn));
            Assert.Equal(10ul, pfn);
            Assert.Equal(1ul, cache.Count);
        }

        [Fact]
        public void Deleting_an_absent_entry_is_enoent()
        {
            var cache = new SwapCache(4);
            Assert.Equal(-(int)Errno.ENOENT, cache.Delete(new SwapEntry(0, 1), out _));
        }

        [Fact]
        public void Header_slot_entry_is_refused()
        {
            var cache = new SwapCache(4);
            Assert.Equal(-(int)Errno.EINVAL, cache.Add(new SwapEntry(1, 0), 3));
            Assert.False(cache.Lookup(new SwapEntry(1, 0), out _));
        }

        [Fact]
        public void Cache_refuses_more_than_max_entries_and_accepts_again_after_a_delete()
        {
            var cache = new SwapCache(8);
            for (ulong s = 1; s <= 8; s++)
                Assert.Equal(0, cache.Add(new SwapEntry(0, s), s));
            Assert.Equal(-(int)Errno.ENOMEM, cache.Add(new SwapEntry(0, 9), 9));
            Assert.Equal(0, cache.Delete(new SwapEntry(0, 4), out _));
            Assert.Equal(0, cache.Add(new SwapEntry(0, 9), 9));
            for (ulong s = 1; s <= 9; s++)
                Assert.Equal(s != 4, cache.Lookup(new SwapEntry(0, s), out _));
        }

        // Many entries, random add/lookup/delete against a Dictionary: catches lost keys
        // after backward-shift deletion, which only shows up with long probe runs.
        [Theory]
        [InlineData(11, 64ul)]
        [InlineData(12, 1000ul)]
        [InlineData(13, 5000ul)]
        public void Random_operations_match_a_dictionary(int seed, ulong capacity)
        {
            var random = new Random(seed);
            var cache = new SwapCache(capacity);
            var model = new Dictionary<ulong, ulong>();
            var keys = new List<SwapEntry>();
            // A key space a little larger than the capacity keeps the table near full.
            ulong keySpace = capacity + capacity / 2;
            for (int step = 0; step < 100_000; step++)
            {
                var entry = new SwapEntry(random.Next(3), 1 + (ulong)random.NextInt64((long)keySpace));
                ulong key = entry.ToPte();
                switch (random.Next(3))
                {
                    case 0:
                        ulong pfn = (ulong)random.NextInt64(1L << 40);
                        int added = cache.Add(entry, pfn);
                        if (model.ContainsKey(key))
                            Assert.Equal(-(int)Errno.EEXIST, added);
                        else if ((ulong)model.Count == capacity)
                            Assert.Equal(-(int)Errno.ENOMEM, added);
                        else
                        {
                            Assert.Equal(0, added);
                            model[key] = pfn;
                        }
                        break;
                    case 1:
                        bool found = cache.Lookup(entry, out ulong got);
                        Assert.Equal(model.TryGetValue(key, out ulong want), found);
                        if (found)
                            Assert.Equal(want, got);
                        break;
                    default:
                        int deleted = cache.Delete(entry, out ulong frame);
                        if (model.Remove(key, out ulong expected))
                        {
                            Assert.Equal(0, deleted);
                            Assert.Equal(expected, frame);
                        }
                        else
                            Assert.Equal(-(int)Errno.ENOENT, deleted);
                        break;
                }
                Assert.Equal((ulong)model.Count, cache.Count);
            }
            foreach (var pair in model)
            {
                Assert.True(cache.Lookup(SwapEntry.FromPte(pair.Key), out ulong pfn));
                Assert.Equal(pair.Value, pfn);
            }
            var walked = new Dictionary<ulong, ulong>();
            for (ulong b = 0; b < cache.BucketCount; b++)
                if (cache.EntryAt(b, out var e, out ulong pfn))
                    walked.Add(e.ToPte(), pfn);
            Assert.Equal(model, walked);
        }
    }
}
