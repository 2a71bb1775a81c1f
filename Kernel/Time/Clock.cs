using Cowbird.Kernel.Boot;
using Cowbird.Kernel.Drivers;

namespace Cowbird.Kernel.Time
{
    // The kernel's time, in nanoseconds: monotonic time since boot, and the wall-clock
    // time it started from.
    //
    // Monotonic time comes from the TSC when Tsc trusts it (nanosecond steps), else from the
    // PIT tick (10 ms steps). It starts on the tick clock; Initialize switches to the TSC
    // from the value the tick clock has then, so no reader ever sees time go backwards. On
    // one CPU the TSC only counts up, and ToNanoseconds never decreases, so neither does
    // Monotonic. The kernel command line `clock=pit` keeps the tick clock.
    public static class Clock
    {
        public const ulong NanosecondsPerSecond = 1000000000;

        private static bool s_useTsc;
        private static bool s_tickClockChosen;
        private static ulong s_baseCycles, s_baseNanoseconds;
        private static ulong s_bootUnixSeconds;

        // Reads the CMOS clock and calibrates the TSC (Tsc.Calibrate: interrupts disabled).
        public static void Initialize(CommandLine commandLine)
        {
            s_bootUnixSeconds = CmosRtc.ReadUnixTime();
            s_tickClockChosen = commandLine.HasValue("clock", "pit");
            if (s_tickClockChosen)
                return;
            Tsc.Calibrate();
            if (Tsc.Trusted)
                SwitchToTsc();
        }

        // Continues monotonic time on the TSC from the tick clock's current value.
        private static void SwitchToTsc()
        {
            s_baseNanoseconds = TickNanoseconds();
            s_baseCycles = Tsc.Read();
            s_useTsc = true;
        }

        private static ulong TickNanoseconds() => PitTimer.Ticks * PitTimer.NanosecondsPerTick;

        // Nanoseconds since boot (CLOCK_MONOTONIC); never decreases.
        public static ulong Monotonic => s_useTsc ? s_baseNanoseconds + Tsc.ToNanoseconds(Tsc.Read() - s_baseCycles) : TickNanoseconds();

        // Monotonic rounded down to a whole tick (the _COARSE clocks): the same time line in
        // CoarseResolution steps, never ahead of Monotonic.
        public static ulong MonotonicCoarse
        {
            get
            {
                ulong now = Monotonic;
                return now - now % PitTimer.NanosecondsPerTick;
            }
        }

        // The wall-clock time at boot, from the CMOS clock: CLOCK_REALTIME is this + Monotonic.
        public static ulong BootUnixNanoseconds => s_bootUnixSeconds * NanosecondsPerSecond;

        // The step of Monotonic: the TSC's resolution (1 ns at 1 GHz and faster) or a tick.
        public static ulong Resolution => s_useTsc ? Tsc.ResolutionNanoseconds : PitTimer.NanosecondsPerTick;

        // The step of MonotonicCoarse.
        public const ulong CoarseResolution = PitTimer.NanosecondsPerTick;

        // One banner line: which source keeps time, and why.
        public static void WriteBannerLine()
        {
            KernelConsole.Write("clock: ");
            if (s_useTsc)
            {
                WriteTscRate();
                KernelConsole.Write(Tsc.Invariant ? ", invariant" : ", not flagged invariant but under a hypervisor (host rate)");
                KernelConsole.WriteLine(", calibrated against the PIT; clock_gettime in ns");
                return;
            }
            KernelConsole.Write("PIT ticks, 10 ms resolution (");
            if (s_tickClockChosen)
                KernelConsole.Write("clock=pit on the command line");
            else if (!Tsc.Present)
                KernelConsole.Write("the CPU has no TSC");
            else if (Tsc.Hertz == 0)
                KernelConsole.Write("the TSC could not be calibrated against the PIT");
            else
            {
                WriteTscRate();
                KernelConsole.Write(" is not invariant, and no hypervisor keeps its rate");
            }
            KernelConsole.WriteLine(")");
        }

        // "TSC 2893.2 MHz"
        private static void WriteTscRate()
        {
            ulong tenthsOfMegahertz = (Tsc.Hertz + 50000) / 100000;
            KernelConsole.Write("TSC ");
            KernelConsole.WriteDecimal(tenthsOfMegahertz / 10);
            KernelConsole.Write(".");
            KernelConsole.WriteDecimal(tenthsOfMegahertz % 10);
            KernelConsole.Write(" MHz");
        }
    }
}
