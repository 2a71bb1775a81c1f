using Cowbird.Kernel.Memory;
using Cowbird.Kernel.Processes;
using Cowbird.Kernel.Syscalls;
using Cowbird.Kernel.Time;
using Cowbird.Mm;
using Cowbird.Mm.Stats;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Fs.Proc
{
    // The system-wide /proc files, in Linux's formats, each one record written at the first
    // read (so its figures are taken together):
    //   meminfo    "MemTotal:       131072 kB" (label padded to 16 columns, value right-aligned;
    //              Linux's order: MemTotal ... SwapFree, Shmem, PageTables, CommitLimit,
    //              Committed_AS; Cached and Shmem are the RAM file system's pages)
    //   vmstat     "pgfault 1234" one counter a line (swap_read_commands and
    //              swap_write_commands, the swap I/O commands; pgcowfault, pgzeropage, the
    //              read faults that mapped the zero page; rmap_objects and rmap_bytes, the
    //              reverse map's live metadata; pt_share, pt_unshare_copy and
    //              pt_unshare_takeover, the page tables fork shared and later unshared, are
    //              Cowbird's own)
    //   uptime     "12.34 10.01": seconds since boot and the CPU's idle seconds
    //   loadavg    "0.00 0.01 0.05 1/12 345": load averages, runnable/all processes, last pid
    //   stat       "cpu  user nice system idle iowait irq softirq steal guest guest_nice" in
    //              ticks (USER_HZ), the same for cpu0, then ctxt, btime, processes,
    //              procs_running, procs_blocked
    //   mounts     "none / tmpfs rw,relatime 0 0": the RAM file system at / and /proc, in
    //              fstab's format (what df and mount read)
    //   version    "Linux version 6.1.0-cowbird (...) #1 Cowbird": uname's release and version
    //   filesystems  "nodev\ttmpfs": the file system types, "nodev" for those without a disk
    //   cpuinfo    the CPU's identity and features in Linux's layout (CpuInfoText)
    //   sys/vm/overcommit_memory, sys/vm/overcommit_ratio   "0\n" (read-only here)
    //   sys/kernel/threads-max   "1006\n", the most processes fork allows (read-only here)
    // Swap figures come from the swap space attached to the memory manager (0 without swap).
    public static class SystemFiles
    {
        // The files, relative to /proc, by the index Open switches on; the first
        // RootFileCount are /proc's own (its listing shows them).
        public static readonly string[] Names =
        {
            "meminfo", "vmstat", "uptime", "loadavg", "stat", "mounts", "version", "filesystems", "cpuinfo",
            "sys/vm/overcommit_memory", "sys/vm/overcommit_ratio", "sys/kernel/threads-max",
        };
        public const int RootFileCount = 9;

        // The directories below /proc/sys, relative to /proc.
        public static readonly string[] Directories = { "sys", "sys/vm", "sys/kernel" };

        // The text source of file `index`.
        public static SeqSource Open(int index)
        {
            switch (index)
            {
                case 0: return new OneRecord(MemInfo);
                case 1: return new OneRecord(VmStatText);
                case 2: return new OneRecord(Uptime);
                case 3: return new OneRecord(LoadAvg);
                case 4: return new OneRecord(Stat);
                case 5: return new OneRecord(Mounts);
                case 6: return new OneRecord(Version);
                case 7: return new OneRecord(FileSystems);
                case 8: return new OneRecord(CpuInfoText.Write);
                case 9: return new OneRecord(OvercommitMemory);
                case 10: return new OneRecord(OvercommitRatio);
                default: return new OneRecord(ThreadsMax);
            }
        }

        public static unsafe int FileIndex(byte* name, int length) => PathName.IndexIn(Names, name, length);

        public static unsafe int DirectoryIndex(byte* name, int length) => PathName.IndexIn(Directories, name, length);

        private static void Mounts(TextBuilder text)
        {
            text.Append("none / tmpfs rw,relatime 0 0\n");
            text.Append("proc /proc proc rw,relatime 0 0\n");
        }

        // Linux's linux_proc_banner: "Linux version %s (%s@%s) (%s) %s\n" with the release, who
        // built it where, the compiler, and the version.
        private static void Version(TextBuilder text)
        {
            text.Append("Linux version ");
            text.Append(SystemInfoSyscalls.Release);
            text.Append(" (cowbird@cowbird) (NativeAOT ILCompiler, GNU ld) ");
            text.Append(SystemInfoSyscalls.Version);
            text.Append((byte)'\n');
        }

        // The file system types Cowbird has, none of them on a disk.
        private static void FileSystems(TextBuilder text)
        {
            text.Append("nodev\ttmpfs\n");
            text.Append("nodev\tproc\n");
        }

        private static void MemInfo(TextBuilder text)
        {
            VmStat stat = KernelMemory.Manager.Stat;
            ulong kbPerFrame = Page.Size / 1024;
            Field(text, "MemTotal:", stat.TotalFrames * kbPerFrame);
            Field(text, "MemFree:", stat.FreeFrames * kbPerFrame);
            Field(text, "MemAvailable:", stat.FreeFrames * kbPerFrame);
            Field(text, "Cached:", stat.ShmemPages * kbPerFrame);
            Field(text, "SwapTotal:", stat.SwapTotal * kbPerFrame);
            Field(text, "SwapFree:", stat.SwapFree * kbPerFrame);
            Field(text, "Shmem:", stat.ShmemPages * kbPerFrame);
            Field(text, "PageTables:", stat.PageTablePages * kbPerFrame);
            CommitAccounting commit = KernelMemory.Manager.Commit;
            Field(text, "CommitLimit:", commit.CommitLimit * kbPerFrame);
            Field(text, "Committed_AS:", commit.Committed * kbPerFrame);
        }

        private static void Field(TextBuilder text, string label, ulong kb)
        {
            text.Append(label);
            text.AppendDecimal(kb, 16 - label.Length + 8);
            text.Append(" kB\n");
        }

        private static void VmStatText(TextBuilder text)
        {
            VmStat stat = KernelMemory.Manager.Stat;
            Counter(text, "nr_free_pages ", stat.FreeFrames);
            Counter(text, "pgfault ", stat.PgFault);
            Counter(text, "pswpin ", stat.PswpIn);
            Counter(text, "pswpout ", stat.PswpOut);
            Counter(text, "swap_read_commands ", stat.SwapReadCommands);
            Counter(text, "swap_write_commands ", stat.SwapWriteCommands);
            Counter(text, "pgcowfault ", stat.PgCowFault);
            Counter(text, "pgzeropage ", stat.ZeroPageFault);
            Counter(text, "rmap_objects ", (ulong)KernelMemory.Manager.Rmap.MetadataObjects);
            Counter(text, "rmap_bytes ", (ulong)KernelMemory.Manager.Rmap.MetadataBytes);
            Counter(text, "pt_share ", stat.PageTablesShared);
            Counter(text, "pt_unshare_copy ", stat.PageTablesCopied);
            Counter(text, "pt_unshare_takeover ", stat.PageTablesTakenOver);
        }

        private static void Counter(TextBuilder text, string name, ulong value)
        {
            text.Append(name);
            text.AppendDecimal(value, 0);
            text.Append((byte)'\n');
        }

        // Linux's uptime_proc_show: both figures "%lu.%02lu", the idle time summed over CPUs.
        private static void Uptime(TextBuilder text)
        {
            ulong now = Clock.Monotonic;
            Hundredths(text, now / (Clock.NanosecondsPerSecond / 100));
            text.Append((byte)' ');
            Hundredths(text, CpuTime.ToUserHz(CpuTime.IdleTicks) * 100 / CpuTime.UserHz);
            text.Append((byte)'\n');
        }

        // `value` hundredths as "12.34".
        public static void Hundredths(TextBuilder text, ulong value)
        {
            text.AppendDecimal(value / 100, 0);
            text.Append((byte)'.');
            ulong fraction = value % 100;
            text.Append((byte)('0' + (int)(fraction / 10)));
            text.Append((byte)('0' + (int)(fraction % 10)));
        }

        private static void LoadAvg(TextBuilder text)
        {
            for (int i = 0; i < 3; i++)
            {
                Hundredths(text, LoadAverage.Hundredths(i));
                text.Append((byte)' ');
            }
            text.AppendDecimal((ulong)LoadAverage.Runnable(), 0);
            text.Append((byte)'/');
            text.AppendDecimal((ulong)ProcessTable.Count, 0);
            text.Append((byte)' ');
            text.AppendDecimal((ulong)ProcessTable.LastPid, 0);
            text.Append((byte)'\n');
        }

        // Linux's show_stat without the interrupt and softirq lines, which Cowbird does not count.
        private static void Stat(TextBuilder text)
        {
            CpuLine(text, "cpu  ");
            CpuLine(text, "cpu0 ");
            Counter(text, "ctxt ", CpuTime.ContextSwitches);
            Counter(text, "btime ", Clock.BootUnixNanoseconds / Clock.NanosecondsPerSecond);
            Counter(text, "processes ", (ulong)ProcessTable.LastPid);
            Counter(text, "procs_running ", (ulong)LoadAverage.Runnable());
            Counter(text, "procs_blocked ", 0);
        }

        // user nice system idle iowait irq softirq steal guest guest_nice: one CPU, no nice
        // levels, interrupts or guests, so only user, system and idle move.
        private static void CpuLine(TextBuilder text, string label)
        {
            text.Append(label);
            text.AppendDecimal(CpuTime.ToUserHz(CpuTime.UserTicks), 0);
            text.Append(" 0 ");
            text.AppendDecimal(CpuTime.ToUserHz(CpuTime.SystemTicks), 0);
            text.Append((byte)' ');
            text.AppendDecimal(CpuTime.ToUserHz(CpuTime.IdleTicks), 0);
            text.Append(" 0 0 0 0 0 0\n");
        }

        private static void OvercommitMemory(TextBuilder text)
        {
            Number(text, (ulong)KernelMemory.Manager.Commit.Mode);
        }

        private static void OvercommitRatio(TextBuilder text)
        {
            Number(text, KernelMemory.Manager.Commit.Ratio);
        }

        private static void ThreadsMax(TextBuilder text)
        {
            Number(text, (ulong)ProcessTable.MaxThreads);
        }

        // A sysctl file's text: one number and a newline.
        private static void Number(TextBuilder text, ulong value)
        {
            text.AppendDecimal(value, 0);
            text.Append((byte)'\n');
        }
    }
}
