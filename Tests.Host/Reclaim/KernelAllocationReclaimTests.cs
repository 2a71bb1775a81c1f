using System.Collections.Generic;
using Cowbird.Mm;
using Cowbird.Mm.Vm;
using Xunit;
using static Cowbird.Tests.Host.Swap.SwapScenario;

namespace Cowbird.Tests.Host.Reclaim
{
    // Frames for kernel structures that can wait (a new PML4, page tables, a shared
    // object's page-index nodes) come through MemoryManager.AllocateFrameWithReclaim:
    // with the allocator empty they are made by swapping user pages out, and they fail
    // only when nothing can be reclaimed.
    public class KernelAllocationReclaimTests
    {
        const int Pages = 24;

        // Takes every free frame out of the allocator (what another subsystem might hold).
        static List<ulong> TakeAllFreeFrames(TestMachine m)
        {
            var held = new List<ulong>();
            while (m.Frames.FreeFrames > 0)
                held.Add(m.Frames.AllocFrame());
            return held;
        }

        static void Release(TestMachine m, List<ulong> held)
        {
            foreach (ulong pfn in held)
                m.Frames.Free(pfn, 0);
            held.Clear();
        }

        // A machine whose RAM is full of one process's written pages and nothing else.
        static (TestMachine, AddressSpace, ulong) FullMachine(int swapPages)
        {
            var m = new TestMachine(48, swapPages: swapPages);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, Pages);
            WritePages(m, a, p, Pages, 3);
            return (m, a, p);
        }

        [Fact]
        public void A_new_address_space_gets_its_pml4_by_reclaim_when_no_frame_is_free()
        {
            var (m, a, p) = FullMachine(swapPages: 128);
            using (m)
            {
                List<ulong> held = TakeAllFreeFrames(m);
                ulong stolen = m.Manager.Stat.PgSteal;
                AddressSpace b = AddressSpace.Create(m.Manager);
                Assert.NotNull(b);
                Assert.True(m.Manager.Stat.PgSteal > stolen);
                m.Spaces.Add(b);
                Release(m, held);
                m.Check();
                AssertPages(m, a, p, Pages, 3);
                m.AssertNoLeaks();
            }
        }

        [Fact]
        public void Without_anything_to_reclaim_a_new_address_space_is_refused_cleanly()
        {
            var (m, a, p) = FullMachine(swapPages: 0);
            using (m)
            {
                List<ulong> held = TakeAllFreeFrames(m);
                Assert.Null(AddressSpace.Create(m.Manager));
                Release(m, held);
                m.Check();
                AssertPages(m, a, p, Pages, 3);
                m.AssertNoLeaks();
            }
        }

        [Fact]
        public void Mremap_builds_the_destinations_page_tables_by_reclaiming_the_moved_pages()
        {
            var (m, a, p) = FullMachine(swapPages: 128);
            using (m)
            {
                // 1 GiB away: a new page directory and page table are needed.
                ulong destination = p + (1UL << 30);
                List<ulong> held = TakeAllFreeFrames(m);
                ulong stolen = m.Manager.Stat.PgSteal;
                Assert.Equal((long)destination, a.Mremap(p, Pages * Page.Size, Pages * Page.Size,
                                                         RemapFlags.MayMove | RemapFlags.Fixed, destination));
                Assert.True(m.Manager.Stat.PgSteal > stolen);
                Release(m, held);
                m.Check();
                AssertPages(m, a, destination, Pages, 3);
                m.Check();
                m.AssertNoLeaks();
            }
        }

        [Fact]
        public void Mremap_without_anything_to_reclaim_fails_with_enomem_and_changes_nothing()
        {
            var (m, a, p) = FullMachine(swapPages: 0);
            using (m)
            {
                ulong destination = p + (1UL << 30);
                List<ulong> held = TakeAllFreeFrames(m);
                Assert.Equal(-(long)Errno.ENOMEM, a.Mremap(p, Pages * Page.Size, Pages * Page.Size,
                                                           RemapFlags.MayMove | RemapFlags.Fixed, destination));
                Release(m, held);
                m.Check();
                AssertPages(m, a, p, Pages, 3);
                m.AssertNoLeaks();
            }
        }

        [Fact]
        public void A_page_index_node_is_allocated_by_reclaim_when_no_frame_is_free()
        {
            var (m, a, p) = FullMachine(swapPages: 128);
            using (m)
            {
                var tree = new PageIndexTree(m.Manager);
                List<ulong> held = TakeAllFreeFrames(m);
                ulong stolen = m.Manager.Stat.PgSteal;
                Assert.True(tree.Store(1UL << 20, 0x5000));      // three levels: three nodes
                Assert.True(m.Manager.Stat.PgSteal > stolen);
                Assert.Equal(0x5000UL, tree.Lookup(1UL << 20));
                tree.Clear();
                Release(m, held);
                m.Check();
                AssertPages(m, a, p, Pages, 3);
                m.AssertNoLeaks();
            }
        }

        [Fact]
        public void A_first_touch_of_a_shared_page_with_ram_full_is_served_by_reclaim()
        {
            var (m, a, p) = FullMachine(swapPages: 128);
            using (m)
            {
                long s = a.Mmap(0, 4 * Page.Size, Protection.Read | Protection.Write, MapFlags.Shared | MapFlags.Anonymous);
                Assert.True(s > 0);
                List<ulong> held = TakeAllFreeFrames(m);
                m.WriteU64(a, (ulong)s + 3 * Page.Size, 77);
                Release(m, held);
                m.Check();
                Assert.Equal(77UL, m.ReadU64(a, (ulong)s + 3 * Page.Size));
                AssertPages(m, a, p, Pages, 3);
                m.AssertNoLeaks();
            }
        }
    }
}
