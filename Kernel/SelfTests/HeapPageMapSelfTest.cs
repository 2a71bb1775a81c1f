using System.Runtime.CompilerServices;
using Cowbird.Kernel.Boot;
using Cowbird.Kernel.Memory;
using Cowbird.Runtime;

namespace Cowbird.Kernel.SelfTests
{
    // The collector's address lookup (PageMap, then the page's slot arithmetic), through
    // Gc.ObjectContaining, the question a conservative stack scan asks of every word:
    // interior pointers into small and large objects find their object; pointers into
    // freed slots, outside the heap, into never-mapped parts of the heap area, with
    // other high bits, or into a segment the heap gave back find nothing (and do not
    // fault). A million objects, in a list and an array (which overflows the mark stack),
    // survive two collections intact and are all found.
    public sealed unsafe class HeapPageMapSelfTest : SelfTest
    {
        public override string Name => "heap-page-map";

        private const int Million = 1000000;
        private const int DroppedCount = 1000;
        private const int LargeBytes = 100000;
        // Addresses kept as data are XORed with this, so no word anywhere holds the real
        // address (a conservative scan would keep the object alive through it).
        private const ulong Hide = 0x5A5A5A5A5A5A5A5AUL;

        private sealed class Cell
        {
            public long Value;
            public Cell Next;
        }

        private static Cell s_million;
        private static Cell[] s_millionArray;       // every cell again: the mark stack overflows
        private static Cell[] s_dropped;
        private static ulong[] s_hidden;
        private static ulong s_hiddenInArea;
        private static long s_imageWord;            // in the image's .bss

        private static void* AddressOf(object obj) => *(void**)&obj;

        public override bool Run(BootInfo bootInfo)
        {
            Gc.Collect();
            GcStatistics start = Gc.GetStatistics();
            bool ok = InteriorPointersFindTheirObject();
            ok &= Check(OutsideAddressesFindNothing(), "null, low, stack, frozen, image, non-canonical and unmapped heap-area addresses find nothing");
            ok &= Check(FreedSlotsFindNothing(), "pointers into the slots of 1000 dropped objects find nothing after a collection");

            BuildMillion();
            Gc.Collect();
            Gc.Collect();
            ok &= Check(Gc.GetStatistics().DeferredLastCollection > 0, "the collections left objects pending (the mark stack overflowed)");
            ok &= Check(MillionIntactAndFound(), "1000000 objects survive two collections intact, each found from its start and its interior");
            ok &= Check(s_hiddenInArea != 0, "some of them live in segments the heap grew by");
            s_million = null;
            s_millionArray = null;
            Gc.Collect();
            ok &= Check(Gc.GetStatistics().HeapBytes == start.HeapBytes, "once dropped, the grown segments went back to the kernel");
            ok &= Check(Gc.ObjectContaining((void*)(s_hiddenInArea ^ Hide)) == null, "an address in a segment given back finds nothing");
            return ok;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static bool InteriorPointersFindTheirObject()
        {
            byte[] small = new byte[100];
            byte[] large = new byte[LargeBytes];
            byte* smallStart = (byte*)AddressOf(small);
            byte* largeStart = (byte*)AddressOf(large);
            bool ok = Check(Gc.ObjectContaining(smallStart) == smallStart, "a small object's reference finds it");
            fixed (byte* data = small)
                ok &= Check(Gc.ObjectContaining(data + 50) == smallStart && Gc.ObjectContaining(data + 99) == smallStart,
                    "pointers to its middle and last element find it");
            ok &= Check(Gc.ObjectContaining(smallStart - 8) == smallStart, "its header word finds it");
            ok &= Check(Gc.ObjectContaining(largeStart) == largeStart, "a large object's reference finds it");
            fixed (byte* data = large)
                ok &= Check(Gc.ObjectContaining(data + 5000) == largeStart && Gc.ObjectContaining(data + LargeBytes - 1) == largeStart,
                    "pointers into its later pages find it");
            return ok && small.Length == 100 && large.Length == LargeBytes;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static bool OutsideAddressesFindNothing()
        {
            long local = 1;
            string frozen = "a string literal is a frozen object in the image";
            byte* someObject = (byte*)AddressOf(new Cell());
            bool ok = Gc.ObjectContaining(null) == null;
            ok &= Gc.ObjectContaining((void*)0x1000) == null;
            ok &= Gc.ObjectContaining(&local) == null;
            ok &= Gc.ObjectContaining(AddressOf(frozen)) == null;
            fixed (long* imageWord = &s_imageWord)
                ok &= Gc.ObjectContaining(imageWord) == null;
            ok &= Gc.ObjectContaining((void*)((ulong)someObject ^ (1UL << 50))) == null;
            ok &= Gc.ObjectContaining((void*)((ulong)someObject & 0x0000FFFFFFFFFFFFUL)) == null;
            ok &= Gc.ObjectContaining((void*)(KernelHeapArea.End - 4096)) == null;
            ok &= Gc.ObjectContaining((void*)(KernelHeapArea.Base - 8)) == null;
            ok &= Gc.ObjectContaining(someObject) == someObject;
            return ok && local == 1;
        }

        // Objects reachable from a static, then from nothing: after a collection their
        // slots are free, and pointers into them must not find an object.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static bool FreedSlotsFindNothing()
        {
            BuildDropped();
            s_dropped = null;
            Gc.Collect();
            bool ok = true;
            for (int i = 0; i < DroppedCount; i++)
                ok &= Gc.ObjectContaining((void*)((s_hidden[i] ^ Hide) + 8)) == null;
            s_hidden = null;
            return ok;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void BuildDropped()
        {
            s_dropped = new Cell[DroppedCount];
            s_hidden = new ulong[DroppedCount];
            for (int i = 0; i < DroppedCount; i++)
            {
                s_dropped[i] = new Cell();
                s_hidden[i] = (ulong)AddressOf(s_dropped[i]) ^ Hide;
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void BuildMillion()
        {
            s_million = null;
            s_millionArray = new Cell[Million];
            for (int i = 0; i < Million; i++)
            {
                Cell cell = new Cell();
                cell.Value = i;
                cell.Next = s_million;
                s_million = cell;
                s_millionArray[i] = cell;
            }
        }

        // Walks the list (built last to first): values in order, every cell found from
        // its reference and from its Next field; remembers one cell in the heap area.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static bool MillionIntactAndFound()
        {
            int expected = Million - 1;
            bool ok = true;
            for (Cell cell = s_million; cell != null && ok; cell = cell.Next, expected--)
            {
                byte* address = (byte*)AddressOf(cell);
                ok = cell.Value == expected && s_millionArray[expected] == cell && Gc.ObjectContaining(address) == address
                     && Gc.ObjectContaining(address + 16) == address;
                if ((ulong)address >= KernelHeapArea.Base && (ulong)address < KernelHeapArea.End)
                    s_hiddenInArea = (ulong)address ^ Hide;
            }
            return ok && expected == -1;
        }
    }
}
