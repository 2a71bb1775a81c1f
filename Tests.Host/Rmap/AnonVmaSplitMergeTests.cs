using System.Linq;
using Cowbird.Mm;
using Cowbird.Mm.Paging;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Vm;
using Xunit;
using static Cowbird.Tests.Host.Rmap.RmapTestSupport;

namespace Cowbird.Tests.Host.Rmap
{
    public class AnonVmaSplitMergeTests
    {
        const Protection ReadWrite = Protection.Read | Protection.Write;
        const MapFlags FixedPrivate = MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed;

        [Fact]
        public void Walk_after_munmap_in_the_middle_finds_pages_in_both_halves()
        {
            using var m = new TestMachine(128);
            var parent = m.NewSpace();
            ulong p = m.MapAnonymous(parent, 8);
            for (int i = 0; i < 8; i++)
                m.Write(parent, p + (ulong)i * Page.Size, (byte)(i + 1));
            var child = m.Fork(parent);
            ulong low = FrameAt(parent, p + Page.Size);
            ulong high = FrameAt(parent, p + 6 * Page.Size);
            Assert.Equal(0, parent.Munmap(p + 3 * Page.Size, 2 * Page.Size));
            m.Check();
            Vma lower = parent.FindVma(p);
            Vma upper = parent.FindVma(p + 5 * Page.Size);
            Assert.NotSame(lower, upper);
            Assert.Same(lower.AnonVma, upper.AnonVma);  // split: same anon_vma, cloned chains
            Assert.Equal(ChainLength(lower), ChainLength(upper));
            Assert.Equal(2, lower.AnonVma.NumActiveVmas);
            Assert.Equal(new[] { (parent, p + Page.Size), (child, p + Page.Size) },
                         Walk(m, low).ToArray().OrderBy(x => x.Item1 == child));
            var highFound = Walk(m, high);
            Assert.Equal(2, highFound.Count);
            Assert.Contains((parent, p + 6 * Page.Size), highFound);
            Assert.Contains((child, p + 6 * Page.Size), highFound);
            // The unmapped pages are now the child's alone.
            Assert.Single(Walk(m, FrameAt(child, p + 3 * Page.Size)));
            m.AssertNoLeaks();
        }

        [Fact]
        public void A_new_range_joins_a_neighbour_whose_anon_vma_is_its_own()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            ulong p = 0x4000_0000;
            Assert.Equal((long)p, a.Mmap(p, 2 * Page.Size, ReadWrite, FixedPrivate));
            m.Write(a, p, 1);
            Assert.Equal((long)(p + 2 * Page.Size), a.Mmap(p + 2 * Page.Size, Page.Size, ReadWrite, FixedPrivate));
            Assert.Equal(1, a.Vmas.Count);
            m.Write(a, p + 2 * Page.Size, 2);           // a page in the grown part: same anon_vma
            m.Check();
            Assert.Same(a.FindVma(p).AnonVma, m.Frames.Frame(FrameAt(a, p + 2 * Page.Size)).Mapping);
            m.AssertNoLeaks();
        }

        [Fact]
        public void A_new_range_does_not_join_a_neighbour_linked_to_inherited_anon_vmas()
        {
            using var m = new TestMachine(64);
            var parent = m.NewSpace();
            ulong p = 0x4000_0000;
            Assert.Equal((long)p, parent.Mmap(p, 2 * Page.Size, ReadWrite, FixedPrivate));
            m.Write(parent, p, 1);
            var child = m.Fork(parent);
            Assert.Equal((long)(p + 2 * Page.Size), child.Mmap(p + 2 * Page.Size, Page.Size, ReadWrite, FixedPrivate));
            Assert.Equal(2, child.Vmas.Count);          // is_mergeable_anon_vma: chain not singular
            Assert.Equal((long)(p + 2 * Page.Size), parent.Mmap(p + 2 * Page.Size, Page.Size, ReadWrite, FixedPrivate));
            Assert.Equal(1, parent.Vmas.Count);         // the parent's chain is singular: joins
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void Vmas_with_different_anon_vmas_are_not_merged_when_the_hole_between_them_is_filled()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            ulong p = 0x4000_0000;
            Assert.Equal((long)p, a.Mmap(p, Page.Size, ReadWrite, FixedPrivate));
            Assert.Equal((long)(p + 2 * Page.Size), a.Mmap(p + 2 * Page.Size, Page.Size, ReadWrite, FixedPrivate));
            m.Write(a, p, 1);
            m.Write(a, p + 2 * Page.Size, 2);
            AnonVma left = a.FindVma(p).AnonVma;
            AnonVma right = a.FindVma(p + 2 * Page.Size).AnonVma;
            Assert.NotSame(left, right);
            Assert.False(m.Manager.Rmap.IsMergeable(a.FindVma(p), a.FindVma(p + 2 * Page.Size)));
            Assert.Equal((long)(p + Page.Size), a.Mmap(p + Page.Size, Page.Size, ReadWrite, FixedPrivate));
            m.Check();
            Assert.Equal(2, a.Vmas.Count);              // the hole joined the left one only
            Assert.Same(left, a.FindVma(p + Page.Size).AnonVma);
            Assert.Same(right, m.Frames.Frame(FrameAt(a, p + 2 * Page.Size)).Mapping);
            m.AssertNoLeaks();
        }

