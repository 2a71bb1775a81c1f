using Cowbird.Kernel.Processes;
using Cowbird.Runtime;

namespace Cowbird.Kernel.Syscalls
{
    // The kernel heap a system call may need, made sure of before it starts
    // (Gc.EnsureHeadroom: collect, then grow the heap, reclaiming user pages if it must),
    // so that a shortage is ENOMEM at the door instead of a panic half-way through.
    // Only the calls that make kernel objects are checked. The figures are upper bounds,
    // not exact sizes: a split makes at most two VMAs with their anon_vma chains (a few
    // hundred bytes each), fork copies every VMA with its chains, execve holds two
    // argument lists, and open captures a /proc file's text (a line per VMA).
    // The other calls free memory (exit, munmap, wait4, close) or at most fault in a
    // user page while copying (read, write, clock_gettime, ...): they run on the heap's
    // reserve, as Linux's exit and munmap never fail for want of memory.
    public static class SyscallHeadroom
    {
        private const ulong BaseBytes = 64 * 1024;
        private const ulong ForkBytesPerVma = 1024;
        private const ulong MapsBytesPerVma = 256;
        private const ulong ExecBytes = 512 * 1024;

        // False when the heap cannot hold what the call `number` of `process` may need.
        public static bool Enough(Process process, ulong number)
        {
            ulong bytes = BytesFor(process, number);
            return bytes == 0 || Gc.EnsureHeadroom(bytes);
        }

        // The heap bytes call `number` may allocate, or 0 when it needs no check.
        private static ulong BytesFor(Process process, ulong number)
        {
            ulong vmas = (ulong)process.Space.Vmas.Count;
            switch (number)
            {
                case SyscallNumber.Mmap:
                case SyscallNumber.Mprotect:
                case SyscallNumber.Mremap:
                case SyscallNumber.Brk:
                case SyscallNumber.Madvise:
                    return BaseBytes;
                case SyscallNumber.Fork:
                    return BaseBytes + vmas * ForkBytesPerVma;
                case SyscallNumber.Open:
                    return BaseBytes + vmas * MapsBytesPerVma;
                case SyscallNumber.Execve:
                    return ExecBytes;
                default:
                    return 0;
            }
        }
    }
}
