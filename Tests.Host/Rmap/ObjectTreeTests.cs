using Cowbird.Mm;
using Cowbird.Mm.Paging;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Vm;
using Cowbird.Tests.Host.Swap;
using Xunit;
using static Cowbird.Tests.Host.Rmap.RmapTestSupport;

namespace Cowbird.Tests.Host.Rmap
{
    // The tree of address spaces (Rmap/ObjectTree/): shadow chains after fork and COW,
    // the reverse walk they give, collapse, merge on a single reference, and the tree
    // staying right through mremap, munmap and swap. m.Check() runs the design's
    // invariant check (ObjectTreeInvariants) and compares every walk with the page tables.
    public class ObjectTreeTests
    {
        static ObjectTreeReverseMap Tree(TestMachine m) => (ObjectTreeReverseMap)m.Manager.Rmap;

        static TestMachine NewMachine(int frames = 128, int swapPages = 0)
            => new TestMachine(frames, swapPages: swapPages, rmap: RmapDesign.ObjectTree);

        static AnonObject ObjectAt(AddressSpace space, ulong address) => space.FindVma(address).AnonObject;

        // A process with `pages` written pages, forked once: (parent, child, address).
        static (AddressSpace, AddressSpace, ulong) ForkedPages(TestMachine m, int pages)
        {
            var parent = m.NewSpace();
            ulong p = m.MapAnonymous(parent, pages);
            for (int i = 0; i < pages; i++)
                m.Write(parent, p + (ulong)i * Page.Size, (byte)(i + 1));
            var child = m.Fork(parent);
            m.Check();
            return (parent, child, p);
        }

        [Fact]
        public void Fork_shares_the_object_and_flags_both_vmas_then_the_first_cow_makes_a_child_object()
        {
            using var m = NewMachine();
            var (parent, child, p) = ForkedPages(m, 2);
            AnonObject root = ObjectAt(parent, p);
            Assert.Same(root, ObjectAt(child, p));
            Assert.True(parent.FindVma(p).ObjectShared);
            Assert.True(child.FindVma(p).ObjectShared);
            Assert.Equal(1, Tree(m).LiveObjects);

            m.Write(child, p, 9);                               // COW: a child object
            m.Check();
            AnonObject shadow = ObjectAt(child, p);
            Assert.NotSame(root, shadow);
            Assert.Same(root, shadow.Parent);
            Assert.False(child.FindVma(p).ObjectShared);
            Assert.True(shadow.Shadowed.Contains(child.FindVma(p).PageIndexOf(p)));
            Assert.False(shadow.Shadowed.Contains(child.FindVma(p).PageIndexOf(p + Page.Size)));
            Assert.Same(shadow, m.Frames.Frame(FrameAt(child, p)).Mapping);
            Assert.Same(root, m.Frames.Frame(FrameAt(child, p + Page.Size)).Mapping);
            Assert.Equal(1, shadow.InheritedPtes);             // page 1 is still the root's

            m.Write(child, p + Page.Size, 8);                  // the second COW stays in that object
            m.Check();
            Assert.Same(shadow, ObjectAt(child, p));
            m.AssertNoLeaks();
            Assert.Equal(0, Tree(m).LiveObjects);
            Assert.Equal(0, Tree(m).ShadowIndexes);
        }

        [Fact]
        public void The_walk_visits_the_owner_and_the_descendants_that_do_not_shadow_the_index()
        {
            using var m = NewMachine();
            var (parent, child, p) = ForkedPages(m, 2);
            var grandchild = m.Fork(child);
            m.Write(child, p, 20);                              // child shadows page 0
            m.Check();
            ulong original = FrameAt(parent, p);
            // The grandchild still maps the root's page 0: under the child's VMA's old
            // object (it never wrote), not under the child's new one.
            Assert.Equal(new[] { (parent, p), (grandchild, p) }, Sorted(Walk(m, original), parent, grandchild));
            ulong childCopy = FrameAt(child, p);
            Assert.Equal(new[] { (child, p) }, Walk(m, childCopy));
            ulong unwritten = FrameAt(parent, p + Page.Size);
            Assert.Equal(3, Walk(m, unwritten).Count);
            m.AssertNoLeaks();
        }

