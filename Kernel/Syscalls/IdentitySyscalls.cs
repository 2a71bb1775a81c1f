using Cowbird.Kernel.Processes;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // User and group ids (Linux: kernel/sys.c, kernel/groups.c). Cowbird has one user:
    // every process is root (uid and gid 0, real, effective and saved) with no
    // supplementary groups, like a process the kernel starts before any login. setuid and
    // setgid accept 0, which changes nothing; any other id would need a second user:
    // EPERM. -1 is no id at all: EINVAL, as on Linux.
    public static unsafe class IdentitySyscalls
    {
        private const uint NoId = 0xffffffff;

        // getresuid(ruid, euid, suid) and getresgid: three 0s, each written in turn (the
        // first fault is EFAULT, as Linux's put_user sequence).
        public static long GetRes(Process process, ulong real, ulong effective, ulong saved)
        {
            uint zero = 0;
            if (UserMemory.CopyToUser(process.Space, real, (byte*)&zero, 4) != Errno.None
                || UserMemory.CopyToUser(process.Space, effective, (byte*)&zero, 4) != Errno.None
                || UserMemory.CopyToUser(process.Space, saved, (byte*)&zero, 4) != Errno.None)
                return -(long)Errno.EFAULT;
            return 0;
        }

        // getgroups(size, list): no supplementary groups, so 0 and nothing written; a
        // negative size is EINVAL.
        public static long Getgroups(int size)
        {
            return size < 0 ? -(long)Errno.EINVAL : 0;
        }

        // setuid(id) and setgid(id): 0 or -errno.
        public static long SetId(uint id)
        {
            if (id == NoId)
                return -(long)Errno.EINVAL;
            return id == 0 ? 0 : -(long)Errno.EPERM;
        }
    }
}
