using System.Collections.Generic;
using Cowbird.Mm;
using Cowbird.Mm.Vm;
using Xunit;

namespace Cowbird.Tests.Host
{
    public class PageIndexTreeTests
    {
        sealed class Recorder : PageIndexVisitor
        {
            public readonly List<(ulong, ulong)> Entries = new List<(ulong, ulong)>();
            public int Nodes;
            public override void VisitEntry(ulong index, ulong entry) { Entries.Add((index, entry)); }
            public override void VisitNode(ulong pfn) { Nodes++; }
        }

        [Fact]
        public void Sparse_indexes_are_stored_found_walked_in_order_and_freed()
        {
            using var m = new TestMachine(64);
            var tree = new PageIndexTree(m.Manager);
            ulong[] indexes = { 0, 511, 512, 262_143, 1UL << 30, 1UL << 40, ulong.MaxValue >> 1 };
            for (int i = indexes.Length - 1; i >= 0; i--)
                Assert.True(tree.Store(indexes[i], (ulong)(i + 1) * 2));
            for (int i = 0; i < indexes.Length; i++)
            {
                Assert.Equal((ulong)(i + 1) * 2, tree.Lookup(indexes[i]));
                if (System.Array.IndexOf(indexes, indexes[i] + 1) < 0)
                    Assert.Equal(0UL, tree.Lookup(indexes[i] + 1));
            }
            var recorder = new Recorder();
            tree.Walk(recorder);
            Assert.Equal(indexes.Length, recorder.Entries.Count);
            for (int i = 0; i < indexes.Length; i++)
                Assert.Equal((indexes[i], (ulong)(i + 1) * 2), recorder.Entries[i]);
            Assert.Equal((int)(m.InitialFreeFrames - m.Frames.FreeFrames), recorder.Nodes);
            tree.Clear();
            Assert.True(tree.IsEmpty);
            Assert.Equal(0UL, tree.Lookup(0));
            Assert.Equal(m.InitialFreeFrames, m.Frames.FreeFrames);
            m.AssertNoLeaks();
        }

        [Fact]
        public void Store_without_free_frames_fails_and_clear_returns_every_node()
        {
            using var m = new TestMachine(8);
            var tree = new PageIndexTree(m.Manager);
            var held = new List<ulong>();
            while (m.Frames.FreeFrames > 2)
                held.Add(m.Frames.AllocFrame());
            Assert.True(tree.Store(5, 10));
            Assert.False(tree.Store(1UL << 40, 12));         // needs more levels than frames left
            Assert.Equal(10UL, tree.Lookup(5));
            Assert.Equal(0UL, tree.Lookup(1UL << 40));
            tree.Clear();
            foreach (ulong pfn in held)
                m.Frames.Put(pfn);
            Assert.Equal(m.InitialFreeFrames, m.Frames.FreeFrames);
            m.AssertNoLeaks();
        }
    }
}
