using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Processes;

namespace Cowbird.Kernel.Drivers
{
    // The 8254 Programmable Interval Timer. Channel 0 is the kernel's periodic
    // tick: it counts down from Divisor at 1.193182 MHz and raises IRQ 0 each
    // time it reaches zero, FrequencyHz times a second. Ticks is the tick clock
    // (Time/Clock.cs keeps time from it when there is no trusted TSC). Channel 2,
    // the speaker's, is a one-shot stopwatch for calibrating the TSC (Time/Tsc.cs).
    public sealed unsafe class PitTimer : InterruptHandler
    {
        public const uint FrequencyHz = 100;
        public const uint InputFrequencyHz = 1193182;
        // A tick as the tick clock counts it: 10 ms. The true period, Divisor input clocks,
        // is 9,999,313 ns, so time kept in ticks runs 69 ppm fast.
        public const ulong NanosecondsPerTick = 1000000000 / FrequencyHz;

        private const uint Divisor = InputFrequencyHz / FrequencyHz;   // 11931: fits 16 bits
        private const ushort Channel0Port = 0x40;
        private const ushort Channel2Port = 0x42;
        private const ushort CommandPort = 0x43;
        private const ushort SpeakerPort = 0x61;
        private const byte Channel0RateGenerator = 0x34;   // channel 0, low then high byte, mode 2, binary
        private const byte Channel2OneShot = 0xB0;         // channel 2, low then high byte, mode 0, binary
        private const byte Channel2Gate = 0x01, SpeakerData = 0x02, Channel2Output = 0x20;   // port 0x61 bits
        private const int Irq = 0;

        private static ulong s_ticks;

        // Timer interrupts since Start.
        public static ulong Ticks => s_ticks;

        // Programs channel 0 and registers the IRQ 0 handler. Ticks start once interrupts are enabled.
        public static void Start()
        {
            Cpu.OutByte(CommandPort, Channel0RateGenerator);
            Cpu.OutByte(Channel0Port, (byte)(Divisor & 0xFF));
            Cpu.OutByte(Channel0Port, (byte)(Divisor >> 8));
            Interrupts.RegisterIrq(Irq, new PitTimer());
        }

        // Starts channel 2 counting `count` input clocks down once (mode 0), speaker off. Its
        // output, Channel2Expired, goes high when the count reaches zero. Channel 2 raises no
        // interrupt: this works with interrupts disabled and leaves the tick alone.
        public static void StartChannel2(ushort count)
        {
            Cpu.OutByte(SpeakerPort, (byte)((Cpu.InByte(SpeakerPort) & ~SpeakerData) | Channel2Gate));
            Cpu.OutByte(CommandPort, Channel2OneShot);
            Cpu.OutByte(Channel2Port, (byte)(count & 0xFF));
            Cpu.OutByte(Channel2Port, (byte)(count >> 8));
        }

        // True once the count StartChannel2 loaded has run out.
        public static bool Channel2Expired => (Cpu.InByte(SpeakerPort) & Channel2Output) != 0;

        // Sleeps (hlt) until at least `count` more ticks have passed. Interrupts must be enabled.
        public static void WaitTicks(ulong count)
        {
            ulong target = s_ticks + count;
            while (s_ticks < target)
                Cpu.WaitForInterrupt();
        }

        // One tick. The system's CPU time (/proc/stat) and the load averages are sampled on
        // the tick, as Linux's are; a process's own CPU time is CpuAccounting's (the TSC).
        // Interval timers and POSIX timers fire here (IntervalTimers, PosixTimers).
        public override void Handle(TrapFrame* frame)
        {
            s_ticks++;
            CpuTime.OnTick(frame->FromUserMode);
            LoadAverage.OnTick();
            IntervalTimers.OnTick(frame->FromUserMode);
            PosixTimers.OnTick();
        }
    }
}
