using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Memory;
using Cowbird.Kernel.Processes;
using Cowbird.Mm;
using RuntimeMemory = Cowbird.Runtime.Memory;

namespace Cowbird.Kernel.Drivers.Ahci
{
    // One AHCI port and the memory the HBA reads and writes for it, all in one frame:
    //
    //   frame + 0x000  command list: 32 command headers of 32 bytes (1 KiB aligned)
    //   frame + 0x400  received-FIS area: the FISes the device sends back (256 B aligned)
    //   frame + 0x800  command table of slot 0: the command FIS (64 B), ATAPI command
    //                  (16 B), reserved, then the PRDT from +0x80: 16-byte entries, each
    //                  one physically contiguous piece of the data buffer
    //
    // Only command slot 0 is used: one command at a time per port, like the IDE path.
    // A command ends when PxCI bit 0 clears (done) or on an error (PxIS.TFES, PxTFD.ERR);
    // a dead disk gives an error result instead of a hang, and the port is restarted.
    // How the issuer waits for that:
    //   - a process (it holds the kernel lock) polls SpinPolls times, which is all a fast
    //     command needs, then sleeps (Scheduler.SleepForDevice) until the port's interrupt
    //     (AhciInterrupt) or the next timer tick wakes it, and looks again; other processes
    //     run in ring 3 meanwhile. After TimeoutTicks the command has timed out.
    //   - at boot (IDENTIFY, swap discovery, self-tests) nobody can run instead: it polls
    //     with interrupts disabled, up to PollLimit reads.
    public sealed unsafe class AhciPort
    {
        // Polls of PxCI before a command is declared timed out when polling. One MMIO read
        // of an emulated or real HBA takes at least ~100 ns, so this waits a second or more;
        // it counts reads, not timer ticks, because the boot code runs with interrupts off.
        public const uint PollLimit = 10000000;
        // Polls before a process sleeps: tens of microseconds, which a command the disk
        // serves from its cache needs, so such a command costs no switch.
        public const uint SpinPolls = 64;
        // Ticks a sleeping issuer waits before the command has timed out (5 s).
        public const ulong TimeoutTicks = 5 * PitTimer.FrequencyHz;
        public const int MaxPrdEntries = (PageSize - CommandTableOffset - PrdtOffset) / PrdEntrySize;

        private const int PageSize = (int)Page.Size;
        private const int ReceivedFisOffset = 0x400;
        private const int CommandTableOffset = 0x800;
        private const int PrdtOffset = 0x80;
        private const int PrdEntrySize = 16;
        private const int CommandFisDwords = 5;         // a register host-to-device FIS is 20 bytes
        private const uint HeaderWrite = 1u << 6;       // command header DW0: data goes to the device
        private const uint PrdByteCountMask = 0x3FFFFF; // PRD DW3: byte count - 1, at most 4 MiB

        public readonly int Number;
        private readonly byte* _registers;
        private readonly ulong _dmaLimit;                // first physical address the HBA cannot reach
        private readonly ulong _memory;                 // physical address of the frame
        private readonly byte* _memoryView;              // the same frame in the direct map
        // PxIS bits the interrupt handler cleared since the command was issued (its errors).
        private uint _interruptStatus;

        private AhciPort(int number, byte* registers, ulong dmaLimit, ulong memory)
        {
            Number = number;
            _registers = registers;
            _dmaLimit = dmaLimit;
            _memory = memory;
            _memoryView = KernelLayout.PhysicalToVirtual(memory);
        }

        // The port's task-file status and error (PxTFD), for error messages.
        public uint TaskFile => Read(AhciRegisters.PxTfd);

        public uint Signature => Read(AhciRegisters.PxSig);

        // True when the link reports a device with PHY communication established.
        public static bool DevicePresent(byte* registers) =>
            (Cpu.ReadMmio32((uint*)(registers + AhciRegisters.PxSsts)) & AhciRegisters.SstsDetMask) == AhciRegisters.SstsDetPresent;

        // Stops the port, gives it a fresh frame for its command list and received FISes,
        // and starts it again; null when no frame is left below `dmaLimit` (4 GiB for an
        // HBA without 64-bit addressing) or the port does not stop.
        public static AhciPort Start(int number, byte* registers, ulong dmaLimit)
        {
            ulong pfn = KernelMemory.AllocateKernelFrame(mayReclaim: false);
            if (pfn == 0)
                return null;
            var port = new AhciPort(number, registers, dmaLimit, pfn << Page.Shift);
            if (port._memory + Page.Size > dmaLimit)
            {
                KernelMemory.FreeKernelFrame(pfn);
                return null;
            }
            RuntimeMemory.Fill(port._memoryView, 0, PageSize);
            if (!port.Stop())
            {
                KernelMemory.FreeKernelFrame(pfn);
                return null;
            }
            port.Write(AhciRegisters.PxClb, (uint)port._memory);
            port.Write(AhciRegisters.PxClbu, (uint)(port._memory >> 32));
            port.Write(AhciRegisters.PxFb, (uint)(port._memory + ReceivedFisOffset));
            port.Write(AhciRegisters.PxFbu, (uint)((port._memory + ReceivedFisOffset) >> 32));
            port.Write(AhciRegisters.PxIe, 0);
            port.Restart();
            return port;
        }

