using Cowbird.Kernel.Drivers;
using Cowbird.Kernel.Processes;
using Cowbird.Kernel.Time;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // The nice value and the scheduling policy (Linux: kernel/sys.c getpriority and
    // setpriority, kernel/sched/core.c sched_*), on each process's SchedulingPolicy, and
    // getcpu. Every process runs as root with CAP_SYS_NICE, so raising the priority or
    // choosing a real-time policy is allowed, as for root on Linux. pid 0 is the caller; a
    // zombie is still found (ESRCH once reaped).
    public static unsafe class SchedulingSyscalls
    {
        private const int PrioProcess = 0, PrioPgrp = 1, PrioUser = 2;
        // sched_setparam's policy: keep the target's (Linux's SETPARAM_POLICY).
        private const int KeepPolicy = -1;
        // Or-ed into a policy: a fork child starts from the defaults.
        private const int ResetOnForkFlag = 0x40000000;
        // SCHED_RR's time slice (Linux's RR_TIMESLICE, 100 ms).
        private const ulong RoundRobinSliceNanoseconds = 100000000;

        // getpriority(which, who): 20 - nice of the selected process (PRIO_PROCESS: pid `who`,
        // PRIO_PGRP: group `who`, PRIO_USER: uid `who`; 0 means the caller's), the highest of
        // them for a group or user (1..40, as the raw system call returns it). EINVAL for
        // another `which`, ESRCH when nothing is selected.
        public static long Getpriority(Process caller, int which, int who)
        {
            if (which < PrioProcess || which > PrioUser)
                return -(long)Errno.EINVAL;
            long best = -(long)Errno.ESRCH;
            for (int i = 0; i < ProcessTable.MaxThreads; i++)
            {
                Process target = ProcessTable.At(i);
                if (Selects(caller, target, which, who) && SchedulingPolicy.MaxNice + 1 - target.Scheduling.Nice > best)
                    best = SchedulingPolicy.MaxNice + 1 - target.Scheduling.Nice;
            }
            return best;
        }

        // setpriority(which, who, nice): sets the nice value, clamped to -20..19, of every
        // process getpriority would select. EINVAL for another `which`, ESRCH when nothing is
        // selected.
        public static long Setpriority(Process caller, int which, int who, int nice)
        {
            if (which < PrioProcess || which > PrioUser)
                return -(long)Errno.EINVAL;
            if (nice < SchedulingPolicy.MinNice)
                nice = SchedulingPolicy.MinNice;
            if (nice > SchedulingPolicy.MaxNice)
                nice = SchedulingPolicy.MaxNice;
            bool found = false;
            for (int i = 0; i < ProcessTable.MaxThreads; i++)
            {
                Process target = ProcessTable.At(i);
                if (!Selects(caller, target, which, who))
                    continue;
                target.Scheduling.Nice = nice;
                found = true;
            }
            return found ? 0 : -(long)Errno.ESRCH;
        }

        // Whether `target` (a slot, maybe null) is one of getpriority's (which, who). Every
        // process runs as uid 0, so PRIO_USER selects all of them for uid 0 and none otherwise.
        private static bool Selects(Process caller, Process target, int which, int who)
        {
            if (target == null || target.Detached)
                return false;
            if (which == PrioProcess)
                return who == 0 ? target == caller : target.Pid == who;
            if (which == PrioPgrp)
                return target.ProcessGroup == (who == 0 ? caller.ProcessGroup : who);
            return who == 0;
        }

        // The process `pid` names (Linux's find_process_by_pid): the caller for 0, null when
        // there is none.
        private static Process Find(Process caller, int pid) => pid == 0 ? caller : ProcessTable.Find(pid);

        // sched_getscheduler(pid): the policy, with SCHED_RESET_ON_FORK or-ed in when set.
        // EINVAL for pid < 0, ESRCH for no such process.
        public static long SchedGetscheduler(Process caller, int pid)
        {
            if (pid < 0)
                return -(long)Errno.EINVAL;
            Process target = Find(caller, pid);
            if (target == null)
                return -(long)Errno.ESRCH;
            return target.Scheduling.Policy | (target.Scheduling.ResetOnFork ? ResetOnForkFlag : 0);
        }

        // sched_getparam(pid, param): the real-time priority (0 outside FIFO and RR) into
        // struct sched_param. EINVAL for a NULL param or pid < 0, ESRCH, then EFAULT.
        public static long SchedGetparam(Process caller, int pid, ulong param)
        {
            if (param == 0 || pid < 0)
                return -(long)Errno.EINVAL;
            Process target = Find(caller, pid);
            if (target == null)
                return -(long)Errno.ESRCH;
            int priority = target.Scheduling.RealTimePriority;
            return UserMemory.CopyToUser(caller.Space, param, (byte*)&priority, sizeof(int)) == Errno.None ? 0 : -(long)Errno.EFAULT;
        }

        // sched_setscheduler(pid, policy, param): EINVAL for a negative policy, then as
        // SetScheduler.
        public static long SchedSetscheduler(Process caller, int pid, int policy, ulong param) =>
            policy < 0 ? -(long)Errno.EINVAL : SetScheduler(caller, pid, policy, param);

        // sched_setparam(pid, param): a new real-time priority under the target's policy.
        public static long SchedSetparam(Process caller, int pid, ulong param) => SetScheduler(caller, pid, KeepPolicy, param);

        // Linux's do_sched_setscheduler and __sched_setscheduler: EINVAL for a NULL param or
        // pid < 0, EFAULT for a bad param, ESRCH, then EINVAL for an unknown policy (SCHED_
        // DEADLINE needs sched_setattr's figures), a priority above 99, or a priority that
        // does not fit the policy (1..99 for FIFO and RR, 0 for the others). The nice value
        // stays.
        private static long SetScheduler(Process caller, int pid, int policy, ulong param)
        {
            if (param == 0 || pid < 0)
                return -(long)Errno.EINVAL;
            int priority;
            if (UserMemory.CopyFromUser(caller.Space, (byte*)&priority, param, sizeof(int)) != Errno.None)
                return -(long)Errno.EFAULT;
            Process target = Find(caller, pid);
            if (target == null)
                return -(long)Errno.ESRCH;
            bool resetOnFork = target.Scheduling.ResetOnFork;
            if (policy == KeepPolicy)
                policy = target.Scheduling.Policy;
            else
            {
                resetOnFork = (policy & ResetOnForkFlag) != 0;
                policy &= ~ResetOnForkFlag;
                if (!IsKnownPolicy(policy))
                    return -(long)Errno.EINVAL;
            }
            if ((uint)priority > SchedulingPolicy.MaxRealTimePriority || policy == SchedulingPolicy.Deadline
                || SchedulingPolicy.IsRealTime(policy) != (priority != 0))
                return -(long)Errno.EINVAL;
            target.Scheduling.Policy = policy;
            target.Scheduling.RealTimePriority = priority;
            target.Scheduling.ResetOnFork = resetOnFork;
            return 0;
        }

        private static bool IsKnownPolicy(int policy) =>
            policy == SchedulingPolicy.Normal || policy == SchedulingPolicy.Fifo || policy == SchedulingPolicy.RoundRobin
            || policy == SchedulingPolicy.Batch || policy == SchedulingPolicy.Idle || policy == SchedulingPolicy.Deadline;

        // sched_get_priority_max(policy): 99 for FIFO and RR, 0 for the other policies,
        // EINVAL for an unknown one.
        public static long SchedGetPriorityMax(int policy)
        {
            if (!IsKnownPolicy(policy))
                return -(long)Errno.EINVAL;
            return SchedulingPolicy.IsRealTime(policy) ? SchedulingPolicy.MaxRealTimePriority : 0;
        }

        // sched_get_priority_min(policy): 1 for FIFO and RR, 0 for the other policies,
        // EINVAL for an unknown one.
        public static long SchedGetPriorityMin(int policy)
        {
            if (!IsKnownPolicy(policy))
                return -(long)Errno.EINVAL;
            return SchedulingPolicy.IsRealTime(policy) ? SchedulingPolicy.MinRealTimePriority : 0;
        }

        // sched_rr_get_interval(pid, interval): the time slice of the process's policy as a
        // struct timespec: 100 ms for RR, 0 for FIFO (no slice), the scheduler's round-robin
        // slice for the others. EINVAL for pid < 0, ESRCH, then EFAULT.
        public static long SchedRrGetInterval(Process caller, int pid, ulong target)
        {
            if (pid < 0)
                return -(long)Errno.EINVAL;
            Process process = Find(caller, pid);
            if (process == null)
                return -(long)Errno.ESRCH;
            int policy = process.Scheduling.Policy;
            ulong slice = policy == SchedulingPolicy.RoundRobin ? RoundRobinSliceNanoseconds
                : policy == SchedulingPolicy.Fifo ? 0 : Scheduler.TimeSlice * PitTimer.NanosecondsPerTick;
            ulong* time = stackalloc ulong[2];
            time[0] = slice / Clock.NanosecondsPerSecond;
            time[1] = slice % Clock.NanosecondsPerSecond;
            return UserMemory.CopyToUser(caller.Space, target, (byte*)time, 16) == Errno.None ? 0 : -(long)Errno.EFAULT;
        }

        // getcpu(cpu, node, cache): CPU 0 of NUMA node 0, the only ones, written where the
        // pointers are not NULL (both are tried); EFAULT if either write failed. The cache
        // argument is unused, as in Linux.
        public static long Getcpu(Process caller, ulong cpuAddress, ulong nodeAddress)
        {
            uint zero = 0;
            bool failed = cpuAddress != 0 && UserMemory.CopyToUser(caller.Space, cpuAddress, (byte*)&zero, sizeof(uint)) != Errno.None;
            if (nodeAddress != 0 && UserMemory.CopyToUser(caller.Space, nodeAddress, (byte*)&zero, sizeof(uint)) != Errno.None)
                failed = true;
            return failed ? -(long)Errno.EFAULT : 0;
        }
    }
}
