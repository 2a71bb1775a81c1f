using Cowbird.Mm;
using Cowbird.Mm.Physical;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Vm;
using Xunit;

namespace Cowbird.Tests.Host
{
    // madvise as Linux 6.1 answers it: which advice is accepted, the order of the checks,
    // and what DONTFORK, WIPEONFORK, FREE, REMOVE and POPULATE do to the pages.
    public class MadviseTests
    {
        const int EINVAL = -(int)Errno.EINVAL;

        static int Advise(AddressSpace a, ulong address, int pages, Advice advice)
        {
            return a.Madvise(address, (ulong)pages * Page.Size, (int)advice);
        }

        [Fact]
        public void Every_advice_linux_accepts_for_private_memory_returns_0_and_keeps_the_data()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 4);
            m.Write(a, p, 7);
            Advice[] hints =
            {
                Advice.Normal, Advice.Random, Advice.Sequential, Advice.WillNeed, Advice.DontFork, Advice.DoFork,
                Advice.WipeOnFork, Advice.KeepOnFork, Advice.Mergeable, Advice.Unmergeable, Advice.HugePage,
                Advice.NoHugePage, Advice.DontDump, Advice.DoDump, Advice.Cold, Advice.PageOut,
                Advice.PopulateRead, Advice.PopulateWrite, Advice.Normal,
            };
            foreach (Advice advice in hints)
                Assert.Equal(0, Advise(a, p, 4, advice));
            m.Check();
            Assert.Equal(7, m.Read(a, p));
            Assert.Equal(1, a.Vmas.Count);          // every flag set was cleared again: one VMA
            Assert.Equal(0, Advise(a, p, 4, Advice.DontNeedLocked));
            Assert.Equal(0, m.Read(a, p));
            m.AssertNoLeaks();
        }

        [Theory]
        [InlineData(-1)]
        [InlineData(5)]
        [InlineData(7)]
        [InlineData(25)]       // MADV_COLLAPSE: no transparent huge pages
        [InlineData(100)]      // MADV_HWPOISON: no memory-failure injection
        [InlineData(102)]
        public void Unknown_advice_is_EINVAL_before_the_address_is_looked_at(int advice)
        {
            using var m = new TestMachine(32);
            var a = m.NewSpace();
            Assert.Equal(EINVAL, a.Madvise(0x1001, 0, advice));
            m.AssertNoLeaks();
        }

        [Fact]
        public void Range_errors_come_in_linux_order()
        {
            using var m = new TestMachine(32);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 2);
            Assert.Equal(EINVAL, a.Madvise(p + 1, Page.Size, (int)Advice.Normal));
            Assert.Equal(EINVAL, a.Madvise(p, ulong.MaxValue, (int)Advice.Normal));              // rounds up to 0
            Assert.Equal(EINVAL, a.Madvise(p, ulong.MaxValue - 2 * Page.Size, (int)Advice.Normal)); // wraps
            Assert.Equal(0, a.Madvise(p, 0, (int)Advice.Normal));
            Assert.Equal(-(int)Errno.ENOMEM, Advise(a, p, 3, Advice.Normal));                      // runs into a hole
            Assert.Equal(-(int)Errno.ENOMEM, a.Madvise(AddressSpace.TaskSize, Page.Size, (int)Advice.Normal));
            Assert.Equal(-(int)Errno.ENOMEM, a.Madvise(AddressSpace.TaskSize + Page.Size, Page.Size, (int)Advice.DontNeed));
            Assert.Equal(-(int)Errno.ENOMEM, a.Madvise(0xFFFF_8000_0000_0000UL, Page.Size, (int)Advice.Free));
            m.AssertNoLeaks();
        }

        [Fact]
        public void A_flag_on_part_of_a_vma_splits_it_and_clearing_it_merges_it_back()
        {
            using var m = new TestMachine(32);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 4);
            m.Write(a, p + Page.Size, 3);
            Assert.Equal(0, Advise(a, p + Page.Size, 2, Advice.DontDump));
            Assert.Equal(3, a.Vmas.Count);
            Assert.Equal(VmaFlags.DontDump, a.FindVma(p + Page.Size).Flags & VmaFlags.DontDump);
            Assert.Equal(p + 3 * Page.Size, a.FindVma(p + Page.Size).End);
            Assert.Equal(0, Advise(a, p + Page.Size, 2, Advice.DoDump));
            Assert.Equal(1, a.Vmas.Count);
            Assert.Equal(3, m.Read(a, p + Page.Size));
            m.Check();
            m.AssertNoLeaks();
        }

        // A flag change that needs a split at vm.max_map_count is EAGAIN (Linux turns the
        // split's ENOMEM into EAGAIN); one that joins a neighbour still works.
        [Fact]
        public void A_flag_change_needing_a_split_at_the_map_count_limit_is_EAGAIN()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            const ulong Base = 0x1000_0000;
            int pages = AddressSpace.MaxMapCount + 8;
            Assert.Equal((long)Base, a.Mmap(Base, (ulong)pages * Page.Size, Protection.Read | Protection.Write,
                                            MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed | MapFlags.NoReserve));
            int result = 0;
            for (int i = 1; i < pages - 1 && result == 0; i += 2)
                result = a.Madvise(Base + (ulong)i * Page.Size, Page.Size, (int)Advice.DontDump);
            Assert.Equal(-(int)Errno.EAGAIN, result);
            Assert.Equal(AddressSpace.MaxMapCount, a.Vmas.Count);
            ulong last = a.Vmas.Last.Start;
            Assert.Equal(-(int)Errno.EAGAIN, a.Madvise(last + Page.Size, Page.Size, (int)Advice.DontFork));
            Assert.Equal(0, a.Madvise(Base, Page.Size, (int)Advice.DontDump));       // joins the next VMA
            Assert.Equal(AddressSpace.MaxMapCount - 1, a.Vmas.Count);
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Dontfork_leaves_the_child_without_the_mapping(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var parent = m.NewSpace();
            ulong p = m.MapAnonymous(parent, 2);
            m.Write(parent, p, 4);
            ulong committed = m.Manager.Commit.Committed;
            Assert.Equal(0, Advise(parent, p, 2, Advice.DontFork));
            var child = m.Fork(parent);
            m.Check();
            Assert.Null(child.FindVma(p));
            Assert.Equal(FaultResult.SegvMapErr, m.TryAccess(child, p, AccessKind.Read));
            Assert.Equal(committed, m.Manager.Commit.Committed);     // the skipped VMA is not charged
            Assert.Equal(4, m.Read(parent, p));
            Assert.Equal(0, Advise(parent, p, 2, Advice.DoFork));
            var second = m.Fork(parent);
            Assert.Equal(4, m.Read(second, p));
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Wipeonfork_gives_the_child_zeros_and_the_flag(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var parent = m.NewSpace();
            ulong p = m.MapAnonymous(parent, 2);
            m.Write(parent, p, 4);
            m.Write(parent, p + Page.Size, 5);
            Assert.Equal(0, Advise(parent, p, 2, Advice.WipeOnFork));
            var child = m.Fork(parent);
            m.Check();
            Assert.Equal(0, m.Read(child, p));
            m.Write(child, p + Page.Size, 9);
            Assert.Equal(4, m.Read(parent, p));
            Assert.Equal(5, m.Read(parent, p + Page.Size));
            Assert.Equal(VmaFlags.WipeOnFork, child.FindVma(p).Flags & VmaFlags.WipeOnFork);
            var grandchild = m.Fork(child);
            Assert.Equal(0, m.Read(grandchild, p + Page.Size));
            Assert.Equal(0, Advise(parent, p, 2, Advice.KeepOnFork));
            var second = m.Fork(parent);
            Assert.Equal(5, m.Read(second, p + Page.Size));
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void Wipeonfork_free_and_remove_are_refused_where_linux_refuses_them()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            ulong shared = m.MapShared(a, 2);
            ulong sharedReadOnly = m.MapShared(a, 1, Protection.Read);
            ulong priv = m.MapAnonymous(a, 1);
            Assert.Equal(EINVAL, Advise(a, shared, 2, Advice.WipeOnFork));
            Assert.Equal(EINVAL, Advise(a, shared, 2, Advice.Free));
            Assert.Equal(EINVAL, Advise(a, priv, 1, Advice.Remove));
            Assert.Equal(-(int)Errno.EACCES, Advise(a, sharedReadOnly, 1, Advice.Remove));
            Assert.Equal(0, Advise(a, shared, 2, Advice.Mergeable));       // KSM ignores shared memory
            Assert.Equal(VmaFlags.None, a.FindVma(shared).Flags & VmaFlags.Mergeable);
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Free_drops_exclusive_pages_and_keeps_pages_shared_with_a_child(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var parent = m.NewSpace();
            ulong p = m.MapAnonymous(parent, 3);
            m.Write(parent, p, 1);
            var child = m.Fork(parent);
            m.Write(parent, p + Page.Size, 2);        // after fork: the parent's own page
            Assert.Equal(0, Advise(parent, p, 3, Advice.Free));
            m.Check();
            Assert.False(parent.PageTable.Lookup(p).IsNone);          // still shared with the child
            Assert.True(parent.PageTable.Lookup(p + Page.Size).IsNone);
            Assert.Equal(1, m.Read(parent, p));
            Assert.Equal(1, m.Read(child, p));
            Assert.Equal(0, m.Read(parent, p + Page.Size));
            m.Write(parent, p + Page.Size, 6);       // written again: keeps the new data
            Assert.Equal(6, m.Read(parent, p + Page.Size));
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Remove_punches_a_hole_every_mapping_sees(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var parent = m.NewSpace();
            ulong p = m.MapShared(parent, 3);
            for (ulong i = 0; i < 3; i++)
                m.Write(parent, p + i * Page.Size, (byte)(i + 1));
            var child = m.Fork(parent);
            Assert.Equal(2, m.Read(child, p + Page.Size));
            ulong free = m.Frames.FreeFrames;
            Assert.Equal(0, Advise(parent, p + Page.Size, 1, Advice.Remove));
            m.Check();
            Assert.Equal(free + 1, m.Frames.FreeFrames);
            Assert.True(child.PageTable.Lookup(p + Page.Size).IsNone);
            Assert.Equal(0, m.Read(child, p + Page.Size));
            Assert.Equal(0, m.Read(parent, p + Page.Size));
            Assert.Equal(1, m.Read(child, p));
            Assert.Equal(3, m.Read(child, p + 2 * Page.Size));
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void Remove_of_a_huge_sparse_shared_mapping_drops_only_the_pages_in_range()
        {
            using var m = new TestMachine(128);
            var a = m.NewSpace();
            const ulong Pages = 1UL << 24;    // 64 GiB of address space, three pages touched
            long r = a.Mmap(0, Pages * Page.Size, Protection.Read | Protection.Write,
                            MapFlags.Shared | MapFlags.Anonymous | MapFlags.NoReserve);
            Assert.True(r > 0, "mmap failed: " + r);
            ulong p = (ulong)r;
            m.Write(a, p, 1);
            m.Write(a, p + 5000 * Page.Size, 2);
            m.Write(a, p + (Pages - 1) * Page.Size, 3);
            Assert.Equal(0, a.Madvise(p + Page.Size, (Pages - 2) * Page.Size, (int)Advice.Remove));
            m.Check();
            Assert.Equal(1, m.Read(a, p));
            Assert.Equal(0, m.Read(a, p + 5000 * Page.Size));
            Assert.Equal(3, m.Read(a, p + (Pages - 1) * Page.Size));
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Cold_ages_the_pages_only_this_process_maps(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var parent = m.NewSpace();
            ulong p = m.MapAnonymous(parent, 2);
            m.Write(parent, p, 1);
            var child = m.Fork(parent);
            m.Write(parent, p + Page.Size, 2);         // the parent's own page
            ulong shared = parent.PageTable.Lookup(p).Frame;
            ulong own = parent.PageTable.Lookup(p + Page.Size).Frame;
            m.Manager.Lru.Activate(shared);
            m.Manager.Lru.Activate(own);
            Assert.True(parent.PageTable.Lookup(p + Page.Size).IsAccessed);
            Assert.Equal(0, Advise(parent, p, 2, Advice.Cold));
            m.Check();
            Assert.False(parent.PageTable.Lookup(p + Page.Size).IsAccessed);
            Assert.Equal(PageFrameFlags.None, m.Frames.Frame(own).Flags & PageFrameFlags.Active);
            Assert.Equal(PageFrameFlags.Active, m.Frames.Frame(shared).Flags & PageFrameFlags.Active);
            Assert.Equal(2, m.Read(parent, p + Page.Size));
            Assert.Equal(0, Advise(parent, p, 2, Advice.PageOut));
            Assert.Equal(1, m.Read(child, p));
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Populate_faults_pages_in_and_write_breaks_copy_on_write(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var parent = m.NewSpace();
            ulong p = m.MapAnonymous(parent, 2);
            Assert.Equal(0, Advise(parent, p, 2, Advice.PopulateRead));
            Assert.True(parent.PageTable.Lookup(p + Page.Size).IsPresent);
            m.Write(parent, p, 8);
            var child = m.Fork(parent);
            Assert.Equal(0, Advise(child, p, 2, Advice.PopulateWrite));
            m.Check();
            Assert.True(child.PageTable.Lookup(p).IsWritable);
            Assert.NotEqual(parent.PageTable.Lookup(p).Frame, child.PageTable.Lookup(p).Frame);
            Assert.Equal(8, m.Read(child, p));
            ulong readOnly = m.MapAnonymous(parent, 1, Protection.Read);
            ulong none = m.MapAnonymous(parent, 1, Protection.None);
            Assert.Equal(EINVAL, Advise(parent, readOnly, 1, Advice.PopulateWrite));
            Assert.Equal(0, Advise(parent, readOnly, 1, Advice.PopulateRead));
            Assert.Equal(EINVAL, Advise(parent, none, 1, Advice.PopulateRead));
            m.Check();
            m.AssertNoLeaks();
        }
    }
}
