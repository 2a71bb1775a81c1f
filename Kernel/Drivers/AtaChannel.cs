using Cowbird.Kernel.Arch.X64;
using Cowbird.Mm;

namespace Cowbird.Kernel.Drivers
{
    // One legacy IDE channel (primary or secondary): its two port blocks, the
    // polling primitives every command uses, and the rule that only one command
    // runs on a channel at a time (the two devices share the registers).
    //
    // A command runs with interrupts disabled (Begin .. End): at most a few
    // milliseconds, during which timer ticks wait in the PIC.
    //
    // Why polling (no IRQ 14/15): the kernel issues swap I/O from inside the page-fault
    // and reclaim paths, where waiting for an interrupt would need a sleeping
    // scheduler. Polling is simple and correct; its cost is a busy CPU during the
    // (short) transfer. nIEN is set so the device never raises INTRQ at all.
    //
    // Why timeouts count polls instead of timer ticks: the page-fault handler runs
    // with interrupts disabled, so PIT ticks do not advance there. One status read
    // takes at least ~100 ns (the ATA rule "read the status 4 times to wait 400 ns"
    // relies on that; real hardware and VMware take ~1 µs), so PollLimit reads wait
    // at least about a second before a silent device is declared failed.
    public sealed class AtaChannel
    {
        public const uint PollLimit = 10000000;

        public static readonly AtaChannel Primary = new AtaChannel("primary", 0x1F0, 0x3F6);
        public static readonly AtaChannel Secondary = new AtaChannel("secondary", 0x170, 0x376);

        public readonly string Name;
        public readonly ushort IoBase;
        public readonly ushort ControlBase;
        private bool _commandInProgress;
        private ulong _savedFlags;

        private AtaChannel(string name, ushort ioBase, ushort controlBase)
        {
            Name = name;
            IoBase = ioBase;
            ControlBase = controlBase;
        }

        // Claims the channel for one command and disables interrupts until End, so the
        // timer cannot preempt a command halfway and let another process start one on
        // the same registers. A second Begin before End is a caller bug: it panics
        // with `message`.
        public void Begin(string message)
        {
            ulong flags = Cpu.SaveFlagsAndDisableInterrupts();
            if (_commandInProgress)
                Panic.Halt(message);
            _commandInProgress = true;
            _savedFlags = flags;
        }

        // Releases the channel after the command started by Begin; interrupts are back
        // on only if they were on at Begin.
        public void End()
        {
            _commandInProgress = false;
            Cpu.RestoreFlags(_savedFlags);
        }

        // The status register without acknowledging an interrupt (alternate status).
        public byte AlternateStatus => Cpu.InByte((ushort)(ControlBase + AtaRegisters.AlternateStatus));

        // The status register; reading it acknowledges a pending interrupt.
        public byte Status => Cpu.InByte((ushort)(IoBase + AtaRegisters.Status));

        // True when nothing drives the channel's bus (no controller or no devices):
        // the pulled-up data lines read all ones.
        public bool IsFloating => AlternateStatus == AtaRegisters.FloatingBus;

        public byte ReadRegister(ushort offset) => Cpu.InByte((ushort)(IoBase + offset));

        public void WriteRegister(ushort offset, byte value) => Cpu.OutByte((ushort)(IoBase + offset), value);

        // Waits 400 ns, the time a device may take to show a valid status after a
        // device selection or a command: four alternate-status reads.
        public void Delay400ns()
        {
            for (int i = 0; i < 4; i++)
                _ = AlternateStatus;
        }

        // Selects device `drive` (0 master, 1 slave) with the other Device register
        // bits `bits` (LBA mode, LBA28 bits 24-27) and waits for the selection to settle.
        public void Select(int drive, byte bits)
        {
            byte value = (byte)(AtaRegisters.DeviceObsoleteBits | bits | (drive == 1 ? AtaRegisters.DeviceSlave : 0));
            WriteRegister(AtaRegisters.Device, value);
            Delay400ns();
        }

        // Software reset of both devices (SRST), leaving interrupts disabled (nIEN).
        // Returns 0, or EIO if BSY did not clear within PollLimit reads.
        // The master is selected first: status reads show the selected device, and
        // the boot firmware may have left an absent slave selected, whose status reads
        // 0 ("not busy") while the master is still resetting. During the reset the
        // devices ignore register writes, so selecting afterwards would be too late.
        public int SoftReset()
        {
            if (WaitNotBusy(out _) != 0)
                return -(int)Errno.EIO;
            Select(0, 0);
            WriteControl(AtaRegisters.ControlSoftReset | AtaRegisters.ControlInterruptsOff);
            Delay400ns();   // SRST must stay set at least 5 µs: 4 reads and the writes around them cover it
            Delay400ns();
            WriteControl(AtaRegisters.ControlInterruptsOff);
            Delay400ns();
            return WaitNotBusy(out _);
        }

        // Polls until BSY is clear. Returns 0 with the final status, or EIO on timeout
        // (status then holds the last value read).
        public int WaitNotBusy(out byte status)
        {
            for (uint i = 0; i < PollLimit; i++)
            {
                status = AlternateStatus;
                if ((status & AtaRegisters.StatusBusy) == 0)
                    return 0;
            }
            status = AlternateStatus;
            return -(int)Errno.EIO;
        }

        // Polls until BSY is clear and then requires DRQ (a sector is ready to move)
        // without ERR or DF. Returns 0, or EIO with the status that ended the wait.
        public int WaitDataRequest(out byte status)
        {
            if (WaitNotBusy(out status) != 0)
                return -(int)Errno.EIO;
            if ((status & (AtaRegisters.StatusError | AtaRegisters.StatusDeviceFault)) != 0)
                return -(int)Errno.EIO;
            return (status & AtaRegisters.StatusDataRequest) != 0 ? 0 : -(int)Errno.EIO;
        }

        private void WriteControl(byte value) => Cpu.OutByte((ushort)(ControlBase + AtaRegisters.DeviceControl), value);
    }
}
