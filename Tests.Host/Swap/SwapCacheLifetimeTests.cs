using Cowbird.Mm;
using Cowbird.Mm.Physical;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Swap;
using Cowbird.Mm.Vm;
using Xunit;
using static Cowbird.Tests.Host.Swap.SwapScenario;

namespace Cowbird.Tests.Host.Swap
{
    // How long a page stays in the swap cache, and what reclaim does with cached pages.
    public class SwapCacheLifetimeTests
    {
        [Theory, AllDesigns]
        public void A_cached_page_leaves_the_cache_when_the_last_swap_pte_naming_it_goes(RmapDesign design)
        {
            using var m = new TestMachine(64, swapPages: 64, rmap: design);
            m.Manager.SwapState.ReadAheadWindow = 1;
            ulong p = ForkAndSwapOut(m, 1, 2, out AddressSpace parent, out AddressSpace child);
            AssertPages(m, parent, p, 1, 2);                 // cached: the child's PTE names the slot
            ulong frame = PteOf(parent, p).Frame;
            Assert.True((m.Frames.Frame(frame).Flags & PageFrameFlags.SwapCache) != 0);
            m.Exit(child);                                   // zap frees the slot and the cache entry
            m.Check();
            Assert.Equal(0UL, m.Swap.Cache.Count);
            Assert.Equal(m.Swap.TotalSlots, m.Swap.FreeSlots);
            Assert.Equal(1, m.Frames.Frame(frame).RefCount);
            m.WriteU64(parent, p, 3);                        // now exclusive: reused in place
            Assert.Equal(frame, PteOf(parent, p).Frame);
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void A_clean_cached_page_is_reclaimed_without_writing_it_again(RmapDesign design)
        {
            using var m = new TestMachine(64, swapPages: 64, rmap: design);
            m.Manager.SwapState.ReadAheadWindow = 1;
            ulong p = ForkAndSwapOut(m, 1, 5, out AddressSpace parent, out AddressSpace child);
            Assert.Equal(1, m.SwapDisk.Writes);
            AssertPages(m, parent, p, 1, 5);
            ReclaimAll(m);                                   // the slot still holds the data
            Assert.Equal(1, m.SwapDisk.Writes);
            Assert.True(PteOf(parent, p).IsSwap);
            AssertPages(m, child, p, 1, 5);
            AssertPages(m, parent, p, 1, 5);
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Read_ahead_pages_nobody_faults_on_are_dropped_by_reclaim_without_a_write(RmapDesign design)
        {
            using var m = new TestMachine(64, swapPages: 64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 4);
            WritePages(m, a, p, 4, 6);
            ReclaimAll(m);
            int writes = m.SwapDisk.Writes;
            Assert.Equal(Pattern(6, 0, 0), m.ReadU64(a, p));
            Assert.Equal(3UL, m.Swap.Cache.Count);            // pages 1-3 read ahead, unmapped
            ReclaimAll(m);
            Assert.Equal(0UL, m.Swap.Cache.Count);
            // Page 0 left the cache when it was mapped exclusively, so it needs a new write;
            // the three read-ahead pages were clean copies of their slots and just dropped.
            Assert.Equal(writes + 1, m.SwapDisk.Writes);
            AssertPages(m, a, p, 4, 6);
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void A_shared_page_read_ahead_by_a_private_fault_is_adopted_by_its_object(RmapDesign design)
        {
            using var m = new TestMachine(64, swapPages: 64, rmap: design);
            var a = m.NewSpace();
            ulong priv = m.MapAnonymous(a, 1);
            long shared = a.Mmap(0, Page.Size, Protection.Read | Protection.Write, MapFlags.Shared | MapFlags.Anonymous);
            Assert.True(shared > 0);
            m.WriteU64(a, priv, 11);
            m.WriteU64(a, (ulong)shared, 22);
            m.Check();
            ReclaimAll(m);                                    // neighbouring slots of one cluster
            m.SwapDisk.Reads = 0;
            Assert.Equal(11UL, m.ReadU64(a, priv));            // reads both slots
            Assert.Equal(2, m.SwapDisk.Reads);
            Assert.Equal(22UL, m.ReadU64(a, (ulong)shared));   // from the cache: no read
            Assert.Equal(2, m.SwapDisk.Reads);
            m.Check();
            Assert.Equal(m.Swap.TotalSlots, m.Swap.FreeSlots);
            m.AssertNoLeaks();
        }

        [Fact]
        public void Swap_works_the_same_with_the_page_table_scan_reverse_map()
        {
            using var m = new TestMachine(64, swapPages: 128);
            m.Manager.SetReverseMap(new PageTableScanReverseMap(m.Manager));
            var parent = m.NewSpace();
            ulong p = m.MapAnonymous(parent, 8);
            WritePages(m, parent, p, 8, 1);
            var child = m.Fork(parent);
            WritePages(m, child, p, 4, 2);
            ReclaimAll(m);
            AssertPages(m, parent, p, 8, 1);
            AssertPages(m, child, p, 4, 2);
            ReclaimAll(m);
            for (int i = 4; i < 8; i++)
                Assert.Equal(Pattern(1, i, 0), m.ReadU64(child, p + (ulong)i * Page.Size));
            m.AssertNoLeaks();
        }
    }
}
