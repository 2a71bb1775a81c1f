using Cowbird.Mm;
using Cowbird.Mm.Swap;
using Xunit;

namespace Cowbird.Tests.Host.Swap
{
    public class SwapReadAheadTests
    {
        // A map whose slots 1..n hold one PTE each and are not cached (swapped out and written).
        static SwapMap SwappedOut(ulong slotCount, ulong n)
        {
            var map = new SwapMap(slotCount, null);
            for (ulong i = 0; i < n; i++)
            {
                Assert.Equal(0, map.AllocateSlot(out ulong slot));
                Assert.Equal(0, map.Duplicate(slot));
                Assert.Equal(0, map.ClearCache(slot));
            }
            return map;
        }

        [Fact]
        public void Window_is_aligned_around_the_fault_with_the_faulting_slot_first()
        {
            var map = SwappedOut(1000, 100);
            var slots = new ulong[8];
            int n = SwapReadAhead.Window(map, 21, 8, slots);
            Assert.Equal(8, n);
            Assert.Equal(new ulong[] { 21, 16, 17, 18, 19, 20, 22, 23 }, slots);
        }

        [Fact]
        public void Window_skips_free_cached_header_and_bad_slots()
        {
            var map = new SwapMap(64, new uint[] { 3 });
            for (int i = 0; i < 10; i++)
                map.AllocateSlot(out _);            // slots 1,2,4..11, all HasCache
            foreach (ulong s in new ulong[] { 1, 2, 5, 6 })
            {
                map.Duplicate(s);
                map.ClearCache(s);                  // swapped out: count 1, not cached
            }
            map.Duplicate(4);                       // 4 stays cached: nothing to read
            map.Duplicate(7);
            map.ClearCache(7);
            map.Free(7);                            // 7 freed again
            var slots = new ulong[8];
            int n = SwapReadAhead.Window(map, 5, 8, slots);
            Assert.Equal(new ulong[] { 5, 1, 2, 6 }, slots[..n]);
        }

        [Fact]
        public void Window_is_cut_at_the_end_of_the_area()
        {
            var map = SwappedOut(20, 19);
            var slots = new ulong[16];
            int n = SwapReadAhead.Window(map, 18, 16, slots);
            Assert.Equal(new ulong[] { 18, 16, 17, 19 }, slots[..n]);
        }

        [Fact]
        public void Fault_on_a_slot_holding_nothing_is_enoent()
        {
            var map = SwappedOut(100, 10);
            Assert.Equal(-(int)Errno.ENOENT, SwapReadAhead.Window(map, 50, 8, new ulong[8]));
        }

        [Theory]
        [InlineData(0u, 8)]
        [InlineData(6u, 8)]
        [InlineData(16u, 8)]
        [InlineData(512u, 512)]
        public void Bad_window_sizes_are_einval(uint window, int bufferLength)
        {
            var map = SwappedOut(1000, 10);
            Assert.Equal(-(int)Errno.EINVAL, SwapReadAhead.Window(map, 5, window, new ulong[bufferLength]));
        }
    }
}
