using Cowbird.Kernel.Memory;
using Cowbird.Kernel.Processes;
using Cowbird.Kernel.Time;
using Cowbird.Mm;
using Cowbird.Mm.Stats;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // uname and sysinfo: what the system says about itself (Linux: kernel/sys.c).
    public static unsafe class SystemInfoSyscalls
    {
        // struct utsname: six NUL-terminated fields of 65 bytes.
        private const int UtsFieldSize = 65, UtsFields = 6;
        // struct sysinfo on x86-64: 112 bytes (see Sysinfo for the offsets).
        private const int SysinfoSize = 112;
        // Linux's loads[] are avenrun << (SI_LOAD_SHIFT - FSHIFT).
        private const int SiLoadShift = 16;

        // The release names a Linux version: glibc reads it to check the kernel is new enough
        // for the C library (static glibc programs refuse to start below their minimum, 3.2
        // for Debian 12's), and Cowbird answers system calls as Linux 6.1 does.
        public const string Release = "6.1.0-cowbird";
        // uname's version field (Linux: the build number and date).
        public const string Version = "#1 Cowbird";

        // uname(buf): sysname, nodename, release, version, machine, domainname.
        public static long Uname(Process process, ulong address)
        {
            byte* buffer = stackalloc byte[UtsFieldSize * UtsFields];
            for (int i = 0; i < UtsFieldSize * UtsFields; i++)
                buffer[i] = 0;
            PutField(buffer, 0, "Linux");
            PutField(buffer, 1, "cowbird");
            PutField(buffer, 2, Release);
            PutField(buffer, 3, Version);
            PutField(buffer, 4, "x86_64");
            PutField(buffer, 5, "(none)");
            if (UserMemory.CopyToUser(process.Space, address, buffer, UtsFieldSize * UtsFields) != Errno.None)
                return -(long)Errno.EFAULT;
            return 0;
        }

        private static void PutField(byte* buffer, int field, string text)
        {
            byte* target = buffer + field * UtsFieldSize;
            for (int i = 0; i < text.Length && i < UtsFieldSize - 1; i++)
                target[i] = (byte)text[i];
        }

        // sysinfo(info): uptime in whole seconds rounded up, the load averages, memory and
        // swap in bytes (mem_unit 1) from the memory manager's counts, and the number of
        // processes. Cowbird has no block buffers (bufferram 0) nor high memory, and keeps
        // no count of shared pages yet (sharedram 0).
        public static long Sysinfo(Process process, ulong address)
        {
            byte* info = stackalloc byte[SysinfoSize];
            for (int i = 0; i < SysinfoSize; i++)
                info[i] = 0;
            ulong now = Clock.Monotonic;
            ulong seconds = now / Clock.NanosecondsPerSecond;
            if (now % Clock.NanosecondsPerSecond != 0)
                seconds++;
            VmStat stat = KernelMemory.Manager.Stat;
            ulong* words = (ulong*)info;
            words[0] = seconds;
            for (int i = 0; i < 3; i++)
                words[1 + i] = LoadAverage.Fixed(i) << (SiLoadShift - LoadAverage.FixedShift);
            words[4] = stat.TotalFrames * Page.Size;
            words[5] = stat.FreeFrames * Page.Size;
            words[8] = stat.SwapTotal * Page.Size;
            words[9] = stat.SwapFree * Page.Size;
            *(ushort*)(info + 80) = (ushort)ProcessTable.Count;
            *(uint*)(info + 104) = 1;
            if (UserMemory.CopyToUser(process.Space, address, info, SysinfoSize) != Errno.None)
                return -(long)Errno.EFAULT;
            return 0;
        }
    }
}
