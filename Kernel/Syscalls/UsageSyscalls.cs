using Cowbird.Kernel.Processes;
using Cowbird.Kernel.Time;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // times and getrusage (kernel/sys.c), and the struct rusage that wait4 and waitid
    // also write, from ResourceUsage: a process's own usage, and that of the children it
    // reaped (with theirs). ru_maxrss and the other fields Cowbird does not count are 0.
    public static unsafe class UsageSyscalls
    {
        private const int RusageSelf = 0, RusageThread = 1, RusageChildren = -1;
        private const int RusageSize = 144;
        private const int MinorFaultsOffset = 64, MajorFaultsOffset = 72;
        private const ulong NanosecondsPerClockTick = ResourceUsage.NanosecondsPerClockTick;
        private const ulong NanosecondsPerMicrosecond = 1000;

        // times(buf): the caller's user and system time and its reaped children's, in
        // clock ticks, to buf unless it is NULL; returns the clock ticks since boot (Linux
        // counts from a point before boot: only differences mean anything). -EFAULT.
        public static long Times(Process process, ulong target)
        {
            if (target != 0)
            {
                ulong* tms = stackalloc ulong[4];
                tms[0] = process.Usage.User / NanosecondsPerClockTick;
                tms[1] = process.Usage.System / NanosecondsPerClockTick;
                tms[2] = process.ReapedChildrenUsage.User / NanosecondsPerClockTick;
                tms[3] = process.ReapedChildrenUsage.System / NanosecondsPerClockTick;
                if (UserMemory.CopyToUser(process.Space, target, (byte*)tms, 32) != Errno.None)
                    return -(long)Errno.EFAULT;
            }
            return (long)(Clock.Monotonic / NanosecondsPerClockTick);
        }

        // getrusage(who, usage): RUSAGE_SELF and RUSAGE_THREAD (one thread: the same), or
        // RUSAGE_CHILDREN; any other `who` is EINVAL before usage is looked at. 0 or -EFAULT.
        public static long Getrusage(Process process, int who, ulong target)
        {
            if (who != RusageSelf && who != RusageThread && who != RusageChildren)
                return -(long)Errno.EINVAL;
            return WriteRusage(process, target, who == RusageChildren ? process.ReapedChildrenUsage : process.Usage);
        }

        // Writes `usage` as a struct rusage (times as timevals) to `target`. 0 or -EFAULT.
        public static long WriteRusage(Process process, ulong target, ResourceUsage usage)
        {
            byte* buffer = stackalloc byte[RusageSize];
            for (int i = 0; i < RusageSize; i++)
                buffer[i] = 0;
            ulong* words = (ulong*)buffer;
            WriteTimeval(words, usage.User);
            WriteTimeval(words + 2, usage.System);
            *(ulong*)(buffer + MinorFaultsOffset) = usage.MinorFaults;
            *(ulong*)(buffer + MajorFaultsOffset) = usage.MajorFaults;
            return UserMemory.CopyToUser(process.Space, target, buffer, RusageSize) == Errno.None ? 0 : -(long)Errno.EFAULT;
        }

        private static void WriteTimeval(ulong* timeval, ulong nanoseconds)
        {
            timeval[0] = nanoseconds / Clock.NanosecondsPerSecond;
            timeval[1] = nanoseconds % Clock.NanosecondsPerSecond / NanosecondsPerMicrosecond;
        }
    }
}
