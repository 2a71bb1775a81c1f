using System.Collections.Generic;
using Cowbird.Mm;
using Cowbird.Mm.Physical;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Vm;
using Xunit;
using static Cowbird.Tests.Host.Swap.SwapScenario;

namespace Cowbird.Tests.Host.Reclaim
{
    // The reclaimer: LRU second chance, watermarks, swapping under constant pressure,
    // and the clear failures (out of memory, I/O errors) that must never corrupt data.
    public class ReclaimTests
    {
        [Theory, AllDesigns]
        public void New_pages_start_on_the_inactive_list_and_leave_it_when_freed(RmapDesign design)
        {
            using var m = new TestMachine(64, swapPages: 64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 4);
            WritePages(m, a, p, 4, 1);
            Assert.Equal(4UL, m.Manager.Lru.InactiveCount);
            Assert.Equal(0UL, m.Manager.Lru.ActiveCount);
            Assert.Equal(0, a.Munmap(p, 4 * Page.Size));
            m.Check();
            Assert.Equal(0UL, m.Manager.Lru.InactiveCount);
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void A_page_touched_between_scans_gets_a_second_chance(RmapDesign design)
        {
            using var m = new TestMachine(64, swapPages: 64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 8);
            WritePages(m, a, p, 8, 1);
            // First scan: every page was just used, so all are activated (Accessed cleared)
            // before aging moves the least recently listed one down and evicts it.
            Assert.Equal(1UL, ForceReclaim(m, 1));
            Assert.True(m.Manager.Stat.PgActivate >= 8);
            int firstVictim = SwappedPages(a, p, 8)[0];
            // The page that would go next is touched: the next scan must pick another.
            int next = -1;
            for (int i = 0; i < 8; i++)
                if (i != firstVictim && !PteOf(a, p + (ulong)i * Page.Size).IsSwap)
                {
                    ulong pfn = PteOf(a, p + (ulong)i * Page.Size).Frame;
                    if (pfn == m.Manager.Lru.InactiveTail || (next < 0 && m.Manager.Lru.InactiveTail == 0 && pfn == m.Manager.Lru.ActiveTail))
                        next = i;
                }
            Assert.True(next >= 0, "no page is next in line");
            m.ReadU64(a, p + (ulong)next * Page.Size);
            Assert.Equal(1UL, ForceReclaim(m, 1));
            Assert.False(PteOf(a, p + (ulong)next * Page.Size).IsSwap);
            Assert.Equal(2, SwappedPages(a, p, 8).Count);
            AssertPages(m, a, p, 8, 1);
            m.AssertNoLeaks();
        }

        static List<int> SwappedPages(AddressSpace space, ulong start, int pages)
        {
            var swapped = new List<int>();
            for (int i = 0; i < pages; i++)
                if (PteOf(space, start + (ulong)i * Page.Size).IsSwap)
                    swapped.Add(i);
            return swapped;
        }

        [Theory, AllDesigns]
        public void An_allocation_below_the_low_watermark_reclaims_up_to_the_high_one(RmapDesign design)
        {
            using var m = new TestMachine(64, swapPages: 128, rmap: design);
            var marks = m.Manager.Reclaimer.Watermarks;
            Assert.True(marks.Min < marks.Low && marks.Low < marks.High);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 100);
            for (int i = 0; i < 100; i++)
            {
                m.WriteU64(a, p + (ulong)i * Page.Size, (ulong)i + 1);
                // Page tables come straight from the allocator, so only they may dip below Low.
                Assert.True(m.Frames.FreeFrames + 1 >= marks.Min, "free " + m.Frames.FreeFrames);
                m.Check();
            }
            Assert.True(m.Manager.Stat.PswpOut > 0);
            Assert.True(m.Manager.Stat.PgSteal >= m.Manager.Stat.PswpOut);
            for (int i = 0; i < 100; i++)
                Assert.Equal((ulong)i + 1, m.ReadU64(a, p + (ulong)i * Page.Size));
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void A_working_set_three_times_ram_cycles_through_swap_with_data_intact(RmapDesign design)
        {
            const int frames = 64;
            const int pages = 3 * frames;
            using var m = new TestMachine(frames, swapPages: 4 * frames, rmap: design);
            var a = m.NewSpace();
            var b = m.NewSpace();
            ulong pa = m.MapAnonymous(a, pages / 2);
            ulong pb = m.MapAnonymous(b, pages / 2);
            for (int round = 0; round < 3; round++)
                for (int i = 0; i < pages / 2; i++)
                {
                    ulong offset = (ulong)i * Page.Size + (ulong)(round * 8);
                    if (round > 0)
                    {
                        Assert.Equal(Pattern(round - 1, i, 0), m.ReadU64(a, (ulong)i * Page.Size + pa + (ulong)((round - 1) * 8)));
                        Assert.Equal(Pattern(round - 1, i, 1), m.ReadU64(b, (ulong)i * Page.Size + pb + (ulong)((round - 1) * 8)));
                    }
                    m.WriteU64(a, pa + offset, Pattern(round, i, 0));
                    m.WriteU64(b, pb + offset, Pattern(round, i, 1));
                    m.Check();
                }
            Assert.True(m.Manager.Stat.PswpOut >= (ulong)pages, "pswpout " + m.Manager.Stat.PswpOut);
            Assert.True(m.Manager.Stat.PswpIn >= (ulong)frames, "pswpin " + m.Manager.Stat.PswpIn);
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void A_fork_chain_nine_deep_with_reclaim_between_levels_keeps_every_ancestors_data(RmapDesign design)
        {
            const int levels = 9;
            const int pages = 4;
            using var m = new TestMachine(96, swapPages: 256, rmap: design);
            var chain = new List<AddressSpace> { m.NewSpace() };
            ulong p = m.MapAnonymous(chain[0], levels * pages);
            for (int slice = 0; slice < levels; slice++)
                WritePages(m, chain[0], p + (ulong)(slice * pages) * Page.Size, pages, 0);
            for (int level = 1; level < levels; level++)
            {
                var child = m.Fork(chain[level - 1]);
                chain.Add(child);
                ReclaimAll(m);
                // Each level overwrites its own slice; every ancestor still sees its own data.
                WritePages(m, child, p + (ulong)(level * pages) * Page.Size, pages, level);
                ReclaimAll(m);
                for (int ancestor = 0; ancestor <= level; ancestor++)
                    for (int slice = 0; slice < levels; slice++)
                        AssertPages(m, chain[ancestor], p + (ulong)(slice * pages) * Page.Size, pages,
                                    slice <= ancestor ? slice : 0);
            }
            Assert.True(m.Manager.Stat.PswpOut > 0);
            for (int level = 0; level < levels; level += 2)
                m.Exit(chain[level]);
            ReclaimAll(m);
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Without_swap_a_full_ram_gives_out_of_memory_and_other_data_survives(RmapDesign design)
        {
            using var m = new TestMachine(48, rmap: design);
            m.AllowOvercommit();
            var other = m.NewSpace();
            ulong o = m.MapAnonymous(other, 4);
            WritePages(m, other, o, 4, 3);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 64);
            FaultResult result = FaultResult.Handled;
            int touched = 0;
            for (int i = 0; i < 64 && result == FaultResult.Handled; i++)
            {
                result = m.TryAccess(a, p + (ulong)i * Page.Size, AccessKind.Write);
                if (result == FaultResult.Handled) touched++;
                m.Check();
            }
            Assert.Equal(FaultResult.OutOfMemory, result);
            Assert.Equal(0UL, ForceReclaim(m, 8));
            Assert.Equal(0UL, m.Frames.FreeFrames);
            AssertPages(m, other, o, 4, 3);
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void With_a_full_swap_device_the_fault_reports_out_of_memory_and_data_survives(RmapDesign design)
        {
            using var m = new TestMachine(48, swapPages: 17, rmap: design);    // 16 slots
            m.AllowOvercommit();
            var other = m.NewSpace();
            ulong o = m.MapAnonymous(other, 4);
            WritePages(m, other, o, 4, 9);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 128);
            FaultResult result = FaultResult.Handled;
            int touched = 0;
            for (int i = 0; i < 128 && result == FaultResult.Handled; i++)
            {
                m.Mmu.Enter(a);
                result = m.Mmu.TryAccess(p + (ulong)i * Page.Size, AccessKind.Write);
                if (result == FaultResult.Handled)
                {
                    m.WriteU64(a, p + (ulong)i * Page.Size, Pattern(4, i, 0));
                    touched++;
                }
                m.Check();
            }
            Assert.Equal(FaultResult.OutOfMemory, result);
            Assert.Equal(0UL, m.Swap.FreeSlots);
            Assert.True(touched > 48 - 12, "touched " + touched);
            // Swapped pages need a frame to come back: free some resident ones first
            // (a killed process would do the same); every other page keeps its data.
            var dropped = new HashSet<int>();
            for (int i = 0; i < touched && dropped.Count < 16; i++)
                if (PteOf(a, p + (ulong)i * Page.Size).IsPresent)
                {
                    Assert.Equal(Pattern(4, i, 0), m.ReadU64(a, p + (ulong)i * Page.Size));
                    Assert.Equal(0, a.Munmap(p + (ulong)i * Page.Size, Page.Size));
                    dropped.Add(i);
                    m.Check();
                }
            for (int i = 0; i < touched; i++)
                if (!dropped.Contains(i))
                    Assert.Equal(Pattern(4, i, 0), m.ReadU64(a, p + (ulong)i * Page.Size));
            AssertPages(m, other, o, 4, 9);
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void A_write_error_keeps_the_page_resident_and_a_later_reclaim_writes_it(RmapDesign design)
        {
            using var m = new TestMachine(64, swapPages: 64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 2);
            WritePages(m, a, p, 2, 6);
            m.SwapDisk.FailAfter = 0;
            ulong free = m.Frames.FreeFrames;
            Assert.Equal(0UL, ForceReclaim(m, 2));
            Assert.True(m.Manager.Stat.SwapWriteError > 0);
            Assert.Equal(free, m.Frames.FreeFrames);
            Assert.Equal(0UL, m.Manager.Stat.PswpOut);
            // The page is still resident (in the swap cache behind its swap PTEs).
            m.SwapDisk.Reads = 0;
            AssertPages(m, a, p, 2, 6);
            Assert.Equal(0, m.SwapDisk.Reads);
            m.SwapDisk.FailAfter = -1;
            ReclaimAll(m);
            Assert.Equal(2UL, m.Manager.Stat.PswpOut);
            AssertPages(m, a, p, 2, 6);
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void A_read_error_gives_sigbus_and_a_retry_after_the_error_reads_the_data(RmapDesign design)
        {
            using var m = new TestMachine(64, swapPages: 64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 1);
            WritePages(m, a, p, 1, 8);
            ReclaimAll(m);
            m.SwapDisk.FailAfter = 0;
            Assert.Equal(FaultResult.SigBus, m.TryAccess(a, p, AccessKind.Read));
            m.Check();
            Assert.True(PteOf(a, p).IsSwap);
            Assert.Equal(1UL, m.Manager.Stat.SwapInError);
            m.SwapDisk.FailAfter = -1;
            AssertPages(m, a, p, 1, 8);
            m.AssertNoLeaks();
        }

        [Fact]
        public unsafe void A_kernel_copy_from_an_unreadable_swapped_page_returns_eio()
        {
            using var m = new TestMachine(64, swapPages: 64);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 1);
            WritePages(m, a, p, 1, 8);
            ReclaimAll(m);
            m.SwapDisk.FailAfter = 0;
            ulong value = 0;
            Assert.Equal(Errno.EIO, UserMemory.CopyFromUser(a, (byte*)&value, p, 8));
            m.SwapDisk.FailAfter = -1;
            m.Check();
            m.AssertNoLeaks();
        }
    }
}
