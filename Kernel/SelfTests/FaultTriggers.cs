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

        // int 0x42; returns the trap frame's rax after the handler ran.
        [RuntimeImport("selftest_software_interrupt")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern ulong RaiseSoftwareInterrupt();
    }
}