        // Runs one ATA command through slot 0: `fis` is the 20-byte command FIS, the data
        // buffer [buffer, +bytes) is described by the PRDT (kernel virtual addresses,
        // split at page boundaries), `write` says its direction. Returns 0, or -EIO on a
        // task-file error or timeout (logged with PxTFD and PxIS), -EINVAL when the
        // buffer needs more PRD entries than the table holds or lies where the HBA cannot
        // reach (not mapped, or above its DMA limit).
        public int Run(byte* fis, byte* buffer, uint bytes, bool write)
        {
            int entries = FillPrdt(_memoryView + CommandTableOffset + PrdtOffset, buffer, bytes, _dmaLimit);
            return entries < 0 ? -(int)Errno.EINVAL : Execute(fis, entries, write);
        }

        // Runs one ATA command through slot 0 whose data are `count` pages, each its own
        // page-aligned buffer (kernel virtual addresses): one PRD entry per page. The same
        // results as Run; -EINVAL for more pages than the PRDT holds.
        public int RunPages(byte* fis, byte** pages, uint count, bool write)
        {
            byte* prdt = _memoryView + CommandTableOffset + PrdtOffset;
            if (count > MaxPrdEntries)
                return -(int)Errno.EINVAL;
            for (int i = 0; i < (int)count; i++)
                if (!SetPrdEntry(prdt, i, (ulong)pages[i], Page.Size, _dmaLimit))
                    return -(int)Errno.EINVAL;
            return Execute(fis, (int)count, write);
        }

        // Copies `fis` into the command table, fills command header 0 for a PRDT of
        // `entries` entries, and issues the command with interrupts off (a process's sleep
        // lets them in while it waits).
        private int Execute(byte* fis, int entries, bool write)
        {
            byte* table = _memoryView + CommandTableOffset;
            RuntimeMemory.Copy(table, fis, CommandFisDwords * 4);
            uint* header = (uint*)_memoryView;
            header[0] = CommandFisDwords | (write ? HeaderWrite : 0) | (uint)entries << 16;
            header[1] = 0;
            header[2] = (uint)(_memory + CommandTableOffset);
            header[3] = (uint)((_memory + CommandTableOffset) >> 32);
            ulong flags = Cpu.SaveFlagsAndDisableInterrupts();
            int result = Issue();
            Cpu.RestoreFlags(flags);
            return result;
        }

        // Issues slot 0 and waits for it: a short spin, then sleeps when a process issued it,
        // polling otherwise. Restarts the port after an error or a timeout.
        private int Issue()
        {
            _interruptStatus = 0;
            Write(AhciRegisters.PxIs, 0xFFFFFFFF);
            Write(AhciRegisters.PxCi, 1);
            int result;
            for (uint poll = 0; poll < SpinPolls; poll++)
                if (Finished(out result))
                    return result;
            if (!Scheduler.MaySleepForDevice)
            {
                for (uint poll = SpinPolls; poll < PollLimit; poll++)
                    if (Finished(out result))
                        return result;
                return Failed("timeout", Read(AhciRegisters.PxIs));
            }
            ulong deadline = PitTimer.Ticks + TimeoutTicks;
            while (PitTimer.Ticks < deadline)
            {
                Scheduler.SleepForDevice(WaitReason.Disk, this);
                if (Finished(out result))
                    return result;
            }
            return Failed("timeout", Read(AhciRegisters.PxIs));
        }

        // True when slot 0's command has ended: `result` is 0, or -EIO after an error.
        private bool Finished(out int result)
        {
            result = 0;
            uint status = _interruptStatus | Read(AhciRegisters.PxIs);
            if ((status & AhciRegisters.IsFatalErrors) != 0)
                result = Failed("error", status);
            else if ((Read(AhciRegisters.PxCi) & 1) != 0)
                return false;
            else if ((TaskFile & AhciRegisters.TfdErr) != 0)
                result = Failed("error", status);
            return true;
        }

        // Turns on the interrupts a command's end raises: the device's register FIS (the end
        // of every DMA command) and the errors. Call once AhciInterrupt handles the HBA's line.
        public void EnableInterrupts() =>
            Write(AhciRegisters.PxIe, AhciRegisters.IsDhrs | AhciRegisters.IsFatalErrors);

