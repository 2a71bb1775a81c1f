using Cowbird.Kernel.Fs;
using Cowbird.Kernel.Processes;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // getrlimit, setrlimit and prlimit64 (kernel/sys.c), with Linux's order of checks:
    //   - setrlimit and prlimit64 copy the new limit in first (EFAULT), prlimit64 then finds
    //     the pid (ESRCH; 0 = the caller);
    //   - do_prlimit: resource >= 16 is EINVAL, soft above hard EINVAL, a NOFILE hard limit
    //     above fs.nr_open EPERM, raising a hard limit EPERM without CAP_SYS_RESOURCE;
    //   - the old value is written last (EFAULT after the new one is set); getrlimit writes
    //     only after the resource was checked.
    // Every Cowbird process runs as root with every capability, so raising a hard limit is
    // allowed (and RLIMIT_NPROC never stops a fork, as for root on Linux).
    public static unsafe class LimitSyscalls
    {
        private const int LimitSize = 16;    // struct rlimit: two 64-bit values

        public static long Getrlimit(Process process, uint resource, ulong oldAddress)
        {
            if (resource >= ResourceLimits.Count)
                return -(long)Errno.EINVAL;
            ResourceLimits limits = process.Limits;
            return WriteLimit(process, oldAddress, limits.Soft((int)resource), limits.Hard((int)resource));
        }

        public static long Setrlimit(Process process, uint resource, ulong newAddress)
        {
            ulong* value = stackalloc ulong[2];
            if (UserMemory.CopyFromUser(process.Space, (byte*)value, newAddress, LimitSize) != Errno.None)
                return -(long)Errno.EFAULT;
            return Change(process, resource, value[0], value[1]);
        }

        public static long Prlimit64(Process process, int pid, uint resource, ulong newAddress, ulong oldAddress)
        {
            ulong* value = stackalloc ulong[2];
            if (newAddress != 0 && UserMemory.CopyFromUser(process.Space, (byte*)value, newAddress, LimitSize) != Errno.None)
                return -(long)Errno.EFAULT;
            Process target = pid == 0 ? process : ProcessTable.Find(pid);
            if (target == null)
                return -(int)Errno.ESRCH;
            if (resource >= ResourceLimits.Count)
                return -(long)Errno.EINVAL;
            ulong oldSoft = target.Limits.Soft((int)resource), oldHard = target.Limits.Hard((int)resource);
            if (newAddress != 0)
            {
                long error = Change(target, resource, value[0], value[1]);
                if (error != 0)
                    return error;
            }
            return oldAddress == 0 ? 0 : WriteLimit(process, oldAddress, oldSoft, oldHard);
        }

        // do_prlimit's checks, then the change. A new stack or address-space limit applies at
        // once to how far the target's stack and mappings may grow (Linux reads RLIMIT_STACK
        // and RLIMIT_AS at each expansion). 0 or -errno.
        private static long Change(Process target, uint resource, ulong soft, ulong hard)
        {
            if (resource >= ResourceLimits.Count)
                return -(long)Errno.EINVAL;
            if (soft > hard)
                return -(long)Errno.EINVAL;
            if (resource == ResourceLimits.OpenFiles && hard > FileTable.MaxDescriptors)
                return -(long)Errno.EPERM;
            target.Limits.Set((int)resource, soft, hard);
            if (target.Space != null)
                ApplyToSpace(target);
            return 0;
        }

        // Gives `process`'s address space the soft limits Kernel.Mm enforces: RLIMIT_STACK
        // (stack growth) and RLIMIT_AS (the total size of the mappings). At execve and setrlimit.
        public static void ApplyToSpace(Process process)
        {
            process.Space.StackLimit = process.Limits.Soft(ResourceLimits.Stack);
            process.Space.SizeLimit = process.Limits.Soft(ResourceLimits.AddressSpace);
        }

        // Writes a struct rlimit {soft, hard} to user memory. 0 or -EFAULT.
        private static long WriteLimit(Process process, ulong address, ulong soft, ulong hard)
        {
            ulong* value = stackalloc ulong[2];
            value[0] = soft;
            value[1] = hard;
            return UserMemory.CopyToUser(process.Space, address, (byte*)value, LimitSize) == Errno.None ? 0 : -(long)Errno.EFAULT;
        }
    }
}
