using Cowbird.Kernel.Processes;
using Cowbird.Runtime;

namespace Cowbird.Kernel.Syscalls
{
    // The kernel heap a system call may need, made sure of before it starts
    // (Gc.EnsureHeadroom: collect, then grow the heap, reclaiming user pages if it must),
    // so that a shortage is ENOMEM at the door instead of a panic half-way through.
    // The figures are upper bounds, not exact sizes: a split makes at most two VMAs with
    // their anon_vma chains (a few hundred bytes each), fork copies every VMA with its
    // chains, execve builds a new address space (ExecArguments asks for its argument lists,
    // up to 6 MiB, once it knows their size), and open makes a file and, for /proc, the
    // page-sized buffer its text is generated into (pipe and pipe2 make two files and a pipe). How much of the heap's reserve must stay free afterwards depends on
    // the call, so that freeing memory works after making objects is refused:
    //   - calls that make kernel objects (mmap, mprotect, mlock, fork, ...): all of it;
    //   - munmap, which frees memory but may split a VMA: half (Linux's munmap gives
    //     ENOMEM too when a split cannot get its VMA);
    //   - calls that at most fault in a user page while copying (read, write, ...): a
    //     quarter, so output still works after munmap is refused;
    //   - calls that allocate nothing or only free (exit, wait4, close, kill, getpid, ...):
    //     not checked; exit, reaping and the OOM kill run on the last quarter.
    // A loop of any checked call therefore ends in ENOMEM, never in an empty heap.
    public static class SyscallHeadroom
    {
        private const ulong BaseBytes = 64 * 1024;
        private const ulong ForkBytesPerVma = 1024;
        private const ulong ExecBytes = 512 * 1024;
        private const ulong SmallCallBytes = 16 * 1024;

        // False when the heap cannot hold what the call `number` of `process` may need.
        public static bool Enough(Process process, ulong number)
        {
            switch (number)
            {
                case SyscallNumber.Exit:
                case SyscallNumber.ExitGroup:
                case SyscallNumber.Wait4:
                case SyscallNumber.Close:
                case SyscallNumber.Kill:
                case SyscallNumber.Getpid:
                case SyscallNumber.Gettid:
                case SyscallNumber.Getppid:
                case SyscallNumber.SchedYield:
                case SyscallNumber.SetTidAddress:
                    return true;
                case SyscallNumber.Open:
                case SyscallNumber.Pipe:
                case SyscallNumber.Pipe2:
                case SyscallNumber.Mmap:
                case SyscallNumber.Mprotect:
                case SyscallNumber.Mremap:
                case SyscallNumber.Brk:
                case SyscallNumber.Madvise:
                case SyscallNumber.Mlock:
                case SyscallNumber.Mlock2:
                case SyscallNumber.Munlock:
                case SyscallNumber.Mlockall:
                case SyscallNumber.Munlockall:
                    return Gc.EnsureHeadroom(BaseBytes);
                case SyscallNumber.Fork:
                    return Gc.EnsureHeadroom(BaseBytes + VmasOf(process) * ForkBytesPerVma);
                case SyscallNumber.Execve:
                    return Gc.EnsureHeadroom(ExecBytes);
                case SyscallNumber.Munmap:
                    return Gc.EnsureHeadroom(SmallCallBytes, Gc.ReserveBytes / 2);
                default:
                    return Gc.EnsureHeadroom(SmallCallBytes, Gc.ReserveBytes / 4);
            }
        }

        private static ulong VmasOf(Process process) => (ulong)process.Space.Vmas.Count;
    }
}
