using Cowbird.Kernel.Drivers;

namespace Cowbird.Kernel.Processes
{
    // Where the CPU's time went, tick by tick (Linux: kernel/sched/cputime.c with tick-based
    // accounting): a tick that interrupted ring 3 is user time, one that found the
    // scheduler idle (halted, nothing runnable) is idle time, any other is system time.
    // Also the count of context switches. /proc/stat and /proc/uptime show these figures.
    public static class CpuTime
    {
        private static ulong s_user, s_system, s_idle, s_switches;

        // True while the scheduler halts with nothing to run (set around its hlt).
        public static bool Idle;

        public static ulong UserTicks => s_user;
        public static ulong SystemTicks => s_system;
        public static ulong IdleTicks => s_idle;
        public static ulong ContextSwitches => s_switches;

        // /proc shows times in USER_HZ ticks, 100 a second.
        public const ulong UserHz = 100;

        // `ticks` of the timer in USER_HZ ticks.
        public static ulong ToUserHz(ulong ticks) => ticks * UserHz / PitTimer.FrequencyHz;

        // One timer tick (interrupt context).
        public static void OnTick(bool fromUserMode)
        {
            if (fromUserMode)
                s_user++;
            else if (Idle)
                s_idle++;
            else
                s_system++;
        }

        // The scheduler switched from one process to another.
        public static void OnSwitch() => s_switches++;
    }
}
