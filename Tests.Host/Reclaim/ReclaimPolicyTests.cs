using Cowbird.Mm;
using Cowbird.Mm.Physical;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Vm;
using Xunit;
using static Cowbird.Tests.Host.Swap.SwapScenario;

namespace Cowbird.Tests.Host.Reclaim
{
    // What reclaim may and may not take.
    public class ReclaimPolicyTests
    {
        [Theory, AllDesigns]
        public void A_pinned_page_is_never_swapped_out(RmapDesign design)
        {
            using var m = new TestMachine(64, swapPages: 64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 3);
            WritePages(m, a, p, 3, 1);
            ulong pinned = PteOf(a, p + Page.Size).Frame;
            m.Frames.Get(pinned);                               // a kernel pin (get_user_pages)
            m.ExtraReferences = pfn => pfn == pinned ? 1 : 0;
            ReclaimAll(m);
            Assert.True(PteOf(a, p).IsSwap);
            Assert.True(PteOf(a, p + Page.Size).IsPresent);
            Assert.True(PteOf(a, p + 2 * Page.Size).IsSwap);
            m.Frames.Put(pinned);
            m.ExtraReferences = null;
            ReclaimAll(m);
            Assert.True(PteOf(a, p + Page.Size).IsSwap);
            AssertPages(m, a, p, 3, 1);
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Page_tables_and_shared_object_nodes_are_never_on_the_lru(RmapDesign design)
        {
            using var m = new TestMachine(64, swapPages: 64, rmap: design);
            var a = m.NewSpace();
            long s = a.Mmap(0, 2 * Page.Size, Protection.Read | Protection.Write, MapFlags.Shared | MapFlags.Anonymous);
            ulong p = m.MapAnonymous(a, 2);
            m.WriteU64(a, (ulong)s, 1);
            m.WriteU64(a, p, 2);
            m.Check();                                          // CheckLru: exactly user pages listed
            Assert.Equal(2UL, m.Manager.Lru.InactiveCount + m.Manager.Lru.ActiveCount);
            ReclaimAll(m);
            Assert.Equal(0UL, m.Manager.Lru.InactiveCount + m.Manager.Lru.ActiveCount);
            Assert.True(m.Manager.Stat.PageTablePages > 0);
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Fork_under_memory_pressure_reclaims_for_the_childs_page_tables(RmapDesign design)
        {
            using var m = new TestMachine(40, swapPages: 256, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 60);
            for (int i = 0; i < 60; i++)
            {
                m.WriteU64(a, p + (ulong)i * Page.Size, (ulong)i + 100);
                m.Check();
            }
            // Leave one frame (the child's PML4): every page table the copy needs must come
            // from reclaim.
            var held = new System.Collections.Generic.List<ulong>();
            while (m.Frames.FreeFrames > 1)
                held.Add(m.Frames.AllocFrame());
            ulong stolen = m.Manager.Stat.PgSteal;
            var child = m.Fork(a);
            Assert.True(m.Manager.Stat.PgSteal > stolen);
            foreach (ulong pfn in held)
                m.Frames.Free(pfn, 0);
            m.Check();
            for (int i = 0; i < 60; i++)
                Assert.Equal((ulong)i + 100, m.ReadU64(child, p + (ulong)i * Page.Size));
            m.Check();
            m.AssertNoLeaks();
        }
    }
}
