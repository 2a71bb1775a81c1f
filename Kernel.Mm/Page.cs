namespace Cowbird.Mm
{
    // The base page size of x86-64 and the arithmetic every layer needs.
    public static class Page
    {
        public const int Shift = 12;
        public const ulong Size = 1UL << Shift;
        public const ulong OffsetMask = Size - 1;

        // True when `value` is a multiple of the page size.
        public static bool IsAligned(ulong value) { return (value & OffsetMask) == 0; }

        // `value` rounded down to a page boundary.
        public static ulong AlignDown(ulong value) { return value & ~OffsetMask; }

        // `value` rounded up to a page boundary; false when that overflows 64 bits.
        public static bool TryAlignUp(ulong value, out ulong aligned)
        {
            aligned = (value + OffsetMask) & ~OffsetMask;
            return aligned >= value;
        }

        // Physical address of frame `pfn`, and back.
        public static ulong FrameToAddress(ulong pfn) { return pfn << Shift; }
        public static ulong AddressToFrame(ulong physicalAddress) { return physicalAddress >> Shift; }
    }
}
