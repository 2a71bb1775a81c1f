using Cowbird.Mm;
using Cowbird.Mm.Physical;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Swap;
using Cowbird.Mm.Vm;
using Xunit;
using static Cowbird.Tests.Host.Swap.SwapScenario;

namespace Cowbird.Tests.Host.Swap
{
    // Swap wired into the MM: swap-out through reclaim, swap-in through the fault
    // handler, slots freed by zap and exit, duplicated by fork.
    public class SwapInOutTests
    {
        [Theory, AllDesigns]
        public void Pages_swapped_out_and_back_in_keep_their_data(RmapDesign design)
        {
            using var m = new TestMachine(64, swapPages: 64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 8);
            WritePages(m, a, p, 8, 1);
            ulong freeBefore = m.Frames.FreeFrames;
            ReclaimAll(m);
            for (int i = 0; i < 8; i++)
                Assert.True(PteOf(a, p + (ulong)i * Page.Size).IsSwap);
            Assert.Equal(8UL, m.Manager.Stat.PswpOut);
            Assert.Equal(freeBefore + 8, m.Frames.FreeFrames);
            Assert.Equal(8UL, m.Manager.Stat.SwapTotal - m.Manager.Stat.SwapFree);
            AssertPages(m, a, p, 8, 1);
            Assert.Equal(8UL, m.Manager.Stat.PswpIn);
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void A_swapped_page_faulted_by_parent_and_child_is_read_once_into_one_frame(RmapDesign design)
        {
            using var m = new TestMachine(64, swapPages: 64, rmap: design);
            m.Manager.SwapState.ReadAheadWindow = 1;
            ulong p = ForkAndSwapOut(m, 1, 7, out AddressSpace parent, out AddressSpace child);
            var entry = SwapEntry.FromPte(PteOf(parent, p).Raw);
            Assert.Equal(PteOf(parent, p).Raw, PteOf(child, p).Raw);
            Assert.Equal(2u, m.Swap.Count(entry));
            m.SwapDisk.Reads = 0;
            AssertPages(m, parent, p, 1, 7);
            AssertPages(m, child, p, 1, 7);
            Assert.Equal(1, m.SwapDisk.Reads);
            Assert.Equal(1UL, m.Manager.Stat.SwapCacheHit);
            ulong frame = PteOf(parent, p).Frame;
            Assert.Equal(frame, PteOf(child, p).Frame);
            Assert.Equal(2, m.Frames.Frame(frame).MapCount);
            Assert.False(PteOf(parent, p).IsWritable);
            // The last holder swapped in: the slot is free and the cache forgot the page.
            Assert.Equal(m.Swap.TotalSlots, m.Swap.FreeSlots);
            Assert.Equal(0UL, m.Swap.Cache.Count);
            // Copy-on-write still separates them.
            m.WriteU64(child, p, 99);
            m.Check();
            Assert.Equal(Pattern(7, 0, 0), m.ReadU64(parent, p));
            Assert.Equal(99UL, m.ReadU64(child, p));
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void The_last_holder_of_a_slot_maps_the_page_writable_without_a_copy(RmapDesign design)
        {
            using var m = new TestMachine(64, swapPages: 64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 1);
            WritePages(m, a, p, 1, 3);
            ReclaimAll(m);
            Assert.Equal(Pattern(3, 0, 0), m.ReadU64(a, p));
            Assert.True(PteOf(a, p).IsWritable);
            m.WriteU64(a, p, 5);
            Assert.Equal(0UL, m.Manager.Stat.PgCowFault);
            Assert.Equal(0UL, m.Swap.Cache.Count);
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void A_write_to_a_swap_cached_page_copies_it_and_the_cached_copy_serves_the_others(RmapDesign design)
        {
            using var m = new TestMachine(64, swapPages: 64, rmap: design);
            m.Manager.SwapState.ReadAheadWindow = 1;
            ulong p = ForkAndSwapOut(m, 1, 4, out AddressSpace parent, out AddressSpace child);
            Assert.Equal(Pattern(4, 0, 0), m.ReadU64(parent, p));   // read in, cached, read-only
            Assert.Equal(1UL, m.Swap.Cache.Count);
            m.WriteU64(parent, p, 1234);                             // copy-on-write
            m.Check();
            Assert.Equal(1UL, m.Manager.Stat.PgCowFault);
            m.SwapDisk.Reads = 0;
            AssertPages(m, child, p, 1, 4);                          // from the cache
            Assert.Equal(0, m.SwapDisk.Reads);
            Assert.Equal(1234UL, m.ReadU64(parent, p));
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Read_ahead_brings_neighbouring_slots_into_the_swap_cache_and_counts_hits(RmapDesign design)
        {
            using var m = new TestMachine(128, swapPages: 64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 8);
            WritePages(m, a, p, 8, 2);
            ReclaimAll(m);
            m.SwapDisk.Reads = 0;
            AssertPages(m, a, p, 8, 2);
            // Slots 1..8 hold the pages; the aligned 8-slot windows are [0,8) and [8,16):
            // the first fault reads slots 1..7 at once, page 7 (slot 8) needs its own read.
            Assert.Equal(8, m.SwapDisk.Reads);
            Assert.Equal(8UL, m.Manager.Stat.PswpIn);
            Assert.Equal(6UL, m.Manager.Stat.SwapRa);
            Assert.Equal(6UL, m.Manager.Stat.SwapRaHit);
            Assert.Equal(2UL, m.Manager.Stat.SwapInFault - m.Manager.Stat.SwapCacheHit);
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Munmap_and_exit_free_the_slots_of_swapped_pages(RmapDesign design)
        {
            using var m = new TestMachine(64, swapPages: 64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 6);
            WritePages(m, a, p, 6, 1);
            var b = m.Fork(a);
            ReclaimAll(m);
            Assert.Equal(6UL, m.Swap.TotalSlots - m.Swap.FreeSlots);
            Assert.Equal(0, a.Munmap(p, 3 * Page.Size));
            m.Check();
            Assert.Equal(6UL, m.Swap.TotalSlots - m.Swap.FreeSlots);   // b still holds them
            m.Exit(b);
            m.Check();
            Assert.Equal(3UL, m.Swap.TotalSlots - m.Swap.FreeSlots);
            AssertPages(m, a, p + 3 * Page.Size, 0, 1);
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Mremap_moves_a_swapped_cow_shared_region_and_both_processes_keep_their_data(RmapDesign design)
        {
            using var m = new TestMachine(64, swapPages: 64, rmap: design);
            ulong p = ForkAndSwapOut(m, 4, 5, out AddressSpace parent, out AddressSpace child);
            ulong target = 0x5000_0000;
            Assert.Equal((long)target, parent.Mremap(p, 4 * Page.Size, 4 * Page.Size, RemapFlags.MayMove | RemapFlags.Fixed, target));
            m.Check();
            Assert.True(PteOf(parent, target).IsSwap);
            AssertPages(m, parent, target, 4, 5);
            AssertPages(m, child, p, 4, 5);
            m.WriteU64(parent, target, 77);
            m.Check();
            Assert.Equal(Pattern(5, 0, 0), m.ReadU64(child, p));
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Mprotect_of_a_swapped_region_keeps_the_entries_and_the_data(RmapDesign design)
        {
            using var m = new TestMachine(64, swapPages: 64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 4);
            WritePages(m, a, p, 4, 6);
            ReclaimAll(m);
            Assert.Equal(0, a.Mprotect(p + Page.Size, 2 * Page.Size, Protection.None));
            m.Check();
            Assert.Equal(FaultResult.SegvAccErr, m.TryAccess(a, p + Page.Size, AccessKind.Read));
            Assert.Equal(0, a.Mprotect(p, 4 * Page.Size, Protection.Read));
            m.Check();
            AssertPages(m, a, p, 4, 6);
            Assert.Equal(FaultResult.SegvAccErr, m.TryAccess(a, p, AccessKind.Write));
            ReclaimAll(m);
            Assert.Equal(0, a.Mprotect(p, 4 * Page.Size, Protection.Read | Protection.Write));
            m.Check();
            WritePages(m, a, p, 4, 8);
            AssertPages(m, a, p, 4, 8);
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Shared_anonymous_pages_swap_out_and_come_back_for_every_process(RmapDesign design)
        {
            using var m = new TestMachine(64, swapPages: 64, rmap: design);
            var a = m.NewSpace();
            long p = a.Mmap(0, 4 * Page.Size, Protection.Read | Protection.Write, MapFlags.Shared | MapFlags.Anonymous);
            Assert.True(p > 0);
            ulong s = (ulong)p;
            WritePages(m, a, s, 4, 9);
            var b = m.Fork(a);
            var c = m.Fork(b);
            AssertPages(m, c, s, 4, 9);
            ReclaimAll(m);
            Assert.True(PteOf(a, s).IsNone);                   // shared PTEs are cleared
            Assert.Equal(4UL, m.Swap.TotalSlots - m.Swap.FreeSlots);
            m.SwapDisk.Reads = 0;
            AssertPages(m, b, s, 4, 9);
            Assert.Equal(4, m.SwapDisk.Reads);
            AssertPages(m, a, s, 4, 9);
            AssertPages(m, c, s, 4, 9);
            Assert.Equal(4, m.SwapDisk.Reads);                  // one read per page for all three
            Assert.Equal(m.Swap.TotalSlots, m.Swap.FreeSlots);
            WritePages(m, c, s, 4, 10);
            ReclaimAll(m);
            AssertPages(m, a, s, 4, 10);
            m.Exit(a);
            ReclaimAll(m);
            m.Exit(b);
            m.Exit(c);                                          // the object frees its slots
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public unsafe void Kernel_copies_to_and_from_swapped_pages()
        {
            using var m = new TestMachine(64, swapPages: 64);
            ulong p = ForkAndSwapOut(m, 2, 11, out AddressSpace parent, out AddressSpace child);
            ulong value = 0;
            Assert.Equal(Errno.None, UserMemory.CopyFromUser(child, (byte*)&value, p + Page.Size, 8));
            Assert.Equal(Pattern(11, 1, 0), value);
            ReclaimAll(m);
            ulong written = 0xABCDEF;
            Assert.Equal(Errno.None, UserMemory.CopyToUser(child, p, (byte*)&written, 8));
            m.Check();
            Assert.Equal(0xABCDEFUL, m.ReadU64(child, p));
            AssertPages(m, parent, p, 2, 11);                   // never written through the shared page
            m.AssertNoLeaks();
        }
    }
}
