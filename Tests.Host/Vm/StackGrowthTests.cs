using Cowbird.Mm;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Vm;
using Xunit;

namespace Cowbird.Tests.Host
{
    // A GrowsDown VMA grows on faults below it as Linux's expand_downwards allows: up to
    // StackLimit, never into the guard gap of an accessible VMA below, charged to the
    // overcommit accounting; otherwise the access is SIGSEGV and nothing changes. The
    // checker (m.Check) proves the moved PgOff keeps every page's linear index and the
    // rmap keyed right under every design.
    public class StackGrowthTests
    {
        const Protection ReadWrite = Protection.Read | Protection.Write;
        const MapFlags Stack = MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed | MapFlags.GrowsDown;
        const ulong Top = 0x7000_0000;

        static ulong Bytes(ulong pages) => pages * Page.Size;

        // A 4-page stack VMA ending at Top, its top page written.
        static AddressSpace NewStack(TestMachine m, ulong limitPages)
        {
            var a = m.NewSpace();
            a.StackLimit = Bytes(limitPages);
            Assert.Equal((long)(Top - Bytes(4)), a.Mmap(Top - Bytes(4), Bytes(4), ReadWrite, Stack));
            m.Write(a, Top - 1, 0x5a);
            return a;
        }

        [Theory, AllDesigns]
        public void A_touch_below_the_stack_grows_it_to_the_page_and_keeps_its_pages(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = NewStack(m, 64);
            ulong committed = m.Manager.Commit.Committed;
            m.Write(a, Top - Bytes(10) + 8, 7);
            Vma stack = a.FindVma(Top - 1);
            Assert.Equal(Top - Bytes(10), stack.Start);
            Assert.Equal(committed + 6, m.Manager.Commit.Committed);
            Assert.Equal(0x5a, m.Read(a, Top - 1));
            Assert.Equal(7, m.Read(a, Top - Bytes(10) + 8));
            Assert.Equal(0, m.Read(a, Top - Bytes(9)));
            m.Check();
            var child = m.Fork(a);
            m.Write(child, Top - Bytes(20), 3);                  // the child's copy grows on its own
            Assert.Equal(Top - Bytes(20), child.FindVma(Top - 1).Start);
            Assert.Equal(Top - Bytes(10), a.FindVma(Top - 1).Start);
            Assert.Equal(7, m.Read(child, Top - Bytes(10) + 8));
            m.Check();
            m.Exit(child);
            m.Exit(a);
            m.AssertNoLeaks();
        }

        [Fact]
        public void The_stack_grows_to_exactly_its_limit_and_a_touch_beyond_is_sigsegv()
        {
            using var m = new TestMachine(64);
            var a = NewStack(m, 16);
            m.Write(a, Top - Bytes(16), 1);
            Assert.Equal(Top - Bytes(16), a.FindVma(Top - 1).Start);
            ulong committed = m.Manager.Commit.Committed;
            Assert.Equal(FaultResult.SegvMapErr, m.TryAccess(a, Top - Bytes(16) - 1, AccessKind.Write));
            Assert.Equal(Top - Bytes(16), a.FindVma(Top - 1).Start);
            Assert.Null(a.FindVma(Top - Bytes(17)));
            Assert.Equal(committed, m.Manager.Commit.Committed);
            m.Check();
            m.Exit(a);
            m.AssertNoLeaks();
        }

        [Fact]
        public void Under_offset_reservations_a_stack_has_room_below_for_its_whole_limit()
        {
            using var m = new TestMachine(64, offsets: AnonOffsets.Reserve);
            var a = NewStack(m, 16);
            var other = a.Mmap(0x2000_0000, Bytes(2), ReadWrite, MapFlags.Private | MapFlags.Anonymous);
            Assert.True(other > 0);
            m.Write(a, Top - Bytes(16), 1);
            Assert.Equal(Top - Bytes(16), a.FindVma(Top - 1).Start);
            Assert.Equal(0x5a, m.Read(a, Top - 1));
            Assert.Equal(FaultResult.SegvMapErr, m.TryAccess(a, Top - Bytes(17), AccessKind.Write));
            m.Check();
            m.Exit(a);
            m.AssertNoLeaks();
        }

        [Fact]
        public void An_accessible_mapping_within_the_guard_gap_stops_growth_and_prot_none_does_not()
        {
            using var m = new TestMachine(512);                  // one growth below is 263 pages
            var a = NewStack(m, 1024);
            ulong guard = AddressSpace.StackGuardGap;
            ulong below = Top - Bytes(4) - guard - Bytes(8);     // ends 4 pages short of the gap
            Assert.Equal((long)below, a.Mmap(below, Bytes(4), ReadWrite, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed));
            ulong belowEnd = below + Bytes(4);
            Assert.Equal(FaultResult.SegvMapErr, m.TryAccess(a, belowEnd + guard - Bytes(1), AccessKind.Read));
            Assert.Equal(FaultResult.Handled, m.TryAccess(a, belowEnd + guard, AccessKind.Read));
            Assert.Equal(belowEnd + guard, a.FindVma(Top - 1).Start);
            Assert.Equal(0, a.Mprotect(below, Bytes(4), Protection.None));
            Assert.Equal(FaultResult.Handled, m.TryAccess(a, belowEnd + Bytes(1), AccessKind.Write));
            Assert.Equal(belowEnd + Bytes(1), a.FindVma(Top - 1).Start);
            m.Check();
            m.Exit(a);
            m.AssertNoLeaks();
        }

        [Fact]
        public void Growth_the_commitment_refuses_is_sigsegv()
        {
            using var m = new TestMachine(64);
            Assert.Equal(Errno.None, m.Manager.Commit.SetMode((ulong)OvercommitMode.Never));
            var a = NewStack(m, 1 << 20);
            ulong room = m.Manager.Commit.CommitLimit - m.Manager.Commit.Committed;
            ulong tooFar = Top - Bytes(4) - Bytes(room + 1);
            Assert.Equal(FaultResult.SegvMapErr, m.TryAccess(a, tooFar, AccessKind.Write));
            Assert.Equal(Top - Bytes(4), a.FindVma(Top - 1).Start);
            m.Check();
            m.Exit(a);
            m.AssertNoLeaks();
        }

        [Fact]
        public void Only_a_growsdown_mapping_grows_and_a_shared_one_is_refused()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            Assert.Equal((long)(Top - Bytes(4)), a.Mmap(Top - Bytes(4), Bytes(4), ReadWrite, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed));
            Assert.Equal(FaultResult.SegvMapErr, m.TryAccess(a, Top - Bytes(5), AccessKind.Write));
            Assert.Equal(-(long)Errno.EINVAL, a.Mmap(0x2000_0000, Bytes(4), ReadWrite, MapFlags.Shared | MapFlags.Anonymous | MapFlags.GrowsDown));
            m.Check();
            m.Exit(a);
            m.AssertNoLeaks();
        }
    }
}