        [Fact]
        public void A_shadowing_object_cuts_its_whole_subtree_out_of_the_walk()
        {
            using var m = NewMachine();
            var (parent, child, p) = ForkedPages(m, 2);
            m.Write(child, p, 30);                              // child's object shadows 0
            var grandchild = m.Fork(child);                     // inherits the child's copy
            m.Write(grandchild, p + Page.Size, 31);             // grandchild's object below it
            m.Check();
            AnonObject grand = ObjectAt(grandchild, p);
            Assert.Same(ObjectAt(child, p), grand.Parent);
            Assert.Same(ObjectAt(parent, p), grand.Parent.Parent);
            Assert.Equal(new[] { (parent, p) }, Walk(m, FrameAt(parent, p)));
            Assert.Equal(2, Walk(m, FrameAt(child, p)).Count);  // child and grandchild
            m.AssertNoLeaks();
        }

        [Fact]
        public void A_shadow_is_set_only_while_the_object_has_a_single_user()
        {
            using var m = NewMachine();
            var (parent, child, p) = ForkedPages(m, 4);
            m.Write(child, p, 100);                             // a child object: one VMA
            AnonObject shadow = ObjectAt(child, p);
            ulong first = child.FindVma(p).PgOff;
            Assert.True(shadow.Shadowed.Contains(first));
            Assert.Equal(0, child.Mprotect(p + 2 * Page.Size, Page.Size, Protection.Read));
            Assert.Equal(3, shadow.Vmas);                       // split in three, one object
            m.Write(child, p + Page.Size, 101);                 // a COW in one of three users
            m.Check();
            Assert.False(shadow.Shadowed.Contains(first + 1));
            Assert.Equal(1, Tree(m).ShadowIndexes);
            Assert.Equal(new[] { (parent, p + Page.Size) }, Walk(m, FrameAt(parent, p + Page.Size)));
            m.AssertNoLeaks();
        }

        [Fact]
        public void An_object_whose_only_reference_is_one_child_is_merged_into_it()
        {
            using var m = NewMachine();
            var (parent, child, p) = ForkedPages(m, 2);
            m.Write(child, p, 40);
            AnonObject root = ObjectAt(parent, p);
            AnonObject shadow = ObjectAt(child, p);
            ulong inherited = FrameAt(child, p + Page.Size);
            m.Exit(parent);                                     // root: no VMA, one child
            m.Check();
            Assert.Equal(1, Tree(m).Merges);
            Assert.False(root.Live);
            Assert.Same(shadow, root.MergedInto);
            Assert.Null(shadow.Parent);
            Assert.Equal(1, Tree(m).LiveObjects);
            Assert.Equal(0, shadow.Shadowed.Count);             // a root has nothing above it to shadow
            Assert.Equal(0, Tree(m).ShadowIndexes);
            Assert.Same(shadow, Tree(m).Owner(inherited));      // the root's page is the child's now
            Assert.Equal(0, shadow.InheritedPtes);
            Assert.Equal(new[] { (child, p + Page.Size) }, Walk(m, inherited));
            m.AssertNoLeaks();
        }

        [Fact]
        public void A_mapping_that_copied_every_page_it_needed_is_cut_from_its_parent()
        {
            using var m = NewMachine();
            var (parent, child, p) = ForkedPages(m, 3);
            m.Write(child, p, 50);
            m.Write(child, p + Page.Size, 51);
            m.Check();
            AnonObject shadow = ObjectAt(child, p);
            Assert.NotNull(shadow.Parent);                      // page 2 is still the parent's
            Assert.Equal(0, Tree(m).Collapses);
            Assert.Equal(2, Tree(m).ShadowIndexes);
            m.Write(child, p + 2 * Page.Size, 52);              // the last inherited page
            m.Check();
            Assert.Equal(1, Tree(m).Collapses);
            Assert.Null(shadow.Parent);
            Assert.Equal(0, shadow.Shadowed.Count);             // cut off: its shadows hide nothing now
            Assert.Equal(0, Tree(m).ShadowIndexes);
            Assert.Equal(0, ObjectAt(parent, p).Children);
            for (int i = 0; i < 3; i++)
            {
                ulong address = p + (ulong)i * Page.Size;
                Assert.Equal(new[] { (parent, address) }, Walk(m, FrameAt(parent, address)));
                Assert.Equal(new[] { (child, address) }, Walk(m, FrameAt(child, address)));
                Assert.Equal((byte)(i + 1), m.Read(parent, address));
                Assert.Equal((byte)(50 + i), m.Read(child, address));
            }
            m.AssertNoLeaks();
        }

