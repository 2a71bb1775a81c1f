using Cowbird.Kernel.Processes;
using Cowbird.Mm;

namespace Cowbird.Kernel.Syscalls
{
    // personality (Linux: kernel/exec_domain.c) and ioprio_get/ioprio_set (block/ioprio.c),
    // as Linux 6.1 answers root. Cowbird keeps and reports them: it has no other execution
    // domains, no address randomisation for ADDR_NO_RANDOMIZE to turn off, and one disk queue
    // that serves requests in order whatever their I/O priority.
    //
    // An I/O priority is class << 13 | level: class NONE 0 (none set), RT 1, BE 2 (best
    // effort), IDLE 3, level 0..7 for RT and BE. ioprio_get of one process gives what it set
    // (0 when nothing); of a group or a user it gives the best (lowest) effective priority among
    // the processes, where a process that set none has the one its nice value implies (BE,
    // level (nice + 20) / 5; RT or IDLE under those scheduling policies).
    public static class ProcessSettingSyscalls
    {
        private const uint QueryOnly = 0xffffffff;
        private const int WhoProcess = 1, WhoGroup = 2, WhoUser = 3;
        private const int ClassShift = 13, LevelMask = (1 << ClassShift) - 1, Levels = 8;
        private const int ClassNone = 0, ClassRealTime = 1, ClassBestEffort = 2, ClassIdle = 3;

        // personality(persona): the previous value; sets `persona` unless it is 0xffffffff.
        public static long Personality(Process process, uint persona)
        {
            uint old = process.Settings.Personality;
            if (persona != QueryOnly)
                process.Settings.Personality = persona;
            return old;
        }

        // ioprio_set(which, who, ioprio): the priority is checked first (EINVAL), then `which`
        // (EINVAL), then the processes it names (ESRCH when none, or when one has exited).
        public static long IoprioSet(Process process, int which, int who, int ioprio)
        {
            if (!IsValid(ioprio))
                return -(long)Errno.EINVAL;
            if (!IsWhich(which))
                return -(long)Errno.EINVAL;
            long result = -(long)Errno.ESRCH;
            for (int i = 0; i < ProcessTable.MaxThreads; i++)
            {
                Process target = ProcessTable.At(i);
                if (!Selected(process, target, which, who))
                    continue;
                if (target.IsZombie)
                    return -(long)Errno.ESRCH;
                target.Settings.IoPriority = ioprio;
                result = 0;
            }
            return result;
        }

        // ioprio_get(which, who): see the class comment; EINVAL for `which`, ESRCH for no process.
        public static long IoprioGet(Process process, int which, int who)
        {
            if (!IsWhich(which))
                return -(long)Errno.EINVAL;
            long best = -(long)Errno.ESRCH;
            for (int i = 0; i < ProcessTable.MaxThreads; i++)
            {
                Process target = ProcessTable.At(i);
                if (!Selected(process, target, which, who))
                    continue;
                if (which == WhoProcess)
                    return target.IsZombie ? 0 : target.Settings.IoPriority;
                long priority = Effective(target);
                if (best < 0 || priority < best)
                    best = priority;
            }
            return best;
        }

        private static bool IsWhich(int which) => which == WhoProcess || which == WhoGroup || which == WhoUser;

        // Whether `target` (a slot, maybe null) is one of the processes `which` and `who` name
        // for `caller`: itself or pid `who`; its group or group `who`; every process of user
        // `who` (0: the caller's, root; every process is root's, no other user has any).
        private static bool Selected(Process caller, Process target, int which, int who)
        {
            if (target == null || target.Detached)
                return false;
            switch (which)
            {
                case WhoProcess: return who == 0 ? target == caller : target.Pid == who;
                case WhoGroup: return ProcessGroups.IsMember(target, who == 0 ? caller.ProcessGroup : who);
                default: return who == 0;
            }
        }

        // Linux's ioprio_check_cap for root: RT and BE take levels 0..7, IDLE any level, NONE
        // only 0; other classes are invalid.
        private static bool IsValid(int ioprio)
        {
            int level = ioprio & LevelMask;
            switch (ioprio >> ClassShift)
            {
                case ClassRealTime:
                case ClassBestEffort: return level < Levels;
                case ClassIdle: return true;
                case ClassNone: return level == 0;
                default: return false;
            }
        }

        // The priority the process's I/O gets: the one it set, or the one its nice value and
        // scheduling policy imply (Linux's __get_task_ioprio). A zombie's is none set.
        private static long Effective(Process process)
        {
            int set = process.IsZombie ? 0 : process.Settings.IoPriority;
            if (set >> ClassShift != ClassNone)
                return set;
            SchedulingPolicy scheduling = process.Scheduling;
            int cls = scheduling.Policy == SchedulingPolicy.Idle ? ClassIdle
                : SchedulingPolicy.IsRealTime(scheduling.Policy) ? ClassRealTime : ClassBestEffort;
            return (cls << ClassShift) | ((scheduling.Nice + 20) / 5);
        }
    }
}
