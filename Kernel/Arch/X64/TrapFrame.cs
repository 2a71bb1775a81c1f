using System.Runtime.InteropServices;

namespace Cowbird.Kernel.Arch.X64
{
    // The machine state saved on every interrupt or exception, exactly as
    // TrapEntry.S lays it out on the stack (lowest address first). Handlers may
    // change it: the stub restores every field on return (iretq), which is how
    // a later syscall path will return a value in Rax or a new process will
    // start (a copied frame with Rip, Rsp and Cs for ring 3).
    [StructLayout(LayoutKind.Sequential)]
    public struct TrapFrame
    {
        // Pushed by PUSH_GPRS (TrapFrame.inc: trap_common, syscall_entry).
        public ulong R15, R14, R13, R12, R11, R10, R9, R8;
        public ulong Rbp, Rdi, Rsi, Rdx, Rcx, Rbx, Rax;

        // Pushed by the per-vector stub (ErrorCode is 0 when the CPU pushes none).
        public ulong Vector;
        public ulong ErrorCode;

        // Pushed by the CPU.
        public ulong Rip;
        public ulong Cs;
        public ulong Rflags;
        public ulong Rsp;
        public ulong Ss;

        private const ulong PrivilegeLevelMask = 3;

        // True when the interrupted code ran in ring 3.
        public bool FromUserMode => (Cs & PrivilegeLevelMask) == 3;
    }
}
