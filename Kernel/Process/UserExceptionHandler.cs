using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Diagnostics;

namespace Cowbird.Kernel.Processes
{
    // CPU exceptions other than #PF. Raised by ring-3 code they are the program's fault,
    // never the kernel's: the process dies with the signal Linux sends (arch/x86/kernel/
    // traps.c) and the kernel log gets one line like Linux's
    //   "traps: crash[1] trap invalid opcode ip:401045 sp:7fffffffed28 error:0".
    // In ring 0 they stay kernel bugs: the same panic report as before.
    // (Only the int3 and into gates are DPL 3 (Idt.cs): any other `int n` from ring 3
    // arrives here as #GP. `into` itself is an invalid opcode in 64-bit code.)
    // Linux forces these signals: blocked or ignored, they still kill. No core file is
    // written, so the status has no core-dump bit (as Linux with RLIMIT_CORE 0).
    public sealed unsafe class UserExceptionHandler : InterruptHandler
    {
        private const int SIGTRAP = Signal.SIGTRAP, SIGILL = Signal.SIGILL, SIGBUS = Signal.SIGBUS, SIGFPE = Signal.SIGFPE;
        private const int Overflow = ExceptionVector.Overflow, BoundRange = 5, DeviceNotAvailable = 7, SegmentNotPresent = 11,
            StackFault = 12, X87Floating = 16, AlignmentCheck = 17, SimdFloating = 19;

        private readonly int signal;
        private readonly string name;

        private UserExceptionHandler(int signalNumber, string trapName)
        {
            signal = signalNumber;
            name = trapName;
        }

        public static void RegisterAll()
        {
            Register(ExceptionVector.DivideError, SIGFPE, "divide error");
            Register(ExceptionVector.Debug, SIGTRAP, "debug");
            Register(ExceptionVector.Breakpoint, SIGTRAP, "int3");
            Register(Overflow, Signal.SIGSEGV, "overflow");
            Register(BoundRange, Signal.SIGSEGV, "bounds");
            Register(ExceptionVector.InvalidOpcode, SIGILL, "invalid opcode");
            Register(DeviceNotAvailable, SIGFPE, "device not available");
            Register(SegmentNotPresent, SIGBUS, "segment not present");
            Register(StackFault, SIGBUS, "stack segment");
            Register(ExceptionVector.GeneralProtection, Signal.SIGSEGV, "general protection");
            Register(X87Floating, SIGFPE, "coprocessor error");
            Register(AlignmentCheck, SIGBUS, "alignment check");
            Register(SimdFloating, SIGFPE, "simd exception");
        }

        private static void Register(int vector, int signal, string name) =>
            Interrupts.Register(vector, new UserExceptionHandler(signal, name));

        public override void Handle(TrapFrame* frame)
        {
            if (!frame->FromUserMode)
            {
                FaultReport.Panic(frame);
                return;
            }
            Process current = Scheduler.Current;
            KernelConsole.Write("traps: ");
            current.WriteNameAndPid();
            KernelConsole.Write(" trap ");
            KernelConsole.Write(name);
            KernelConsole.Write(" ip:");
            KernelConsole.WriteHexCompact(frame->Rip);
            KernelConsole.Write(" sp:");
            KernelConsole.WriteHexCompact(frame->Rsp);
            KernelConsole.Write(" error:");
            KernelConsole.WriteHexCompact(frame->ErrorCode);
            KernelConsole.Write('\n');
            ProcessLifecycle.Exit(current, Signal.KilledStatus(signal));
        }
    }
}
