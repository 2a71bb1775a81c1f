using Cowbird.Mm;
using Cowbird.Mm.Physical;
using Xunit;

namespace Cowbird.Tests.Host
{
    public class BuddyAllocatorTests
    {
        readonly Xunit.Abstractions.ITestOutputHelper output;

        public BuddyAllocatorTests(Xunit.Abstractions.ITestOutputHelper testOutput)
        {
            output = testOutput;
            HostPanicHandler.Install();
        }

        static FrameAllocator Over(ulong baseAddress, ulong length)
        {
            var map = new MemoryMap();
            Assert.True(map.Add(baseAddress, length));
            return new FrameAllocator(map);
        }

        [Fact]
        public void Counts_only_whole_frames_inside_usable_ranges_and_never_frame_zero()
        {
            var map = new MemoryMap();
            map.Add(0, 8 * Page.Size);                       // frame 0 is excluded
            map.Add(20 * Page.Size + 100, 4 * Page.Size);     // partial frames at both ends
            var frames = new FrameAllocator(map);
            Assert.Equal(7UL + 3UL, frames.TotalFrames);
            Assert.Equal(frames.TotalFrames, frames.FreeFrames);
            Assert.False(frames.Manages(0));
            Assert.False(frames.Manages(8));
            Assert.True(frames.Manages(21));
            Assert.False(frames.Manages(24));
        }

        [Fact]
        public void Reserved_frames_handed_over_later_join_the_free_blocks()
        {
            var map = new MemoryMap();
            map.Add(1024 * Page.Size, 512 * Page.Size);
            map.Add(1536 * Page.Size + 16 * Page.Size, 496 * Page.Size);   // frames 1536..1551 reserved
            var frames = new FrameAllocator(map);
            Assert.Equal(1008UL, frames.FreeFrames);
            Assert.False(frames.Manages(1540));
            ulong added = frames.AddReserved(new MemoryRange(1536 * Page.Size, 16 * Page.Size));
            Assert.Equal(16UL, added);
            Assert.Equal(1024UL, frames.FreeFrames);
            Assert.Equal(1024UL, frames.TotalFrames);
            Assert.True(frames.Manages(1540));
            Assert.Equal(1024UL, frames.FirstFree(FrameAllocator.MaxOrder));
            Assert.Equal(0UL, frames.AddReserved(new MemoryRange(1536 * Page.Size, 16 * Page.Size)));
            Assert.Equal(0UL, frames.AddReserved(new MemoryRange(4096 * Page.Size, 16 * Page.Size)));
        }

        [Fact]
        public void A_range_given_at_construction_gets_descriptors_beyond_the_usable_ones()
        {
            var map = new MemoryMap();
            map.Add(1024 * Page.Size, 1024 * Page.Size);
            var frames = new FrameAllocator(map, new MemoryRange(2048 * Page.Size, 64 * Page.Size));
            Assert.Equal(1024UL, frames.FreeFrames);
            Assert.False(frames.Manages(2050));
            Assert.Equal(64UL, frames.AddReserved(new MemoryRange(2048 * Page.Size, 64 * Page.Size)));
            Assert.Equal(1088UL, frames.FreeFrames);
            Assert.True(frames.Manages(2050));
            ulong pfn = frames.Alloc(6);
            Assert.Equal(2048UL, pfn);
            frames.Free(pfn, 6);
        }

        [Fact]
        public void Split_hands_out_aligned_blocks_and_free_coalesces_back_to_one_block()
        {
            var frames = Over(1024 * Page.Size, 1024 * Page.Size);   // one order-10 block
            Assert.Equal(1024UL, frames.FirstFree(FrameAllocator.MaxOrder));
            ulong a = frames.Alloc(0);
            ulong b = frames.Alloc(0);
            ulong c = frames.Alloc(3);
            Assert.Equal(1024UL, a);
            Assert.Equal(1025UL, b);
            Assert.Equal(0UL, c % 8);
            Assert.Equal(1024UL - 10, frames.FreeFrames);
            // After the split, no order-10 block remains.
            Assert.Equal(FrameAllocator.NoFrame, frames.FirstFree(FrameAllocator.MaxOrder));
            frames.Free(c, 3);
            frames.Put(b);
            frames.Put(a);
            Assert.Equal(1024UL, frames.FreeFrames);
            Assert.Equal(1024UL, frames.FirstFree(FrameAllocator.MaxOrder));
            for (int order = 0; order < FrameAllocator.MaxOrder; order++)
                Assert.Equal(FrameAllocator.NoFrame, frames.FirstFree(order));
        }

        [Fact]
        public void Exhaustion_returns_NoFrame_and_recovers_after_a_free()
        {
            var frames = Over(Page.Size, 16 * Page.Size);
            var got = new System.Collections.Generic.List<ulong>();
            for (int i = 0; i < 16; i++)
            {
                ulong pfn = frames.AllocFrame();
                Assert.NotEqual(FrameAllocator.NoFrame, pfn);
                Assert.DoesNotContain(pfn, got);
                got.Add(pfn);
            }
            Assert.Equal(0UL, frames.FreeFrames);
            Assert.Equal(FrameAllocator.NoFrame, frames.AllocFrame());
            frames.Put(got[5]);
            Assert.Equal(got[5], frames.AllocFrame());
            foreach (ulong pfn in got)
                frames.Put(pfn);
            Assert.Equal(16UL, frames.FreeFrames);
        }

