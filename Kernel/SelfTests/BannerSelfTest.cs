using Cowbird.Kernel.Boot;
using Cowbird.Kernel.Drivers;
using Cowbird.Kernel.Time;

namespace Cowbird.Kernel.SelfTests
{
    // The boot path itself: we got here, the loader's memory map was read,
    // the command line that selected this test was parsed, the timer ticks, and the
    // clock moves at least as fast as the ticks.
    public sealed class BannerSelfTest : SelfTest
    {
        public override string Name => "banner";

        public override bool Run(BootInfo bootInfo)
        {
            bool ok = Check(bootInfo.MemoryRegionCount > 0, "the memory map has regions");
            ok &= Check(bootInfo.AvailableMemoryBytes >= 16UL * 1024 * 1024, "at least 16 MiB of RAM is available");
            ok &= Check(bootInfo.CommandLine.HasValue(SelfTestRunner.CommandLineKey, Name), "the command line selects this test");
            ulong before = PitTimer.Ticks;
            ulong elapsed = ClockOverThreeTicks();
            for (int attempt = 1; attempt < ClockAttempts && !KeepsPace(elapsed); attempt++)
                elapsed = ClockOverThreeTicks();
            KernelConsole.Write("  timer: ");
            KernelConsole.WriteDecimal(PitTimer.Ticks);
            KernelConsole.WriteLine(" ticks");
            KernelConsole.Write("  clock: ");
            KernelConsole.WriteDecimal(elapsed);
            KernelConsole.WriteLine(" ns over 3 ticks");
            ok &= Check(PitTimer.Ticks > before, "the timer ticks");
            ok &= Check(KeepsPace(elapsed), "the clock keeps pace with the timer");
            return ok;
        }

        // A QEMU whose host thread was descheduled delivers the PIT ticks it missed back to
        // back, so one measurement can see three ticks in microseconds. A wrong calibration
        // fails every attempt; a burst of late ticks does not repeat five times.
        private const int ClockAttempts = 5;

        // The clock's nanoseconds while the timer ticks three times.
        private static ulong ClockOverThreeTicks()
        {
            ulong clockBefore = Clock.Monotonic;
            PitTimer.WaitTicks(3);
            return Clock.Monotonic - clockBefore;
        }

        // Three ticks span at least two whole tick periods; a clock that counts fewer
        // nanoseconds than that is slower than the PIT (a wrong calibration).
        private static bool KeepsPace(ulong elapsed) => elapsed >= 2 * PitTimer.NanosecondsPerTick * 9 / 10;
    }
}
