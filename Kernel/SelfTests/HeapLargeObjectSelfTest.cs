using System.Runtime.CompilerServices;
using Cowbird.Kernel.Boot;
using Cowbird.Runtime;

namespace Cowbird.Kernel.SelfTests
{
    // Objects above the small-object limit take whole pages. Allocating and
    // dropping far more large arrays than the heap holds must leave usage flat,
    // while a large array that stays referenced keeps its contents, and a
    // struct array with references inside (GCDesc's repeating form) keeps the
    // objects its elements point to.
    // The stack is scanned conservatively, so the churn runs in a method of its own and
    // the stack below is wiped before the count: a timer interrupt during the churn saves
    // the churning registers below the stack pointer, where the collector's own frames
    // would later find them in slots they have not written yet.
    public sealed class HeapLargeObjectSelfTest : SelfTest
    {
        public override string Name => "heap-large";

        private const int LargeLength = 64 * 1024;
        private const int Rounds = 400;
        private const int EntryCount = 300;

        private struct Entry
        {
            public int Key;
            public string Name;
            public long Stamp;
        }

        private sealed class Holder
        {
            public long Value;
            public Holder(long value) { Value = value; }
        }

        private static byte[] s_churn;

        public override bool Run(BootInfo bootInfo)
        {
            byte[] kept = new byte[LargeLength];
            for (int i = 0; i < kept.Length; i++)
                kept[i] = (byte)(i * 31);
            Entry[] entries = new Entry[EntryCount];
            Holder[] holders = new Holder[300];
            for (int i = 0; i < entries.Length; i++)
            {
                entries[i].Key = i;
                entries[i].Name = NameFor(i);
                holders[i] = new Holder(i);
            }
            holders = null;

            Gc.Collect();
            GcStatistics before = Gc.GetStatistics();
            Churn();
            WipeStackBelow();
            Gc.Collect();
            GcStatistics after = Gc.GetStatistics();

            bool ok = Check(Gc.IsInHeap(kept) && Gc.IsInHeap(entries) && Gc.IsInHeap(entries[5].Name), "the arrays and strings are on the collected heap");
            ok &= Check((ulong)Rounds * LargeLength > before.HeapBytes, "the loop allocates more than the whole heap in large arrays");
            ok &= Check(after.BytesInUse <= before.BytesInUse, "bytes in use are back to the starting level");
            ok &= Check(KeptIntact(kept), "a referenced 64 KiB array keeps its contents");
            ok &= Check(EntriesIntact(entries), "strings referenced from inside a struct array survive");
            return ok;
        }

        // Allocates and drops Rounds large arrays, far more than the heap holds.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Churn()
        {
            for (int round = 0; round < Rounds; round++)
            {
                s_churn = new byte[LargeLength];
                s_churn[LargeLength - 1] = (byte)round;
            }
            s_churn = null;
        }

        // Zeroes 8 KiB of stack below the caller's frame (of a 32 KiB kernel stack), where
        // the churn's frames and its interrupt frames were. Returns a value so the stores stay.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static unsafe int WipeStackBelow()
        {
            const int Bytes = 8 * 1024;
            byte* area = stackalloc byte[Bytes];
            for (int i = 0; i < Bytes; i++)
                area[i] = 0;
            return area[Bytes - 1];
        }

        // A heap string per index (built char by char, not a literal).
        private static string NameFor(int i)
        {
            char[] chars = { 'e', (char)('a' + i % 26), (char)('a' + i / 26 % 26) };
            return new string(chars);
        }

        private static bool KeptIntact(byte[] kept)
        {
            if (kept.Length != LargeLength)
                return false;
            for (int i = 0; i < kept.Length; i++)
                if (kept[i] != (byte)(i * 31))
                    return false;
            return true;
        }

        private static bool EntriesIntact(Entry[] entries)
        {
            if (entries.Length != EntryCount)
                return false;
            for (int i = 0; i < entries.Length; i++)
                if (entries[i].Key != i || !string.Equals(entries[i].Name, NameFor(i)))
                    return false;
            return true;
        }
    }
}
