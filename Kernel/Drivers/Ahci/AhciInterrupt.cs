using Cowbird.Kernel.Arch.X64;

namespace Cowbird.Kernel.Drivers.Ahci
{
    // The HBA's PCI interrupt (legacy INTx): the line the firmware wrote into the function's
    // Interrupt Line register, delivered through the 8259 PIC. PCI lines are level-triggered
    // and may be shared, so the handler acknowledges what it finds before the dispatcher sends
    // the end-of-interrupt: each port's PxIS first (the port's reason), then the HBA's IS (one
    // bit per port), else the line would stay asserted. Each port with a bit set wakes the
    // process waiting for its command (AhciPort.OnInterrupt). A line the kernel cannot use
    // (none, or one another driver owns) leaves the ports without interrupts: their waiting
    // processes are then woken by the timer tick instead.
    public sealed unsafe class AhciInterrupt : InterruptHandler
    {
        private const byte NoLine = 0xFF;

        private readonly byte* _hba;
        private readonly AhciPort[] _ports;

        private AhciInterrupt(byte* hba, AhciPort[] ports)
        {
            _hba = hba;
            _ports = ports;
        }

        // Routes the HBA's interrupt `line` to `disks`' ports and turns it on in the ports
        // and the HBA; logs "ahci: interrupt line N" or why the tick will be used instead.
        public static void Enable(byte* hba, byte line, AhciDisk[] disks)
        {
            if (disks.Length == 0)
                return;
            if (line == NoLine || !Interrupts.IrqIsFree(line))
            {
                KernelConsole.WriteLine("ahci: no interrupt line to use, commands wait for the timer tick");
                return;
            }
            AhciPort[] ports = new AhciPort[disks.Length];
            for (int i = 0; i < disks.Length; i++)
            {
                ports[i] = disks[i].Port;
                ports[i].EnableInterrupts();
            }
            Interrupts.RegisterIrq(line, new AhciInterrupt(hba, ports));
            Write(hba, AhciRegisters.Ghc, Read(hba, AhciRegisters.Ghc) | AhciRegisters.GhcIe);
            KernelConsole.Write("ahci: interrupt line ");
            KernelConsole.WriteDecimal(line);
            KernelConsole.Write('\n');
        }

        public override void Handle(TrapFrame* frame)
        {
            uint pending = Read(_hba, AhciRegisters.Is);
            for (int i = 0; i < _ports.Length; i++)
                if ((pending & (1u << _ports[i].Number)) != 0)
                    _ports[i].OnInterrupt();
            Write(_hba, AhciRegisters.Is, pending);
        }

        private static uint Read(byte* hba, uint register) => Cpu.ReadMmio32((uint*)(hba + register));

        private static void Write(byte* hba, uint register, uint value) => Cpu.WriteMmio32((uint*)(hba + register), value);
    }
}