        // The HBA raised an interrupt for this port: acknowledges it (PxIS is write-1-to-clear,
        // and the line is level-triggered), keeps the bits for the waiting issuer, wakes it.
        public void OnInterrupt()
        {
            uint status = Read(AhciRegisters.PxIs);
            Write(AhciRegisters.PxIs, status);
            _interruptStatus |= status;
            Scheduler.WakeAll(WaitReason.Disk, this);
        }

        // "ahci: port 0: command error, status 0x51, error 0x4, interrupt status 0x40000001"
        private int Failed(string what, uint interruptStatus)
        {
            uint taskFile = TaskFile;
            KernelConsole.Write("ahci: port ");
            KernelConsole.WriteDecimal((ulong)Number);
            KernelConsole.Write(": command ");
            KernelConsole.Write(what);
            KernelConsole.Write(", status 0x");
            KernelConsole.WriteHexCompact(taskFile & 0xFF);
            KernelConsole.Write(", error 0x");
            KernelConsole.WriteHexCompact((taskFile >> 8) & 0xFF);
            KernelConsole.Write(", interrupt status 0x");
            KernelConsole.WriteHexCompact(interruptStatus);
            KernelConsole.Write('\n');
            if (Stop())
                Restart();
            return -(int)Errno.EIO;
        }

        // Fills the PRDT with one entry per page-bounded piece of [buffer, +bytes) and
        // returns the entry count; -1 when a piece is not mapped, lies at or above
        // `dmaLimit`, or the table is full.
        private static int FillPrdt(byte* prdt, byte* buffer, uint bytes, ulong dmaLimit)
        {
            int count = 0;
            ulong address = (ulong)buffer;
            ulong end = address + bytes;
            while (address < end)
            {
                ulong pieceEnd = (address & ~Page.OffsetMask) + Page.Size;
                if (pieceEnd > end)
                    pieceEnd = end;
                if (count == MaxPrdEntries || !SetPrdEntry(prdt, count, address, pieceEnd - address, dmaLimit))
                    return -1;
                count++;
                address = pieceEnd;
            }
            return count;
        }

        // Sets PRD entry `index` to the `bytes` (1..Page.Size, not crossing a page) at
        // kernel virtual `address`; false when it is not mapped or lies at or above `dmaLimit`.
        private static bool SetPrdEntry(byte* prdt, int index, ulong address, ulong bytes, ulong dmaLimit)
        {
            if (!KernelPageTable.Translate(address, out ulong physical) || physical + bytes > dmaLimit)
                return false;
            uint* entry = (uint*)(prdt + index * PrdEntrySize);
            entry[0] = (uint)physical;
            entry[1] = (uint)(physical >> 32);
            entry[2] = 0;
            entry[3] = (uint)(bytes - 1) & PrdByteCountMask;
            return true;
        }

        // Clears ST and FRE and waits for the command list and FIS receive engines to stop
        // (AHCI 10.1.2); false when they are still running after PollLimit reads.
        private bool Stop()
        {
            Write(AhciRegisters.PxCmd, Read(AhciRegisters.PxCmd) & ~AhciRegisters.CmdSt);
            if (!WaitClear(AhciRegisters.PxCmd, AhciRegisters.CmdCr))
                return false;
            Write(AhciRegisters.PxCmd, Read(AhciRegisters.PxCmd) & ~AhciRegisters.CmdFre);
            return WaitClear(AhciRegisters.PxCmd, AhciRegisters.CmdFr);
        }

        // Clears the port's errors, turns FIS receive on and, once the device is not busy,
        // starts processing the command list again.
        private void Restart()
        {
            Write(AhciRegisters.PxSerr, 0xFFFFFFFF);
            Write(AhciRegisters.PxIs, 0xFFFFFFFF);
            Write(AhciRegisters.PxCmd, Read(AhciRegisters.PxCmd) | AhciRegisters.CmdFre);
            WaitClear(AhciRegisters.PxTfd, AhciRegisters.TfdBsy | AhciRegisters.TfdDrq);
            Write(AhciRegisters.PxCmd, Read(AhciRegisters.PxCmd) | AhciRegisters.CmdSt);
        }

        private bool WaitClear(uint register, uint bits)
        {
            for (uint poll = 0; poll < PollLimit; poll++)
                if ((Read(register) & bits) == 0)
                    return true;
            return false;
        }

        private uint Read(uint register) => Cpu.ReadMmio32((uint*)(_registers + register));

        private void Write(uint register, uint value) => Cpu.WriteMmio32((uint*)(_registers + register), value);
    }
}
