using Cowbird.Runtime;

namespace System
{
    // ILC calls this to copy structs that contain references; without a GC the
    // barrier is just a copy.
    public static unsafe class Buffer
    {
        internal static void BulkMoveWithWriteBarrier(ref byte destination, ref byte source, nuint byteCount)
        {
            fixed (byte* d = &destination)
            fixed (byte* s = &source)
                Memory.Copy(d, s, byteCount);
        }
    }
}
