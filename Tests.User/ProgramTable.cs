using System;
using System.Collections.Generic;
using System.Linq;

namespace Cowbird.Tests.User
{
    /// <summary>
    /// The one table of every program User/build.sh builds: kind, Cowbird's --mem/--swap, time limit
    /// and arguments. A runner for Cowbird reads MemMb/SwapMb/CowbirdArgs from here; the host runner
    /// reads HostArgs. ProgramTableTests checks this table and User/build.sh --list agree.
    /// </summary>
    public static class ProgramTable
    {
        /// <summary>Default guest RAM of `./build.sh run` (README, "Running one program").</summary>
        public const int DefaultMemMb = 128;

        private static readonly string[] None = Array.Empty<string>();

        /// <summary>The suite's fuzzer run: a seed whose calls once reached the parent (a child
        /// zeroed its own stack, where the fuzzer kept its pid, and sent kill(0)).</summary>
        private static readonly string[] FuzzArgs = { "--seed", "5", "--calls", "200000" };

        public static readonly IReadOnlyList<ProgramSpec> All = new[]
        {
            Test("fork_cow", "fork + COW: parent and 4 concurrent children each see the pre-fork data and only their own writes (buffer, .data, .bss, stack); a grandchild generation"),
            Test("fork_chain", "a chain of 10 processes, each verifying its ancestors' pages and writing its own; on Cowbird the rmap metadata (/proc/vmstat rmap_objects, rmap_bytes) exactly back after the chain",
                 cowbirdArgs: new[] { "--assert-rmap" }),
            Test("mprotect_split", "mprotect splits a region into 3 VMAs (/proc/self/maps); writing the read-only page or reading PROT_NONE kills a child with SIGSEGV seen through wait4"),
            Test("munmap_hole", "munmap of a region's middle: neighbours intact, touching the hole is SIGSEGV, a COW-sharing child keeps its page, MAP_FIXED refills with zeros"),
            Test("mremap_cow", "mremap grow/move/shrink of COW-shared memory in parent and child, each keeping its own data"),
            Test("shared_anon", "MAP_SHARED|MAP_ANONYMOUS pages shared by parent, children and grandchild; private pages next to them are not"),
            Test("brk", "brk grows, shrinks, re-grows reading zeros; above the break is SIGSEGV; a child's heap and break are its own"),
            Test("zero_page", "fresh private memory reads zeros and a page read first stays private to its writer: 64 MiB read then every 61st page written, a forked child's writes, mprotect to read-write, mremap, MADV_DONTNEED, a kernel write by read(); unwritten pages and a later region still read zero"),
            Test("shared_pt", "fork of 16 MiB written, then in the child and in the parent a write, munmap, mprotect, mremap, MADV_DONTNEED/FREE/COLD/PAGEOUT, a kernel write by read(), a read of never-written memory, each in its own 2 MiB page table, and 24 MiB more under little RAM and swap: every byte checked in both; a child exiting while it shares, a chain whose middle exits first; on Cowbird /proc/vmstat pt_share and pt_unshare_copy grow",
                 memMb: 40, swapMb: 128, timeoutSeconds: 600, cowbirdArgs: new[] { "--cowbird" }),
            Test("madvise_dontneed", "MADV_DONTNEED on private anonymous memory reads zeros, on COW-shared memory only in the caller, on shared memory keeps data"),
            Test("mm_ranges", "range arguments at the edges: lengths near 2^63 and 2^64, wrapping ranges, the last user page, in mmap/munmap/mprotect/madvise/mremap; the other mappings keep their data"),
            Test("mm_edges", "edge cases as Linux 6.1 answers them: munmap at the ends of user space, every madvise advice for anonymous memory and its errors (DONTFORK, WIPEONFORK, FREE, REMOVE, POPULATE, VMA splits), mremap MREMAP_DONTUNMAP, SIGBUS past a grown shared mapping's object, write/read with huge counts and partly mapped buffers, arch_prctl FS/GS/CPUID, clock ids and CPU clocks, nanosleep of a huge time until a signal, syscall numbers as the low 32 bits of rax"),
            Test("mm_calls", "mincore, msync and the mlock family on anonymous memory as Linux 6.1 answers them: argument checks in order, residency of untouched, written, zero-page, PROT_NONE and shared pages, msync flags and holes, locks splitting and merging VMAs, faulting pages in, not inherited by fork, mlockall(MCL_FUTURE) on later mappings"),
            Test("proc_maps_big", "/proc/self/maps of 25,000 VMAs (about 2 MB) read in 4 KiB, 1000-byte and 1 MiB pieces lists every VMA once, in order; a change between two reads shows in the rest"),
            Test("kwrite_swap", "kernel writes (clock_gettime, read of /proc/vmstat) and own writes into random pages of 64 MiB COW-shared with 8 children, in 40 MiB with little swap: every write lands, children may only be OOM-killed, the parent's copy is unchanged",
                 memMb: 40, swapMb: 160, timeoutSeconds: 600),
            Test("map_count", "vm.max_map_count (65530): splits fail with ENOMEM at the limit, joining a neighbour still works, mmap refuses above the limit, unmapping makes room again",
                 timeoutSeconds: 300),
            Test("syscall_fuzz", "200,000 seeded calls (seed 5) of every implemented system call and unknown numbers with hostile pointers, lengths, flags and fds, in children that may die, one of which zeroes its own stack with madvise; the kernel survives and still forks, maps and reads /proc",
                 timeoutSeconds: 300, hostArgs: FuzzArgs, cowbirdArgs: FuzzArgs),
            Test("efault", "-EFAULT for NULL-ish, unmapped, PROT_NONE, read-only, kernel-half and non-canonical pointers in read/write/open/writev/clock_gettime/nanosleep/rt_sigaction/execve/wait4"),
            Test("enosys", "-ENOSYS for unknown numbers and numbers Linux never implemented; on Cowbird also for real calls outside the subset",
                 cowbirdArgs: new[] { "--cowbird" }),
            Test("kwrite_cow", "read() into a COW-shared buffer (both directions, across a page boundary, into a zero page) breaks COW and never changes the other copy"),
            Test("swap_fork", "96 MiB filled, forked, each side rewrites one half and verifies all (about 3x RAM with --mem 64)",
                 memMb: 64, swapMb: 384, timeoutSeconds: 900),
            Test("fork_storm", "3 waves of 200 children alive at once, all reaped by wait4(-1) with their exit codes",
                 timeoutSeconds: 300),
            Test("fork_leak", "1000 fork/exit cycles, children reaped with their codes; on Cowbird MemFree must stay within 1%",
                 cowbirdArgs: new[] { "--assert-memfree" }, timeoutSeconds: 600),
            Test("pipes", "pipe/pipe2/fcntl/dup2/dup3 as Linux: data in order, blocking read, end of file when the last writer closes or exits, SIGPIPE kills / EPIPE when ignored or caught, 200,000 bytes in pieces through a pipe between processes, PIPE_BUF writes never interleave, O_NONBLOCK EAGAIN on empty and full (16 page slots), EINTR and partial counts, SA_RESTART, pipe2 flags and EINVAL/EFAULT/EMFILE without leaked fds, F_DUPFD/F_GETFD/F_SETFD/F_GETFL/F_SETFL/F_GETPIPE_SZ, close-on-exec across execve; on Cowbird MemFree exactly back after 520 pipes",
                 cowbirdArgs: new[] { "--assert-memfree" }),
            Test("files", "the file tree in a fresh /tmp directory: open/openat/creat flags (O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY, O_NOFOLLOW), read/write/pread64/pwrite64/lseek with holes and truncation, fstat/stat/lstat/newfstatat, mkdir/rmdir/unlink/unlinkat, getdents64 with d_type, getcwd/chdir/fchdir across fork, symlinks (ELOOP, dangling), hard links, rename/renameat2 rules, access/chmod/fchmod/umask, an unlinked open file, /dev/null, /dev/zero, /dev/full, /proc by path and listing, execve through a symlink and its EACCES/ENOEXEC/ENOENT/ENOTDIR, each with Linux's errno; on Cowbird Shmem holds a file's pages and MemFree is exactly back after 300 files of 64 KiB",
                 cowbirdArgs: new[] { "--assert-memfree" }),
            Test("file_calls", "the file calls busybox and glibc use beyond open/read/write: sendfile file to file, to a pipe and to fd 1, with and without an offset pointer, EFAULT/EBADF/ESPIPE/EINVAL; statx STATX_BASIC_STATS, AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, reserved bits; utimensat/futimesat/utimes/utime with UTIME_NOW/UTIME_OMIT, ctime, mtime on write, relatime atime; chown/fchown/lchown/fchownat clearing set-ID bits; statfs/fstatfs; O_CREAT through a dangling symlink; renameat2 RENAME_EXCHANGE; lseek SEEK_DATA/SEEK_HOLE, each with Linux's errno"),
            Test("node_calls", "mknod/mknodat of FIFOs, regular files, character and block devices and sockets (umask, umode_t, st_rdev, d_type, EPERM/EINVAL before EFAULT, EEXIST/ENOENT/ENOTDIR/EBADF; ENXIO opening a node without a driver, 1:3 as /dev/null); named pipes: O_NONBLOCK opens (ENXIO without a reader), O_RDWR, data in order, EOF, EPIPE, unread bytes dropped at the last close, blocking opens met by another process, EINTR and SA_RESTART in a waiting open, ESPIPE/EINVAL, poll's POLLHUP; flock shared/exclusive locks of open files, LOCK_NB, conversions, release on the last close, a blocking lock met by another process's exit, EINTR; fadvise64's accepted advice and errors; fallocate on a tmpfs file (st_blocks, KEEP_SIZE, PUNCH_HOLE, ftruncate freeing pages past the size) and its errors in Linux's order; sync, syncfs; the old getdents's struct linux_dirent against getdents64"),
            Test("wait_status", "wait4 status encodings: exit 0/1/42/255/263, exit vs exit_group, SIGKILL/SIGTERM via kill(), ECHILD, ESRCH, getppid of an orphan"),
            Test("signals", "default actions (SIGCHLD/SIGCONT/SIGURG/SIGWINCH ignored, others kill), SIGSTOP/SIGCONT with wait4 WUNTRACED/WCONTINUED statuses, SIGKILL and SIGTERM to a stopped child, SIGTSTP/SIGTTIN/SIGTTOU, blocked and discarded signals, SIGCHLD SIG_IGN and SA_NOCLDWAIT autoreap, rt_sigaction/rt_sigprocmask order of checks, read-back masks and flags"),
            Test("wait4_edges", "wait4 order of checks: bad status/rusage pointers still reap then EFAULT, WNOHANG with bad pointers gives 0, a stop reported once even with a bad pointer, INT_MIN ESRCH, WEXITED/WNOWAIT/unknown options EINVAL, __WCLONE/__WALL, pid 0"),
            Test("orphan_pgrp", "in a child that called setsid: a group that an exit orphans while a member is stopped gets SIGHUP then SIGCONT (handlers run in that order, the member goes on; without handlers SIGHUP kills it), for a child's group and for the exiting process's own group; a group still linked by another member's parent is hung up only when that last link exits"),
            Test("signal_waits", "raise (tkill) runs the handler before it returns; tkill/tgkill/kill look the target up first (ESRCH) and then check the signal (EINVAL), tid and tgid positive, tgkill needs the thread's own process; pause gives EINTR after a SA_RESTART handler; rt_sigsuspend's temporary mask during the handler, EINTR, the caller's mask restored, EINVAL for sigsetsize 4, EFAULT"),
            Test("tty", "process groups and sessions in a child that called setsid: setpgid/getpgid/getpgrp/setsid/getsid with EPERM, EACCES after execve, ESRCH, EINVAL; wait4(0) and wait4(-pgid); kill(0) and kill(-pgid), ESRCH for an empty group; terminal ioctls (TCGETS/TCSETS round trip, TIOCGWINSZ, ENOTTY for another session's terminal) where stdin is a terminal, ENOTTY elsewhere"),
            Test("signal_handlers", "user signal handlers: siginfo (SI_USER, sender pid), masks with sa_mask/SA_NODEFER, SA_RESETHAND, registers and MXCSR intact across a handler, a SIGSEGV handler fixing a PROT_NONE page, nanosleep/wait4 EINTR, no SA_RESTORER is SIGSEGV"),
            Test("fpu_state", "x87 and SSE registers and control words are each process's own: across system calls, beside a process computing under another rounding mode, into a fork child, around a signal handler (which starts from the reset values) and reset by exec"),
            Test("traps", "CPU exceptions from ring 3 as on Linux: int3 SIGTRAP, into/ud2 SIGILL, hlt/int $0x41 SIGSEGV, #DE and unmasked x87 (#MF) SIGFPE, even when blocked or ignored; exact wait4 status without the core-dump bit"),
            Test("int80", "int $0x80 runs Linux's 32-bit system call table: getpid, getuid and the 16-bit getuid, write with a 32-bit pointer (upper half dropped, EFAULT for 0), ENOSYS past the table, sync/getpriority/syslog/personality/flock/prctl as their 64-bit calls answer, lseek's and readlink's signed arguments, fork and exit through the gate, registers kept"),
            Test("proc_files", "more of /proc in Linux's formats: /proc/self/comm (and after PR_SET_NAME), environ as execve laid it out (also a child's after its execve), limits byte for byte as getrlimit's values printed \"%-25s %-20s %-20s %-10s\" (and after setrlimit), /proc/version, /proc/filesystems, /proc/cpuinfo's layout and universal flags, and the listings that show them; the links /proc/self, exe (size 0, to the program), cwd (as getcwd), fd/<n> (path, \" (deleted)\", directory, \"pipe:[ino]\", modes by access) and the fd directory listing exactly the open descriptors"),
            Test("dev_random", "/dev/random and /dev/urandom: character devices 1:8 and 1:9 mode 0666, reads of exactly the count asked (random, not zeros, never blocking), writes accepted, lseek a no-op, EFAULT and a short read at an unmapped page, both listed in /dev"),
            Test("process_settings", "personality (query, set, fork, execve clearing READ_IMPLIES_EXEC) and prctl's PDEATHSIG (sent when the parent exits), DUMPABLE, KEEPCAPS, NO_NEW_PRIVS, TIMERSLACK, CAPBSET_READ and GET_SECCOMP with Linux's errors and what fork and execve keep; ioprio_get/ioprio_set (none set, classes, inheritance, a group's effective priority from nice); sched_setaffinity"),
            Test("syslog", "syslog(2), the kernel's message buffer as dmesg reads it: READ_ALL gives whole \"<level>[seconds.micros] \" lines, none when none fits, EINVAL for a NULL buffer before a zero length, EFAULT, unknown types and console levels EINVAL, OPEN/CLOSE/CONSOLE_ON 0, SIZE_BUFFER and SIZE_UNREAD"),
            Test("overcommit", "vm.overcommit_memory=0 (the default): 1 TiB private writable, shared (any protection), brk, mprotect-to-writable and mremap growth get ENOMEM; MAP_NORESERVE, read-only and PROT_NONE 1 TiB mappings succeed; skipped where the mode is not 0"),
            Test("overcommit_never", "booted with vm.overcommit_memory=2: Committed_AS moves by exactly each call's charge (mmap, mprotect, MAP_NORESERVE, mremap, shared, brk, munmap, fork), returns to its start after 50 fork/exit cycles; CommitLimit refuses mmap and fork",
                 cowbirdArgs: new[] { "--expect-mode", "2" }, kernelArgs: "sysctl.vm.overcommit_memory=2"),
            Test("oom_pagetables", "OOM killer scores page tables: a child touching one byte per GiB (few resident pages, a page table each) is killed, not the parent holding more resident pages; checked on Cowbird with 64 MiB",
                 memMb: 64, cowbirdArgs: new[] { "--cowbird" }, timeoutSeconds: 300),
            Test("rlimits", "getrlimit/setrlimit/prlimit64 with Linux's order of checks (EFAULT, ESRCH, EINVAL, EPERM above fs.nr_open, old value written last); RLIMIT_NOFILE 1024: open and dup give EMFILE past fd 1023, dup2 to 1024 EBADF, a lowered limit keeps open fds, fork inherits it"),
            Test("exec_args", "execve limits: an argument of MAX_ARG_STRLEN accepted, one byte more E2BIG; strings filling exactly a quarter of RLIMIT_STACK (8 MiB and 1 MiB stacks) accepted, one byte more E2BIG; 100,000 arguments; NULL argv gives argc 1 and \"\"; EACCES for directories and /proc files, ENOTDIR for file/, ENOENT"),
            Test("stack_limit", "the stack grows to RLIMIT_STACK from its top and a touch below is SIGSEGV (status 0xb), with 8 MiB and in a program started with 1 MiB; deep recursion works, unbounded recursion is SIGSEGV"),
            Test("nproc_limit", "threads-max (RAM pages / 32) and Linux's default limits; a 1000-deep fork chain; a fork bomb ends in EAGAIN at threads-max, all killed and reaped, MemFree back within 1% (checked on Cowbird with 256 MiB)",
                 memMb: 256, cowbirdArgs: new[] { "--cowbird" }, timeoutSeconds: 600),
            Test("clock_precision", "clocks better than a tick: clock_getres of MONOTONIC/REALTIME/BOOTTIME/MONOTONIC_RAW at most 1 us, COARSE coarser, NULL/unknown ids/bad pointer; 100,000 MONOTONIC reads never go backwards with some step under 1 ms; REALTIME, BOOTTIME, COARSE never backwards, COARSE never ahead; nanosleep never early; fork + wait takes > 0 ns; CPU time moves"),
            Test("time_calls", "gettimeofday and time agree with CLOCK_REALTIME (NULL, tz zeroed, EFAULT); clock_nanosleep's clocks (EOPNOTSUPP, EINVAL), flags and order of checks, relative and TIMER_ABSTIME sleeps never early, EINTR with the time left in rem (not for TIMER_ABSTIME, also with SA_RESTART, EFAULT for a bad rem), nanosleep's rem, sleeps on the own and another process's CPU clock; times and getrusage: CPU time and minor faults grow, a reaped child's reach RUSAGE_CHILDREN, cutime and wait4's rusage"),
            Test("timers", "alarm's rounded return and cancel; getitimer/setitimer EINVAL for which and timevals, EFAULT in Linux's order, NULL value, old values, huge values saturating; ITIMER_REAL's SIGALRM (SI_KERNEL) never early, periodic, re-armed only once its signal is taken (blocked, ignored), killing without a handler; ITIMER_VIRTUAL and ITIMER_PROF firing while computing, a tick longer, not moved by a sleep, keeping an interval with value 0; none after fork, kept by execve; POSIX timers: ids from 0 used up by refused calls, sigevent and clock checks (EINVAL, EOPNOTSUPP, EFAULT order), settings read back, disarming, SIGEV_NONE one-shot and periodic, SI_TIMER siginfo with si_timerid and si_value, si_overrun and timer_getoverrun after a blocked periodic timer, TIMER_ABSTIME on MONOTONIC and REALTIME, an ignored signal's timer going on, none after fork, deleted with their pending signal by execve"),
            Test("select_calls", "select: pipe ends in the read and write sets, never the exception set, sets written back with the ready bits only, bits at or above nfds cleared, EINVAL/EFAULT/EBADF in Linux's order, the timeval's time left written back (tv_usec carried, read-only ignored), EINTR with SA_RESTART; pselect6 and ppoll: timespec checks, the time left, a temporary signal mask (EINTR with the handler under it, the caller's mask back; a ready fd leaves the signal pending), sigsetsize and EFAULT order; rt_sigpending's blocked pending set and sizes; rt_sigtimedwait: taking order (a fault's signal first), siginfo, EAGAIN, waiting for ITIMER_REAL's SIGALRM (periodic re-armed), EINTR, EINVAL/EFAULT"),
            Test("sched_calls", "getpriority/setpriority as the raw calls answer (20 - nice, clamping, PRIO_PROCESS/PGRP/USER, EINVAL, ESRCH, zombies, fork and execve keep it); sched_getscheduler/setscheduler/getparam/setparam for FIFO, RR, BATCH, IDLE with Linux's EINVAL/EFAULT/ESRCH order, SCHED_RESET_ON_FORK applied to a child; sched_get_priority_max/min; sched_rr_get_interval; getcpu; /proc/self/stat's priority, nice, rt_priority and policy"),
            Test("sigaltstack", "sigaltstack: SS_DISABLE at start, MINSIGSTKSZ ENOMEM, EINVAL modes, SS_DISABLE and SS_AUTODISARM read back, EFAULT (after the change for old_ss); SA_ONSTACK handlers on it with uc_stack filled, EPERM while on it, nested handlers lower on it, SS_AUTODISARM disarms and rt_sigreturn rearms; fork inherits, execve disables; a stack overflow's SIGSEGV caught on it"),
            Test("sigchld_info", "SIGCHLD siginfo: CLD_EXITED/KILLED/STOPPED/CONTINUED with pid, si_status and CPU time, SA_NOCLDSTOP; waitid P_PID/P_PGID/P_ALL with WEXITED/WSTOPPED/WCONTINUED/WNOHANG/WNOWAIT, rusage, NULL and bad infop, EINVAL/EBADF/ECHILD; kill(-1, 0) counts a zombie child"),
            Test("rlimit_as", "RLIMIT_AS: mmap (MAP_FIXED counting only what it adds, a refused one leaving the old mapping), MAP_NORESERVE, PROT_NONE and shared memory, brk, mremap growth and MREMAP_DONTUNMAP past the limit are ENOMEM, stack growth is SIGSEGV; munmap and shrinking make room; a limit below the current size keeps every mapping; soft > hard EINVAL; fork and execve keep it"),
            Test("busybox_calls", "the process calls busybox and glibc make: clone with fork's flags (CHILD_SETTID, CHILD_CLEARTID, PARENT_SETTID), a new stack, Linux's EINVAL combinations; vfork; uname (Linux, x86_64, release >= 3.2); sysinfo; uid/gid calls; getrandom flags, partial writes, EFAULT; set_robust_list; sched_getaffinity; prctl PR_SET_NAME/PR_GET_NAME; rt_sigsuspend and pause (EINTR after a handler, the temporary mask during it, the caller's after); poll of pipe ends, POLLNVAL, timeouts, EINVAL/EFAULT"),
            Test("proc_pid", "/proc/<pid> and /proc/self: stat's 52 fields (pid, comm, state, ppid, pgrp, session, threads, vsize = statm size), PR_SET_NAME in stat and status, a sleeping child S, a zombie Z with empty cmdline and no Vm lines, cmdline is argv, status signal masks; /proc/uptime, /proc/loadavg, /proc/stat formats; ENOENT for pid 0, 01, huge, unknown names; execve of /proc/self/exe named exe"),
            Demo("forkdemo", "three children report pid and parent, the parent reaps them; page-fault figures"),
            Demo("cowdemo", "fork then writes: pgfault and the COW-fault counter grow with the pages written"),
            Demo("swapdemo", "fills more than RAM and reads it back; pswpout/pswpin and SwapFree figures",
                 memMb: 64, swapMb: 384, timeoutSeconds: 600),
            Demo("faultprobe", "one page fault of each kind marked for ./build.sh trace-fault: here the copy-on-write one (a child's first write of its parent's page), the child's exit status and the parent's copy checked",
                 args: new[] { "cow" }),
            Demo("vmbench", "the figures `./build.sh bench` compares with Linux (fork+exit+wait, COW, first-write and first-read faults, munmap, swap throughput); here one quick round over 16 MiB, its data checked",
                 args: new[] { "--quick", "--swap-mib", "16" }, timeoutSeconds: 300),
            new ProgramSpec("sh", ProgramKind.Shell, DefaultMemMb, 0, 120, None, None,
                "the interactive shell: runs /bin/<name> with arguments and pipelines a | b | c, builtins help and exit"),
        };

        /// <summary>The spec of one program by name; throws if the table lacks it.</summary>
        public static ProgramSpec Get(string name) =>
            All.FirstOrDefault(p => p.Name == name) ?? throw new ArgumentException($"no program named {name} in ProgramTable");

        /// <summary>Program names of one kind, as xunit theory data.</summary>
        public static IEnumerable<object[]> NamesOf(ProgramKind kind) =>
            All.Where(p => p.Kind == kind).Select(p => new object[] { p.Name });

        private static ProgramSpec Test(string name, string purpose, int memMb = DefaultMemMb, int swapMb = 0,
            int timeoutSeconds = 120, string[] hostArgs = null, string[] cowbirdArgs = null, string kernelArgs = "") =>
            new(name, ProgramKind.Test, memMb, swapMb, timeoutSeconds, hostArgs ?? None, cowbirdArgs ?? None, purpose, kernelArgs);

        private static ProgramSpec Demo(string name, string purpose, int memMb = DefaultMemMb, int swapMb = 0,
            int timeoutSeconds = 120, string[] args = null) =>
            new(name, ProgramKind.Demo, memMb, swapMb, timeoutSeconds, args ?? None, args ?? None, purpose);
    }
}
