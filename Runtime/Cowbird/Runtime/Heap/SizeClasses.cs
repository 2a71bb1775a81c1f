using System.Runtime.CompilerServices;

namespace Cowbird.Runtime.Heap
{
    // Small objects are rounded up to one of 24 slot sizes so that a page holds
    // slots of one size only (which makes "which object contains this address?"
    // a division). Up to 128 bytes the sizes step by 16; above, each power of two
    // is split into four steps (160, 192, 224, 256, 320, ...), bounding the waste
    // to 25%. Computed, not tabled: the heap code must not use reference statics.
    internal static class SizeClasses
    {
        public const int Count = 24;
        public const ulong MaxSmallSize = 2048;
        private const int LinearClasses = 8;     // 16, 32, ..., 128
        private const ulong LinearStep = 16;

        // The class whose slots hold `size` bytes (size <= MaxSmallSize).
        public static int ClassOf(ulong size)
        {
            if (size <= LinearClasses * LinearStep)
                return size == 0 ? 0 : (int)((size + LinearStep - 1) / LinearStep) - 1;
            int power = 7;                        // size is in (2^power, 2^(power+1)]
            while (size > (1UL << (power + 1)))
                power++;
            ulong step = 1UL << (power - 2);
            ulong steps = (size - (1UL << power) + step - 1) / step;   // 1..4
            return LinearClasses + (power - 7) * 4 + (int)steps - 1;
        }

        // Slot size in bytes of class `sizeClass`.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong SlotSize(int sizeClass)
        {
            if (sizeClass < LinearClasses)
                return (ulong)(sizeClass + 1) * LinearStep;
            int power = 7 + (sizeClass - LinearClasses) / 4;
            ulong steps = (ulong)((sizeClass - LinearClasses) % 4) + 1;
            return (1UL << power) + steps * (1UL << (power - 2));
        }
    }
}
