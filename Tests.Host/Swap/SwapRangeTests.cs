using Cowbird.Mm;
using System.Collections.Generic;
using Cowbird.Mm.Swap;
using Xunit;

namespace Cowbird.Tests.Host.Swap
{
    // As Eric Biederman proposed (1998): a shared anonymous mapping's backing object
    // reserves its slots at once.
    public unsafe class SwapRangeTests
    {
        [Fact]
        public void Range_is_consecutive_owned_slots_with_count_one_and_no_cache()
        {
            var map = new SwapMap(1024, null);
            Assert.Equal(0, map.AllocateSlot(out ulong single));
            Assert.Equal(0, map.AllocateRange(10, out ulong first));
            Assert.Equal(2ul, first);
            for (ulong s = first; s < first + 10; s++)
            {
                Assert.Equal(1u, map.Count(s));
                Assert.False(map.HasCache(s));
            }
            Assert.Equal(1024ul - 1 - 11, map.FreeSlots);
            Assert.Equal(0, map.AllocateSlot(out ulong next));
            Assert.Equal(12ul, next);                // filling goes on after the range
            Assert.Equal(0, map.Verify());
        }

        [Fact]
        public void Range_spanning_free_clusters_takes_them_off_the_free_list()
        {
            var map = new SwapMap(4 * SwapMap.ClusterSize, null);
            Assert.Equal(0, map.AllocateRange(600, out ulong first));
            Assert.Equal(1ul, first);
            Assert.Equal(0, map.Verify());
            var seen = new HashSet<ulong>();
            while (map.AllocateSlot(out ulong s) == 0)
            {
                Assert.True(s > 600, $"slot {s} lies inside the range");
                Assert.True(seen.Add(s));
            }
            Assert.Equal(1024 - 1 - 600, seen.Count);
            Assert.Equal(0, map.Verify());
        }

        [Fact]
        public void Range_taking_the_tail_of_the_free_cluster_list_keeps_the_list_consistent()
        {
            var map = new SwapMap(4 * SwapMap.ClusterSize, null);
            for (int i = 0; i < 255 + 2 * 256; i++)
                map.AllocateSlot(out _);             // clusters 0-2 full; free list: 3
            for (ulong s = 256; s < 512; s++)
                map.ClearCache(s);                   // free list: 3, 1 (1 is the tail)
            Assert.Equal(0, map.AllocateRange(256, out ulong first));
            Assert.Equal(256ul, first);              // first fit: all of cluster 1
            Assert.Equal(0, map.Verify());
            for (ulong s = 256; s < 512; s++)
                map.Free(s);                         // cluster 1 goes back on the list
            Assert.Equal(0, map.Verify());
        }

        [Fact]
        public void Range_is_enospc_when_free_slots_are_too_scattered()
        {
            var map = new SwapMap(300, null);
            for (int i = 0; i < 299; i++)
                map.AllocateSlot(out _);
            for (ulong s = 1; s < 300; s += 2)
                map.ClearCache(s);                   // 150 free slots, no two adjacent
            Assert.Equal(-(int)Errno.ENOSPC, map.AllocateRange(2, out ulong first));
            Assert.Equal(0ul, first);
            Assert.Equal(0, map.AllocateRange(1, out first));
            Assert.Equal(-(int)Errno.EINVAL, map.AllocateRange(0, out _));
        }

        [Fact]
        public void Freeing_a_range_returns_every_slot_and_the_clusters()
        {
            var map = new SwapMap(4 * SwapMap.ClusterSize, null);
            Assert.Equal(0, map.AllocateRange(700, out ulong first));
            for (ulong s = first; s < first + 700; s++)
                Assert.Equal(0, map.Free(s));
            Assert.Equal(map.TotalSlots, map.FreeSlots);
            Assert.Equal(0, map.Verify());
        }

        [Fact]
        public void Space_reserves_a_range_on_a_device_that_has_room_for_it()
        {
            var space = new SwapSpace(16);
            using var scratch = new PageBuffer();
            Assert.Equal(0, space.SwapOn(SwapDisks.Formatted(8), scratch.Pointer, out _, out _));
            Assert.Equal(0, space.SwapOn(SwapDisks.Formatted(64), scratch.Pointer, out int big, out _));
            Assert.Equal(0, space.AllocateRange(20, out var first));
            Assert.Equal(big, first.Type);
            Assert.Equal(1u, space.Count(new SwapEntry(big, first.Slot + 19)));
            Assert.Equal(-(int)Errno.ENOSPC, space.AllocateRange(100, out var none));
            Assert.False(none.IsValid);
        }
    }
}
