using System.Collections.Generic;
using Cowbird.Mm;
using Cowbird.Mm.Vm;
using Xunit;

namespace Cowbird.Tests.Host
{
    public class VmaTreeTests
    {
        [Fact]
        public void Find_returns_the_containing_vma_or_the_next_one_above()
        {
            using var m = new TestMachine(16);
            var a = m.NewSpace();
            const MapFlags fixedAnon = MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed;
            a.Mmap(0x10_0000, Page.Size, Protection.Read, fixedAnon);
            a.Mmap(0x30_0000, 2 * Page.Size, Protection.Read, fixedAnon);
            Assert.Null(a.Vmas.FindContaining(0x20_0000));
            Assert.Equal(0x30_0000UL, a.Vmas.FindFirstEndingAfter(0x20_0000).Start);
            Assert.Equal(0x30_0000UL, a.Vmas.FindContaining(0x30_1FFF).Start);
            Assert.Null(a.Vmas.FindFirstEndingAfter(0x30_2000));
            Assert.Equal(0x10_0000UL, a.Vmas.FindContaining(0x10_0000).Start);
            m.AssertNoLeaks();
        }

        [Fact]
        public void Inserting_an_overlapping_vma_panics()
        {
            using var m = new TestMachine(16);
            var a = m.NewSpace();
            a.Mmap(0x10_0000, 2 * Page.Size, Protection.Read, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed);
            var overlapping = new Vma(a, 0x10_1000, 0x10_3000, Protection.Read, VmaFlags.Private | VmaFlags.Anonymous, 0x101);
            Assert.Throws<MmPanicException>(() => a.Vmas.Insert(overlapping));
            overlapping.Release();
            Assert.Throws<MmPanicException>(() => overlapping.Release());
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void Every_vma_is_counted_live_until_released_and_exit_releases_every_one()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 8);
            Assert.Equal(0, a.Munmap(p + Page.Size, Page.Size));
            Assert.Equal(0, a.Munmap(p + 4 * Page.Size, Page.Size));
            Assert.Equal(3, m.Manager.LiveVmas);
            var b = m.Fork(a);
            Assert.Equal(6, m.Manager.LiveVmas);
            m.Exit(b);
            Assert.Equal(3, m.Manager.LiveVmas);
            Assert.Equal(0, a.Munmap(p, 8 * Page.Size));
            Assert.Equal(0, m.Manager.LiveVmas);
            m.AssertNoLeaks();
        }

        // Random fixed mmaps and munmaps of a 256-page window against a model "which pages
        // are mapped, with which protection"; the tree is checked after every step.
        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        public void Random_mmap_munmap_sequences_keep_the_tree_balanced_and_agree_with_a_page_model(int seed)
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            var random = new System.Random(seed);
            var model = new Dictionary<ulong, Protection>();
            const ulong window = 0x100_0000;
            for (int step = 0; step < 400; step++)
            {
                ulong first = (ulong)random.Next(256);
                ulong count = (ulong)random.Next(1, 17);
                ulong start = window + first * Page.Size;
                if (random.Next(3) == 0)
                {
                    Assert.Equal(0, a.Munmap(start, count * Page.Size));
                    for (ulong i = 0; i < count; i++)
                        model.Remove(first + i);
                }
                else
                {
                    var prot = (Protection)random.Next(4);
                    Assert.Equal((long)start, a.Mmap(start, count * Page.Size, prot, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed));
                    for (ulong i = 0; i < count; i++)
                        model[first + i] = prot;
                }
                if (random.Next(4) == 0)
                {
                    ulong page = (ulong)random.Next(272);
                    bool mapped = model.TryGetValue(page, out Protection p);
                    FaultResult r = m.TryAccess(a, window + page * Page.Size, AccessKind.Write);
                    Assert.Equal(!mapped ? FaultResult.SegvMapErr : (p & Protection.Write) != 0 ? FaultResult.Handled : FaultResult.SegvAccErr, r);
                }
                m.Check();
                for (ulong page = 0; page < 272; page++)
                {
                    Vma vma = a.FindVma(window + page * Page.Size);
                    Assert.Equal(model.ContainsKey(page), vma != null);
                    if (vma != null)
                        Assert.Equal(model[page], vma.Prot);
                }
            }
            m.AssertNoLeaks();
        }

        // mmap's free-range search through the tree's gaps finds the same range as a plain
        // walk down the list would, over random layouts with holes of every size.
        [Fact]
        public void The_gap_search_finds_the_highest_free_range_as_a_list_walk_would()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            var random = new System.Random(5);
            for (int i = 0; i < 600; i++)
            {
                ulong at = 0x10_0000 + (ulong)random.Next(4096) * Page.Size;
                ulong pages = (ulong)random.Next(1, 6);
                if (random.Next(3) == 0)
                    a.Munmap(at, pages * Page.Size);
                else
                    a.Mmap(at, pages * Page.Size, (Protection)random.Next(1, 4), MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed);
                ulong length = (ulong)random.Next(1, 40) * Page.Size;
                ulong top = 0x10_0000 + (ulong)random.Next(4200) * Page.Size;
                Assert.Equal(ListWalk(a.Vmas, length, top), a.Vmas.FindHighestGap(length, top));
            }
            m.Check();
        }

        // The reference: walk down from the last VMA, as the search did before the gaps.
        static ulong ListWalk(VmaTree vmas, ulong length, ulong top)
        {
            for (Vma vma = vmas.Last; ; vma = vma.Prev)
            {
                ulong gapStart = vma == null ? AddressSpace.MmapMin : vma.End;
                if (gapStart < top && top - gapStart >= length)
                    return top - length;
                if (vma == null)
                    return 0;
                if (vma.Start < top)
                    top = vma.Start;
            }
        }
    }
}
