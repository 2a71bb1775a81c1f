using System.Collections.Generic;
using Cowbird.Mm;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Vm;
using Xunit;
using static Cowbird.Tests.Host.Rmap.RmapTestSupport;

namespace Cowbird.Tests.Host.Rmap
{
    public class AnonVmaForkTests
    {
        [Fact]
        public void The_first_fault_gives_a_vma_a_root_anon_vma_that_the_page_points_to()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 2);
            Vma vma = a.FindVma(p);
            Assert.Null(vma.AnonVma);                   // lazy: nothing until the first fault
            m.Write(a, p, 1);
            m.Check();
            AnonVma anonVma = vma.AnonVma;
            Assert.NotNull(anonVma);
            Assert.True(anonVma.IsRoot);
            Assert.Equal(1, anonVma.NumActiveVmas);
            Assert.Equal(1, anonVma.NumChildren);       // a root is its own parent
            Assert.Same(anonVma, m.Frames.Frame(FrameAt(a, p)).Mapping);
            m.Write(a, p + Page.Size, 2);
            Assert.Same(anonVma, vma.AnonVma);          // second fault: same anon_vma
            Assert.Equal(1, Anon(m).Allocator.LiveAnonVmas);
            m.AssertNoLeaks();
            Assert.Equal(0, Anon(m).Allocator.LiveAnonVmas);
            Assert.Equal(0, Anon(m).Allocator.LiveChains);
        }

        [Fact]
        public void Walk_after_a_fork_chain_nine_deep_finds_every_mapping()
        {
            using var m = new TestMachine(256);
            const int pages = 4;
            var spaces = new List<AddressSpace> { m.NewSpace() };
            ulong p = m.MapAnonymous(spaces[0], pages);
            for (int i = 0; i < pages; i++)
                m.Write(spaces[0], p + (ulong)i * Page.Size, (byte)(i + 1));
            ulong shared = FrameAt(spaces[0], p);
            for (int depth = 1; depth <= 9; depth++)
            {
                spaces.Add(m.Fork(spaces[depth - 1]));
                // Each generation writes page 1 (a COW copy of its own, inherited by the next).
                m.Write(spaces[depth], p + Page.Size, (byte)(100 + depth));
                m.Check();
            }
            // Page 0 was never written again: one frame, mapped in all ten spaces.
            var found = Walk(m, shared);
            Assert.Equal(10, found.Count);
            foreach (AddressSpace space in spaces)
                Assert.Contains((space, p), found);
            // Page 1 of generation 5 is its own COW copy; generation 6 inherited it but
            // wrote its own copy right after forking, so only generation 5 maps it.
            ulong fifth = FrameAt(spaces[5], p + Page.Size);
            Assert.Equal(new[] { (spaces[5], p + Page.Size) }, Walk(m, fifth));
            // The deepest VMA is linked to at most its own and its ancestors' anon_vmas.
            Assert.InRange(ChainLength(spaces[9].FindVma(p)), 1, 10);
            m.AssertNoLeaks();
        }

        [Fact]
        public void A_page_inherited_down_a_fork_chain_is_found_in_every_generation()
        {
            using var m = new TestMachine(256);
            var spaces = new List<AddressSpace> { m.NewSpace() };
            ulong p = m.MapAnonymous(spaces[0], 2);
            m.Write(spaces[0], p, 1);
            spaces.Add(m.Fork(spaces[0]));
            m.Write(spaces[1], p, 2);                   // generation 1's own copy
            ulong own = FrameAt(spaces[1], p);
            for (int depth = 2; depth <= 9; depth++)
                spaces.Add(m.Fork(spaces[depth - 1]));
            m.Check();
            // Generation 1's copy lives in its own anon_vma and is mapped by 1..9.
            Assert.Same(spaces[1].FindVma(p).AnonVma, m.Frames.Frame(own).Mapping);
            var found = Walk(m, own);
            Assert.Equal(9, found.Count);
            for (int depth = 1; depth <= 9; depth++)
                Assert.Contains((spaces[depth], p), found);
            m.AssertNoLeaks();
        }

        [Fact]
        public void Fork_of_a_vma_without_pages_leaves_the_child_to_prepare_lazily()
        {
            using var m = new TestMachine(64);
            var parent = m.NewSpace();
            ulong p = m.MapAnonymous(parent, 1);
            var child = m.Fork(parent);
            Assert.Null(child.FindVma(p).AnonVma);
            m.Write(child, p, 3);
            m.Check();
            Assert.True(child.FindVma(p).AnonVma.IsRoot);
            Assert.Null(parent.FindVma(p).AnonVma);
            m.AssertNoLeaks();
        }

        [Fact]
        public void A_forked_child_gets_its_own_anon_vma_under_the_parents_root()
        {
            using var m = new TestMachine(64);
            var parent = m.NewSpace();
            ulong p = m.MapAnonymous(parent, 1);
            m.Write(parent, p, 1);
            var child = m.Fork(parent);
            m.Check();
            AnonVma mine = parent.FindVma(p).AnonVma;
            AnonVma theirs = child.FindVma(p).AnonVma;
            Assert.NotSame(mine, theirs);
            Assert.Same(mine, theirs.Root);
            Assert.Same(mine, theirs.Parent);
            Assert.Equal(2, mine.NumChildren);          // itself and the child's
            Assert.Equal(2, mine.RefCount);             // its tree and the child's root reference
            Assert.Equal(2, ChainLength(child.FindVma(p)));
            m.Write(child, p, 2);                       // COW copy belongs to the child's anon_vma
            Assert.Same(theirs, m.Frames.Frame(FrameAt(child, p)).Mapping);
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void Exits_in_any_order_free_every_anon_vma_and_chain()
        {
            for (int order = 0; order < 3; order++)
            {
                using var m = new TestMachine(256);
                var root = m.NewSpace();
                ulong p = m.MapAnonymous(root, 3);
                m.Write(root, p, 1);
                var a = m.Fork(root);
                m.Write(a, p, 2);
                var b = m.Fork(a);
                var c = m.Fork(root);
                m.Write(c, p + Page.Size, 3);
                var d = m.Fork(b);
                m.Write(d, p + 2 * Page.Size, 4);
                m.Check();
                var exitOrder = order switch
                {
                    0 => new[] { root, a, b, c, d },
                    1 => new[] { d, c, b, a, root },
                    _ => new[] { b, root, d, a, c },
                };
                foreach (AddressSpace space in exitOrder)
                {
                    m.Exit(space);
                    m.Check();                          // counters exact after every exit
                }
                Assert.Equal(0, Anon(m).Allocator.LiveAnonVmas);
                Assert.Equal(0, Anon(m).Allocator.LiveChains);
                m.AssertNoLeaks();
            }
        }

        [Fact]
        public void Anon_vma_reuse_keeps_anon_vmas_within_twice_the_vmas_in_a_long_fork_chain_with_exits()
        {
            using var m = new TestMachine(256);
            var current = m.NewSpace();
            ulong p = m.MapAnonymous(current, 2);
            m.Write(current, p, 1);
            int maxChain = 0;
            int afterThirdExit = 0;
            for (int generation = 0; generation < 64; generation++)
            {
                var child = m.Fork(current);
                m.Write(child, p, (byte)generation);    // every generation makes its own pages
                m.Check();
                // Each anon_vma has an active VMA or two children (a root counting itself),
                // so right after the fork there are at most two per VMA.
                Assert.True(Anon(m).Allocator.LiveAnonVmas <= 2 * VmaCount(m),
                            $"generation {generation}: {Anon(m).Allocator.LiveAnonVmas} anon_vmas for {VmaCount(m)} VMAs");
                m.Exit(current);
                current = child;
                m.Check();
                // After the exit one idle anon_vma waits for the next fork to reuse it: the
                // count stays where it was after the first few generations instead of growing.
                if (generation == 2)
                    afterThirdExit = Anon(m).Allocator.LiveAnonVmas;
                if (generation > 2)
                    Assert.True(Anon(m).Allocator.LiveAnonVmas <= afterThirdExit,
                                $"generation {generation}: {Anon(m).Allocator.LiveAnonVmas} anon_vmas, {afterThirdExit} at generation 2");
                maxChain = System.Math.Max(maxChain, ChainLength(current.FindVma(p)));
            }
            // Without reuse the chain list would hold all 65 generations' anon_vmas.
            Assert.True(maxChain <= 3, $"chain list grew to {maxChain}");
            m.AssertNoLeaks();
        }

        [Fact]
        public void Without_reuse_a_fork_chain_with_exits_keeps_one_anon_vma_per_generation()
        {
            // Linux from 2010 to 2015: each fork gives the child a new anon_vma under its
            // parent's, and an exited parent's anon_vma stays as long as a descendant is
            // linked to it, so the chain list grows by one per generation.
            using var m = new TestMachine(256);
            Anon(m).ReuseIdleAncestors = false;
            var current = m.NewSpace();
            ulong p = m.MapAnonymous(current, 2);
            m.Write(current, p, 1);
            const int generations = 16;
            for (int generation = 0; generation < generations; generation++)
            {
                var child = m.Fork(current);
                m.Write(child, p, (byte)generation);
                m.Exit(current);
                current = child;
                m.Check();
                Assert.Equal(generation + 2, Anon(m).Allocator.LiveAnonVmas);
                Assert.Equal(generation + 2, ChainLength(current.FindVma(p)));
            }
            m.Exit(current);
            Assert.Equal(0, Anon(m).Allocator.LiveAnonVmas);
            m.AssertNoLeaks();
        }

        [Fact]
        public void An_idle_ancestor_anon_vma_is_reused_by_a_grandchild()
        {
            using var m = new TestMachine(128);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 1);
            m.Write(a, p, 1);
            var b = m.Fork(a);
            m.Exit(a);                                  // a's root anon_vma: no active VMA
            var c = m.Fork(b);
            m.Check();
            AnonVma bs = b.FindVma(p).AnonVma;
            AnonVma cs = c.FindVma(p).AnonVma;
            // The root still has two children (itself and b's), so it is not reusable;
            // b's anon_vma is active; so c gets a new one.
            Assert.NotSame(bs, cs);
            m.Exit(b);                                  // b's anon_vma: idle, one child (c's)
            var d = m.Fork(c);
            m.Check();
            Assert.Same(bs, d.FindVma(p).AnonVma);      // reused, not allocated
            Assert.Equal(1, bs.NumActiveVmas);
            m.AssertNoLeaks();
        }

        [Fact]
        public void A_grandchild_never_reuses_an_anon_vma_that_a_vma_still_owns()
        {
            // CVE-2022-42703: with one "degree" counter (VMAs + children), the child's anon_vma
            // (one VMA, no children: degree 1) was reusable by the grandchild while the child
            // still owned it; later merges and exits then freed it under mapped pages.
            using var m = new TestMachine(128);
            var parent = m.NewSpace();
            ulong p = m.MapAnonymous(parent, 2);
            m.Write(parent, p, 1);
            var child = m.Fork(parent);
            m.Write(child, p, 2);
            AnonVma childs = child.FindVma(p).AnonVma;
            Assert.Equal(0, childs.NumChildren);
            Assert.Equal(1, childs.NumActiveVmas);
            var grandchild = m.Fork(child);
            Assert.NotSame(childs, grandchild.FindVma(p).AnonVma);
            m.Write(grandchild, p, 3);
            m.Write(grandchild, p + Page.Size, 4);
            m.Exit(child);
            m.Check();                                  // no Mapping points to a freed anon_vma
            Assert.Equal(3, m.Read(grandchild, p));
            Assert.Equal(1, m.Read(parent, p));
            m.AssertNoLeaks();
        }
    }
}
