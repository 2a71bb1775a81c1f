namespace Cowbird.Runtime.Heap
{
    // The stacks the collector scans conservatively. The boot stack is
    // registered at start-up; the kernel registers one kernel stack per thread or
    // process (Gc.RegisterStack) and removes it when the stack is freed.
    // The stack containing the collector's own stack pointer is scanned from
    // that pointer up; every other one whole (a stack not running holds its
    // saved registers and interrupted state inside its range).
    internal static unsafe class StackRegistry
    {
        private const int InitialCapacity = 256;

        private struct StackRange
        {
            public byte* Low;
            public byte* High;
        }

        private static StackRange* s_ranges;
        private static int s_count;
        private static int s_capacity;

        // Makes room for `capacity` stacks (never less than now). Runtime memory is never
        // freed, so the kernel calls this once, at start-up, with its number of processes.
        internal static void Reserve(int capacity)
        {
            if (capacity <= s_capacity)
                return;
            StackRange* ranges = (StackRange*)GcHeap.AllocateRuntimeMemory((ulong)capacity * (ulong)sizeof(StackRange));
            for (int i = 0; i < s_count; i++)
                ranges[i] = s_ranges[i];
            s_ranges = ranges;
            s_capacity = capacity;
        }

        // [low, high) is a stack (high = its top; stacks grow down). False when full.
        internal static bool Register(byte* low, byte* high)
        {
            if (s_ranges == null)
                Reserve(InitialCapacity);
            if (s_count == s_capacity || high <= low)
                return false;
            s_ranges[s_count].Low = low;
            s_ranges[s_count].High = high;
            s_count++;
            return true;
        }

        // Forgets the stack registered as [low, high); false when there is none.
        internal static bool Unregister(byte* low, byte* high)
        {
            for (int i = 0; i < s_count; i++)
                if (s_ranges[i].Low == low && s_ranges[i].High == high)
                {
                    s_ranges[i] = s_ranges[--s_count];
                    return true;
                }
            return false;
        }

        internal static int Count => s_count;

        // Scans every registered stack; panics if the current one is not registered
        // (its references would be missed and live objects freed).
        internal static void ScanAll(byte* stackPointer)
        {
            bool sawCurrent = false;
            for (int i = 0; i < s_count; i++)
            {
                StackRange range = s_ranges[i];
                if (stackPointer >= range.Low && stackPointer < range.High)
                {
                    Collector.ScanConservatively(stackPointer, range.High);
                    sawCurrent = true;
                }
                else
                    Collector.ScanConservatively(range.Low, range.High);
            }
            if (!sawCurrent)
                RuntimePanic.Fail("StackRegistry.ScanAll: collecting on an unregistered stack");
        }
    }
}