        [Fact]
        public void A_swap_entry_keeps_the_parent_until_its_page_is_copied_too()
        {
            using var m = NewMachine(128, swapPages: 64);
            var (parent, child, p) = ForkedPages(m, 2);
            SwapScenario.ReclaimAll(m);                         // both PTEs of both pages: swap entries
            Assert.True(SwapScenario.PteOf(child, p).IsSwap);
            m.Write(child, p, 60);                              // swap-in, COW: a child object
            m.Check();
            AnonObject shadow = ObjectAt(child, p);
            Assert.Equal(0, shadow.InheritedPtes);
            Assert.NotNull(shadow.Parent);                      // page 1's swap entry may be the parent's
            Assert.Equal(0, Tree(m).Collapses);
            m.Write(child, p + Page.Size, 61);
            m.Check();
            Assert.Equal(1, Tree(m).Collapses);
            Assert.Null(shadow.Parent);
            Assert.Equal(1, m.Read(parent, p));
            Assert.Equal(2, m.Read(parent, p + Page.Size));
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void A_page_read_back_from_swap_belongs_to_the_first_object_up_the_chain_that_shadows_it()
        {
            using var m = NewMachine(128, swapPages: 64);
            var (parent, child, p) = ForkedPages(m, 2);
            m.Write(child, p, 70);                              // child object shadows 0
            AnonObject root = ObjectAt(parent, p);
            AnonObject shadow = ObjectAt(child, p);
            SwapScenario.ReclaimAll(m);
            // Page 1 is named by both processes' swap PTEs: not exclusive; nothing up
            // the child's chain shadows index 1, so it goes to the root.
            Assert.Equal(2, m.Read(child, p + Page.Size));
            m.Check();
            ulong page1 = FrameAt(child, p + Page.Size);
            Assert.Same(root, Tree(m).Owner(page1));
            Assert.Equal(1, shadow.InheritedPtes);
            Assert.Equal(2, m.Read(parent, p + Page.Size));     // the same frame, from the cache
            Assert.Equal(page1, FrameAt(parent, p + Page.Size));
            Assert.Equal(2, Walk(m, page1).Count);
            // The child's own copy of page 0: its entry has one holder, so it is exclusive
            // and belongs to the child's object.
            Assert.Equal(70, m.Read(child, p));
            Assert.Same(shadow, Tree(m).Owner(FrameAt(child, p)));
            Assert.Equal(1, m.Read(parent, p));
            Assert.Same(root, Tree(m).Owner(FrameAt(parent, p)));
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void A_parent_that_wrote_after_its_fork_keeps_no_shadow_once_the_child_exited()
        {
            using var m = NewMachine();
            var (parent, child, p) = ForkedPages(m, 3);
            m.Write(parent, p, 10);                             // the parent's VMA to a child object
            AnonObject own = ObjectAt(parent, p);
            Assert.True(own.Shadowed.Contains(parent.FindVma(p).PageIndexOf(p)));
            m.Write(child, p + Page.Size, 11);                  // the child's VMA to another one
            m.Check();
            Assert.Equal(3, Tree(m).LiveObjects);
            m.Exit(child);                                      // the old object merges into the parent's
            m.Check();
            Assert.Null(own.Parent);
            Assert.Equal(1, Tree(m).LiveObjects);
            Assert.Equal(0, Tree(m).ShadowIndexes);
            Assert.Equal(1, Tree(m).MetadataObjects);           // as before the fork
            m.AssertNoLeaks();
        }

        [Fact]
        public void A_merge_under_a_grandparent_keeps_the_child_s_shadows()
        {
            using var m = NewMachine();
            var (parent, child, p) = ForkedPages(m, 2);
            m.Write(child, p, 20);                              // child object C under the root, shadows 0
            var grandchild = m.Fork(child);
            m.Write(child, p, 21);                              // child's VMA to an object under C
            m.Write(grandchild, p, 22);                         // grandchild's VMA to another one
            AnonObject mine = ObjectAt(child, p);
            m.Exit(grandchild);                                 // C: no VMA, one child: merged into it
            m.Check();
            Assert.Same(ObjectAt(parent, p), mine.Parent);      // under the root, which still has page 0
            Assert.True(mine.Shadowed.Contains(child.FindVma(p).PageIndexOf(p)));
            Assert.Equal(new[] { (parent, p) }, Walk(m, FrameAt(parent, p)));
            m.AssertNoLeaks();
        }

        [Fact]
        public void Mremap_moves_and_grows_keep_pages_in_their_objects()
        {
            using var m = NewMachine();
            var (parent, child, p) = ForkedPages(m, 4);
            AnonObject root = ObjectAt(parent, p);
            long moved = child.Mremap(p + Page.Size, 2 * Page.Size, 6 * Page.Size, RemapFlags.MayMove, 0);
            Assert.True(moved > 0);
            ulong q = (ulong)moved;
            m.Check();
            Assert.Same(root, ObjectAt(child, q));              // the moved part keeps the object
            Assert.Equal(2, m.Read(child, q));
            m.Write(child, q, 80);                              // COW at the new address
            m.Write(child, q + 4 * Page.Size, 81);              // demand-zero in the grown part
            m.Check();
            AnonObject shadow = ObjectAt(child, q);
            Assert.Same(root, shadow.Parent);
            Assert.Same(root, ObjectAt(child, p));              // the part left behind did not write
            Assert.Equal(new[] { (parent, p + Page.Size) }, Walk(m, FrameAt(parent, p + Page.Size)));
            Assert.Equal(new[] { (parent, p + 2 * Page.Size), (child, q + Page.Size) },
                         Sorted(Walk(m, FrameAt(parent, p + 2 * Page.Size)), parent, child));
            // Growing the part left behind in place over indexes the moved part holds: a
            // demand-zero page there must not hide the parent's pages from the walk.
            Assert.Equal((long)p, child.Mremap(p, Page.Size, 3 * Page.Size, RemapFlags.None, 0));
            m.Write(child, p + 2 * Page.Size, 82);
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void Munmap_of_part_of_a_flagged_vma_keeps_each_piece_on_the_right_object()
        {
            using var m = NewMachine();
            var (parent, child, p) = ForkedPages(m, 3);
            AnonObject root = ObjectAt(parent, p);
            Assert.Equal(0, child.Munmap(p + Page.Size, Page.Size));
            m.Check();
            Assert.True(child.FindVma(p + 2 * Page.Size).ObjectShared);   // the split keeps the flag
            m.Write(child, p + 2 * Page.Size, 90);
            m.Check();
            Assert.Same(root, ObjectAt(child, p));
            // The written piece went to a child object, and since that copy was the only
            // page it took from the root, the child object was cut off at once.
            AnonObject piece = ObjectAt(child, p + 2 * Page.Size);
            Assert.NotSame(root, piece);
            Assert.Null(piece.Parent);
            Assert.Equal(1, Tree(m).Collapses);
            Assert.Equal(new[] { (parent, p + Page.Size) }, Walk(m, FrameAt(parent, p + Page.Size)));
            Assert.Equal(0, child.Munmap(p, 3 * Page.Size));
            m.Check();
            Assert.Equal(1, Tree(m).LiveObjects);                        // the child's objects went
            Assert.Equal(0, root.Children);
            Assert.Equal(1, root.Vmas);
            m.AssertNoLeaks();
        }

        // `seen` ordered as (first, ...) then (second, ...), for comparing walk results.
        static (AddressSpace, ulong)[] Sorted(System.Collections.Generic.List<(AddressSpace, ulong)> seen,
                                              AddressSpace first, AddressSpace second)
        {
            seen.Sort((x, y) => Rank(x.Item1) != Rank(y.Item1) ? Rank(x.Item1) - Rank(y.Item1) : x.Item2.CompareTo(y.Item2));
            return seen.ToArray();

            int Rank(AddressSpace s) => s == first ? 0 : s == second ? 1 : 2;
        }
    }
}