        [Fact]
        public void A_block_larger_than_any_free_run_is_refused()
        {
            var map = new MemoryMap();
            map.Add(Page.Size, 3 * Page.Size);         // frames 1..3
            map.Add(8 * Page.Size, 3 * Page.Size);     // frames 8..10
            var frames = new FrameAllocator(map);
            Assert.Equal(FrameAllocator.NoFrame, frames.Alloc(2));
            ulong pair = frames.Alloc(1);
            Assert.True(pair == 2 || pair == 8);
            frames.Free(pair, 1);
        }

        [Fact]
        public void Double_free_panics()
        {
            var frames = Over(Page.Size, 8 * Page.Size);
            ulong pfn = frames.AllocFrame();
            frames.Put(pfn);
            var e = Assert.Throws<MmPanicException>(() => frames.Free(pfn, 0));
            Assert.Contains("double free", e.Message);
            Assert.Throws<MmPanicException>(() => frames.Put(pfn));
        }

        [Fact]
        public void Freeing_a_frame_inside_a_free_block_panics()
        {
            var frames = Over(8 * Page.Size, 8 * Page.Size);   // one order-3 block, frames 8..15
            Assert.Throws<MmPanicException>(() => frames.Free(13, 0));
            Assert.Equal(8UL, frames.FreeFrames);
        }

        [Fact]
        public void Freeing_a_still_mapped_frame_panics()
        {
            var frames = Over(Page.Size, 8 * Page.Size);
            ulong pfn = frames.AllocFrame();
            frames.Frame(pfn).MapCount = 1;
            Assert.Throws<MmPanicException>(() => frames.Put(pfn));
            frames.Frame(pfn).MapCount = 0;
            frames.Put(pfn);
        }

        [Fact]
        public void Reference_counts_keep_a_frame_until_the_last_put()
        {
            var frames = Over(Page.Size, 8 * Page.Size);
            ulong pfn = frames.AllocFrame();
            frames.Get(pfn);
            frames.Put(pfn);
            Assert.Equal(7UL, frames.FreeFrames);
            frames.Put(pfn);
            Assert.Equal(8UL, frames.FreeFrames);
        }

        [Fact]
        public void Overlapping_memory_map_ranges_panic()
        {
            var map = new MemoryMap();
            map.Add(Page.Size, 8 * Page.Size);
            map.Add(4 * Page.Size, 8 * Page.Size);
            Assert.Throws<MmPanicException>(() => new FrameAllocator(map));
        }

        [Fact]
        public void Descriptor_size_is_reported_per_frame()
        {
            int bytes = FrameAllocator.DescriptorBytesPerFrame;
            output.WriteLine($"PageFrame descriptor: {bytes} bytes per 4096-byte frame ({100.0 * bytes / 4096:F2}% of RAM)");
            // Two counts, flags, order, a reference and four 8-byte words at least.
            Assert.InRange(bytes, 4 + 4 + 4 + 1 + 8 + 4 * 8, 128);
        }
    
        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        public void Random_allocations_and_frees_keep_the_free_lists_exact_and_coalesce_fully(int seed)
        {
            var map = new MemoryMap();
            map.Add(Page.Size, 700 * Page.Size);              // not a power of two, starts at frame 1
            map.Add(2048 * Page.Size, 1024 * Page.Size);
            var frames = new FrameAllocator(map);
            ulong total = frames.FreeFrames;
            var random = new System.Random(seed);
            var held = new System.Collections.Generic.List<(ulong Pfn, int Order)>();
            var owner = new System.Collections.Generic.Dictionary<ulong, int>();
            for (int step = 0; step < 3000; step++)
            {
                if (held.Count > 0 && random.Next(2) == 0)
                {
                    int i = random.Next(held.Count);
                    var (pfn, order) = held[i];
                    held.RemoveAt(i);
                    for (ulong f = 0; f < 1UL << order; f++)
                        owner.Remove(pfn + f);
                    frames.Free(pfn, order);
                }
                else
                {
                    int order = random.Next(5);
                    ulong pfn = frames.Alloc(order);
                    if (pfn == FrameAllocator.NoFrame)
                        continue;
                    Assert.Equal(0UL, pfn & ((1UL << order) - 1));
                    for (ulong f = 0; f < 1UL << order; f++)
                        Assert.True(owner.TryAdd(pfn + f, step), "frame handed out twice");
                    held.Add((pfn, order));
                }
                Invariants.CheckAllocator(frames);
                Assert.Equal(total - (ulong)owner.Count, frames.FreeFrames);
            }
            foreach (var (pfn, order) in held)
                frames.Free(pfn, order);
            Invariants.CheckAllocator(frames);
            Assert.Equal(total, frames.FreeFrames);
            // Fully coalesced: frames 2048..3071 are one order-10 block again.
            Assert.Equal(2048UL, frames.FirstFree(FrameAllocator.MaxOrder));
        }
    }
}
