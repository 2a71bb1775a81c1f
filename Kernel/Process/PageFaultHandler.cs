using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Diagnostics;
using Cowbird.Kernel.Memory;
using Cowbird.Mm.Vm;
using Cowbird.Runtime;

namespace Cowbird.Kernel.Processes
{
    // Vector 14 (#PF). From ring 3: Kernel.Mm's FaultHandler decides (demand-zero,
    // copy-on-write, ...). Handled -> the instruction is retried; a rejected access ->
    // SIGSEGV and one Linux-style line on the kernel log; a swap slot that cannot be
    // read (disk error) -> SIGBUS (Linux: VM_FAULT_SIGBUS) and one line; out of memory
    // even after reclaim (no swap, or swap full) -> the OOM killer frees memory and the
    // instruction is retried (or the process itself dies). The same when the kernel heap
    // cannot hold what a fault may allocate (a first fault makes an anon_vma and a chain):
    // that is checked before the fault is handled, never found out half-way.
    // From ring 0 it is a kernel bug: kernel code reaches user memory only through
    // UserMemory (which never dereferences user addresses), so it panics as before.
    // Each handled fault counts in the process's ResourceUsage (getrusage); faults the
    // kernel takes through UserMemory do not (Linux counts those too).
    public sealed unsafe class PageFaultHandler : InterruptHandler
    {
        // Kernel heap a fault may need: an anon_vma and a chain, with room to spare.
        private const ulong FaultHeapBytes = 16 * 1024;
        // si_code of the signals a fault sends (include/uapi/asm-generic/siginfo.h).
        private const int SegvMapErr = 1, SegvAccErr = 2, BusAdrErr = 2;

        // Takes vector 14, and gives Kernel.Mm the same OOM response for the faults the
        // kernel takes in a process's memory on its behalf (UserMemory).
        public static void Register()
        {
            Interrupts.Register(ExceptionVector.PageFault, new PageFaultHandler());
            KernelMemory.Manager.SetOutOfMemoryHandler(new UserCopyOomHandler());
        }

        public override void Handle(TrapFrame* frame)
        {
            if (!frame->FromUserMode)
            {
                FaultReport.Panic(frame);
                return;
            }
            Process current = Scheduler.Current;
            // CR2 first: waiting for the kernel lock runs other processes, whose faults load CR2.
            ulong address = Cpu.ReadCr2();
            KernelLock.Acquire();
            if (!Gc.EnsureHeadroom(FaultHeapBytes))
            {
                OomKiller.Run(current);
                return;
            }
            ulong swapIns = KernelMemory.Manager.Stat.PswpIn;
            FaultResult result = FaultHandler.Handle(current.Space, address, frame->ErrorCode);
            if (result == FaultResult.Handled)
            {
                CountFault(current, KernelMemory.Manager.Stat.PswpIn != swapIns);
                return;
            }
            if (result == FaultResult.OutOfMemory)
            {
                OomKiller.Run(current);
                return;
            }
            if (result == FaultResult.SigBus)
            {
                Report(current, frame, address, "bus error", " (swap read failed)");
                SignalDelivery.Force(current, Signal.SIGBUS, BusAdrErr, address);
                return;
            }
            if (result == FaultResult.SigBusPastObject)
            {
                Report(current, frame, address, "bus error", " (past the end of the shared object)");
                SignalDelivery.Force(current, Signal.SIGBUS, BusAdrErr, address);
                return;
            }
            Report(current, frame, address, "segfault", "");
            SignalDelivery.Force(current, Signal.SIGSEGV, result == FaultResult.SegvAccErr ? SegvAccErr : SegvMapErr, address);
        }

        // A fault was handled: major when it read from swap (Linux's VM_FAULT_MAJOR),
        // minor otherwise (ru_minflt, ru_majflt).
        private static void CountFault(Process current, bool readSwap)
        {
            if (readSwap)
                current.Usage.MajorFaults++;
            else
                current.Usage.MinorFaults++;
        }

        // "<name>[<pid>]: <what> at <addr> ip <rip> sp <rsp> error <code><why>" (Linux's
        // show_signal_msg), e.g. "crash[1]: segfault at 0 ip 0x... sp 0x... error 4".
        private static void Report(Process process, TrapFrame* frame, ulong address, string what, string why)
        {
            process.WriteNameAndPid();
            KernelConsole.Write(": ");
            KernelConsole.Write(what);
            KernelConsole.Write(" at ");
            KernelConsole.WriteHexCompact(address);
            KernelConsole.Write(" ip ");
            KernelConsole.WriteHex(frame->Rip);
            KernelConsole.Write(" sp ");
            KernelConsole.WriteHex(frame->Rsp);
            KernelConsole.Write(" error ");
            KernelConsole.WriteHexCompact(frame->ErrorCode);
            KernelConsole.Write(why);
            KernelConsole.Write('\n');
        }
    }
}
