using Cowbird.Kernel.Drivers;

namespace Cowbird.Kernel.Processes
{
    // The 1, 5 and 15 minute load averages, as Linux keeps them (kernel/sched/loadavg.c):
    // every LOAD_FREQ (5 s + 1 tick) each average moves towards the number of runnable
    // processes by an exponential factor, in fixed point with FixedShift fraction bits.
    // Cowbird has one CPU and no uninterruptible sleep, so the active count is the
    // runnable processes (the running one included).
    public static class LoadAverage
    {
        public const int FixedShift = 11;                 // FSHIFT
        private const ulong Fixed1 = 1UL << FixedShift;   // 1.0
        private const ulong LoadFrequencyTicks = 5 * PitTimer.FrequencyHz + 1;
        // 1/exp(5s/1min), 1/exp(5s/5min), 1/exp(5s/15min) in fixed point (EXP_1, EXP_5, EXP_15).
        private static readonly ulong[] Decay = { 1884, 2014, 2037 };
        private static readonly ulong[] s_averages = new ulong[3];
        private static ulong s_ticksToUpdate = LoadFrequencyTicks;

        // Average `index` (0: 1 min, 1: 5 min, 2: 15 min), fixed point.
        public static ulong Fixed(int index) => s_averages[index];

        // One timer tick (interrupt context): every LoadFrequencyTicks, folds in the count.
        public static void OnTick()
        {
            if (--s_ticksToUpdate != 0)
                return;
            s_ticksToUpdate = LoadFrequencyTicks;
            ulong active = (ulong)Runnable() * Fixed1;
            for (int i = 0; i < 3; i++)
                s_averages[i] = Next(s_averages[i], Decay[i], active);
        }

        // Linux's calc_load: load * e + active * (1 - e), rounded up while rising.
        private static ulong Next(ulong load, ulong decay, ulong active)
        {
            ulong next = load * decay + active * (Fixed1 - decay);
            if (active >= load)
                next += Fixed1 - 1;
            return next / Fixed1;
        }

        // The number of runnable processes (Linux's nr_running on one CPU).
        public static int Runnable()
        {
            int count = 0;
            for (int i = 0; i < ProcessTable.MaxThreads; i++)
            {
                Process process = ProcessTable.At(i);
                if (process != null && process.State == ProcessState.Runnable)
                    count++;
            }
            return count;
        }

        // Average `index` in hundredths, rounded as /proc/loadavg shows it ("0.42").
        public static ulong Hundredths(int index)
        {
            ulong value = s_averages[index] + Fixed1 / 200;
            return (value >> FixedShift) * 100 + (((value & (Fixed1 - 1)) * 100) >> FixedShift);
        }
    }
}
