using Cowbird.Kernel.Boot;

namespace Cowbird.Kernel.SelfTests
{
    // `checked` arithmetic that overflows must end in a panic ("arithmetic
    // overflow"), never wrap around silently.
    public sealed class RuntimeOverflowSelfTest : SelfTest
    {
        public override string Name => "runtime-overflow";

        private static int s_step = 1;
        private static double s_measure = 12345.75;

        public override bool Run(BootInfo bootInfo)
        {
            int value = int.MaxValue - 2;
            bool ok = Check(checked(value + s_step) == int.MaxValue - 1, "checked addition below the limit");
            ok &= Check(checked((int)s_measure) == 12345 && checked((long)-s_measure) == -12345
                && checked((uint)s_measure) == 12345 && checked((ulong)s_measure) == 12345, "checked double-to-integer conversions in range");
            ok &= Check(checked((long)s_step * -9) == -9 && checked((ulong)s_step * 7UL) == 7, "checked 64-bit multiplication in range");
            KernelConsole.WriteLine("  adding past int.MaxValue; expect a panic next");
            for (int i = 0; i < 3; i++)
                value = checked(value + s_step);
            return Check(false, "overflow wrapped around to " + (value < 0 ? "a negative number" : "a positive number")) && ok;
        }
    }
}
