using System.Runtime.CompilerServices;
using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Boot;
using Cowbird.Kernel.Time;
using Cowbird.Runtime;

namespace Cowbird.Kernel.SelfTests
{
    // A benchmark, not a test (`selftest=gc-bench`): the time of one full collection
    // with 10k, 100k and 1M live objects, printed as a table (docs/benchmarks.md). It
    // passes whenever every live object is still intact after its collections; the
    // times are printed, never compared with anything.
    //
    // The live set of N objects: N/2 leaves held by one array (scanning the array
    // queues N/2 objects at once, far more than the mark stack holds: the last column
    // counts those left pending) and a list of N/2 nodes, each with a leaf of its own.
    // Time is read with the TSC at the rate Time/Tsc.cs calibrated against the PIT at
    // boot (under QEMU's -icount, both count instructions: docs/benchmarks.md).
    public sealed unsafe class GcBenchSelfTest : SelfTest
    {
        public override string Name => "gc-bench";

        private const int Repetitions = 3;

        private sealed class Leaf
        {
            public long Value;
        }

        private sealed class Node
        {
            public Node Next;
            public Leaf Leaf;
        }

        // The live set under measurement (a static: a root the collector always finds).
        private static Leaf[] s_leaves;
        private static Node s_list;

        public override bool Run(BootInfo bootInfo)
        {
            ulong tscPerMillisecond = Tsc.Hertz / 1000;
            if (!Check(tscPerMillisecond != 0, "the TSC was calibrated at boot"))
                return false;
            KernelConsole.WriteLine("  live objects | heap KiB | collection us (best of 3) | ns per live object | left pending by the full mark stack");
            bool ok = true;
            for (int n = 10000; n <= 1000000; n *= 10)
                ok &= Measure(n, tscPerMillisecond);
            return ok;
        }

        // Builds a live set of `n` objects, times Repetitions collections, prints a
        // row, checks the objects and drops them.
        private static bool Measure(int n, ulong tscPerMillisecond)
        {
            Build(n / 2);
            Gc.Collect();
            ulong best = ulong.MaxValue;
            for (int i = 0; i < Repetitions; i++)
            {
                ulong start = UserModeCpu.ReadTsc();
                Gc.Collect();
                ulong cycles = UserModeCpu.ReadTsc() - start;
                if (cycles < best)
                    best = cycles;
            }
            ulong microseconds = best * 1000 / tscPerMillisecond;
            KernelConsole.Write("  ");
            KernelConsole.WriteDecimal((ulong)n);
            KernelConsole.Write(" | ");
            KernelConsole.WriteDecimal(Gc.GetStatistics().HeapBytes / 1024);
            KernelConsole.Write(" | ");
            KernelConsole.WriteDecimal(microseconds);
            KernelConsole.Write(" | ");
            KernelConsole.WriteDecimal(microseconds * 1000 / (ulong)n);
            KernelConsole.Write(" | ");
            KernelConsole.WriteDecimal(Gc.GetStatistics().DeferredLastCollection);
            KernelConsole.WriteLine("");
            bool ok = Check(Intact(n / 2), "every live object is intact after the collections");
            s_leaves = null;
            s_list = null;
            return ok;
        }

        // `pairs` leaves in s_leaves and a list of `pairs` nodes, each with a leaf.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Build(int pairs)
        {
            s_leaves = new Leaf[pairs];
            s_list = null;
            for (int i = 0; i < pairs; i++)
            {
                Leaf leaf = new Leaf();
                leaf.Value = i;
                s_leaves[i] = leaf;
                Node node = new Node();
                node.Leaf = new Leaf();
                node.Leaf.Value = -i;
                node.Next = s_list;
                s_list = node;
            }
        }

        // Whether the array and the list still hold exactly what Build put there.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static bool Intact(int pairs)
        {
            bool ok = s_leaves.Length == pairs;
            for (int i = 0; i < pairs && ok; i++)
                ok = s_leaves[i] != null && s_leaves[i].Value == i;
            int count = 0;
            for (Node node = s_list; node != null && ok; node = node.Next, count++)
                ok = node.Leaf != null && node.Leaf.Value == -(pairs - 1 - count);
            return ok && count == pairs;
        }
    }
}
