using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Diagnostics;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Processes
{
    // Vector 14 (#PF). From ring 3: Kernel.Mm's FaultHandler decides (demand-zero,
    // copy-on-write, ...). Handled -> the instruction is retried; a rejected access ->
    // SIGSEGV and one Linux-style line on the kernel log; out of memory -> the OOM
    // killer frees memory and the instruction is retried (or the process itself dies).
    // From ring 0 it is a kernel bug: kernel code reaches user memory only through
    // UserMemory (which never dereferences user addresses), so it panics as before.
    public sealed unsafe class PageFaultHandler : InterruptHandler
    {
        public static void Register() => Interrupts.Register(ExceptionVector.PageFault, new PageFaultHandler());

        public override void Handle(TrapFrame* frame)
        {
            if (!frame->FromUserMode)
            {
                FaultReport.Panic(frame);
                return;
            }
            Process current = Scheduler.Current;
            ulong address = Cpu.ReadCr2();
            FaultResult result = FaultHandler.Handle(current.Space, address, frame->ErrorCode);
            if (result == FaultResult.Handled)
                return;
            if (result == FaultResult.OutOfMemory)
            {
                OomKiller.Run(current);
                return;
            }
            ReportSegfault(current, frame, address);
            ProcessLifecycle.Exit(current, Signal.KilledStatus(Signal.SIGSEGV));
        }

        // "<name>[<pid>]: segfault at <addr> ip <rip> sp <rsp> error <code>" (Linux's show_signal_msg).
        private static void ReportSegfault(Process process, TrapFrame* frame, ulong address)
        {
            process.WriteName();
            KernelConsole.Write("[");
            KernelConsole.WriteDecimal((ulong)process.Pid);
            KernelConsole.Write("]: segfault at ");
            KernelConsole.WriteHexCompact(address);
            KernelConsole.Write(" ip ");
            KernelConsole.WriteHex(frame->Rip);
            KernelConsole.Write(" sp ");
            KernelConsole.WriteHex(frame->Rsp);
            KernelConsole.Write(" error ");
            KernelConsole.WriteHexCompact(frame->ErrorCode);
            KernelConsole.Write('\n');
        }
    }
}
