using Cowbird.Kernel.Boot;
using System.Runtime.CompilerServices;
using Cowbird.Runtime;

namespace Cowbird.Kernel.SelfTests
{
    // What the collector must keep: objects reachable from an array of
    // references, from a local variable only (stack or register), from a static,
    // and a linked list longer than the mark stack. Between collections the test
    // allocates more garbage of the same size than the heap holds, so every free
    // slot is reused (and zeroed): a wrongly freed object is overwritten, which
    // the value checks then see.
    public sealed class HeapRootsSelfTest : SelfTest
    {
        public override string Name => "heap-roots";

        private sealed class Cell
        {
            public long Value;
            public Cell Next;
            public Cell(long value) { Value = value; }
        }

        private static Cell s_fromStatic;
        private static Cell s_garbage;
        private static Cell s_dropped;

        private const int ArrayLength = 2000;
        private const int ListLength = 20000;
        private const ulong CellSlotBytes = 32;   // header + MethodTable + long + reference

        public override bool Run(BootInfo bootInfo)
        {
            Cell[] array = new Cell[ArrayLength];
            for (int i = 0; i < array.Length; i++)
                array[i] = new Cell(i * 7);
            Cell onlyOnStack = new Cell(4242);
            s_fromStatic = new Cell(77);
            Cell list = null;
            for (int i = 0; i < ListLength; i++)
            {
                Cell head = new Cell(i);
                head.Next = list;
                list = head;
            }

            bool inHeap = Gc.IsInHeap(array) && Gc.IsInHeap(array[0]) && Gc.IsInHeap(onlyOnStack) && Gc.IsInHeap(list);
            ulong collectionsBefore = Gc.GetStatistics().Collections;
            for (int round = 0; round < 3; round++)
            {
                Gc.Collect();
                MakeGarbage((int)(Gc.GetStatistics().HeapBytes / CellSlotBytes) + 1000);
            }

            bool ok = Check(inHeap, "the objects are on the collected heap (not stack-allocated by the compiler)");
            ok &= Check(Gc.GetStatistics().Collections >= collectionsBefore + 3, "collections ran in between");
            ok &= Check(ArrayIntact(array), "objects referenced only from an array survive");
            ok &= Check(onlyOnStack.Value == 4242, "an object referenced only from a local survives");
            ok &= Check(s_fromStatic.Value == 77, "an object referenced only from a static survives");
            ok &= Check(ListSum(list) == (long)ListLength * (ListLength - 1) / 2, "a 20000-node list (deeper than the mark stack) survives");

            ok &= Check(DroppingAListFreesIt(), "dropping a 20000-node list frees its objects");
            ok &= Check(onlyOnStack.Value == 4242, "the local is still intact after that");
            return ok;
        }

        // A list reachable only from a static, then from nothing: the collection
        // after the static is cleared must free every node. The list is built in
        // its own frame: a conservative scan keeps whatever a stale word in a live
        // frame points at, so the test must not leave the list's address there.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static bool DroppingAListFreesIt()
        {
            BuildDroppedList();
            Gc.Collect();
            ulong reachable = Gc.GetStatistics().ObjectCount;
            s_dropped = null;
            Gc.Collect();
            return Gc.GetStatistics().ObjectCount + ListLength <= reachable;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void BuildDroppedList()
        {
            for (int i = 0; i < ListLength; i++)
            {
                Cell head = new Cell(i);
                head.Next = s_dropped;
                s_dropped = head;
            }
        }

        // Allocates `count` cells of the same size as the live ones and drops them.
        private static void MakeGarbage(int count)
        {
            for (int i = 0; i < count; i++)
                s_garbage = new Cell(-1);
            s_garbage = null;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static bool ArrayIntact(Cell[] array)
        {
            if (array.Length != ArrayLength)
                return false;
            for (int i = 0; i < array.Length; i++)
                if (array[i] == null || array[i].Value != i * 7)
                    return false;
            return true;
        }

        private static long ListSum(Cell list)
        {
            long sum = 0;
            for (Cell cell = list; cell != null; cell = cell.Next)
                sum += cell.Value;
            return sum;
        }
    }
}
