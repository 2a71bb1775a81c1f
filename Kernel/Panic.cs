using System.Runtime;
using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Diagnostics;
using Cowbird.Kernel.Drivers;

namespace Cowbird.Kernel
{
    // Fatal errors: print "PANIC: <message> at 0x<address> in <C# method>" and a
    // backtrace on the console, then stop the machine with ExitStatus.Panic.
    // Three ways in:
    //   - kernel code calls Halt (an invariant broke);
    //   - the runtime calls the `kernel_panic` hook (failed cast, range check,
    //     `throw`, ...): the method named is the first caller outside the runtime;
    //   - the CPU raises an exception nobody handles: FaultReport (Diagnostics).
    // A fault while a panic is being reported stops at once (no recursion).
    public static unsafe class Panic
    {
        private static bool s_panicking;

        // Mangled-name prefixes of the panic machinery itself and of the runtime's assembly
        // stubs (Rhp...): the method a runtime panic names is the first caller outside these.
        private static readonly string[] s_runtimePrefixes =
        {
            "kernel_Cowbird_Kernel_Panic__",
            "kernel_Cowbird_Runtime_",
            "kernel_Internal_Runtime_",
            "kernel_System_Runtime_",
            "Rhp",
        };

        // Reports `message` and stops. Never returns.
        public static void Halt(string message)
        {
            fixed (char* chars = message)
                KernelPanic(chars, message.Length, null, 0);
        }

        // The runtime's panic hook. `detail` may be null (detailLength 0).
        [RuntimeExport("kernel_panic")]
        private static void KernelPanic(char* message, int messageLength, char* detail, int detailLength)
        {
            ulong rbp = Cpu.FramePointer();
            Begin();
            KernelConsole.Write("\nPANIC: ");
            KernelConsole.Write(message, messageLength);
            if (detailLength > 0)
            {
                KernelConsole.Write(": ");
                KernelConsole.Write(detail, detailLength);
            }
            ulong caller = Backtrace.FirstCallerOutside(rbp, s_runtimePrefixes);
            if (caller != 0)
            {
                KernelConsole.Write(" at ");
                KernelConsole.WriteHex(caller);
                KernelConsole.Write(" in ");
                KernelSymbols.WriteReturnLocation(caller);
            }
            KernelConsole.Write('\n');
            Backtrace.Print(0, rbp, rbp);
            End();
        }

        // Starts a panic report: interrupts off; a second panic during the report
        // (a fault in the reporting code) stops the machine right away.
        internal static void Begin()
        {
            Cpu.DisableInterrupts();
            if (s_panicking)
            {
                KernelConsole.WriteLine("\nPANIC: fault while reporting a panic");
                QemuDebugExit.Exit(ExitStatus.Panic);
            }
            s_panicking = true;
            KernelConsole.MakeVerbose();
        }

        // Ends a panic report: stops the machine with ExitStatus.Panic.
        internal static void End() => QemuDebugExit.Exit(ExitStatus.Panic);
    }
}
