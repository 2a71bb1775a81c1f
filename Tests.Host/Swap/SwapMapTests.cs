using Cowbird.Mm;
using System;
using System.Collections.Generic;
using Cowbird.Mm.Swap;
using Xunit;

namespace Cowbird.Tests.Host.Swap
{
    public class SwapMapTests
    {
        static ulong Allocate(SwapMap map)
        {
            Assert.Equal(0, map.AllocateSlot(out ulong slot));
            return slot;
        }

        // Allocate-then-drop-cache, the shape of a slot fully released by swap-in.
        static void Release(SwapMap map, ulong slot) => Assert.Equal(0, map.ClearCache(slot));

        [Fact]
        public void Consecutive_allocations_are_contiguous_starting_after_the_header()
        {
            var map = new SwapMap(2000, null);
            for (ulong expected = 1; expected <= 700; expected++)
                Assert.Equal(expected, Allocate(map));
            Assert.Equal(0, map.Verify());
        }

        [Fact]
        public void New_slot_has_cache_and_count_zero_and_counts_as_used()
        {
            var map = new SwapMap(100, null);
            ulong slot = Allocate(map);
            Assert.True(map.HasCache(slot));
            Assert.Equal(0u, map.Count(slot));
            Assert.False(map.IsFree(slot));
            Assert.Equal(99ul, map.TotalSlots);
            Assert.Equal(98ul, map.FreeSlots);
        }

        [Fact]
        public void Header_and_bad_pages_are_never_handed_out_even_at_exhaustion()
        {
            var bad = new uint[] { 5, 300, 300, 511 };
            var map = new SwapMap(600, bad);
            Assert.Equal(600ul - 1 - 3, map.TotalSlots);
            var seen = new HashSet<ulong>();
            while (map.AllocateSlot(out ulong slot) == 0)
                Assert.True(seen.Add(slot), "slot handed out twice");
            Assert.Equal((int)map.TotalSlots, seen.Count);
            Assert.DoesNotContain(0ul, seen);
            foreach (uint b in bad)
                Assert.DoesNotContain((ulong)b, seen);
            Assert.Equal(0ul, map.FreeSlots);
            Assert.Equal(0, map.Verify());
        }

        [Fact]
        public void Full_map_reports_enospc_and_a_released_slot_is_reused()
        {
            var map = new SwapMap(300, null);
            for (int i = 0; i < 299; i++)
                Allocate(map);
            Assert.Equal(-(int)Errno.ENOSPC, map.AllocateSlot(out ulong none));
            Assert.Equal(0ul, none);
            Release(map, 123);
            Assert.Equal(1ul, map.FreeSlots);
            Assert.Equal(123ul, Allocate(map));
            Assert.Equal(-(int)Errno.ENOSPC, map.AllocateSlot(out _));
            Assert.Equal(0, map.Verify());
        }

        [Fact]
        public void A_wholly_freed_cluster_is_reused_contiguously()
        {
            var map = new SwapMap(4 * SwapMap.ClusterSize, null);
            for (int i = 0; i < 4 * 256 - 1; i++)
                Allocate(map);
            for (ulong s = 512; s < 768; s++)
                Release(map, s);
            Release(map, 100);            // a lone hole elsewhere must not be preferred
            Assert.Equal(0, map.Verify());
            for (ulong expected = 512; expected < 768; expected++)
                Assert.Equal(expected, Allocate(map));
            Assert.Equal(100ul, Allocate(map));
            Assert.Equal(0, map.Verify());
        }

        [Fact]
        public void Current_cluster_emptied_while_in_use_stays_current_and_off_the_free_list()
        {
            var map = new SwapMap(3 * SwapMap.ClusterSize, null);
            for (int i = 0; i < 255; i++)
                Allocate(map);                      // cluster 0 (after the header) is full
            Assert.Equal(256ul, Allocate(map));     // cluster 1 becomes current
            Release(map, 256);                      // ...and wholly free again
            Assert.Equal(0, map.Verify());
            Assert.Equal(257ul, Allocate(map));     // filling goes on where it was
            Assert.Equal(0, map.Verify());
        }

