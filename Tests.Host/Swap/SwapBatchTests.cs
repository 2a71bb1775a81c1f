using Cowbird.Mm;
using Cowbird.Mm.Physical;
using Cowbird.Mm.Reclaim;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Swap;
using Cowbird.Mm.Vm;
using Xunit;
using static Cowbird.Tests.Host.Swap.SwapScenario;

namespace Cowbird.Tests.Host.Swap
{
    // Batched swap I/O: reclaim writes a batch of pages on consecutive slots as one device
    // request, read-ahead reads its window as one request, and a failing request leaves
    // every page of it consistent.
    public class SwapBatchTests
    {
        [Theory, AllDesigns]
        public void Reclaim_writes_a_sequential_fill_in_one_command_per_batch(RmapDesign design)
        {
            using var m = new TestMachine(256, swapPages: 256, rmap: design);
            ulong p = FillAndSwapOut(m, 64, 5, out AddressSpace a);
            Assert.Equal(64UL, m.Manager.Stat.PswpOut);
            Assert.Equal(64, m.SwapDisk.Writes);
            Assert.Equal(64 / SwapOutBatch.Capacity, m.SwapDisk.WriteRequests);
            Assert.Equal((ulong)m.SwapDisk.WriteRequests, m.Manager.Stat.SwapWriteCommands);
            for (int i = 0; i < 64; i++)
                Assert.Equal((ulong)(i + 1), SwapEntry.FromPte(PteOf(a, p + (ulong)i * Page.Size).Raw).Slot);
            AssertPages(m, a, p, 64, 5);
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Read_back_of_a_sequential_fill_reads_each_window_in_one_command(RmapDesign design)
        {
            using var m = new TestMachine(256, swapPages: 256, rmap: design);
            ulong p = FillAndSwapOut(m, 64, 6, out AddressSpace a);
            m.SwapDisk.Reads = 0;
            AssertPages(m, a, p, 64, 6);
            // Slots 1..64 in aligned windows of 8: [0,8) holds slots 1..7, then seven full
            // windows, then slot 64 alone in [64,72): nine requests for 64 pages.
            Assert.Equal(64, m.SwapDisk.Reads);
            Assert.Equal(9, m.SwapDisk.ReadRequests);
            Assert.Equal(9UL, m.Manager.Stat.SwapReadCommands);
            Assert.Equal(64UL, m.Manager.Stat.PswpIn);
            Assert.Equal(55UL, m.Manager.Stat.SwapRa);
            Assert.Equal(55UL, m.Manager.Stat.SwapRaHit);
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void A_failed_batch_write_keeps_its_pages_cached_and_dirty_until_a_later_reclaim_writes_them(RmapDesign design)
        {
            using var m = new TestMachine(128, swapPages: 128, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 16);
            WritePages(m, a, p, 16, 7);
            m.SwapDisk.FailPage = 5;
            ReclaimAll(m);
            // Slots 1..16 are one run: its request failed whole, nothing was written.
            Assert.Equal(0UL, m.Manager.Stat.PswpOut);
            Assert.Equal(16UL, m.Manager.Stat.SwapWriteError);
            Assert.Equal(16UL, m.Swap.Cache.Count);
            for (int i = 0; i < 16; i++)
            {
                Assert.True(PteOf(a, p + (ulong)i * Page.Size).IsSwap);
                Assert.True(m.Swap.Cache.Lookup(SwapEntry.FromPte(PteOf(a, p + (ulong)i * Page.Size).Raw), out ulong pfn));
                Assert.NotEqual(0, (int)(m.Frames.Frame(pfn).Flags & PageFrameFlags.Dirty));
            }
            m.SwapDisk.FailPage = -1;
            ReclaimAll(m);
            Assert.Equal(16UL, m.Manager.Stat.PswpOut);
            Assert.Equal(0UL, m.Swap.Cache.Count);
            AssertPages(m, a, p, 16, 7);
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void A_bad_slot_in_the_read_ahead_window_fails_only_its_own_page(RmapDesign design)
        {
            using var m = new TestMachine(128, swapPages: 64, rmap: design);
            ulong p = FillAndSwapOut(m, 7, 8, out AddressSpace a);
            m.SwapDisk.FailPage = 3;                       // page 2's slot
            Assert.Equal(Pattern(8, 0, 0), m.ReadU64(a, p));
            m.Check();
            // The window's request (slots 1..7) failed; slot 1 was read again by itself,
            // and nothing was read ahead.
            Assert.Equal(1UL, m.Manager.Stat.PswpIn);
            Assert.Equal(0UL, m.Manager.Stat.SwapRa);
            Assert.Equal(0UL, m.Swap.Cache.Count);
            Assert.Equal(FaultResult.SigBus, m.TryAccess(a, p + 2 * Page.Size, AccessKind.Read));
            m.Check();
            m.SwapDisk.FailPage = -1;
            AssertPages(m, a, p, 7, 8);
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Shared_pages_of_one_batch_get_consecutive_slots_and_one_command(RmapDesign design)
        {
            using var m = new TestMachine(128, swapPages: 128, rmap: design);
            var a = m.NewSpace();
            ulong p = (ulong)a.Mmap(0, 16 * Page.Size, Protection.Read | Protection.Write, MapFlags.Shared | MapFlags.Anonymous);
            WritePages(m, a, p, 16, 9);
            ReclaimAll(m);
            Assert.Equal(16UL, m.Manager.Stat.PswpOut);
            Assert.Equal(1UL, m.Manager.Stat.SwapWriteCommands);
            AssertPages(m, a, p, 16, 9);
            m.AssertNoLeaks();
        }

        [Fact]
        public unsafe void WritePages_refuses_a_run_reaching_a_free_slot_and_writes_nothing()
        {
            var disk = SwapDisks.Formatted(64);
            var space = new SwapSpace(64);
            using var scratch = new PageBuffer();
            Assert.Equal(0, space.SwapOn(disk, scratch.Pointer, out _, out _));
            Assert.Equal(0, space.AllocateEntry(out SwapEntry first));
            Assert.Equal(0, space.AllocateEntry(out _));
            byte** pages = stackalloc byte*[3];
            for (int i = 0; i < 3; i++)
                pages[i] = scratch.Pointer;
            Assert.Equal(-(int)Errno.EINVAL, space.WritePages(first, pages, 3));
            Assert.Equal(-(int)Errno.EINVAL, space.ReadPages(first, pages, 0));
            Assert.Equal(0, disk.Writes);
            Assert.Equal(0, space.WritePages(first, pages, 2));
            Assert.Equal(2, disk.Writes);
            Assert.Equal(1, disk.WriteRequests);
            Assert.Equal(2UL, space.PswpOut);
            Assert.Equal(1UL, space.WriteCommands);
        }
    }
}
