namespace Cowbird.Kernel.Arch.X64
{
    // The legacy 8259A interrupt controller pair (master: IRQ 0..7, slave: IRQ
    // 8..15 cascaded on master IRQ 2). After reset they deliver IRQs on vectors
    // 8..15, which collide with CPU exceptions, so Initialize remaps them to
    // IrqBase.. and masks every line; RegisterIrq unmasks the ones in use.
    public static class Pic8259
    {
        public const int IrqBase = 0x20;
        public const int IrqCount = 16;

        private const ushort MasterCommand = 0x20, MasterData = 0x21;
        private const ushort SlaveCommand = 0xA0, SlaveData = 0xA1;

        private const byte Icw1Init = 0x11;          // start initialisation, ICW4 follows
        private const byte Icw3SlaveOnIrq2 = 1 << 2; // master: a slave is wired to IRQ 2
        private const byte Icw3SlaveIdentity = 2;    // slave: its cascade identity
        private const byte Icw4Mode8086 = 0x01;
        private const byte EndOfInterruptCommand = 0x20;
        private const byte ReadInServiceCommand = 0x0B;
        public const int CascadeIrq = 2;
        private const int SpuriousMasterIrq = 7, SpuriousSlaveIrq = 15;

        private static ushort s_mask = 0xFFFF;       // bit n set = IRQ n masked

        // Remaps both controllers to IrqBase and masks all lines.
        public static void Initialize()
        {
            Cpu.OutByte(MasterCommand, Icw1Init);
            Cpu.OutByte(SlaveCommand, Icw1Init);
            Cpu.OutByte(MasterData, IrqBase);
            Cpu.OutByte(SlaveData, IrqBase + 8);
            Cpu.OutByte(MasterData, Icw3SlaveOnIrq2);
            Cpu.OutByte(SlaveData, Icw3SlaveIdentity);
            Cpu.OutByte(MasterData, Icw4Mode8086);
            Cpu.OutByte(SlaveData, Icw4Mode8086);
            WriteMask();
        }

        // Lets IRQ `irq` through (and the cascade line for slave IRQs).
        public static void Unmask(int irq)
        {
            s_mask = (ushort)(s_mask & ~(1 << irq));
            if (irq >= 8)
                s_mask = (ushort)(s_mask & ~(1 << CascadeIrq));
            WriteMask();
        }

        private static void WriteMask()
        {
            Cpu.OutByte(MasterData, (byte)s_mask);
            Cpu.OutByte(SlaveData, (byte)(s_mask >> 8));
        }

        // True for a spurious IRQ 7 or 15 (the line dropped before the CPU
        // acknowledged it): the in-service bit is clear and no EOI may be sent to
        // that controller. A spurious slave IRQ still needs an EOI to the master.
        public static bool IsSpurious(int irq)
        {
            if (irq != SpuriousMasterIrq && irq != SpuriousSlaveIrq)
                return false;
            ushort command = irq == SpuriousMasterIrq ? MasterCommand : SlaveCommand;
            Cpu.OutByte(command, ReadInServiceCommand);
            bool inService = (Cpu.InByte(command) & (1 << (irq & 7))) != 0;
            if (!inService && irq == SpuriousSlaveIrq)
                Cpu.OutByte(MasterCommand, EndOfInterruptCommand);
            return !inService;
        }

        // Tells the controller(s) IRQ `irq` has been handled.
        public static void EndOfInterrupt(int irq)
        {
            if (irq >= 8)
                Cpu.OutByte(SlaveCommand, EndOfInterruptCommand);
            Cpu.OutByte(MasterCommand, EndOfInterruptCommand);
        }
    }
}
