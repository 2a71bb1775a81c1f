using System.Collections.Generic;
using Cowbird.Mm;
using Cowbird.Mm.Paging;
using Cowbird.Mm.Physical;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Swap;
using Cowbird.Mm.Vm;
using Xunit;
using static Cowbird.Tests.Host.Rmap.RmapTestSupport;

namespace Cowbird.Tests.Host.Rmap
{
    // The seams between the reverse map and the VMA operations (mprotect splits and
    // merges, mremap moves, shared anonymous objects): after each operation the rmap walk
    // must still find every PTE of every page, in every process.
    public class RmapVmaOpsSeamTests
    {
        const Protection ReadWrite = Protection.Read | Protection.Write;

        // Maps `pages` private pages at the fixed `address` and writes i + 1 into page i.
        static ulong MapFilled(TestMachine m, AddressSpace space, ulong address, int pages)
        {
            long r = space.Mmap(address, (ulong)pages * Page.Size, ReadWrite, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed);
            Assert.Equal((long)address, r);
            for (int i = 0; i < pages; i++)
                m.Write(space, address + (ulong)i * Page.Size, (byte)(i + 1));
            return address;
        }

        // The rmap walk of the frame at `address` in `owner` finds exactly `expected`.
        static void AssertWalkFinds(TestMachine m, AddressSpace owner, ulong address, params (AddressSpace, ulong)[] expected)
        {
            var seen = new HashSet<(AddressSpace, ulong)>(Walk(m, FrameAt(owner, address)));
            Assert.True(seen.SetEquals(expected), $"walk of the page at 0x{address:x} found {seen.Count} mappings, expected {expected.Length}");
        }

