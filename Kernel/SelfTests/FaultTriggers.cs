using System.Runtime;
using System.Runtime.CompilerServices;

namespace Cowbird.Kernel.SelfTests
{
    // C# access to FaultTriggers.S.
    public static class FaultTriggers
    {
        public const int UnexpectedVector = 0x41;
        public const int SoftwareInterruptVector = 0x42;

        [RuntimeImport("selftest_invalid_opcode")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void InvalidOpcode();

        [RuntimeImport("selftest_breakpoint")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void Breakpoint();

        [RuntimeImport("selftest_unexpected_vector")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void RaiseUnexpectedVector();

        // The address of a `ret` in the kernel's .data section (no-execute under W^X).
        [RuntimeImport("selftest_data_code_address")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern ulong DataCodeAddress();

        // Calls the code at `address`: the execute-protection self-tests aim it at
        // a `ret` in memory that must not be executable, so the call faults before
        // the callee pushes anything and the fault report finds this caller at [rsp].
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static unsafe void Call(ulong address) => ((delegate*<void>)address)();

        // int 0x42; returns the trap frame's rax after the handler ran.
        [RuntimeImport("selftest_software_interrupt")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern ulong RaiseSoftwareInterrupt();
    }
}
