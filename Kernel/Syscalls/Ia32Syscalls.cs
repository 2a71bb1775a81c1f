using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Processes;
using Cowbird.Mm;

namespace Cowbird.Kernel.Syscalls
{
    // `int $0x80` from a 64-bit program: Linux's 32-bit system call table (IA32 emulation,
    // which Debian's kernels are built with). The number is eax, the arguments are ebx, ecx,
    // edx, esi, edi and ebp, each cut to 32 bits (a pointer above 4 GiB loses its upper half,
    // as on Linux), and the result or -errno comes back in rax; every other register is kept.
    //
    // Cowbird runs the 32-bit calls whose arguments mean the same in both ABIs, through the
    // 64-bit implementations (Ia32Number maps the numbers). The calls that take 32-bit
    // structures (stat, time, sigaction, iovec, ...) or that Linux runs with different flags
    // (open adds no O_LARGEFILE) are not here: they get -ENOSYS and a kernel-log line, where
    // Linux would run them.
    public sealed unsafe class Ia32Syscalls : InterruptHandler
    {
        // Takes the `int $0x80` gate (Idt makes it callable from ring 3).
        public static void Register() => Interrupts.Register(Idt.Ia32SyscallVector, new Ia32Syscalls());

        // Linux's overflowuid: what the 16-bit identity calls return for an id above 65535.
        private const ulong OverflowUid = 65534;

        public override void Handle(TrapFrame* frame)
        {
            Process current = Scheduler.Current;
            KernelLock.Acquire();
            // Linux reads the number as an unsigned int: rax's upper half is ignored.
            uint number = (uint)frame->Rax;
            ulong native = Ia32Number.Native(number);
            long result;
            if (native == Ia32Number.None)
                result = SyscallDispatcher.Unknown(current, "32-bit syscall (int $0x80)", number, null);
            else
                result = Run(current, number, native, frame);
            // A restart re-runs `int $0x80` with eax = the 32-bit number.
            SyscallDispatcher.Finish(current, frame, result, native, number);
        }

        // Runs 32-bit call `number` as x86-64 call `native`, its arguments widened as Linux's
        // compat entry widens them.
        private static long Run(Process current, uint number, ulong native, TrapFrame* frame)
        {
            long result = SyscallDispatcher.Call(current, native,
                Widen(number, 0, frame->Rbx), Widen(number, 1, frame->Rcx), Widen(number, 2, frame->Rdx),
                Widen(number, 3, frame->Rsi), Widen(number, 4, frame->Rdi), Widen(number, 5, frame->Rbp));
            if (Ia32Number.ReturnsUid16(number) && (ulong)result > ushort.MaxValue)
                return (long)OverflowUid;
            return result;
        }

        // Argument `index` of 32-bit call `number`: zero-extended, or sign-extended where the
        // 32-bit prototype has a signed type that the 64-bit one reads as 64 bits.
        private static ulong Widen(uint number, int index, ulong register)
        {
            return Ia32Number.IsSignedArgument(number, index) ? (ulong)(long)(int)register : (uint)register;
        }
    }
}
