using Cowbird.Mm;
using Cowbird.Mm.Paging;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Vm;
using Xunit;

namespace Cowbird.Tests.Host.Vm
{
    // Fork sharing last-level page tables (AddressSpace.SharedTables.cs): what fork shares,
    // what each kind of change unshares, exit while shared, reclaim under a shared table.
    public class SharedPageTableTests
    {
        const int Pages = 8;

        // The designs under which fork shares tables (ReverseMap.AllowsSharedTables).
        public static TheoryData<RmapDesign> SharingDesigns =>
            new TheoryData<RmapDesign> { RmapDesign.AnonVmaChain, RmapDesign.AnonVma2004, RmapDesign.PageTableScan };

        // A machine with sharing on and a process with Pages written pages (page i holds
        // i + 1); `swapPages` attaches swap.
        static TestMachine Machine(RmapDesign design, out AddressSpace parent, out ulong p, int frames = 128, int swapPages = 0)
        {
            var m = new TestMachine(frames, swapPages: swapPages, rmap: design);
            m.Manager.SharePageTables = true;
            parent = m.NewSpace();
            p = m.MapAnonymous(parent, Pages);
            for (int i = 0; i < Pages; i++)
                m.Write(parent, p + (ulong)i * Page.Size, (byte)(i + 1));
            return m;
        }

        // The frame of the last-level table covering `address` in `space`.
        static ulong TableFrame(AddressSpace space, ulong address)
        {
            return space.PageTable.Read(space.PageTable.FindTableEntry(address)).Frame;
        }

        // Every page of `space` at `p` holds i + 1, but page `changed`, which holds `value`.
        static void AssertPages(TestMachine m, AddressSpace space, ulong p, int changed = -1, byte value = 0)
        {
            for (int i = 0; i < Pages; i++)
                Assert.Equal(i == changed ? value : (byte)(i + 1), m.Read(space, p + (ulong)i * Page.Size));
        }

        [Theory, MemberData(nameof(SharingDesigns))]
        public void Fork_shares_the_table_and_counts_each_page_once(RmapDesign design)
        {
            using var m = Machine(design, out var parent, out ulong p);
            ulong frame = parent.PageTable.Lookup(p).Frame;
            var child = m.Fork(parent);
            m.Check();
            Assert.Equal(TableFrame(parent, p), TableFrame(child, p));
            Assert.True(parent.PageTable.IsSharedAt(p) && child.PageTable.IsSharedAt(p));
            Assert.Equal(2, m.Frames.Frame(TableFrame(parent, p)).RefCount);
            // One PTE, one count, for both processes; the PTE stays writable under the
            // read-only PD entry.
            Assert.Equal(1, m.Frames.Frame(frame).MapCount);
            Assert.Equal(1, m.Frames.Frame(frame).RefCount);
            Assert.True(parent.PageTable.Lookup(p).IsWritable);
            Assert.True(m.Manager.Stat.PageTablesShared >= 1);
            AssertPages(m, child, p);
            Assert.Equal(0UL, m.Manager.Stat.PageTablesCopied);
            m.AssertNoLeaks();
        }

        [Theory, MemberData(nameof(SharingDesigns))]
        public void The_first_write_copies_the_table_and_the_last_sharer_takes_it_over(RmapDesign design)
        {
            using var m = Machine(design, out var parent, out ulong p);
            ulong frame = parent.PageTable.Lookup(p).Frame;
            var child = m.Fork(parent);
            ulong shared = TableFrame(parent, p);
            m.Write(parent, p, 100);
            m.Check();
            Assert.Equal(1UL, m.Manager.Stat.PageTablesCopied);
            Assert.NotEqual(shared, TableFrame(parent, p));
            Assert.False(parent.PageTable.IsSharedAt(p));
            Assert.Equal(1, m.Frames.Frame(shared).RefCount);
            // The other pages are now in two tables, write-protected in both.
            ulong other = parent.PageTable.Lookup(p + Page.Size).Frame;
            Assert.Equal(2, m.Frames.Frame(other).MapCount);
            Assert.False(parent.PageTable.Lookup(p + Page.Size).IsWritable);
            Assert.False(child.PageTable.Lookup(p + Page.Size).IsWritable);
            Assert.Equal(1UL, m.Manager.Stat.PgCowFault);
            Assert.Equal(1, m.Frames.Frame(frame).MapCount);
            m.Write(child, p + Page.Size, 200);
            m.Check();
            Assert.Equal(1UL, m.Manager.Stat.PageTablesTakenOver);
            Assert.Equal(shared, TableFrame(child, p));
            Assert.False(child.PageTable.IsSharedAt(p));
            AssertPages(m, parent, p, 0, 100);
            AssertPages(m, child, p, 1, 200);
            m.AssertNoLeaks();
        }