        [Fact]
        public void Emptied_current_cluster_goes_to_the_free_list_tail_when_filling_moves_on()
        {
            var map = new SwapMap(3 * SwapMap.ClusterSize, null);
            for (int i = 0; i < 255 + 256; i++)
                Allocate(map);                      // clusters 0 and 1 full, 1 is current
            for (ulong s = 256; s < 512; s++)
                Release(map, s);                    // cluster 1 wholly free, still current
            Assert.Equal(512ul, Allocate(map));     // 1 is abandoned: cluster 2 was first in line
            Assert.Equal(0, map.Verify());
            for (ulong s = 513; s < 768; s++)
                Assert.Equal(s, Allocate(map));
            Assert.Equal(256ul, Allocate(map));     // then cluster 1, from its first slot
            Assert.Equal(0, map.Verify());
        }

        [Fact]
        public void Fragmented_map_falls_back_to_scanning_and_fills_every_hole()
        {
            var map = new SwapMap(1024, null);
            for (int i = 0; i < 1023; i++)
                Allocate(map);
            var holes = new HashSet<ulong>();
            for (ulong s = 3; s < 1024; s += 2)   // every cluster keeps used slots
            {
                Release(map, s);
                holes.Add(s);
            }
            Assert.Equal(0, map.Verify());
            while (holes.Count > 0)
                Assert.True(holes.Remove(Allocate(map)));
            Assert.Equal(-(int)Errno.ENOSPC, map.AllocateSlot(out _));
        }

        [Fact]
        public void Slot_is_freed_only_when_count_is_zero_and_cache_is_clear_cache_last()
        {
            var map = new SwapMap(100, null);
            ulong slot = Allocate(map);
            Assert.Equal(0, map.Duplicate(slot));
            Assert.Equal(0, map.Duplicate(slot));
            Assert.Equal(2u, map.Count(slot));
            Assert.Equal(0, map.Free(slot));
            Assert.Equal(0, map.Free(slot));
            Assert.False(map.IsFree(slot));       // the swap cache still holds it
            Assert.True(map.HasCache(slot));
            Assert.Equal(0, map.ClearCache(slot));
            Assert.True(map.IsFree(slot));
            Assert.Equal(99ul, map.FreeSlots);
        }

        [Fact]
        public void Slot_is_freed_only_when_count_is_zero_and_cache_is_clear_count_last()
        {
            var map = new SwapMap(100, null);
            ulong slot = Allocate(map);
            Assert.Equal(0, map.Duplicate(slot));
            Assert.Equal(0, map.ClearCache(slot));
            Assert.False(map.IsFree(slot));       // a PTE still holds it
            Assert.False(map.HasCache(slot));
            Assert.Equal(0, map.Free(slot));
            Assert.True(map.IsFree(slot));
        }

        [Fact]
        public void PrepareCache_claims_once_and_refuses_free_slots()
        {
            var map = new SwapMap(100, null);
            ulong slot = Allocate(map);
            Assert.Equal(-(int)Errno.EEXIST, map.PrepareCache(slot));     // still cached from swap-out
            Assert.Equal(0, map.Duplicate(slot));
            Assert.Equal(0, map.ClearCache(slot));
            Assert.Equal(0, map.PrepareCache(slot));         // first fault reads it
            Assert.Equal(-(int)Errno.EEXIST, map.PrepareCache(slot));     // second fault must look up
            Assert.Equal(-(int)Errno.ENOENT, map.PrepareCache(50));       // never allocated
        }

