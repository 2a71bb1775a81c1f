using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Drivers;

namespace Cowbird.Kernel.Time
{
    // The time-stamp counter: its rate, measured once at boot against the PIT, and the one
    // conversion from TSC cycles to nanoseconds.
    //
    // Why the TSC: the PIT tick gives time in 10 ms steps; rdtsc counts CPU cycles, a few
    // hundred picoseconds each, and costs no I/O. Its rate is nowhere to be read, so it is
    // measured: PIT channel 2 counts WindowCount input clocks (50 ms) while the TSC runs,
    // Trials times, and the shortest trial wins. A trial can only come out too long (the
    // CPU stalled between reading the TSC and seeing the count run out: under QEMU's TCG, the
    // host descheduled it), never too short, so the minimum is the closest to the truth.
    //
    // Trusted tells whether the rate holds: a CPU with an invariant TSC promises one rate in
    // every power state. Under a hypervisor the counter is the host's (QEMU TCG reads the host
    // clock, KVM offsets the host TSC), which does not follow the guest's power states, so
    // Cowbird trusts it there too; TCG never sets the invariant bit.
    public static class Tsc
    {
        private const int Trials = 3;
        private const ushort WindowCount = 59659;       // 50 ms of PIT input clocks
        private const ulong MinimumHertz = 10000000;     // below 10 MHz the figure is no TSC's
        private const int MaximumPolls = 10000000;       // far more than 50 ms of port reads
        private const ulong NanosecondsPerSecond = 1000000000;

        private static ulong s_hertz;
        private static ulong s_multiplier;
        private static int s_shift;

        // rdtsc exists (CPUID.1:EDX bit 4).
        public static bool Present { get; private set; }

        // The CPU promises an invariant TSC (CPUID 0x80000007 EDX bit 8).
        public static bool Invariant { get; private set; }

        // A hypervisor says it is there (CPUID.1:ECX bit 31).
        public static bool UnderHypervisor { get; private set; }

        // Cycles per second as calibrated; 0 when calibration found nothing sensible.
        public static ulong Hertz => s_hertz;

        // The TSC is there, calibrated, and keeps one rate: Clock may count time with it.
        public static bool Trusted => s_hertz != 0 && (Invariant || UnderHypervisor);

        // Cycles since the CPU was reset.
        public static ulong Read() => UserModeCpu.ReadTsc();

        // Reads CPUID and measures the rate. Interrupts must be disabled (a handler running
        // inside a trial would lengthen it); takes Trials * 50 ms.
        public static void Calibrate()
        {
            Present = Cpu.HasTsc();
            if (!Present)
                return;
            Invariant = Cpu.HasInvariantTsc();
            UnderHypervisor = Cpu.UnderHypervisor();
            ulong best = ulong.MaxValue;
            for (int i = 0; i < Trials; i++)
            {
                ulong cycles = MeasureWindow();
                if (cycles < best)
                    best = cycles;
            }
            ulong hertz = best == 0 ? 0 : best * PitTimer.InputFrequencyHz / WindowCount;
            if (hertz >= MinimumHertz)
                SetRate(hertz);
        }

        // TSC cycles while PIT channel 2 counts WindowCount input clocks; 0 when the count
        // never runs out (no PIT channel 2, or a TSC that does not count).
        private static ulong MeasureWindow()
        {
            PitTimer.StartChannel2(WindowCount);
            ulong start = Read();
            for (int polls = 0; polls < MaximumPolls; polls++)
                if (PitTimer.Channel2Expired)
                    return Read() - start;
            return 0;
        }

        // Sets the rate and the fixed-point factor of ToNanoseconds: multiplier / 2^shift is
        // 10^9 / hertz, with the largest shift (at most 32) that keeps multiplier below 2^32.
        private static void SetRate(ulong hertz)
        {
            s_hertz = hertz;
            s_shift = 32;
            s_multiplier = (NanosecondsPerSecond << s_shift) / hertz;
            while (s_multiplier >= 1UL << 32)
            {
                s_shift--;
                s_multiplier = (NanosecondsPerSecond << s_shift) / hertz;
            }
        }

        // floor(cycles * multiplier / 2^shift): nanoseconds in `cycles`, never decreasing as
        // cycles grows. The high and low 32 bits of cycles are scaled apart so that no
        // product overflows (the high part's is exact: it is a multiple of 2^shift).
        public static ulong ToNanoseconds(ulong cycles)
        {
            ulong high = cycles >> 32, low = cycles & 0xFFFFFFFF;
            return ((high * s_multiplier) << (32 - s_shift)) + ((low * s_multiplier) >> s_shift);
        }

        // The smallest step ToNanoseconds takes: 1 ns when the TSC runs at 1 GHz or faster.
        public static ulong ResolutionNanoseconds => (NanosecondsPerSecond + s_hertz - 1) / s_hertz;
    }
}
