namespace Cowbird.Kernel.Memory
{
    // The swap figures /proc shows (SwapTotal, SwapFree in kB; pswpin, pswpout in pages).
    // Zero while no swap device is in use; the swap wiring updates them.
    public static class SwapStatistics
    {
        public static ulong TotalKb;
        public static ulong FreeKb;
        public static ulong PagesIn;
        public static ulong PagesOut;
    }
}
