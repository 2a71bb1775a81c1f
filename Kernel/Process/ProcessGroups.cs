using Cowbird.Kernel.Syscalls;

namespace Cowbird.Kernel.Processes
{
    // Process groups and sessions (Linux: kernel/sys.c, kernel/exit.c). A group and a session
    // are named by the pid of the process that made them (their leader); they are not objects
    // of their own but the ProcessGroup and Session fields every process carries, so "the
    // group exists" means "some process, zombies included, has that ProcessGroup". A reaped
    // process (freed slot, or Detached) belongs to nothing.
    //
    // Rules, as Linux's:
    //   - fork copies the group and the session; init is the leader of group 1 and session 1.
    //   - A session leader cannot change its group, nor make a new session; a process that
    //     leads a group cannot make a new session either (setsid's EPERM).
    //   - A group is orphaned when no member has a parent in another group of the same
    //     session (will_become_orphaned_pgrp): no shell is left to continue its stopped jobs.
    //     Cowbird's init has no parent, but it stands for the system's job-control shell, so
    //     its own group is never orphaned, and children of init count like any others (Linux
    //     skips children of the real init, where init is never a shell).
    //   - A group that an exit orphans while some member is stopped gets SIGHUP, then SIGCONT
    //     (POSIX; Linux's kill_orphaned_pgrp): nobody is left to continue those members, so
    //     they are woken to be told their terminal session is gone. HangUpIfOrphaned.
    public static class ProcessGroups
    {
        // Makes the new pid 1 the leader of group 1 and session 1.
        public static void MakeInitSession(Process init)
        {
            init.ProcessGroup = init.Pid;
            init.Session = init.Pid;
        }

        public static bool IsSessionLeader(Process process) => process.Session == process.Pid;

        // True when a live or zombie process (not yet reaped) is in group `group`.
        public static bool GroupExists(int group) => AnyInGroup(group, 0);

        // True when a process of group `group` is in session `session` (any session when 0).
        public static bool AnyInGroup(int group, int session)
        {
            for (int i = 0; i < ProcessTable.MaxThreads; i++)
            {
                Process process = ProcessTable.At(i);
                if (IsMember(process, group) && (session == 0 || process.Session == session))
                    return true;
            }
            return false;
        }

        // Whether `process` (a slot, maybe null) is an unreaped member of `group`.
        public static bool IsMember(Process process, int group) =>
            process != null && !process.Detached && process.ProcessGroup == group;

        // Whether wait4's `pid` selects `child` of `parent`: -1 any child, > 0 that pid,
        // 0 a child in the parent's group, < -1 a child in group -pid.
        public static bool WaitMatches(Process parent, Process child, int pid)
        {
            if (pid > 0)
                return child.Pid == pid;
            if (pid == -1)
                return true;
            return child.ProcessGroup == (pid == 0 ? parent.ProcessGroup : -pid);
        }

        // Linux's kill_orphaned_pgrp, called as `link` exits (already a zombie): for its own
        // group with `link` its parent, and for each child's group, once that child is given
        // to init, with `link` the exiting parent. When `link` was in another group of the same
        // session, the exit has just orphaned `group` (of `session`), and a member is stopped,
        // the group gets SIGHUP, then SIGCONT.
        public static void HangUpIfOrphaned(int group, int session, Process link)
        {
            if (link.ProcessGroup == group || link.Session != session)
                return;
            if (!IsOrphaned(group) || !HasStoppedMember(group))
                return;
            SignalSyscalls.SendToGroup(group, Signal.SIGHUP, 0);
            SignalSyscalls.SendToGroup(group, Signal.SIGCONT, 0);
        }

        // Whether a member of `group` is stopped (Linux's has_stopped_jobs).
        private static bool HasStoppedMember(int group)
        {
            for (int i = 0; i < ProcessTable.MaxThreads; i++)
            {
                Process process = ProcessTable.At(i);
                if (IsMember(process, group) && process.State == ProcessState.Stopped)
                    return true;
            }
            return false;
        }

        // Whether group `group` is orphaned (see the rules above). Zombies do not count.
        public static bool IsOrphaned(int group)
        {
            if (group == ProcessLifecycle.InitPid)
                return false;
            for (int i = 0; i < ProcessTable.MaxThreads; i++)
            {
                Process process = ProcessTable.At(i);
                if (!IsMember(process, group) || process.IsZombie || process.Parent == null)
                    continue;
                Process parent = process.Parent;
                if (parent.ProcessGroup != group && parent.Session == process.Session)
                    return false;
            }
            return true;
        }
    }
}
