using System.Runtime.InteropServices;

namespace Cowbird.Kernel.Arch.X64
{
    // The per-CPU block GS points at while the CPU runs kernel code (one CPU).
    // syscall_entry (UserEntry.S) reads the running process's kernel stack top
    // from it: `syscall` does not switch stacks by itself, unlike an interrupt,
    // which takes TSS.Rsp0.
    [StructLayout(LayoutKind.Sequential)]
    public struct PerCpu
    {
        public ulong KernelStackTop;   // gs:0
        public ulong UserRspScratch;   // gs:8
    }
}
