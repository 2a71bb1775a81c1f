using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Processes;

namespace Cowbird.Kernel.Drivers
{
    // The 8254 Programmable Interval Timer, channel 0, as the kernel's periodic
    // tick: it counts down from Divisor at 1.193182 MHz and raises IRQ 0 each
    // time it reaches zero, FrequencyHz times a second. Ticks is the uptime clock.
    public sealed unsafe class PitTimer : InterruptHandler
    {
        public const uint FrequencyHz = 100;

        private const uint InputFrequencyHz = 1193182;
        private const uint Divisor = InputFrequencyHz / FrequencyHz;   // 11931: fits 16 bits
        private const ushort Channel0Port = 0x40;
        private const ushort CommandPort = 0x43;
        private const byte Channel0RateGenerator = 0x34;   // channel 0, low then high byte, mode 2, binary
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

        // Sleeps (hlt) until at least `count` more ticks have passed. Interrupts must be enabled.
        public static void WaitTicks(ulong count)
        {
            ulong target = s_ticks + count;
            while (s_ticks < target)
                Cpu.WaitForInterrupt();
        }

        // One tick; a tick that interrupted ring 3 is CPU time of the running process.
        public override void Handle(TrapFrame* frame)
        {
            s_ticks++;
            if (frame->FromUserMode)
                Scheduler.ChargeUserTick();
        }
    }
}
