using Cowbird.Kernel.Processes;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // The calls a C library makes for its threads at start-up, answered for Cowbird's
    // single-threaded processes on one CPU (Linux: kernel/futex/syscalls.c,
    // kernel/sched/core.c).
    public static unsafe class ThreadSyscalls
    {
        // sizeof(struct robust_list_head): list pointer, futex offset, pending pointer.
        private const ulong RobustListHeadSize = 24;
        // The CPU mask's size in bytes: one long covers Cowbird's one CPU (Linux's
        // cpumask_size() with nr_cpu_ids up to 64).
        private const uint CpuMaskBytes = 8;

        // set_robust_list(head, len): records where the robust futex list is (a fork child
        // starts without one, exec forgets it, as on Linux); EINVAL for another length.
        // Exit does not walk the list: without threads or futexes no one can wait on a
        // lock a dying process holds, so there are no owner-died wake-ups to make.
        public static long SetRobustList(Process process, ulong head, ulong length)
        {
            if (length != RobustListHeadSize)
                return -(long)Errno.EINVAL;
            process.RobustList = head;
            return 0;
        }

        // sched_getaffinity(pid, len, mask): CPU 0 only. EINVAL when len is not a whole
        // number of longs (or too small for one CPU), ESRCH for no such process, EFAULT;
        // else the mask's size in bytes.
        public static long SchedGetaffinity(Process process, int pid, uint length, ulong address)
        {
            if (length == 0 || (length & 7) != 0)
                return -(long)Errno.EINVAL;
            if (pid < 0 || (pid != 0 && ProcessTable.Find(pid) == null))
                return -(int)Errno.ESRCH;
            ulong mask = 1;
            uint size = length < CpuMaskBytes ? length : CpuMaskBytes;
            if (UserMemory.CopyToUser(process.Space, address, (byte*)&mask, size) != Errno.None)
                return -(long)Errno.EFAULT;
            return size;
        }

        // sched_setaffinity(pid, len, mask): the mask is read first (a shorter one is
        // zero-extended, a longer one cut to the CPU mask's size; EFAULT), then the process is
        // looked up (ESRCH), then the mask must name CPU 0, Cowbird's only CPU (EINVAL: no
        // CPU it could run on). The affinity is then all CPUs there are, so nothing is kept.
        public static long SchedSetaffinity(Process process, int pid, uint length, ulong address)
        {
            ulong mask = 0;
            uint size = length < CpuMaskBytes ? length : CpuMaskBytes;
            if (UserMemory.CopyFromUser(process.Space, (byte*)&mask, address, size) != Errno.None)
                return -(long)Errno.EFAULT;
            if (pid < 0 || (pid != 0 && ProcessTable.Find(pid) == null))
                return -(int)Errno.ESRCH;
            return (mask & 1) != 0 ? 0 : -(long)Errno.EINVAL;
        }
    }
}
