namespace Cowbird.Mm.Reclaim
{
    // Free-memory watermarks, in frames (Linux: a zone's WMARK_MIN/LOW/HIGH, derived from
    // min_free_kbytes). Computed once from the RAM size:
    //   Min  = total / 64 + 2     speculative allocations (swap read-ahead) never take
    //                             the free count below it: those frames stay for real faults;
    //   Low  = Min + Min / 4 + 1  a user-page allocation that finds fewer free frames first
    //                             reclaims (Linux wakes kswapd here; Cowbird reclaims inline);
    //   High = Min + Min / 2 + 2  that reclaim stops once this many frames are free, so one
    //                             batch of reclaim serves several later allocations.
    // Example: 64 frames -> 3 / 4 / 6; 512 frames -> 10 / 13 / 17; 1 GiB -> 4098 / 5123 / 6149.
    public sealed class Watermarks
    {
        public readonly ulong Min;
        public readonly ulong Low;
        public readonly ulong High;

        // Watermarks for a machine with `totalFrames` frames of managed RAM.
        public Watermarks(ulong totalFrames)
        {
            Min = totalFrames / 64 + 2;
            Low = Min + Min / 4 + 1;
            High = Min + Min / 2 + 2;
        }
    }
}
