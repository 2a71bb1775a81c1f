using System.Collections.Generic;
using Cowbird.Mm;
using Cowbird.Mm.Paging;
using Cowbird.Mm.Physical;
using Cowbird.Mm.Platform;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Swap;
using Cowbird.Mm.Vm;
using Xunit;
using static Cowbird.Tests.Host.Rmap.RmapTestSupport;

namespace Cowbird.Tests.Host.Rmap
{
    public class RmapActionTests
    {
        [Theory, AllDesigns]
        public void PageReferenced_counts_and_clears_accessed_bits_in_parent_and_child(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var parent = m.NewSpace();
            ulong p = m.MapAnonymous(parent, 1);
            m.Write(parent, p, 7);
            var child = m.Fork(parent);
            m.Read(parent, p);
            m.Read(child, p);
            ulong frame = FrameAt(parent, p);
            var referenced = new PageReferenced(m.Manager);
            Assert.Equal(2, referenced.Count(frame));
            Assert.False(parent.PageTable.Lookup(p).IsAccessed);
            Assert.False(child.PageTable.Lookup(p).IsAccessed);
            m.Check();
            Assert.Equal(0, referenced.Count(frame));
            // The TLB entries were invalidated, so the next access walks and sets the bit again.
            m.Read(child, p);
            Assert.Equal(1, referenced.Count(frame));
            Assert.True(parent.PageTable.Lookup(p).IsPresent);
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void TryToUnmap_replaces_every_mapping_with_the_swap_pte_and_drops_the_counts(RmapDesign design)
        {
            using var m = new TestMachine(128, rmap: design);
            var parent = m.NewSpace();
            ulong p = m.MapAnonymous(parent, 2);
            m.Write(parent, p, 5);
            m.Write(parent, p + Page.Size, 6);
            var children = new List<AddressSpace> { m.Fork(parent), m.Fork(parent) };
            m.Write(children[1], p + Page.Size, 8);      // a private copy that must stay mapped
            ulong frame = FrameAt(parent, p);
            ulong other = FrameAt(parent, p + Page.Size);
            var before = MappingsOf(m, frame);
            Assert.Equal(3, before.Count);
            m.Frames.Get(frame);                          // reclaim's own reference
            Pte swapPte = new Pte(new SwapEntry(0, 42).ToPte());
            Assert.True(new TryToUnmap(m.Manager).Unmap(frame, swapPte));
            foreach (var (space, address) in before.Keys)
                Assert.Equal(swapPte.Raw, space.PageTable.Lookup(address).Raw);
            Assert.Equal(0, m.Frames.Frame(frame).MapCount);
            Assert.Equal(1, m.Frames.Frame(frame).RefCount);
            Assert.NotEqual(PageFrameFlags.None, m.Frames.Frame(frame).Flags & PageFrameFlags.Dirty);
            Assert.Empty(m.Mmu.StaleEntries());           // every TLB entry invalidated
            Assert.Empty(Walk(m, frame));
            // Other frames untouched.
            Assert.Equal(other, FrameAt(parent, p + Page.Size));
            Assert.Equal(8, m.Read(children[1], p + Page.Size));
            // No swap device here: put the mappings back by hand and check everything.
            PutBackByHand(m, frame, before);
            m.Check();
            Assert.Equal(5, m.Read(children[0], p));
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void TryToUnmap_panics_on_a_replacement_that_is_not_a_swap_pte_or_without_a_caller_reference(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 1);
            m.Write(a, p, 1);
            ulong frame = FrameAt(a, p);
            var unmap = new TryToUnmap(m.Manager);
            Assert.Throws<MmPanicException>(() => unmap.Unmap(frame, new Pte(new SwapEntry(0, 3).ToPte())));
            m.Frames.Get(frame);
            Assert.Throws<MmPanicException>(() => unmap.Unmap(frame, Pte.NoneEntry));
            m.Frames.Put(frame);
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void A_visitor_returning_false_stops_the_walk(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var parent = m.NewSpace();
            ulong p = m.MapAnonymous(parent, 1);
            m.Write(parent, p, 1);
            m.Fork(parent);
            m.Fork(parent);
            var first = new StopAtFirst();
            Assert.False(m.Manager.Rmap.Walk(FrameAt(parent, p), first));
            Assert.Equal(1, first.Visits);
            m.AssertNoLeaks();
        }

        [Fact]
        public void The_page_table_scan_design_plugs_in_and_finds_the_same_mappings()
        {
            using var m = new TestMachine(128);
            m.Manager.SetReverseMap(new PageTableScanReverseMap(m.Manager));
            var parent = m.NewSpace();
            ulong p = m.MapAnonymous(parent, 3);
            m.Write(parent, p, 1);
            var child = m.Fork(parent);
            var grandchild = m.Fork(child);
            m.Write(child, p + Page.Size, 2);
            Assert.Equal(0, parent.Munmap(p + 2 * Page.Size, Page.Size));
            m.Check();                                    // walk compared with the raw tables
            Assert.Null(parent.FindVma(p).AnonVma);       // no anon_vma under this design
            Assert.Equal(3, Walk(m, FrameAt(parent, p)).Count);
            var referenced = new PageReferenced(m.Manager);
            referenced.Count(FrameAt(parent, p));         // fork copied the parent's A bit: clear
            m.Read(parent, p);
            m.Read(grandchild, p);
            Assert.Equal(2, referenced.Count(FrameAt(parent, p)));
            m.AssertNoLeaks();
        }

        [Fact]
        public void The_reverse_map_cannot_be_swapped_once_vmas_exist()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            m.MapAnonymous(a, 1);
            Assert.Throws<MmPanicException>(() => m.Manager.SetReverseMap(new PageTableScanReverseMap(m.Manager)));
            m.AssertNoLeaks();
        }

        sealed class StopAtFirst : RmapVisitor
        {
            public int Visits;

            public override bool Visit(Vma vma, ulong address, ulong pteAddress, Pte pte)
            {
                Visits++;
                return false;
            }
        }
    }
}