        [Fact]
        public void Mprotect_split_and_merge_of_a_cow_shared_region_keeps_every_mapping_reachable()
        {
            using var m = new TestMachine(128);
            var parent = m.NewSpace();
            ulong p = MapFilled(m, parent, 0x4000_0000, 4);
            var child = m.Fork(parent);
            AnonVma own = child.FindVma(p).AnonVma;
            // Split the child's VMA into three; the pages stay COW-shared with the parent.
            Assert.Equal(0, child.Mprotect(p + Page.Size, 2 * Page.Size, Protection.Read));
            m.Check();
            Assert.Equal(3, child.Vmas.Count);
            for (ulong i = 0; i < 4; i++)
                AssertWalkFinds(m, parent, p + i * Page.Size, (parent, p + i * Page.Size), (child, p + i * Page.Size));
            // Back to read-write: the three pieces (same anon_vma, same chains) merge again.
            Assert.Equal(0, child.Mprotect(p + Page.Size, 2 * Page.Size, ReadWrite));
            m.Check();
            Assert.Equal(1, child.Vmas.Count);
            Vma merged = child.FindVma(p);
            Assert.Same(own, merged.AnonVma);
            Assert.Equal(2, ChainLength(merged));              // its own anon_vma and the parent's
            for (ulong i = 0; i < 4; i++)
                AssertWalkFinds(m, parent, p + i * Page.Size, (parent, p + i * Page.Size), (child, p + i * Page.Size));
            // COW still breaks: the child's write copies, the parent keeps its page.
            m.Write(child, p + 2 * Page.Size, 33);
            Assert.Equal(3, m.Read(parent, p + 2 * Page.Size));
            AssertWalkFinds(m, child, p + 2 * Page.Size, (child, p + 2 * Page.Size));
            AssertWalkFinds(m, parent, p + 2 * Page.Size, (parent, p + 2 * Page.Size));
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Mremap_move_of_a_cow_shared_region_is_found_by_the_walk_in_parent_and_child(RmapDesign design)
        {
            using var m = new TestMachine(128, rmap: design);
            var parent = m.NewSpace();
            ulong p = MapFilled(m, parent, 0x4000_0000, 4);
            var child = m.Fork(parent);
            // The parent moves its middle two pages away (a partial move: the VMA splits).
            ulong q = 0x5000_0000;
            Assert.Equal((long)q, parent.Mremap(p + Page.Size, 2 * Page.Size, 2 * Page.Size, RemapFlags.MayMove | RemapFlags.Fixed, q));
            m.Check();
            Assert.Equal(3, parent.Vmas.Count);
            AssertWalkFinds(m, parent, p, (parent, p), (child, p));
            AssertWalkFinds(m, parent, q, (parent, q), (child, p + Page.Size));
            AssertWalkFinds(m, parent, q + Page.Size, (parent, q + Page.Size), (child, p + 2 * Page.Size));
            AssertWalkFinds(m, parent, p + 3 * Page.Size, (parent, p + 3 * Page.Size), (child, p + 3 * Page.Size));
            // The child moves its whole region, growing it (the new tail is demand-zero).
            ulong r = 0x6000_0000;
            Assert.Equal((long)r, child.Mremap(p, 4 * Page.Size, 6 * Page.Size, RemapFlags.MayMove | RemapFlags.Fixed, r));
            m.Check();
            AssertWalkFinds(m, parent, p, (parent, p), (child, r));
            AssertWalkFinds(m, parent, q, (parent, q), (child, r + Page.Size));
            AssertWalkFinds(m, parent, q + Page.Size, (parent, q + Page.Size), (child, r + 2 * Page.Size));
            AssertWalkFinds(m, parent, p + 3 * Page.Size, (parent, p + 3 * Page.Size), (child, r + 3 * Page.Size));
            // The moved pages still COW in both directions and keep their contents.
            m.Write(child, r + Page.Size, 20);
            m.Write(parent, q + Page.Size, 30);
            Assert.Equal(2, m.Read(parent, q));
            Assert.Equal(20, m.Read(child, r + Page.Size));
            Assert.Equal(3, m.Read(child, r + 2 * Page.Size));
            Assert.Equal(30, m.Read(parent, q + Page.Size));
            m.Write(child, r + 5 * Page.Size, 6);
            AssertWalkFinds(m, child, r + 5 * Page.Size, (child, r + 5 * Page.Size));
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void A_moved_region_merges_back_with_its_old_neighbours_and_keeps_one_anon_vma()
        {
            using var m = new TestMachine(128);
            var a = m.NewSpace();
            ulong p = MapFilled(m, a, 0x4000_0000, 3);
            AnonVma anonVma = a.FindVma(p).AnonVma;
            ulong q = 0x5000_0000;
            // Move the last page away and back: the split pieces share one anon_vma and the
            // page keeps its PgOff, so it merges with the first two pages again.
            Assert.Equal((long)q, a.Mremap(p + 2 * Page.Size, Page.Size, Page.Size, RemapFlags.MayMove | RemapFlags.Fixed, q));
            m.Check();
            Assert.Equal(2, a.Vmas.Count);
            Assert.Equal((long)(p + 2 * Page.Size), a.Mremap(q, Page.Size, Page.Size, RemapFlags.MayMove | RemapFlags.Fixed, p + 2 * Page.Size));
            m.Check();
            Assert.Equal(1, a.Vmas.Count);
            Vma vma = a.FindVma(p);
            Assert.Equal(p + 3 * Page.Size, vma.End);
            Assert.Same(anonVma, vma.AnonVma);
            Assert.Equal(1, ChainLength(vma));
            Assert.Equal(1, Anon(m).Allocator.LiveChains);
            for (ulong i = 0; i < 3; i++)
            {
                AssertWalkFinds(m, a, p + i * Page.Size, (a, p + i * Page.Size));
                Assert.Equal((byte)(i + 1), m.Read(a, p + i * Page.Size));
            }
            m.AssertNoLeaks();
        }

        [Fact]
        public void Merging_two_vmas_with_the_same_anon_vma_drops_the_removed_vmas_chains()
        {
            using var m = new TestMachine(128);
            var parent = m.NewSpace();
            ulong p = MapFilled(m, parent, 0x4000_0000, 4);
            var child = m.Fork(parent);
            // Split the child's VMA in two halves (both keep the child's anon_vma and both
            // chains), then join them again by making the upper half's protection equal.
            Assert.Equal(0, child.Mprotect(p + 2 * Page.Size, 2 * Page.Size, Protection.Read));
            Vma lower = child.FindVma(p);
            Vma upper = child.FindVma(p + 2 * Page.Size);
            Assert.NotSame(lower, upper);
            Assert.Same(lower.AnonVma, upper.AnonVma);
            int chainsSplit = Anon(m).Allocator.LiveChains;
            Assert.Equal(0, child.Mprotect(p + 2 * Page.Size, 2 * Page.Size, ReadWrite));
            m.Check();                                          // no chain of the freed VMA is left in a tree
            Assert.Equal(chainsSplit - 2, Anon(m).Allocator.LiveChains);
            Vma merged = child.FindVma(p);
            Assert.Equal(p + 4 * Page.Size, merged.End);
            foreach (AnonVmaChain chain in ChainsOf(merged))
                Assert.Equal((merged.PgOff, merged.PgOff + 3), (chain.Start, chain.Last));
            for (ulong i = 0; i < 4; i++)
                AssertWalkFinds(m, parent, p + i * Page.Size, (parent, p + i * Page.Size), (child, p + i * Page.Size));
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void A_pageless_vma_merging_into_a_neighbour_with_pages_takes_no_foreign_anon_vma(RmapDesign design)
        {
            using var m = new TestMachine(128, rmap: design);
            var a = m.NewSpace();
            ulong p = MapFilled(m, a, 0x4000_0000, 2);
            // A read-only neighbour with no pages yet, then made read-write: it merges
            // (IsMergeable allows a VMA without anon_vma next to a single-chain one).
            Assert.Equal((long)(p + 2 * Page.Size), a.Mmap(p + 2 * Page.Size, 2 * Page.Size, Protection.Read,
                MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed));
            Assert.Equal(2, a.Vmas.Count);
            Assert.Equal(0, a.Mprotect(p + 2 * Page.Size, 2 * Page.Size, ReadWrite));
            m.Check();
            Assert.Equal(1, a.Vmas.Count);
            m.Write(a, p + 3 * Page.Size, 9);
            m.Check();
            Assert.Same(m.Frames.Frame(FrameAt(a, p)).Mapping, m.Frames.Frame(FrameAt(a, p + 3 * Page.Size)).Mapping);
            AssertWalkFinds(m, a, p + 3 * Page.Size, (a, p + 3 * Page.Size));
            m.AssertNoLeaks();
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void PageReferenced_and_TryToUnmap_work_on_a_shared_page_mapped_by_three_processes(bool pageTableScan)
        {
            using var m = new TestMachine(128);
            if (pageTableScan)
                m.Manager.SetReverseMap(new PageTableScanReverseMap(m.Manager));
            var first = m.NewSpace();
            long mapped = first.Mmap(0, 2 * Page.Size, ReadWrite, MapFlags.Shared | MapFlags.Anonymous);
            Assert.True(mapped > 0);
            ulong p = (ulong)mapped;
            m.Write(first, p + Page.Size, 42);
            var second = m.Fork(first);
            var third = m.Fork(second);
            // The third process moves its mapping: the walk must follow it there.
            ulong moved = 0x5000_0000;
            Assert.Equal((long)moved, third.Mremap(p, 2 * Page.Size, 2 * Page.Size, RemapFlags.MayMove | RemapFlags.Fixed, moved));
            ulong frame = FrameAt(first, p + Page.Size);
            Assert.Equal(frame, FrameAt(second, p + Page.Size));
            Assert.Equal(frame, FrameAt(third, moved + Page.Size));
            AssertWalkFinds(m, first, p + Page.Size, (first, p + Page.Size), (second, p + Page.Size), (third, moved + Page.Size));
            var referenced = new PageReferenced(m.Manager);
            referenced.Count(frame);                           // fork copied the A bit: start clear
            m.Read(first, p + Page.Size);
            m.Read(third, moved + Page.Size);
            Assert.Equal(2, referenced.Count(frame));
            Assert.Equal(0, referenced.Count(frame));
            m.Check();

            // Reclaim's view: take a reference, unmap everywhere. Shared pages keep their
            // place in the object, so the PTEs are cleared (not given the swap entry).
            m.Frames.Get(frame);
            Pte swapPte = new Pte(new SwapEntry(0, 7).ToPte());
            Assert.True(new TryToUnmap(m.Manager).Unmap(frame, swapPte));
            Assert.True(first.PageTable.Lookup(p + Page.Size).IsNone);
            Assert.True(second.PageTable.Lookup(p + Page.Size).IsNone);
            Assert.True(third.PageTable.Lookup(moved + Page.Size).IsNone);
            Assert.Equal(0, m.Frames.Frame(frame).MapCount);
            Assert.Equal(2, m.Frames.Frame(frame).RefCount);  // the object's and ours
            Assert.NotEqual(PageFrameFlags.None, m.Frames.Frame(frame).Flags & PageFrameFlags.Dirty);
            Assert.Empty(m.Mmu.StaleEntries());
            Assert.Empty(Walk(m, frame));
            m.Frames.Frame(frame).Flags &= ~PageFrameFlags.Dirty;
            m.Frames.Put(frame);
            m.Check();
            // Each process faults the object's page back in: same frame, same contents.
            Assert.Equal(42, m.Read(second, p + Page.Size));
            Assert.Equal(42, m.Read(third, moved + Page.Size));
            Assert.Equal(42, m.Read(first, p + Page.Size));
            Assert.Equal(frame, FrameAt(third, moved + Page.Size));
            AssertWalkFinds(m, first, p + Page.Size, (first, p + Page.Size), (second, p + Page.Size), (third, moved + Page.Size));
            Assert.Null(first.FindVma(p).AnonVma);
            Assert.Null(third.FindVma(moved).AnonVma);
            m.Check();
            m.AssertNoLeaks();
        }

        static List<AnonVmaChain> ChainsOf(Vma vma)
        {
            var chains = new List<AnonVmaChain>();
            for (AnonVmaChain chain = vma.AnonVmaChainHead; chain != null; chain = chain.SameVmaNext)
                chains.Add(chain);
            return chains;
        }
    }
}
