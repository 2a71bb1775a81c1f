using Cowbird.Kernel.Processes;
using Cowbird.Mm;

namespace Cowbird.Kernel.Syscalls
{
    // setpgid, getpgid, getpgrp, setsid, getsid with Linux's order of checks (kernel/sys.c).
    // The rules of groups and sessions are ProcessGroups'.
    public static class GroupSyscalls
    {
        // setpgid(pid, pgid): pid 0 is the caller, pgid 0 is the target's pid. EINVAL for a
        // negative pgid; ESRCH when pid is neither the caller nor one of its children;
        // EPERM for a child in another session; EACCES for a child that called execve;
        // EPERM for a session leader, and for a pgid naming no group of the caller's session.
        public static long Setpgid(Process process, int pid, int pgid)
        {
            if (pid == 0)
                pid = process.Pid;
            if (pgid == 0)
                pgid = pid;
            if (pgid < 0)
                return -(long)Errno.EINVAL;
            Process target = ProcessTable.Find(pid);
            if (target == null)
                return -(int)Errno.ESRCH;
            if (target.Parent == process)
            {
                if (target.Session != process.Session)
                    return -(long)Errno.EPERM;
                if (target.HasExeced)
                    return -(long)Errno.EACCES;
            }
            else if (target != process)
                return -(int)Errno.ESRCH;
            if (ProcessGroups.IsSessionLeader(target))
                return -(long)Errno.EPERM;
            if (pgid != pid && !ProcessGroups.AnyInGroup(pgid, process.Session))
                return -(long)Errno.EPERM;
            target.ProcessGroup = pgid;
            return 0;
        }

        // getpgid(pid): the group of pid (0: the caller), or ESRCH.
        public static long Getpgid(Process process, int pid)
        {
            Process target = pid == 0 ? process : ProcessTable.Find(pid);
            return target == null ? -(int)Errno.ESRCH : target.ProcessGroup;
        }

        // getsid(pid): the session of pid (0: the caller), or ESRCH.
        public static long Getsid(Process process, int pid)
        {
            Process target = pid == 0 ? process : ProcessTable.Find(pid);
            return target == null ? -(int)Errno.ESRCH : target.Session;
        }

        // setsid(): the caller leads a new session and a new group, without a controlling
        // terminal. EPERM when a group named by its pid exists already (it leads one).
        public static long Setsid(Process process)
        {
            if (ProcessGroups.GroupExists(process.Pid))
                return -(long)Errno.EPERM;
            process.Session = process.Pid;
            process.ProcessGroup = process.Pid;
            process.HasTerminal = false;
            return process.Pid;
        }
    }
}