        [Fact]
        public void Duplicate_refuses_free_header_bad_and_out_of_range_slots()
        {
            var map = new SwapMap(100, new uint[] { 7 });
            Assert.Equal(-(int)Errno.ENOENT, map.Duplicate(50));
            Assert.Equal(-(int)Errno.EINVAL, map.Duplicate(0));
            Assert.Equal(-(int)Errno.EINVAL, map.Duplicate(7));
            Assert.Equal(-(int)Errno.EINVAL, map.Duplicate(100));
            Assert.Equal(-(int)Errno.EINVAL, map.Free(100));
            Assert.Equal(-(int)Errno.EINVAL, map.ClearCache(0));
            Assert.Equal(-(int)Errno.EINVAL, map.PrepareCache(7));
        }

        [Fact]
        public void Freeing_a_slot_with_count_zero_panics()
        {
            var map = new SwapMap(100, null);
            ulong slot = Allocate(map);
            var e = Assert.Throws<MmPanicException>(() => map.Free(slot));
            Assert.Contains("SwapMap.Free", e.Message);
        }

        [Fact]
        public void Clearing_cache_that_is_not_set_panics()
        {
            var map = new SwapMap(100, null);
            ulong slot = Allocate(map);
            map.Duplicate(slot);
            map.ClearCache(slot);
            var e = Assert.Throws<MmPanicException>(() => map.ClearCache(slot));
            Assert.Contains("SwapMap.ClearCache", e.Message);
        }

        // The model: per slot (count, cached). Random allocate / dup / free / cache ops
        // keep the real map equal to it and its own invariants (Verify) true.
        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        public void Random_operations_match_a_model_and_keep_invariants(int seed)
        {
            var random = new Random(seed);
            const ulong slots = 3 * 256 + 40;
            var bad = new uint[] { 17, 256, 700 };
            var map = new SwapMap(slots, bad);
            var model = new Dictionary<ulong, (uint count, bool cached)>();
            var used = new List<ulong>();
            for (int step = 0; step < 20_000; step++)
            {
                int op = random.Next(6);
                if (op == 0 || used.Count == 0)
                {
                    int result = map.AllocateSlot(out ulong slot);
                    if ((ulong)model.Count == map.TotalSlots)
                    {
                        Assert.Equal(-(int)Errno.ENOSPC, result);
                        continue;
                    }
                    Assert.Equal(0, result);
                    Assert.False(model.ContainsKey(slot), $"seed {seed} step {step}: slot {slot} reused while in use");
                    Assert.DoesNotContain((uint)slot, bad);
                    model[slot] = (0, true);
                    used.Add(slot);
                }
                else
                {
                    int index = random.Next(used.Count);
                    ulong slot = used[index];
                    var (count, cached) = model[slot];
                    if (op == 1) { Assert.Equal(0, map.Duplicate(slot)); count++; }
                    else if (op == 2 && count > 0) { Assert.Equal(0, map.Free(slot)); count--; }
                    else if (op == 3 && cached) { Assert.Equal(0, map.ClearCache(slot)); cached = false; }
                    else if (op == 4) { Assert.Equal(cached ? -(int)Errno.EEXIST : 0, map.PrepareCache(slot)); cached = true; }
                    else if (op == 5 && count > 0) { Assert.Equal(0, map.Free(slot)); count--; }
                    if (count == 0 && !cached)
                    {
                        model.Remove(slot);
                        used[index] = used[used.Count - 1];
                        used.RemoveAt(used.Count - 1);
                        Assert.True(map.IsFree(slot));
                    }
                    else
                    {
                        model[slot] = (count, cached);
                        Assert.Equal(count, map.Count(slot));
                        Assert.Equal(cached, map.HasCache(slot));
                    }
                }
                Assert.Equal(map.TotalSlots - (ulong)model.Count, map.FreeSlots);
                if (step % 50 == 0)
                    Assert.Equal(0, map.Verify());
            }
            foreach (var slot in used)
            {
                var (count, cached) = model[slot];
                for (uint i = 0; i < count; i++)
                    map.Free(slot);
                if (cached)
                    map.ClearCache(slot);
            }
            Assert.Equal(map.TotalSlots, map.FreeSlots);
            Assert.Equal(0, map.Verify());
        }
    }
}
