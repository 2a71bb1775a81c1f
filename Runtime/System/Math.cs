using Internal.Runtime.CompilerHelpers;

namespace System
{
    // The arithmetic helpers ILC binds by name (JIT helpers for checked
    // multiplication and checked double-to-integer conversion); its scanner
    // requires them as soon as some method could need one. Kernel code does not
    // call them; compiled `checked(...)` expressions do.
    public static class Math
    {
        internal static long MultiplyChecked(long a, long b)
        {
            long product = a * b;
            if ((a == -1 && b == long.MinValue) || (b == -1 && a == long.MinValue) || (a != 0 && product / a != b))
                ThrowHelpers.ThrowOverflowException();
            return product;
        }

        internal static ulong MultiplyChecked(ulong a, ulong b)
        {
            if (a != 0 && b > ulong.MaxValue / a)
                ThrowHelpers.ThrowOverflowException();
            return a * b;
        }

        internal static int ConvertToInt32Checked(double value)
        {
            if (!(value > -2147483649.0 && value < 2147483648.0))
                ThrowHelpers.ThrowOverflowException();
            return (int)value;
        }

        internal static uint ConvertToUInt32Checked(double value)
        {
            if (!(value > -1.0 && value < 4294967296.0))
                ThrowHelpers.ThrowOverflowException();
            return (uint)value;
        }

        internal static long ConvertToInt64Checked(double value)
        {
            if (!(value >= -9223372036854775808.0 && value < 9223372036854775808.0))
                ThrowHelpers.ThrowOverflowException();
            return (long)value;
        }

        internal static ulong ConvertToUInt64Checked(double value)
        {
            if (!(value > -1.0 && value < 18446744073709551616.0))
                ThrowHelpers.ThrowOverflowException();
            return (ulong)value;
        }
    }
}
