using Cowbird.Kernel.Boot;
using Cowbird.Runtime;

namespace Cowbird.Kernel.SelfTests
{
    // Allocating and dropping a million small objects must not grow the heap:
    // the collector has to run and reclaim them, so bytes in use after the loop
    // (and a final collection) are back where they started.
    public sealed class HeapChurnSelfTest : SelfTest
    {
        public override string Name => "heap-churn";

        private const int Iterations = 1000000;
        private const ulong AllowedDriftBytes = 4096;

        private sealed class Node
        {
            public long Value;
            public Node Next;
            public Node(long value) { Value = value; }
        }

        // Each new object is published here, so the compiler cannot keep it off the heap.
        private static Node s_latest;

        public override bool Run(BootInfo bootInfo)
        {
            Gc.Collect();
            GcStatistics before = Gc.GetStatistics();
            long sum = 0;
            for (int i = 0; i < Iterations; i++)
            {
                Node node = new Node(i);
                node.Next = s_latest;
                s_latest = i % 2 == 0 ? node : null;
                sum += node.Value;
            }
            s_latest = null;
            Gc.Collect();
            GcStatistics after = Gc.GetStatistics();
            PrintFigures(before, after);

            ulong allocatedBytes = (ulong)Iterations * 32;
            bool ok = Check(sum == (long)Iterations * (Iterations - 1) / 2, "a million objects allocated and used");
            ok &= Check(allocatedBytes > before.HeapBytes, "the loop allocates more than the whole heap");
            ok &= Check(after.Collections > before.Collections + 1, "the collector ran during the loop");
            ok &= Check(after.BytesInUse <= before.BytesInUse + AllowedDriftBytes, "bytes in use are back to the starting level");
            ok &= Check(after.ObjectCount <= before.ObjectCount + AllowedDriftBytes / 32, "object count is back to the starting level");
            return ok;
        }

        private static void PrintFigures(GcStatistics before, GcStatistics after)
        {
            KernelConsole.Write("  heap bytes in use before ");
            KernelConsole.WriteDecimal(before.BytesInUse);
            KernelConsole.Write(", after ");
            KernelConsole.WriteDecimal(after.BytesInUse);
            KernelConsole.Write("; objects ");
            KernelConsole.WriteDecimal(after.ObjectCount);
            KernelConsole.Write("; collections ");
            KernelConsole.WriteDecimal(after.Collections - before.Collections);
            KernelConsole.Write(" of a ");
            KernelConsole.WriteDecimal(after.HeapBytes);
            KernelConsole.WriteLine("-byte heap");
        }
    }
}