        [Fact]
        public void Split_halves_sharing_one_anon_vma_merge_again_when_the_hole_is_refilled()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 3);
            m.Write(a, p, 1);
            m.Write(a, p + 2 * Page.Size, 2);
            Assert.Equal(0, a.Munmap(p + Page.Size, Page.Size));
            Assert.Equal(2, a.Vmas.Count);
            Assert.Equal((long)(p + Page.Size), a.Mmap(p + Page.Size, Page.Size, ReadWrite, FixedPrivate));
            m.Check();
            Assert.Equal(1, a.Vmas.Count);
            Vma vma = a.FindVma(p);
            Assert.Equal(1, ChainLength(vma));
            Assert.Equal(1, vma.AnonVma.NumActiveVmas);
            Assert.Equal(1, Anon(m).Allocator.LiveAnonVmas);
            m.AssertNoLeaks();
        }

        [Fact]
        public void A_never_faulted_vma_takes_its_neighbours_anon_vma_when_the_three_merge()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            ulong p = 0x4000_0000;
            Assert.Equal((long)p, a.Mmap(p, Page.Size, ReadWrite, FixedPrivate));
            Assert.Equal((long)(p + 2 * Page.Size), a.Mmap(p + 2 * Page.Size, Page.Size, ReadWrite, FixedPrivate));
            m.Write(a, p + 2 * Page.Size, 2);           // only the upper one has an anon_vma
            AnonVma upper = a.FindVma(p + 2 * Page.Size).AnonVma;
            Assert.Equal((long)(p + Page.Size), a.Mmap(p + Page.Size, Page.Size, ReadWrite, FixedPrivate));
            m.Check();
            Assert.Equal(1, a.Vmas.Count);
            Assert.Same(upper, a.FindVma(p).AnonVma);   // dup_anon_vma kept the page reachable
            Assert.Single(Walk(m, FrameAt(a, p + 2 * Page.Size)));
            m.AssertNoLeaks();
        }

        [Fact]
        public void Prepare_reuses_the_anon_vma_of_a_compatible_neighbour()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            ulong p = 0x4000_0000;
            Assert.Equal((long)p, a.Mmap(p, Page.Size, ReadWrite, FixedPrivate));
            // Adjacent, linear PgOff, same kind (both writable, so both charged), other
            // protection: not merged, but compatible.
            Assert.Equal((long)(p + Page.Size), a.Mmap(p + Page.Size, Page.Size, Protection.Write, FixedPrivate));
            Assert.Equal(2, a.Vmas.Count);
            m.Write(a, p, 1);
            m.Write(a, p + Page.Size, 1);
            m.Check();
            Assert.Same(a.FindVma(p).AnonVma, a.FindVma(p + Page.Size).AnonVma);
            Assert.Equal(1, Anon(m).Allocator.LiveAnonVmas);
            Assert.Equal(2, a.FindVma(p).AnonVma.NumActiveVmas);
            m.AssertNoLeaks();
        }

        [Fact]
        public void Prepare_does_not_reuse_a_neighbour_anon_vma_inherited_through_fork()
        {
            using var m = new TestMachine(64);
            var parent = m.NewSpace();
            ulong p = 0x4000_0000;
            Assert.Equal((long)p, parent.Mmap(p, Page.Size, ReadWrite, FixedPrivate));
            Assert.Equal((long)(p + Page.Size), parent.Mmap(p + Page.Size, Page.Size, Protection.Read, FixedPrivate));
            m.Write(parent, p, 1);
            var child = m.Fork(parent);
            m.Read(child, p + Page.Size);
            m.Check();
            Assert.NotSame(child.FindVma(p).AnonVma, child.FindVma(p + Page.Size).AnonVma);
            m.AssertNoLeaks();
        }

        [Fact]
        public void Walk_follows_a_vma_moved_with_its_page_offset_by_mremap()
        {
            using var m = new TestMachine(128, offsets: AnonOffsets.Linear);
            var parent = m.NewSpace();
            ulong p = m.MapAnonymous(parent, 4);
            for (int i = 0; i < 4; i++)
                m.Write(parent, p + (ulong)i * Page.Size, (byte)(i + 1));
            var child = m.Fork(parent);
            ulong target = 0x5000_0000;
            Assert.Equal((long)target, child.Mremap(p, 4 * Page.Size, 4 * Page.Size, RemapFlags.MayMove | RemapFlags.Fixed, target));
            m.Check();
            Vma moved = child.FindVma(target);
            Assert.Equal(p >> Page.Shift, moved.PgOff);   // mremap keeps vm_pgoff
            for (int i = 0; i < 4; i++)
            {
                ulong frame = FrameAt(parent, p + (ulong)i * Page.Size);
                var found = Walk(m, frame);
                Assert.Equal(2, found.Count);
                Assert.Contains((parent, p + (ulong)i * Page.Size), found);
                Assert.Contains((child, target + (ulong)i * Page.Size), found);
                Assert.Equal((byte)(i + 1), m.Read(child, target + (ulong)i * Page.Size));
            }
            // A COW copy made at the new place gets the same linear index and is found too.
            m.Write(child, target + Page.Size, 9);
            m.Check();
            Assert.Equal(new[] { (child, target + Page.Size) }, Walk(m, FrameAt(child, target + Page.Size)));
            Assert.Equal(2, m.Read(parent, p + Page.Size));
            m.AssertNoLeaks();
        }
    }
}
