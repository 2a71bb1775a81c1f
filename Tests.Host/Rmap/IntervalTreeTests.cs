using System.Collections.Generic;
using Cowbird.Mm.Rmap;
using Xunit;

namespace Cowbird.Tests.Host.Rmap
{
    public class IntervalTreeTests
    {
        sealed class Node : IntervalTreeNode { }

        sealed class Collect : IntervalVisitor
        {
            public readonly List<IntervalTreeNode> Seen = new List<IntervalTreeNode>();
            public int StopAfter = int.MaxValue;

            public override bool Visit(IntervalTreeNode node)
            {
                Seen.Add(node);
                return Seen.Count < StopAfter;
            }
        }

        static void AssertShape(IntervalTree tree, int expectedCount)
        {
            var errors = new List<string>();
            var nodes = new List<IntervalTreeNode>();
            Invariants.CheckIntervalSubtree(tree.Root, nodes, errors);
            Assert.Empty(errors);
            Assert.Equal(expectedCount, nodes.Count);
            Assert.Equal(expectedCount, tree.Count);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        public void Overlap_queries_match_a_linear_scan_under_random_inserts_and_removes(int seed)
        {
            var random = new System.Random(seed);
            var tree = new IntervalTree();
            var present = new List<Node>();
            for (int step = 0; step < 3000; step++)
            {
                if (present.Count > 0 && random.Next(3) == 0)
                {
                    Node victim = present[random.Next(present.Count)];
                    tree.Remove(victim);
                    present.Remove(victim);
                    Assert.Null(victim.Tree);
                }
                else
                {
                    var node = new Node();
                    ulong start = (ulong)random.Next(200);      // many equal starts
                    tree.Insert(node, start, start + (ulong)random.Next(30));
                    present.Add(node);
                }
                AssertShape(tree, present.Count);
                ulong qs = (ulong)random.Next(230);
                ulong ql = qs + (ulong)random.Next(10);
                var collect = new Collect();
                Assert.True(tree.VisitOverlapping(qs, ql, collect));
                var expected = present.FindAll(n => n.Start <= ql && n.Last >= qs);
                Assert.Equal(expected.Count, collect.Seen.Count);
                Assert.True(new HashSet<IntervalTreeNode>(expected).SetEquals(collect.Seen));
                for (int i = 1; i < collect.Seen.Count; i++)
                    Assert.True(collect.Seen[i - 1].Start <= collect.Seen[i].Start, "results in start order");
            }
        }

        [Fact]
        public void A_visitor_returning_false_stops_the_query()
        {
            var tree = new IntervalTree();
            for (int i = 0; i < 10; i++)
                tree.Insert(new Node(), 5, 10);
            var collect = new Collect { StopAfter = 3 };
            Assert.False(tree.VisitOverlapping(7, 7, collect));
            Assert.Equal(3, collect.Seen.Count);
        }

        [Fact]
        public void Removing_a_node_that_is_not_in_the_tree_panics()
        {
            HostPanicHandler.Install();
            var tree = new IntervalTree();
            var other = new IntervalTree();
            var node = new Node();
            other.Insert(node, 1, 2);
            Assert.Throws<MmPanicException>(() => tree.Remove(node));
            Assert.Throws<MmPanicException>(() => tree.Insert(node, 1, 2));
        }
    }
}
