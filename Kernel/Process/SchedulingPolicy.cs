namespace Cowbird.Kernel.Processes
{
    // How a process asked to be scheduled (Linux: task_struct's static_prio, which holds the
    // nice value, policy, rt_priority and sched_reset_on_fork): what setpriority,
    // sched_setscheduler and sched_setparam set and their get calls report. Cowbird's
    // scheduler gives every runnable process the same round-robin slice, so these values are
    // kept and reported, and do not change who runs next.
    public struct SchedulingPolicy
    {
        // SCHED_* policies (include/uapi/linux/sched.h); 4 is unused.
        public const int Normal = 0, Fifo = 1, RoundRobin = 2, Batch = 3, Idle = 5, Deadline = 6;
        // The nice range: -20 (most favoured) to 19.
        public const int MinNice = -20, MaxNice = 19;
        // The real-time priority range of FIFO and RR (MAX_RT_PRIO - 1 = 99).
        public const int MinRealTimePriority = 1, MaxRealTimePriority = 99;

        public int Nice;
        public int Policy;
        // 1..99 under FIFO and RR, 0 under the other policies.
        public int RealTimePriority;
        // SCHED_RESET_ON_FORK: a fork child starts from the defaults (ForChild).
        public bool ResetOnFork;

        public static bool IsRealTime(int policy) => policy == Fifo || policy == RoundRobin;

        // What a fork child gets (Linux's sched_fork): the same, except that with
        // ResetOnFork a real-time child becomes Normal with nice 0, any other child's negative
        // nice becomes 0, and the child does not reset its own children.
        public SchedulingPolicy ForChild()
        {
            if (!ResetOnFork)
                return this;
            SchedulingPolicy child = this;
            child.ResetOnFork = false;
            if (IsRealTime(Policy))
            {
                child.Policy = Normal;
                child.RealTimePriority = 0;
                child.Nice = 0;
            }
            else if (Nice < 0)
                child.Nice = 0;
            return child;
        }
    }
}
