using Cowbird.Mm;
using Cowbird.Mm.Physical;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Vm;
using Xunit;

namespace Cowbird.Tests.Host.Rmap
{
    // RmapObjectBytes states what each reverse-map object costs; these tests weigh the real
    // objects, so a field added to one of them cannot leave the figures (and the metadata
    // tables of docs/rmap-designs.md) silently wrong.
    public class RmapObjectBytesTests
    {
        const int Samples = 1000;

        // Bytes .NET allocates for one object made by `make` (its owned objects included).
        static long Weigh(System.Func<object> make)
        {
            var keep = new object[Samples];
            make();                                             // JIT and type loading first
            long before = System.GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < Samples; i++)
                keep[i] = make();
            long after = System.GC.GetAllocatedBytesForCurrentThread();
            System.GC.KeepAlive(keep);
            return (after - before) / Samples;
        }

        [Fact]
        public void Each_figure_is_what_the_object_really_takes()
        {
            Assert.Equal(RmapObjectBytes.AnonVma, Weigh(() => new AnonVma()));
            Assert.Equal(RmapObjectBytes.AnonVmaChain, Weigh(() => new AnonVmaChain()));
            Assert.Equal(RmapObjectBytes.PteChainEntry, Weigh(() => new PteChainEntry()));
            Assert.Equal(RmapObjectBytes.AnonVmaFamily, Weigh(() => new AnonVmaFamily()));
            Assert.Equal(RmapObjectBytes.AnonObject, Weigh(() => new AnonObject()));
            Assert.Equal(RmapObjectBytes.PageFrameBytes, System.Runtime.CompilerServices.Unsafe.SizeOf<PageFrame>());
        }

        [Fact]
        public void A_shadowed_index_costs_one_set_node()
        {
            var set = new ShadowSet();
            set.Add(0);
            long before = System.GC.GetAllocatedBytesForCurrentThread();
            for (ulong index = 1; index <= Samples; index++)
                Assert.True(set.Add(index));
            long after = System.GC.GetAllocatedBytesForCurrentThread();
            Assert.Equal(RmapObjectBytes.ShadowIndex, (after - before) / Samples);
        }

        [Theory, AllDesigns]
        public void Metadata_bytes_follow_the_live_objects_and_return_to_zero(RmapDesign design)
        {
            using var m = new TestMachine(256, rmap: design);
            var parent = m.NewSpace();
            ulong p = m.MapAnonymous(parent, 8);
            for (int i = 0; i < 8; i++)
                m.Write(parent, p + (ulong)i * Page.Size, 1);
            var child = m.Fork(parent);
            m.Write(child, p, 2);
            long objects = m.Manager.Rmap.MetadataObjects;
            long bytes = m.Manager.Rmap.MetadataBytes;
            Assert.Equal(objects == 0, bytes == 0);
            // Every object weighs between the smallest kind (a 2004 family) and the largest
            // (an anonymous object of the tree).
            Assert.InRange(bytes, objects * RmapObjectBytes.AnonVmaFamily, objects * RmapObjectBytes.AnonObject);
            m.Exit(child);
            m.Exit(parent);
            Assert.Equal(0, m.Manager.Rmap.MetadataBytes);
        }

        // User/tests/fork_chain.c --assert-rmap: a process with written pages and a written
        // stack forks a chain of ten, each level writing its own page and its stack before
        // its fork; each parent writes its stack after the fork and after its child exited.
        // Once the chain is gone, the first process's metadata is what it was before.
        [Theory, AllDesigns]
        public void Metadata_is_back_where_it_started_once_a_fork_chain_exited(RmapDesign design)
        {
            const int Depth = 10;
            using var m = new TestMachine(512, rmap: design);
            var spaces = new System.Collections.Generic.List<AddressSpace> { m.NewSpace() };
            ulong pages = m.MapAnonymous(spaces[0], Depth);
            ulong stack = m.MapAnonymous(spaces[0], 2, Protection.All);   // another protection: a VMA of its own
            for (int i = 0; i < Depth; i++)
                m.Write(spaces[0], pages + (ulong)i * Page.Size, 1);
            m.Write(spaces[0], stack + Page.Size, 1);
            long objects = m.Manager.Rmap.MetadataObjects;
            long bytes = m.Manager.Rmap.MetadataBytes;
            for (int level = 0; level < Depth; level++)
            {
                m.Write(spaces[level], pages + (ulong)level * Page.Size, (byte)(level + 2));
                m.Write(spaces[level], stack + Page.Size, (byte)(level + 2));
                if (level + 1 < Depth)
                {
                    spaces.Add(m.Fork(spaces[level]));
                    m.Write(spaces[level], stack + Page.Size, 0);
                }
            }
            m.Check();
            for (int level = Depth - 1; level > 0; level--)
            {
                m.Exit(spaces[level]);
                m.Write(spaces[level - 1], stack + Page.Size, 1);
                m.Check();
            }
            Assert.Equal(objects, m.Manager.Rmap.MetadataObjects);
            Assert.Equal(bytes, m.Manager.Rmap.MetadataBytes);
            m.AssertNoLeaks();
        }
    }
}
