using Cowbird.Kernel.Processes;
using Cowbird.Kernel.Tty;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Fs.Proc
{
    // The files of /proc/<pid>/ (and /proc/self/), in Linux 6.1's formats (fs/proc/array.c,
    // fs/proc/task_mmu.c, fs/proc/base.c):
    //   cmdline  the argument strings, each NUL-terminated, read from the process's memory
    //   comm     the process's name and a newline
    //   environ  the environment strings, each NUL-terminated, read from the process's memory
    //   limits   the resource limits (LimitsText)
    //   maps     one line per VMA (MapsSource)
    //   stat     one line of 52 fields (pid, (comm), state, ppid, pgrp, session, tty_nr, tpgid,
    //            flags, faults, times, priority, nice, threads, starttime, vsize, rss, ...)
    //   statm    "size resident shared text lib data dt" in pages
    //   status   "Name:\tsh" ... one field a line
    // Cowbird keeps no per-process fault counts, system time, children's times or peaks:
    // those fields are 0 (VmPeak and VmHWM show the current size and resident set).
    public static class PidFiles
    {
        // In the order Linux lists them (alphabetical).
        public static readonly string[] Names = { "cmdline", "comm", "environ", "limits", "maps", "stat", "statm", "status" };
        // The links of /proc/<pid>/ (ProcFiles.LinkTarget), and everything in the order
        // `ls -f /proc/<pid>` shows it.
        public static readonly string[] Links = { "cwd", "exe" };
        public static readonly string[] Listing = { "cmdline", "comm", "cwd", "environ", "exe", "fd", "limits", "maps", "stat", "statm", "status" };
        public const int CwdLink = 0, ExeLink = 1;
        private const int Cmdline = 0, Comm = 1, Environ = 2, Limits = 3, Maps = 4, Stat = 5, Statm = 6;

        // A tty_nr for the console: ttyS0, major 4, minor 64 (Linux's new_encode_dev).
        private const ulong ConsoleTtyNumber = (4 << 8) | 64;
        private const ulong PfForkNoExec = 0x40;
        private const ulong KbPerPage = Page.Size / 1024;
        // stat's obsolete signal fields show signals 1-31 only.
        private const ulong StatSignalBits = 0x7fffffff;

        public static unsafe int Index(byte* name, int length) => PathName.IndexIn(Names, name, length);

        // The text source of file `index` of `process`.
        public static SeqSource Open(int index, Process process)
        {
            switch (index)
            {
                case Cmdline: return new StringAreaSource(process, process.ArgStart, process.ArgEnd);
                case Environ: return new StringAreaSource(process, process.EnvStart, process.EnvEnd);
                case Maps: return new MapsSource(process);
                default: return new ProcessRecord(process, index);
            }
        }

        // comm, limits, stat, statm or status of a process: one record, written at the first read.
        private sealed class ProcessRecord : SeqSource
        {
            private readonly Process process;
            private readonly int file;

            public ProcessRecord(Process owner, int index)
            {
                process = owner;
                file = index;
            }

            public override bool Show(ulong cursor, TextBuilder text, out ulong next)
            {
                next = 1;
                if (cursor != 0)
                    return false;
                if (file == Comm)
                    CommLine(text, process);
                else if (file == Limits)
                {
                    if (process.Limits != null)
                        LimitsText.Write(text, process.Limits);
                }
                else if (file == Stat)
                    StatLine(text, process);
                else if (file == Statm)
                    StatmLine(text, process);
                else
                    Status(text, process);
                return true;
            }
        }

        // Linux's task_state letters: R running, S sleeping, T stopped, Z zombie.
        private static byte StateLetter(Process process)
        {
            switch (process.State)
            {
                case ProcessState.Runnable: return (byte)'R';
                case ProcessState.Sleeping: return (byte)'S';
                case ProcessState.Stopped: return (byte)'T';
                default: return (byte)'Z';
            }
        }

        private static string StateName(Process process)
        {
            switch (process.State)
            {
                case ProcessState.Runnable: return "R (running)";
                case ProcessState.Sleeping: return "S (sleeping)";
                case ProcessState.Stopped: return "T (stopped)";
                default: return "Z (zombie)";
            }
        }

        private static ulong ParentPid(Process process) => process.Parent != null ? (ulong)process.Parent.Pid : 0;

        // comm: the name and a newline (Linux's proc_task_name).
        private static void CommLine(TextBuilder text, Process process)
        {
            AppendName(text, process);
            text.Append((byte)'\n');
        }

        // do_task_stat's line.
        private static void StatLine(TextBuilder text, Process process)
        {
            ProcessMemory memory = ProcessMemory.Of(process);
            bool hasMemory = process.Space != null;
            Terminal console = Terminal.Console;
            bool controlled = console != null && console.Controls(process);
            text.AppendDecimal((ulong)process.Pid, 0);
            text.Append(" (");
            AppendName(text, process);
            text.Append(") ");
            text.Append(StateLetter(process));
            Field(text, ParentPid(process));
            Field(text, (ulong)process.ProcessGroup);
            Field(text, (ulong)process.Session);
            Field(text, controlled ? ConsoleTtyNumber : 0);
            text.Append((byte)' ');
            text.AppendSigned(controlled ? console.ForegroundGroup : -1);
            Field(text, process.HasExeced || process.Pid == ProcessLifecycle.InitPid ? 0 : PfForkNoExec);
            ResourceUsage own = process.Usage, children = process.ReapedChildrenUsage;
            Field(text, own.MinorFaults);
            Field(text, children.MinorFaults);
            Field(text, own.MajorFaults);
            Field(text, children.MajorFaults);
            Field(text, UserHz(own.User));
            Field(text, UserHz(own.System));
            Field(text, UserHz(children.User));
            Field(text, UserHz(children.System));
            SchedulingPolicy scheduling = process.Scheduling;
            text.Append((byte)' ');
            text.AppendSigned(StatPriority(scheduling));               // priority
            text.Append((byte)' ');
            text.AppendSigned(scheduling.Nice);                        // nice
            text.Append(" 1 0");                                       // num_threads itrealvalue
            Field(text, process.StartNanoseconds / (Time.Clock.NanosecondsPerSecond / CpuTime.UserHz));
            Field(text, memory.Size * Page.Size);                      // vsize
            Field(text, memory.Resident);                              // rss
            Field(text, process.Limits != null ? process.Limits.Soft(ResourceLimits.Rss) : 0);
            Field(text, hasMemory ? memory.CodeStart : 0);
            Field(text, hasMemory ? memory.CodeEnd : 0);
            Field(text, hasMemory ? process.StackStart : 0);
            Zeros(text, 2);                                            // kstkesp kstkeip
            Field(text, process.PendingSignals & StatSignalBits);      // signal
            Field(text, process.SignalMask & StatSignalBits);          // blocked
            Field(text, SignalsWith(process, true) & StatSignalBits);  // sigignore
            Field(text, SignalsWith(process, false) & StatSignalBits); // sigcatch
            Field(text, process.State != ProcessState.Runnable ? 1UL : 0);   // wchan: "waits somewhere"
            Zeros(text, 2);                                            // nswap cnswap
            text.Append(" 17 0");                                      // exit_signal processor
            Field(text, (ulong)scheduling.RealTimePriority);
            Field(text, (ulong)scheduling.Policy);
            Zeros(text, 3);                                            // blkio guest cguest
            Field(text, 0);                                            // start_data
            Field(text, 0);                                            // end_data
            Field(text, hasMemory ? memory.BrkStart : 0);
            Field(text, hasMemory ? process.ArgStart : 0);
            Field(text, hasMemory ? process.ArgEnd : 0);
            Field(text, hasMemory ? process.EnvStart : 0);
            Field(text, hasMemory ? process.EnvEnd : 0);
            text.Append((byte)' ');
            text.AppendDecimal(process.IsZombie ? (ulong)process.ExitStatus : 0, 0);
            text.Append((byte)'\n');
        }

        // statm: size resident shared text lib data dt.
        private static void StatmLine(TextBuilder text, Process process)
        {
            ProcessMemory memory = ProcessMemory.Of(process);
            text.AppendDecimal(memory.Size, 0);
            Field(text, memory.Resident);
            Field(text, 0);
            Field(text, memory.Text);
            Field(text, 0);
            Field(text, memory.Data + memory.Stack);
            Field(text, 0);
            text.Append((byte)'\n');
        }

        // proc_pid_status: the lines Linux 6.1 prints, for a root process on one CPU.
        private static void Status(TextBuilder text, Process process)
        {
            text.Append("Name:\t");
            AppendName(text, process);
            text.Append("\nState:\t");
            text.Append(StateName(process));
            Line(text, "\nTgid:\t", (ulong)process.Pid);
            text.Append("\nNgid:\t0");
            Line(text, "\nPid:\t", (ulong)process.Pid);
            Line(text, "\nPPid:\t", ParentPid(process));
            text.Append("\nTracerPid:\t0\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0");
            Line(text, "\nFDSize:\t", process.IsZombie ? 0 : (ulong)process.Files.Capacity);
            text.Append("\nGroups:\t ");
            Line(text, "\nNStgid:\t", (ulong)process.Pid);
            Line(text, "\nNSpid:\t", (ulong)process.Pid);
            Line(text, "\nNSpgid:\t", (ulong)process.ProcessGroup);
            Line(text, "\nNSsid:\t", (ulong)process.Session);
            text.Append((byte)'\n');
            if (process.Space != null)
                MemoryLines(text, ProcessMemory.Of(process));
            text.Append("Threads:\t1\nSigQ:\t");
            text.AppendDecimal(BitCount(process.PendingSignals), 0);
            text.Append((byte)'/');
            text.AppendDecimal(process.Limits != null ? process.Limits.Soft(ResourceLimits.PendingSignals) : 0, 0);
            Mask(text, "\nSigPnd:\t", 0);
            Mask(text, "\nShdPnd:\t", process.PendingSignals);
            Mask(text, "\nSigBlk:\t", process.SignalMask);
            Mask(text, "\nSigIgn:\t", SignalsWith(process, true));
            Mask(text, "\nSigCgt:\t", SignalsWith(process, false));
            text.Append("\nCapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\nCapEff:\t000001ffffffffff");
            text.Append("\nCapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\nNoNewPrivs:\t0\nSeccomp:\t0");
            text.Append("\nSeccomp_filters:\t0\nCpus_allowed:\t1\nCpus_allowed_list:\t0\n");
        }

        // The Vm* lines of a process with an address space, "VmSize:\t    1234 kB".
        private static void MemoryLines(TextBuilder text, ProcessMemory memory)
        {
            Kb(text, "VmPeak:\t", memory.Size);
            Kb(text, "VmSize:\t", memory.Size);
            Kb(text, "VmLck:\t", memory.Locked);
            Kb(text, "VmPin:\t", 0);
            Kb(text, "VmHWM:\t", memory.Resident);
            Kb(text, "VmRSS:\t", memory.Resident);
            Kb(text, "RssAnon:\t", memory.Resident);
            Kb(text, "RssFile:\t", 0);
            Kb(text, "RssShmem:\t", 0);
            Kb(text, "VmData:\t", memory.Data);
            Kb(text, "VmStk:\t", memory.Stack);
            Kb(text, "VmExe:\t", memory.Text);
            Kb(text, "VmLib:\t", 0);
            Kb(text, "VmPTE:\t", memory.Tables);
            Kb(text, "VmSwap:\t", memory.Swap);
            Kb(text, "HugetlbPages:\t", 0);
            text.Append("CoreDumping:\t0\nTHP_enabled:\t1\n");
        }

        private static void Kb(TextBuilder text, string label, ulong pages)
        {
            text.Append(label);
            text.AppendDecimal(pages * KbPerPage, 8);
            text.Append(" kB\n");
        }

        private static void Line(TextBuilder text, string label, ulong value)
        {
            text.Append(label);
            text.AppendDecimal(value, 0);
        }

        private static void Mask(TextBuilder text, string label, ulong mask)
        {
            text.Append(label);
            text.AppendHex(mask, 16);
        }

        // " value": one more stat field.
        // stat's priority (Linux's task_prio): 20 + nice, or -1 - the real-time priority under
        // FIFO and RR.
        private static long StatPriority(SchedulingPolicy scheduling) =>
            SchedulingPolicy.IsRealTime(scheduling.Policy) ? -1 - scheduling.RealTimePriority : 20 + scheduling.Nice;

        private static void Field(TextBuilder text, ulong value)
        {
            text.Append((byte)' ');
            text.AppendDecimal(value, 0);
        }

        // CPU time in nanoseconds as clock ticks (USER_HZ), as /proc shows it.
        private static ulong UserHz(ulong nanoseconds) =>
            nanoseconds / (Time.Clock.NanosecondsPerSecond / CpuTime.UserHz);

        private static void Zeros(TextBuilder text, int count)
        {
            for (int i = 0; i < count; i++)
                text.Append(" 0");
        }

        private static void AppendName(TextBuilder text, Process process)
        {
            for (int i = 0; i < process.NameBytes; i++)
                text.Append(process.Name[i]);
        }

        // The signals whose action is SIG_IGN (`ignored`) or a handler (not), bit n-1 for signal n.
        private static ulong SignalsWith(Process process, bool ignored)
        {
            ulong mask = 0;
            for (int signal = 1; signal <= Signal.Count; signal++)
            {
                ulong handler = process.SignalActions[signal].Handler;
                bool caught = handler != Signal.SigDfl && handler != Signal.SigIgn;
                if (ignored ? handler == Signal.SigIgn : caught)
                    mask |= 1UL << (signal - 1);
            }
            return mask;
        }

        private static ulong BitCount(ulong value)
        {
            ulong count = 0;
            for (; value != 0; value &= value - 1)
                count++;
            return count;
        }
    }
}
