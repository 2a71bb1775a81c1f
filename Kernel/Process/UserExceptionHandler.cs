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
    // Linux forces these signals: a handler may catch them, but blocked or ignored they
    // still kill (SignalDelivery.Force). No core file is
    // written, so the status has no core-dump bit (as Linux with RLIMIT_CORE 0).
    public sealed unsafe class UserExceptionHandler : InterruptHandler
    {
        private const int SIGTRAP = Signal.SIGTRAP, SIGILL = Signal.SIGILL, SIGBUS = Signal.SIGBUS, SIGFPE = Signal.SIGFPE;
        private const int Overflow = ExceptionVector.Overflow, BoundRange = 5, DeviceNotAvailable = 7, SegmentNotPresent = 11,
            StackFault = 12, X87Floating = 16, AlignmentCheck = 17, SimdFloating = 19;

        // si_code values (include/uapi/asm-generic/siginfo.h): what Linux's traps.c sends.
        private const int SiKernel = 0x80, FpeIntDiv = 1, IllIllOpn = 2, TrapBrkpt = 1;

        private readonly int signal;
        private readonly int code;
        private readonly string name;

        private UserExceptionHandler(int signalNumber, int siCode, string trapName)
        {
            signal = signalNumber;
            code = siCode;
            name = trapName;
        }

        public static void RegisterAll()
        {
            Register(ExceptionVector.DivideError, SIGFPE, FpeIntDiv, "divide error");
            Register(ExceptionVector.Debug, SIGTRAP, TrapBrkpt, "debug");
            Register(ExceptionVector.Breakpoint, SIGTRAP, SiKernel, "int3");
            Register(Overflow, Signal.SIGSEGV, SiKernel, "overflow");
            Register(BoundRange, Signal.SIGSEGV, SiKernel, "bounds");
            Register(ExceptionVector.InvalidOpcode, SIGILL, IllIllOpn, "invalid opcode");
            Register(DeviceNotAvailable, SIGFPE, SiKernel, "device not available");
            Register(SegmentNotPresent, SIGBUS, SiKernel, "segment not present");
            Register(StackFault, SIGBUS, SiKernel, "stack segment");
            Register(ExceptionVector.GeneralProtection, Signal.SIGSEGV, SiKernel, "general protection");
            Register(X87Floating, SIGFPE, SiKernel, "coprocessor error");
            Register(AlignmentCheck, SIGBUS, SiKernel, "alignment check");
            Register(SimdFloating, SIGFPE, SiKernel, "simd exception");
        }

        private static void Register(int vector, int signal, int code, string name) =>
            Interrupts.Register(vector, new UserExceptionHandler(signal, code, name));

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
            SignalDelivery.Force(current, signal, code, code == SiKernel ? 0 : frame->Rip);
        }
    }
}
