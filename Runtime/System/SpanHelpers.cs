using Cowbird.Runtime;

namespace System
{
    // Block copy/fill helpers ILC binds by name for cpblk/initblk and struct zeroing.
    internal static unsafe class SpanHelpers
    {
        internal static void Memmove(ref byte destination, ref byte source, nuint length)
        {
            fixed (byte* d = &destination)
            fixed (byte* s = &source)
                Memory.Copy(d, s, length);
        }

        internal static void Fill(ref byte destination, nuint length, byte value)
        {
            fixed (byte* d = &destination)
                Memory.Fill(d, value, length);
        }

        internal static void ClearWithoutReferences(ref byte destination, nuint length)
        {
            fixed (byte* d = &destination)
                Memory.Fill(d, 0, length);
        }

        internal static void ClearWithReferences(ref IntPtr destination, nuint pointerCount)
        {
            fixed (IntPtr* d = &destination)
                Memory.Fill((byte*)d, 0, pointerCount * (nuint)sizeof(IntPtr));
        }
    }
}