        // Each way a process changes its PTEs, in the child of a fork: afterwards the child
        // has a table of its own, the parent still reads all its pages, and the child reads
        // what the change left.
        public enum Change { Munmap, Mprotect, Mremap, DontNeed, Free, Cold, PageOut, KernelWrite, ReadFault, MapFixed }

        [Theory]
        [InlineData(Change.Munmap)]
        [InlineData(Change.Mprotect)]
        [InlineData(Change.Mremap)]
        [InlineData(Change.DontNeed)]
        [InlineData(Change.Free)]
        [InlineData(Change.Cold)]
        [InlineData(Change.PageOut)]
        [InlineData(Change.KernelWrite)]
        [InlineData(Change.ReadFault)]
        [InlineData(Change.MapFixed)]
        public unsafe void Every_change_of_a_pte_unshares_the_table_first(Change change)
        {
            using var m = Machine(RmapDesign.AnonVmaChain, out var parent, out ulong p);
            // One page of the VMA left untouched, for the read fault.
            Assert.Equal(0, parent.Munmap(p + (Pages - 1) * Page.Size, Page.Size));
            Assert.Equal((long)(p + (Pages - 1) * Page.Size), parent.Mmap(p + (Pages - 1) * Page.Size, Page.Size,
                Protection.Read | Protection.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed));
            var child = m.Fork(parent);
            ulong page = p + 2 * Page.Size;
            ulong now = p;
            switch (change)
            {
                case Change.Munmap:
                    Assert.Equal(0, child.Munmap(page, Page.Size));
                    Assert.Equal(FaultResult.SegvMapErr, m.TryAccess(child, page, AccessKind.Read));
                    break;
                case Change.Mprotect:
                    Assert.Equal(0, child.Mprotect(page, Page.Size, Protection.Read));
                    Assert.Equal(FaultResult.SegvAccErr, m.TryAccess(child, page, AccessKind.Write));
                    break;
                case Change.Mremap:
                    now = (ulong)child.Mremap(p, (Pages - 1) * Page.Size, (Pages - 1) * Page.Size, RemapFlags.MayMove | RemapFlags.Fixed, p + 64 * Page.Size);
                    Assert.Equal(p + 64 * Page.Size, now);
                    break;
                case Change.DontNeed:
                    Assert.Equal(0, child.Madvise(page, Page.Size, (int)Advice.DontNeed));
                    Assert.Equal(0, m.Read(child, page));
                    break;
                case Change.Free:
                    Assert.Equal(0, child.Madvise(page, Page.Size, (int)Advice.Free));
                    break;
                case Change.Cold:
                    Assert.Equal(0, child.Madvise(p, Pages * Page.Size, (int)Advice.Cold));
                    break;
                case Change.PageOut:
                    Assert.Equal(0, child.Madvise(p, Pages * Page.Size, (int)Advice.PageOut));
                    break;
                case Change.KernelWrite:
                    byte value = 77;
                    Assert.Equal(Errno.None, UserMemory.CopyToUser(child, page, &value, 1));
                    Assert.Equal(77, m.Read(child, page));
                    break;
                case Change.ReadFault:
                    Assert.Equal(0, m.Read(child, p + (Pages - 1) * Page.Size));
                    break;
                case Change.MapFixed:
                    Assert.Equal((long)page, child.Mmap(page, Page.Size, Protection.Read | Protection.Write,
                        MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed));
                    Assert.Equal(0, m.Read(child, page));
                    break;
            }
            m.Check();
            Assert.False(child.PageTable.IsSharedAt(now));
            Assert.True(m.Manager.Stat.PageTablesCopied + m.Manager.Stat.PageTablesTakenOver >= 1);
            for (int i = 0; i < Pages - 1; i++)
                Assert.Equal((byte)(i + 1), m.Read(parent, p + (ulong)i * Page.Size));
            bool dropped = change == Change.Munmap || change == Change.Mprotect || change == Change.DontNeed
                || change == Change.KernelWrite || change == Change.MapFixed;
            for (int i = 0; i < Pages - 1; i++)
                if (!(dropped && i == 2))
                    Assert.Equal((byte)(i + 1), m.Read(child, now + (ulong)i * Page.Size));
            m.Write(parent, p, 9);
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void Exit_while_shared_drops_the_share_and_copies_nothing()
        {
            using var m = Machine(RmapDesign.AnonVmaChain, out var parent, out ulong p);
            var child = m.Fork(parent);
            ulong table = TableFrame(parent, p);
            ulong freeBefore = m.Frames.FreeFrames;
            m.Exit(child);
            m.Check();
            Assert.Equal(0UL, m.Manager.Stat.PageTablesCopied);
            Assert.Equal(1, m.Frames.Frame(table).RefCount);
            AssertPages(m, parent, p);
            // The child's own upper tables and PML4 went back; no page did.
            Assert.True(m.Frames.FreeFrames > freeBefore);
            m.Write(parent, p, 5);
            Assert.Equal(1UL, m.Manager.Stat.PageTablesTakenOver);
            Assert.Equal(0UL, m.Manager.Stat.PgCowFault);
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void The_parent_may_exit_first_and_the_last_sharer_frees_the_pages()
        {
            using var m = Machine(RmapDesign.AnonVmaChain, out var parent, out ulong p);
            var child = m.Fork(parent);
            var grandchild = m.Fork(child);
            ulong table = TableFrame(parent, p);
            Assert.Equal(3, m.Frames.Frame(table).RefCount);
            m.Check();
            m.Exit(parent);
            m.Check();
            AssertPages(m, child, p);
            m.Write(grandchild, p + Page.Size, 42);
            m.Check();
            Assert.Equal(1UL, m.Manager.Stat.PageTablesCopied);
            m.Exit(child);
            m.Check();
            AssertPages(m, grandchild, p, 1, 42);
            m.AssertNoLeaks();
        }

        [Theory, MemberData(nameof(SharingDesigns))]
        public void Reclaim_swaps_out_a_page_of_a_shared_table_for_every_sharer_at_once(RmapDesign design)
        {
            using var m = Machine(design, out var parent, out ulong p, frames: 64, swapPages: 64);
            var child = m.Fork(parent);
            ulong frame = parent.PageTable.Lookup(p).Frame;
            m.Frames.Get(frame);
            Pte swapPte = new Pte(new Cowbird.Mm.Swap.SwapEntry(0, 9).ToPte());
            Assert.True(new TryToUnmap(m.Manager).Unmap(frame, swapPte));
            // One PTE rewritten for both, both TLBs invalidated, the table still shared.
            Assert.Equal(swapPte.Raw, parent.PageTable.Lookup(p).Raw);
            Assert.Equal(swapPte.Raw, child.PageTable.Lookup(p).Raw);
            Assert.Empty(m.Mmu.StaleEntries());
            Assert.True(child.PageTable.IsSharedAt(p));
            Rmap.RmapTestSupport.PutBackByHand(m, frame, new System.Collections.Generic.Dictionary<(AddressSpace, ulong), Pte>
                { [(parent, p)] = Pte.Map(frame, parent.FindVma(p).PteFlags()), [(child, p)] = Pte.Map(frame, parent.FindVma(p).PteFlags()) });
            m.Check();
            // Real reclaim: everything goes out and comes back, shared or not.
            m.Manager.Reclaimer.Reclaim(64);
            m.Check();
            Assert.True(m.Manager.Stat.PswpOut > 0);
            AssertPages(m, child, p);
            AssertPages(m, parent, p);
            m.Write(child, p, 3);
            m.Check();
            AssertPages(m, parent, p);
            AssertPages(m, child, p, 0, 3);
            m.AssertNoLeaks();
        }

        [Theory]
        [InlineData(RmapDesign.PteChain)]
        [InlineData(RmapDesign.ObjectTree)]
        public void Designs_that_record_single_ptes_make_fork_copy_its_tables(RmapDesign design)
        {
            using var m = Machine(design, out var parent, out ulong p);
            var child = m.Fork(parent);
            m.Check();
            Assert.Equal(0UL, m.Manager.Stat.PageTablesShared);
            Assert.False(child.PageTable.IsSharedAt(p));
            Assert.Equal(2, m.Frames.Frame(parent.PageTable.Lookup(p).Frame).MapCount);
            m.AssertNoLeaks();
        }

        [Fact]
        public void Turned_off_fork_copies_every_table()
        {
            using var m = Machine(RmapDesign.AnonVmaChain, out var parent, out ulong p);
            m.Manager.SharePageTables = false;
            var child = m.Fork(parent);
            m.Check();
            Assert.Equal(0UL, m.Manager.Stat.PageTablesShared);
            Assert.NotEqual(TableFrame(parent, p), TableFrame(child, p));
            m.AssertNoLeaks();
        }

        [Fact]
        public void A_fork_must_copy_a_shared_table_holding_a_dontfork_vma_and_unshares_it_first()
        {
            using var m = Machine(RmapDesign.AnonVmaChain, out var parent, out ulong p);
            var child = m.Fork(parent);
            Assert.True(parent.PageTable.IsSharedAt(p));
            Assert.Equal(0, parent.Madvise(p + 4 * Page.Size, Page.Size, (int)Advice.DontFork));
            var second = m.Fork(parent);
            m.Check();
            Assert.False(parent.PageTable.IsSharedAt(p));
            Assert.False(second.PageTable.IsSharedAt(p));
            Assert.Equal(FaultResult.SegvMapErr, m.TryAccess(second, p + 4 * Page.Size, AccessKind.Read));
            AssertPages(m, child, p);
            m.AssertNoLeaks();
        }
    }
}
