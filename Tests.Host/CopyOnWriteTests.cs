using System.Collections.Generic;
using Cowbird.Mm;
using Cowbird.Mm.Platform;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Vm;
using Xunit;

namespace Cowbird.Tests.Host
{
    public class CopyOnWriteTests
    {
        [Theory, AllDesigns]
        public void Fork_shares_frames_read_only_and_counts_both_mappings(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var parent = m.NewSpace();
            ulong p = m.MapAnonymous(parent, 2);
            m.Write(parent, p, 1);
            ulong frame = parent.PageTable.Lookup(p).Frame;
            var child = m.Fork(parent);
            m.Check();
            Assert.Equal(frame, child.PageTable.Lookup(p).Frame);
            Assert.False(parent.PageTable.Lookup(p).IsWritable);
            Assert.False(child.PageTable.Lookup(p).IsWritable);
            Assert.Equal(2, m.Frames.Frame(frame).MapCount);
            Assert.Equal(2, m.Frames.Frame(frame).RefCount);
            // The untouched page has no PTE in either space.
            Assert.True(child.PageTable.Lookup(p + Page.Size).IsNone);
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Parent_and_child_each_see_only_their_own_writes(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var parent = m.NewSpace();
            ulong p = m.MapAnonymous(parent, 1);
            m.WriteU64(parent, p, 100);
            var child = m.Fork(parent);
            m.WriteU64(child, p, 200);
            m.Check();
            m.WriteU64(parent, p + 8, 300);
            m.Check();
            Assert.Equal(100UL, m.ReadU64(parent, p));
            Assert.Equal(300UL, m.ReadU64(parent, p + 8));
            Assert.Equal(200UL, m.ReadU64(child, p));
            Assert.Equal(0UL, m.ReadU64(child, p + 8));
            // The child's write copied; the parent then held the old frame alone and reused it.
            Assert.Equal(1UL, m.Manager.Stat.PgCowFault);
            Assert.Equal(1UL, m.Manager.Stat.CowReuse);
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void A_parent_write_after_fork_faults_even_though_its_tlb_held_a_writable_entry(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var parent = m.NewSpace();
            ulong p = m.MapAnonymous(parent, 1);
            m.Write(parent, p, 1);                 // TLB: writable, dirty
            var child = m.Fork(parent);
            int faultsBefore = m.Mmu.FaultErrorCodes.Count;
            m.Write(parent, p, 2);
            Assert.Equal(faultsBefore + 1, m.Mmu.FaultErrorCodes.Count);
            Assert.Equal(FaultErrorCode.Present | FaultErrorCode.Write | FaultErrorCode.User, m.Mmu.FaultErrorCodes[faultsBefore]);
            Assert.Equal(1, m.Read(child, p));
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void A_frame_held_only_by_the_writer_is_reused_without_copying(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var parent = m.NewSpace();
            ulong p = m.MapAnonymous(parent, 1);
            m.Write(parent, p, 5);
            ulong frame = parent.PageTable.Lookup(p).Frame;
            var child = m.Fork(parent);
            m.Exit(child);
            m.Check();
            ulong free = m.Frames.FreeFrames;
            m.Write(parent, p, 6);
            Assert.Equal(frame, parent.PageTable.Lookup(p).Frame);
            Assert.Equal(free, m.Frames.FreeFrames);
            Assert.Equal(0UL, m.Manager.Stat.PgCowFault);
            Assert.Equal(1UL, m.Manager.Stat.CowReuse);
            Assert.Equal(6, m.Read(parent, p));
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void A_shared_frame_is_copied_and_the_old_one_keeps_the_other_mapping(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var parent = m.NewSpace();
            ulong p = m.MapAnonymous(parent, 1);
            m.Write(parent, p, 5);
            ulong frame = parent.PageTable.Lookup(p).Frame;
            var child = m.Fork(parent);
            m.Write(child, p, 6);
            ulong copy = child.PageTable.Lookup(p).Frame;
            Assert.NotEqual(frame, copy);
            Assert.True(child.PageTable.Lookup(p).IsWritable);
            Assert.Equal(1, m.Frames.Frame(frame).MapCount);
            Assert.Equal(1, m.Frames.Frame(copy).MapCount);
            Assert.Equal(m.Frames.Frame(frame).Index, m.Frames.Frame(copy).Index);
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Read_only_and_prot_none_mappings_are_inherited_as_they_are(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var parent = m.NewSpace();
            ulong ro = m.MapAnonymous(parent, 1, Protection.Read);
            Assert.Equal(0, m.Read(parent, ro));
            var child = m.Fork(parent);
            Assert.Equal(0, m.Read(child, ro));
            Assert.Equal(FaultResult.SegvAccErr, m.TryAccess(child, ro, AccessKind.Write));
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void A_process_holding_two_thirds_of_ram_can_fork_only_because_of_cow(RmapDesign design)
        {
            using var m = new TestMachine(300, rmap: design);
            var parent = m.NewSpace();
            const int pages = 200;
            ulong p = m.MapAnonymous(parent, pages);
            for (int i = 0; i < pages; i++)
                m.WriteU64(parent, p + (ulong)i * Page.Size, (ulong)i);
            ulong free = m.Frames.FreeFrames;
            Assert.True(free < pages);                       // an eager copy could not fit
            var child = m.Fork(parent);
            Assert.True(free - m.Frames.FreeFrames <= 4);    // the child cost only page tables
            for (int i = 0; i < 20; i++)
                m.WriteU64(child, p + (ulong)i * Page.Size, 1000 + (ulong)i);
            m.Check();
            for (int i = 0; i < pages; i++)
                Assert.Equal((ulong)i, m.ReadU64(parent, p + (ulong)i * Page.Size));
            Assert.Equal(1005UL, m.ReadU64(child, p + 5 * Page.Size));
            m.Exit(parent);
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Fork_of_fork_gives_three_independent_copies(RmapDesign design)
        {
            using var m = new TestMachine(128, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 4);
            for (ulong i = 0; i < 4; i++)
                m.WriteU64(a, p + i * Page.Size, 10 + i);
            var b = m.Fork(a);
            var c = m.Fork(b);
            m.Check();
            m.WriteU64(b, p, 20);
            m.WriteU64(c, p + Page.Size, 31);
            m.WriteU64(a, p + 2 * Page.Size, 12 + 100);
            m.Check();
            Assert.Equal(new ulong[] { 10, 11, 112, 13 }, ReadAll(m, a, p, 4));
            Assert.Equal(new ulong[] { 20, 11, 12, 13 }, ReadAll(m, b, p, 4));
            Assert.Equal(new ulong[] { 10, 31, 12, 13 }, ReadAll(m, c, p, 4));
            // Page 3 is still one frame mapped three times.
            Assert.Equal(3, m.Frames.Frame(a.PageTable.Lookup(p + 3 * Page.Size).Frame).MapCount);
            m.Exit(b);
            m.Check();
            Assert.Equal(new ulong[] { 10, 31, 12, 13 }, ReadAll(m, c, p, 4));
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void A_fork_chain_eight_deep_keeps_every_generation_s_values(RmapDesign design)
        {
            using var m = new TestMachine(256, rmap: design);
            var spaces = new List<AddressSpace> { m.NewSpace() };
            ulong p = m.MapAnonymous(spaces[0], 2);
            m.WriteU64(spaces[0], p, 0);
            for (int generation = 1; generation <= 8; generation++)
            {
                var child = m.Fork(spaces[generation - 1]);
                m.WriteU64(child, p, (ulong)generation);
                spaces.Add(child);
                m.Check();
            }
            for (int generation = 0; generation <= 8; generation++)
            {
                Assert.Equal((ulong)generation, m.ReadU64(spaces[generation], p));
                Assert.Equal(0UL, m.ReadU64(spaces[generation], p + Page.Size));
            }
            // Exit the middle generations first: the others must not notice.
            for (int generation = 1; generation < 8; generation += 2)
                m.Exit(spaces[generation]);
            m.Check();
            Assert.Equal(8UL, m.ReadU64(spaces[8], p));
            Assert.Equal(0UL, m.ReadU64(spaces[0], p));
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void A_fork_that_runs_out_of_frames_fails_with_ENOMEM_and_leaks_nothing(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var parent = m.NewSpace();
            // Two pages far apart: the child needs a PML4, then PDPT+PD+PT for each.
            long low = parent.Mmap(0x4000_0000, Page.Size, Protection.Read | Protection.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed);
            long high = parent.Mmap(0x7000_0000_0000, Page.Size, Protection.Read | Protection.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed);
            m.Write(parent, (ulong)low, 1);
            m.Write(parent, (ulong)high, 2);
            for (int leave = 0; leave < 7; leave++)
            {
                var held = new List<ulong>();
                while (m.Frames.FreeFrames > (ulong)leave)
                    held.Add(m.Frames.AllocFrame());
                AddressSpace child;
                Assert.Equal(Errno.ENOMEM, parent.Fork(out child));
                Assert.Null(child);
                Assert.Equal((ulong)leave, m.Frames.FreeFrames);
                foreach (ulong pfn in held)
                    m.Frames.Put(pfn);
                m.Check();
                // The parent is unharmed.
                Assert.Equal(1, m.Read(parent, (ulong)low));
                Assert.Equal(2, m.Read(parent, (ulong)high));
            }
            m.AssertNoLeaks();
        }


        [Theory, AllDesigns]
        public void Without_tlb_invalidation_in_fork_the_child_would_see_the_parent_s_later_write(RmapDesign design)
        {
            using var m = new TestMachine(64, real => new DroppingTlb(real), rmap: design);
            var parent = m.NewSpace();
            ulong p = m.MapAnonymous(parent, 1);
            m.Write(parent, p, 1);
            var child = m.Fork(parent);
            // The checker sees the stale writable entry right after fork ...
            var violation = Assert.Throws<InvariantViolation>(() => m.Check());
            Assert.Contains("stale TLB entry", violation.Message);
            Assert.StartsWith("[I7] ", violation.Message);
            // ... and this is the bug it stands for: the parent writes through it, no COW.
            m.Write(parent, p, 2);
            Assert.Equal(2, m.Read(child, p));
            Assert.Equal(0UL, m.Manager.Stat.PgCowFault + m.Manager.Stat.CowReuse);
            m.Mmu.Tlb.FlushAll(parent.PageTable.Root);
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Change_protection_rewrites_present_entries_and_invalidates_them(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 2);
            m.Write(a, p, 1);
            m.Write(a, p + Page.Size, 1);
            a.PageTable.ChangeProtection(p, p + Page.Size, 0, Cowbird.Mm.Paging.Pte.Writable);
            Assert.False(a.PageTable.Lookup(p).IsWritable);
            Assert.True(a.PageTable.Lookup(p + Page.Size).IsWritable);
            Assert.Empty(m.Mmu.StaleEntries());
            // The VMA is still writable: the next write is a (reusing) COW fault.
            m.Write(a, p, 2);
            Assert.Equal(1UL, m.Manager.Stat.CowReuse);
            m.Check();
            m.AssertNoLeaks();
        }

        static ulong[] ReadAll(TestMachine m, AddressSpace space, ulong p, int pages)
        {
            var values = new ulong[pages];
            for (int i = 0; i < pages; i++)
                values[i] = m.ReadU64(space, p + (ulong)i * Page.Size);
            return values;
        }
    }
}
