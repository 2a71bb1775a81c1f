using System.Runtime;
using System.Runtime.CompilerServices;

namespace Cowbird.Kernel.Arch.X64
{
    // The instructions processes need (UserEntry.S): model-specific registers,
    // loading CR3, the time-stamp counter, the kernel-stack switch and the
    // addresses of the ring-3 entry points.
    public static unsafe class UserModeCpu
    {
        public const uint MsrEfer = 0xC0000080;
        public const uint MsrStar = 0xC0000081;
        public const uint MsrLstar = 0xC0000082;
        public const uint MsrSfmask = 0xC0000084;
        public const uint MsrFsBase = 0xC0000100;
        public const uint MsrGsBase = 0xC0000101;
        public const uint MsrKernelGsBase = 0xC0000102;

        public const ulong EferSyscallEnable = 1UL << 0;

        [RuntimeImport("cpu_read_msr")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern ulong ReadMsr(uint msr);

        [RuntimeImport("cpu_write_msr")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void WriteMsr(uint msr, ulong value);

        // Loads CR3: the CPU now translates through the PML4 at physical `pml4`
        // (and forgets every non-global TLB entry).
        [RuntimeImport("cpu_write_cr3")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void WriteCr3(ulong pml4);

        [RuntimeImport("cpu_read_tsc")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern ulong ReadTsc();

        // Saves the callee-saved registers on this stack, stores rsp in *saveRsp,
        // and continues on the stack whose saved rsp is `newRsp`.
        [RuntimeImport("context_switch")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void ContextSwitch(ulong* saveRsp, ulong newRsp);

        [RuntimeImport("process_first_run_address")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern ulong ProcessFirstRunAddress();

        [RuntimeImport("syscall_entry_address")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern ulong SyscallEntryAddress();
    }
}
