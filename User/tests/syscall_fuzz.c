/*
 * syscall_fuzz: every system call Cowbird implements, and unknown numbers, called with hostile
 * arguments from a seeded PRNG: NULL, kernel-half and non-canonical pointers, unaligned ones, the
 * last byte of a page, PROT_NONE and read-only buffers, huge and wrapping lengths, random flags
 * and file descriptors. The calls run in children that may die of what they do to themselves
 * (a signal is a fine end); the kernel must survive them all, and afterwards still fork, map
 * memory and read /proc.
 *
 *   syscall_fuzz [--seed S] [--calls N]     default seed 1, 50,000 calls
 *   ./build.sh fuzz --seeds A-B [--calls N]   many seeds on Cowbird, with a summary
 *
 * The seed is printed first (INFO line): the same seed makes the same calls, so a kernel panic
 * or hang it finds can be replayed. Calls that would reach outside the child are never made:
 * kill, tkill and tgkill go only to the child itself (never a stop signal) or to pids that do
 * not exist, setpgid and setsid move only the child, execve only gets paths that cannot be
 * read, open never creates a file outside the fuzzer's own directory under /tmp (made with
 * mkdtemp, emptied and removed at the end), the file calls only name paths inside it and
 * move at most 16 KiB a call, nanosleep and clock_nanosleep never sleep long (never on a
 * CPU clock), waitid never waits, stdin is closed so read never waits for a terminal, and
 * every pipe is non-blocking (fcntl F_SETFL keeps O_NONBLOCK) so no read or write of it waits
 * for the child itself, syslog never waits, clears the log or quiets the console, the
 * settings calls (prctl, personality, ioprio, affinity) name only the child, and a timer
 * slack stays small (Linux adds it to every sleep). A child's own
 * calls may zero or unmap any of its memory, its stack included, so nothing a call needs for
 * staying inside the child is kept there.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include "cbtest.h"
#include <sys/prctl.h>

/* Children that die early are replaced, up to this many in all. */
#define MAX_CHILDREN 5000

static uint64_t rng;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static uint64_t below(uint64_t n) { return next() % n; }

/* Memory the hostile pointers point into: a normal buffer, a read-only page, a PROT_NONE page
   and a page with an unmapped page after it (its last byte). */
static char *rw_buf, *ro_page, *none_page, *edge_page;
/* Calls made by all children together (a shared page), for the INFO line. */
static volatile long *calls_made;

static long hostile_pointer(void)
{
    switch (below(12)) {
    case 0: return 0;
    case 1: return 8;
    case 2: return (long)0xffff800000000000UL;                 /* kernel half */
    case 3: return (long)0xffffffff80100000UL;                 /* kernel image */
    case 4: return (long)0x0000800000000000UL;                 /* first non-canonical */
    case 5: return (long)0x7ffffffff000UL;                     /* the unmappable last page */
    case 6: return (long)(edge_page + CB_PAGE - 1);            /* last byte before a hole */
    case 7: return (long)ro_page + (long)below(CB_PAGE);
    case 8: return (long)none_page + (long)below(CB_PAGE);
    case 9: return (long)(rw_buf + below(8 * CB_PAGE) + 1);    /* unaligned, valid */
    case 10: return (long)next();
    default: return (long)(rw_buf + below(8 * CB_PAGE));
    }
}

static long hostile_length(void)
{
    switch (below(8)) {
    case 0: return 0;
    case 1: return 1;
    case 2: return (long)below(3 * CB_PAGE);
    case 3: return (long)(1UL << 63);
    case 4: return -1;
    case 5: return (long)(-CB_PAGE);
    case 6: return (long)(below(64) * CB_PAGE);
    default: return (long)next();
    }
}

static long hostile_int(void)
{
    switch (below(6)) {
    case 0: return 0;
    case 1: return -1;
    case 2: return (long)below(64);
    case 3: return (long)(int)next();
    case 4: return (long)0x80000000UL;
    default: return (long)next();
    }
}

static long any_fd(void) { return below(4) == 0 ? hostile_int() : (long)below(40); }

/* A page-aligned address near the child's own buffers or anywhere. */
static long hostile_address(void)
{
    switch (below(4)) {
    case 0: return (long)(rw_buf + below(16) * CB_PAGE);
    case 1: return (long)((next() & 0x7fffffff000UL));
    case 2: return hostile_pointer();
    default: return 0;
    }
}

/* A pointer nanosleep may be given besides its own timespec: one no mapping can ever cover. Not
   any hostile pointer: the child's calls map, unmap, protect and write its pages at random (the
   hole after edge_page is filled by a later mmap, rw_buf holds whatever was written there), so
   a timespec read from them can ask for years, on Linux as on any kernel. */
static long never_mapped(void)
{
    switch (below(4)) {
    case 0: return (long)0xffff800000000000UL;                 /* kernel half */
    case 1: return (long)0xffffffff80100000UL;                 /* kernel image */
    case 2: return (long)0x0000800000000000UL;                 /* first non-canonical */
    default: return (long)0x7ffffffff000UL + (long)below(CB_PAGE);   /* above TASK_SIZE */
    }
}

/* An fd from a pointer's bits (dup3's newfd): small, at the limit, or negative. */
static long hostile_fd_of(unsigned long bits)
{
    static const long fds[] = { 0, 1023, 1024, -1, 100000, 39, 2, (long)0x80000000UL };
    return fds[(bits >> 3) % 8];
}

/* fcntl with a command Cowbird implements (or an unknown one), its argument from `bits`. No
   command that reaches outside the child (F_SETOWN, locks, leases), and F_SETFL always keeps
   O_NONBLOCK: every pipe of a child is non-blocking, so no read or write of it can wait
   forever for the child itself. */
static void fcntl_call(long fd, unsigned long bits)
{
    static const long commands[] = { F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL, F_SETFL, 1032, 9999 };
    long command = commands[bits % 8];
    long arg = (long)(bits >> 3);
    if (command == F_SETFL)
        arg = (arg & (O_APPEND | O_RDWR | O_DIRECT)) | O_NONBLOCK;
    else if (command == F_DUPFD || command == F_DUPFD_CLOEXEC)
        arg = (bits >> 3) & 1 ? (long)(bits >> 4) % 2000 : hostile_fd_of(bits >> 4);
    cb_syscall(SYS_fcntl, fd, command, arg, 0, 0, 0);
}

/* pipe2 into `fds` (a hostile pointer), always with O_NONBLOCK, sometimes with O_CLOEXEC or a
   flag that makes it EINVAL; or pipe, whose two new fds are then made non-blocking. */
static void pipe_call(long fds, unsigned long bits)
{
    if (bits % 4 == 0) {
        if (cb_syscall(SYS_pipe, fds, 0, 0, 0, 0, 0) == 0) {
            cb_syscall(SYS_fcntl, ((int *)fds)[0], F_SETFL, O_NONBLOCK, 0, 0, 0);
            cb_syscall(SYS_fcntl, ((int *)fds)[1], F_SETFL, O_NONBLOCK, 0, 0, 0);
        }
        return;
    }
    long flags = O_NONBLOCK | ((bits >> 2) & 1 ? O_CLOEXEC : 0) | ((bits >> 3) % 8 == 0 ? O_APPEND : 0);
    cb_syscall(SYS_pipe2, fds, flags, 0, 0, 0, 0);
}

/* A pid for the group and thread calls, from `bits`: 0, the child itself (asked for at each
   call, never kept: see kill below), a pid that does not exist, or a negative one (INT_MIN
   among them). Never another process's pid. */
static long group_pid_of(unsigned long bits)
{
    switch (bits % 4) {
    case 0: return 0;
    case 1: return cb_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0);
    case 2: return 900000 + (long)((bits >> 2) % 1000);
    default: return (bits >> 2) & 1 ? (long)INT32_MIN : -2 - (long)((bits >> 3) % 1000);
    }
}

/* The process-group, session and thread-signal calls, picked and fed by `bits` (no draw from
   the random stream, so the other calls of a seed stay as they were). Nothing reaches outside
   the child: setpgid and setsid move only the child (the parent is never its child), and
   tkill/tgkill send a real signal only to pids that do not exist, never a stop signal to
   itself (it would wait for a SIGCONT forever). */
static void group_call(unsigned long bits)
{
    long pid = group_pid_of(bits >> 3);
    long sig = (long)((bits >> 12) % 65);
    if (pid == 0 || pid == cb_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0))
        sig = 0;
    switch (bits % 8) {
    case 0: cb_syscall(SYS_getppid, 0, 0, 0, 0, 0, 0); break;
    case 1: cb_syscall(SYS_getpgrp, 0, 0, 0, 0, 0, 0); break;
    case 2: cb_syscall(SYS_getpgid, pid, 0, 0, 0, 0, 0); break;
    case 3: cb_syscall(SYS_getsid, pid, 0, 0, 0, 0, 0); break;
    case 4: cb_syscall(SYS_setpgid, (bits >> 20) & 1 ? 0 : pid, group_pid_of(bits >> 21), 0, 0, 0, 0); break;
    case 5: cb_syscall(SYS_setsid, 0, 0, 0, 0, 0, 0); break;
    case 6: cb_syscall(SYS_tkill, pid, sig, 0, 0, 0, 0); break;
    default: cb_syscall(SYS_tgkill, group_pid_of(bits >> 20), pid, sig, 0, 0, 0); break;
    }
}

/* An ioctl request: usually the hostile int drawn, but every third pointer picks a terminal
   request instead (on a pipe or a closed fd: the child has no terminal open). */
static long ioctl_request(long drawn, unsigned long bits)
{
    static const long terminal[] = { 0x5401, 0x5402, 0x5403, 0x5404, 0x5413, 0x5414, 0x540F, 0x5410,
                                     0x5429, 0x540E, 0x5422, 0x541B, 0x540B, 0x5409 };
    if (bits % 3 != 0)
        return drawn;
    return terminal[(bits >> 2) % (sizeof terminal / sizeof terminal[0])];
}

/* A POSIX timer call, picked and fed by `bits`: timer_create (a hostile sevp, or none: SIGALRM),
   timer_settime (values from the hostile pointer, mostly EINVAL or EFAULT; a timer it arms may
   kill the child, as on Linux), timer_gettime, timer_getoverrun, timer_delete, on ids a child
   is likely to have made and on others. */
static void timer_call(unsigned long bits, long a)
{
    static const int clocks[] = { CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME, CLOCK_MONOTONIC_RAW, 10, -5 };
    long id = (bits >> 3) & 1 ? (long)((bits >> 4) % 8) : (long)(bits >> 4) - 1000;
    switch (bits % 5) {
    case 0: cb_syscall(SYS_timer_create, clocks[(bits >> 3) % 6], (bits >> 6) & 1 ? a : 0, a, 0, 0, 0); break;
    case 1: cb_syscall(SYS_timer_settime, id, (long)((bits >> 10) & 1), a, (bits >> 11) & 1 ? a : 0, 0, 0); break;
    case 2: cb_syscall(SYS_timer_gettime, id, a, 0, 0, 0, 0); break;
    case 3: cb_syscall(SYS_timer_getoverrun, id, 0, 0, 0, 0, 0); break;
    default: cb_syscall(SYS_timer_delete, id, 0, 0, 0, 0, 0); break;
    }
}

/* getpriority or setpriority of the child itself (never a group or user: they may reach the
   parent), sched_get_priority_max/min, or getcpu, picked and fed by `bits`. */
static void priority_call(unsigned long bits, long a)
{
    long which = (long)((bits >> 3) % 5) - 1, who = group_pid_of(bits >> 6), nice = (long)((bits >> 9) % 50) - 25;
    switch (bits % 5) {
    case 0: cb_syscall(SYS_getpriority, which, who, 0, 0, 0, 0); break;
    case 1: cb_syscall(SYS_setpriority, PRIO_PROCESS, 0, nice, 0, 0, 0); break;
    case 2: cb_syscall(SYS_sched_get_priority_max, which * 3, 0, 0, 0, 0, 0); break;
    case 3: cb_syscall(SYS_sched_get_priority_min, which * 3, 0, 0, 0, 0, 0); break;
    default: cb_syscall(SYS_getcpu, a, (bits >> 3) & 1 ? a : 0, 0, 0, 0, 0); break;
    }
}

/* The calls that read a scheduling policy, and sched_setscheduler and sched_setparam of the
   child itself to a policy that is not real-time (a real-time child spinning on the host
   could starve it) or of pids that do not exist, picked and fed by `bits`. */
static void policy_call(unsigned long bits, long a)
{
    long pid = group_pid_of(bits >> 3), policy = (long)((bits >> 5) % 8) - 1;
    if (pid >= 0 && pid < 900000 && (policy == SCHED_FIFO || policy == SCHED_RR))
        policy = SCHED_BATCH;
    switch (bits % 5) {
    case 0: cb_syscall(SYS_sched_getscheduler, pid, 0, 0, 0, 0, 0); break;
    case 1: cb_syscall(SYS_sched_getparam, pid, a, 0, 0, 0, 0); break;
    case 2: cb_syscall(SYS_sched_rr_get_interval, pid, a, 0, 0, 0, 0); break;
    case 3: cb_syscall(SYS_sched_setscheduler, pid, policy | ((bits >> 8) & 1 ? 0x40000000 : 0), a, 0, 0, 0); break;
    default: if (pid >= 900000 || pid < 0) cb_syscall(SYS_sched_setparam, pid, a, 0, 0, 0, 0); break;
    }
}

/* sched_yield, or (picked by a pointer's bits, so the random stream stays as it was) a call that
   reads or writes what a process used or the time: gettimeofday, time, times, getrusage,
   sigaltstack, waitid (always WNOHANG: the child's own children may still run), getitimer,
   setitimer (its values come from the hostile pointer: mostly EINVAL or EFAULT, and a timer it
   arms may kill the child, as on Linux), alarm (0, or long past the run), priority_call,
   policy_call and timer_call. */
/* A call that reads or sets the process's own settings, picked and fed by `bits` and the
   hostile pointer `a`: personality, prctl (any option, hostile arguments), the syslog types
   that neither wait, clear the log nor quiet the console, ioprio_get and ioprio_set of the
   child itself, sched_setaffinity of the child, and `int $0x80` calls that touch nothing
   outside the child (getpid, getuid32, write and readlink of the hostile pointer, an unknown
   number). */
static void settings_call(unsigned long bits, long a)
{
    static const long syslog_types[] = { 0, 1, 3, 9, 10, 11, -1 };
    long n = (long)(bits >> 3);
    switch (bits % 7) {
    case 0: cb_syscall(SYS_personality, (bits >> 3) & 1 ? 0xffffffffL : (long)((bits >> 4) & 0x0440000), 0, 0, 0, 0, 0); break;
    case 1: {   /* any option, but a timer slack under 65 us: Linux stretches every later sleep by it */
        long option = n % 48;
        cb_syscall(SYS_prctl, option, option == PR_SET_TIMERSLACK ? (a & 0xffff) : a, (bits >> 9) & 1 ? a : 0, 0, 0, 0);
        break;
    }
    case 2: cb_syscall(SYS_syslog, syslog_types[n % 7], a, (long)(bits >> 6) % 8192 - 1, 0, 0, 0); break;
    case 3: cb_syscall(SYS_ioprio_get, n % 5, 0, 0, 0, 0, 0); break;
    case 4: cb_syscall(SYS_ioprio_set, 1, 0, (long)(bits >> 6) & 0xffff, 0, 0, 0); break;
    case 5: cb_syscall(SYS_sched_setaffinity, 0, (long)(bits >> 6) % 16, a, 0, 0, 0); break;
    default: {
        static const long numbers[] = { 20, 199, 4, 85, 1000 };
        long number = numbers[n % 5], ret;
        __asm__ volatile("int $0x80" : "=a"(ret) : "a"(number), "b"(-1L), "c"(a), "d"(16L) : "memory");
        (void)ret;
        break;
    }
    }
}

static void usage_call(unsigned long bits)
{
    long a = (long)bits, options = WNOHANG | (long)((bits >> 6) & (WEXITED | WSTOPPED | WCONTINUED | WNOWAIT));
    switch ((bits >> 3) % 12) {
    case 0: cb_syscall(SYS_gettimeofday, a, (bits >> 6) & 1 ? a : 0, 0, 0, 0, 0); break;
    case 1: cb_syscall(SYS_time, a, 0, 0, 0, 0, 0); break;
    case 2: cb_syscall(SYS_times, a, 0, 0, 0, 0, 0); break;
    case 3: cb_syscall(SYS_getrusage, (long)((bits >> 6) % 5) - 2, a, 0, 0, 0, 0); break;
    case 4: cb_syscall(SYS_sigaltstack, (bits >> 6) & 1 ? a : 0, a, 0, 0, 0, 0); break;
    case 5: cb_syscall(SYS_waitid, (long)((bits >> 10) % 5), (long)(bits >> 12) % 3 - 1, a, options, a, 0); break;
    case 6: cb_syscall(SYS_getitimer, (long)((bits >> 6) % 5) - 1, a, 0, 0, 0, 0); break;
    case 7: cb_syscall(SYS_setitimer, (long)((bits >> 6) % 5) - 1, (bits >> 9) & 1 ? a : 0, a, 0, 0, 0); break;
    case 8: cb_syscall(SYS_alarm, (bits >> 6) & 1 ? 0 : 100000 + (long)((bits >> 7) % 1000), 0, 0, 0, 0, 0); break;
    case 9: priority_call(bits >> 6, a); break;
    case 10: policy_call(bits >> 6, a); break;
    default:
        if ((bits >> 6) & 1)
            timer_call(bits >> 7, a);
        else
            cb_syscall(SYS_sched_yield, 0, 0, 0, 0, 0, 0);
        break;
    }
}

/* A call that waits for files or signals, with the timespec `ts` case 15 has just written (at
   most 1 ms, or invalid) and never without a timeout, picked and fed by `bits` and the hostile
   pointer `a`: select (its timeval at ts + 2, at most 1 ms, or invalid), pselect6, ppoll,
   rt_sigtimedwait, rt_sigpending. */
static void wait_call(long *ts, long a, unsigned long bits)
{
    ts[2] = 0;
    ts[3] = ts[1] >= 0 && ts[1] <= 1000000 ? ts[1] / 1000 : -1;
    long n = (long)(bits >> 3) % 70 - 1, mask = (bits >> 10) & 1 ? a : 0;
    switch (bits % 5) {
    case 0: cb_syscall(SYS_select, n, a, (bits >> 11) & 1 ? a : 0, 0, (long)(ts + 2), 0); break;
    case 1: cb_syscall(SYS_pselect6, n, a, (bits >> 11) & 1 ? a : 0, 0, (long)ts, mask); break;
    case 2: cb_syscall(SYS_ppoll, a, (long)(bits >> 3) % 8, (long)ts, mask, (bits >> 11) & 1 ? 8 : (long)(bits >> 12) % 16, 0); break;
    case 3: cb_syscall(SYS_rt_sigtimedwait, a, (bits >> 11) & 1 ? a : 0, (long)ts, (bits >> 12) & 1 ? 8 : 4, 0, 0); break;
    default: cb_syscall(SYS_rt_sigpending, a, (long)(bits >> 3) % 10, 0, 0, 0, 0); break;
    }
}

/* clock_nanosleep with a request that is never a long sleep (as nanosleep's in one_call) on a
   clock and with flags picked by `pick`: a wall or monotonic clock (TIMER_ABSTIME is then a time
   long past), or one that does not sleep. Never the caller's CPU clock: it would not move. When
   the request is the child's own timespec, `pick` may choose a wait_call instead (fed by the
   hostile `remaining`), so the random stream stays as it was. */
static void clock_nanosleep_call(long pick, long request, long remaining)
{
    static const int clocks[] = { CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME, CLOCK_TAI, CLOCK_MONOTONIC_RAW,
                                  CLOCK_THREAD_CPUTIME_ID, 10, -5 };
    unsigned long bits = (unsigned long)pick >> 2;
    if (request == (long)rw_buf && (bits >> 5) % 4 == 3) {
        wait_call((long *)rw_buf, remaining, bits >> 7);
        return;
    }
    cb_syscall(SYS_clock_nanosleep, clocks[bits % 8], (bits >> 3) & 3, request, remaining, 0, 0);
}

/* The fuzzer's directory under /tmp (mkdtemp in main) and the names the file calls use in it:
   two files, a directory, a name in it, a symlink (made by main to "a") and the directory
   itself. Built before the children start; a child's random writes may garble them, so every
   call that makes or removes a name checks its path first (inside_fuzz_dir). */
#define FUZZ_NAMES 6
static char fuzz_dir[32];
static char fuzz_paths[FUZZ_NAMES][48];
static const char *const fuzz_names[FUZZ_NAMES] = { "a", "b", "d", "d/c", "l", "" };

/* Whether `path` still lies in the fuzzer's directory: its prefix, and no "..". */
static int inside_fuzz_dir(const char *path)
{
    return strncmp(path, "/tmp/cbfuzz.", 12) == 0 && strlen(path) < sizeof fuzz_paths[0] && !strstr(path, "..");
}

/* A file call, picked and fed by a pointer's bits (no draw from the random stream, so the
   other calls of a seed stay as they were): open/openat (O_CREAT too) of the fuzzer's paths,
   read, write, lseek (SEEK_DATA/SEEK_HOLE too), fstat, getdents64, unlink/rmdir, mkdir,
   rename/renameat2, sendfile, and statx, utimensat, fchmod, symlink. Buffers are `a` (the
   hostile pointer) or the child's own buffer; counts stay below 16 KiB, so a host's disk
   never fills. */
static void file_call(long a, unsigned long bits)
{
    const char *path = fuzz_paths[bits % FUZZ_NAMES];
    const char *other = fuzz_paths[(bits >> 3) % FUZZ_NAMES];
    long fd = (long)((bits >> 6) % 10), fd2 = (long)((bits >> 10) % 10);
    long buffer = (bits >> 14) & 1 ? a : (long)(rw_buf + ((bits >> 15) % 8) * CB_PAGE);
    long count = (long)((bits >> 18) % 16384);
    long offset = (bits >> 32) & 1 ? (long)((bits >> 33) % 65536) : (long)(bits >> 33) - (1L << 29);
    if (!inside_fuzz_dir(path) || !inside_fuzz_dir(other))
        return;
    switch ((bits >> 24) % 14) {
    case 0: {
        long flags = (long)(bits >> 28) & (O_ACCMODE | O_APPEND | O_TRUNC | O_EXCL | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        cb_syscall(SYS_open, (long)path, flags | O_NONBLOCK | ((bits >> 40) & 1 ? O_CREAT : 0), 0644, 0, 0, 0);
        break;
    }
    case 1: cb_syscall(SYS_openat, (bits >> 28) & 1 ? AT_FDCWD : fd, (long)path, O_RDWR | O_CREAT | O_NONBLOCK, 0600, 0, 0); break;
    case 2: cb_syscall(SYS_read, fd, buffer, count, 0, 0, 0); break;
    case 3: cb_syscall(SYS_write, fd, buffer, count, 0, 0, 0); break;
    case 4: cb_syscall(SYS_lseek, fd, offset, (long)((bits >> 28) % 6), 0, 0, 0); break;
    case 5: cb_syscall(SYS_fstat, fd, buffer, 0, 0, 0, 0); break;
    case 6: cb_syscall(SYS_getdents64, fd, buffer, count, 0, 0, 0); break;
    case 7: cb_syscall((bits >> 28) & 1 ? SYS_rmdir : SYS_unlink, (long)path, 0, 0, 0, 0, 0); break;
    case 8: cb_syscall(SYS_mkdir, (long)path, 0755, 0, 0, 0, 0); break;
    case 9: cb_syscall(SYS_renameat2, AT_FDCWD, (long)path, AT_FDCWD, (long)other, (long)((bits >> 28) % 8), 0); break;
    case 10: {
        long *where = (long *)(rw_buf + 8 * CB_PAGE);
        *where = offset;
        long pointer = (bits >> 28) % 3 == 0 ? 0 : (bits >> 28) % 3 == 1 ? (long)where : a;
        cb_syscall(SYS_sendfile, fd, fd2, pointer, count, 0, 0);
        break;
    }
    case 11: cb_syscall(SYS_statx, (bits >> 28) & 1 ? AT_FDCWD : fd, (bits >> 29) & 1 ? (long)path : (long)"",
                        (long)((bits >> 30) & 0x7100), (long)(bits >> 36), buffer, 0); break;
    case 12: cb_syscall(SYS_utimensat, (bits >> 28) & 1 ? AT_FDCWD : fd, (bits >> 29) & 1 ? (long)path : 0, buffer,
                        (long)((bits >> 30) & 0x1100), 0, 0); break;
    default: if ((bits >> 28) & 1)
            cb_syscall(SYS_fchmod, fd, (long)((bits >> 29) & 07777), 0, 0, 0, 0);
        else
            cb_syscall(SYS_symlink, (long)fuzz_names[(bits >> 29) % FUZZ_NAMES], (long)path, 0, 0, 0, 0);
        break;
    }
}

/* Makes the fuzzer's directory and its symlink "l" -> "a", and fills fuzz_paths; 0 when
   /tmp refuses. */
static int make_fuzz_dir(void)
{
    snprintf(fuzz_dir, sizeof fuzz_dir, "/tmp/cbfuzz.XXXXXX");
    if (!mkdtemp(fuzz_dir))
        return 0;
    for (int i = 0; i < FUZZ_NAMES; i++)
        snprintf(fuzz_paths[i], sizeof fuzz_paths[i], "%s/%s", fuzz_dir, fuzz_names[i]);
    fuzz_paths[FUZZ_NAMES - 1][strlen(fuzz_dir)] = 0;
    cb_syscall(SYS_symlink, (long)"a", (long)fuzz_paths[4], 0, 0, 0, 0);
    return 1;
}

/* Removes `path` and, for a directory, what is in it first (the children's renames may have
   nested the names in any way); only inside the fuzzer's directory. A listing is read whole
   before anything in it is removed, and read again while the directory is not empty: a
   removal may move the entries after it to lower positions. 1 when the path is gone. */
static int remove_tree(const char *path)
{
    if (!inside_fuzz_dir(path))
        return 0;
    if (cb_syscall(SYS_unlink, (long)path, 0, 0, 0, 0, 0) == 0)
        return 1;
    for (int round = 0; round < 8; round++) {
        long fd = cb_syscall(SYS_open, (long)path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0, 0, 0, 0);
        if (fd < 0)
            return 0;
        char dents[4096];
        long n = cb_syscall(SYS_getdents64, fd, (long)dents, sizeof dents, 0, 0, 0);
        cb_syscall(SYS_close, fd, 0, 0, 0, 0, 0);
        for (long off = 0; off < n; off += *(unsigned short *)(dents + off + 16)) {
            const char *name = dents + off + 19;
            char inner[sizeof fuzz_paths[0]];
            if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0
                && snprintf(inner, sizeof inner, "%s/%s", path, name) < (int)sizeof inner)
                remove_tree(inner);
        }
        if (cb_syscall(SYS_rmdir, (long)path, 0, 0, 0, 0, 0) == 0)
            return 1;
    }
    return 0;
}

/* One call. Returns nothing: the result does not matter, surviving it does. */
static void one_call(void)
{
    long a = hostile_pointer();
    switch (below(35)) {
    case 0: cb_syscall(SYS_read, any_fd(), a, hostile_length(), 0, 0, 0); break;
    case 1: cb_syscall(SYS_write, 3 + (long)below(37), a, hostile_length(), 0, 0, 0); break;
    case 2: {
        static const char *paths[] = { "/proc/self/maps", "/proc/meminfo", "/proc/vmstat", "/bin", "/", "/nonexistent" };
        long p = below(2) ? (long)paths[below(6)] : a;
        /* Never O_CREAT or O_TMPFILE: on the host a random path would become a real file. */
        long flags = hostile_int() & ~(long)(O_CREAT | O_TMPFILE);
        long fd = cb_syscall(SYS_open, p, flags, hostile_int(), 0, 0, 0);
        if (fd > 2 && below(2))
            cb_syscall(SYS_close, fd, 0, 0, 0, 0, 0);
        break;
    }
    case 3: cb_syscall(SYS_close, 3 + (long)below(40), 0, 0, 0, 0, 0); break;
    case 4: cb_syscall(SYS_mmap, hostile_address(), hostile_length(), hostile_int(), hostile_int(), any_fd(), hostile_int()); break;
    case 5: cb_syscall(SYS_mprotect, hostile_address(), hostile_length(), hostile_int(), 0, 0, 0); break;
    case 6: cb_syscall(SYS_munmap, hostile_address(), hostile_length(), 0, 0, 0, 0); break;
    case 7: cb_syscall(SYS_brk, below(2) ? hostile_address() : (long)next(), 0, 0, 0, 0, 0); break;
    case 8: cb_syscall(SYS_rt_sigaction, hostile_int(), a, hostile_pointer(), below(2) ? 8 : hostile_int(), 0, 0); break;
    case 9: cb_syscall(SYS_rt_sigprocmask, hostile_int(), a, hostile_pointer(), below(2) ? 8 : hostile_int(), 0, 0); break;
    case 10: {
        long fd = any_fd();
        cb_syscall(SYS_ioctl, fd, ioctl_request(hostile_int(), (unsigned long)a), a, 0, 0, 0);
        break;
    }
    case 11: cb_syscall(SYS_writev, 3 + (long)below(37), a, hostile_int(), 0, 0, 0); break;
    case 12: usage_call((unsigned long)a); break;
    case 13: cb_syscall(SYS_mremap, hostile_address(), hostile_length(), hostile_length(), below(8), hostile_address(), 0); break;
    case 14: cb_syscall(SYS_madvise, hostile_address(), hostile_length(), hostile_int(), 0, 0, 0); break;
    case 15: {   /* never a long sleep: a bad pointer, a bad tv_nsec, or at most 1 ms */
        long *ts = (long *)rw_buf;
        ts[0] = 0;
        ts[1] = below(2) ? (long)below(1000000) : hostile_int();
        if (ts[1] >= 0 && ts[1] < 1000000000 && ts[1] > 1000000)
            ts[1] = 1000000;
        if (ts[1] % 4 != 3)
            cb_syscall(SYS_nanosleep, below(3) ? (long)ts : never_mapped(), hostile_pointer(), 0, 0, 0, 0);
        else
            clock_nanosleep_call(ts[1], below(3) ? (long)ts : never_mapped(), hostile_pointer());
        break;
    }
    case 16:   /* getpid, or a file call when the pointer's low bits say so (the stream stays) */
        if ((unsigned long)a % 4 == 0)
            cb_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0);
        else    /* mixed, so a pointer's few varying bits pick any call and argument */
            file_call(a, ((unsigned long)a >> 2) * 0x9E3779B97F4A7C15UL ^ (unsigned long)a >> 7);
        break;
    case 17: {   /* fork: the new process leaves at once */
        if (below(8) == 0) {
            long pid = cb_syscall(SYS_fork, 0, 0, 0, 0, 0, 0);
            if (pid == 0)
                cb_syscall(SYS_exit, 0, 0, 0, 0, 0, 0);
        }
        break;
    }
    case 18: {   /* execve with paths that cannot be read: no program ever starts */
        static const long bad[] = { 0, 8, (long)0xffff800000000000UL, (long)0x0000800000000000UL };
        cb_syscall(SYS_execve, bad[below(4)], hostile_pointer(), hostile_pointer(), 0, 0, 0);
        break;
    }
    case 19: cb_syscall(SYS_wait4, below(2) ? -1 : hostile_int(), a, hostile_int() | (below(2) ? WNOHANG : 0), hostile_pointer(), 0, 0); break;
    case 20: {   /* kill: pids that cannot exist, or the child itself (rarely with a real signal).
                    Its own pid is asked for at each call, never kept in memory: an madvise or
                    munmap that reaches the child's stack (legal, and on Linux too when no vdso
                    lies between) would turn a kept copy into 0, and kill(0) reaches the parent. */
        long self = cb_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0);
        long pid = below(4) == 0 ? self : 900000 + (long)below(1000);
        long sig = pid == self && below(16) != 0 ? 0 : (long)below(65);
        if (pid == self && sig >= SIGSTOP && sig <= SIGTTOU)
            sig = 0;            /* a stopped child would wait for a SIGCONT forever */
        cb_syscall(SYS_kill, pid, sig, 0, 0, 0, 0);
        break;
    }
    case 21: group_call((unsigned long)a); break;
    case 22: if (below(16) == 0) cb_syscall(SYS_arch_prctl, hostile_int(), a, 0, 0, 0, 0); break;
    case 23:   /* gettid, or a settings call when the pointer's low bits say so (the stream stays) */
        if ((unsigned long)a % 4 == 0)
            cb_syscall(SYS_gettid, 0, 0, 0, 0, 0, 0);
        else
            settings_call(((unsigned long)a >> 2) * 0x9E3779B97F4A7C15UL ^ (unsigned long)a >> 7, a);
        break;
    case 24: cb_syscall(SYS_set_tid_address, a, 0, 0, 0, 0, 0); break;
    case 25: {   /* the clock id's parity picks the call: the random stream stays as it was */
        long clock = hostile_int();
        cb_syscall(clock & 1 ? SYS_clock_getres : SYS_clock_gettime, clock, a, 0, 0, 0, 0);
        break;
    }
    case 26: {   /* numbers no x86-64 kernel implements */
        static const long unknown[] = { 1000, 4096, 99999, 0x7fffffff, -1, 0x40000000L + 1000 };
        cb_syscall(unknown[below(6)], a, hostile_length(), hostile_int(), 0, 0, 0);
        break;
    }
    case 27: {   /* read, or readv when the pointer's low bits say so (the stream stays) */
        long fd = 3 + (long)below(37);
        cb_syscall((unsigned long)a % 4 == 1 ? SYS_readv : SYS_read, fd, a, hostile_length(), 0, 0, 0);
        break;
    }
    case 28: /* touch the buffers the way a program would, to fault them in and out */
        rw_buf[below(16 * CB_PAGE)] = (char)next();
        break;
    case 29: {   /* dup, fcntl, dup3 or pipe2, picked by the pointer's low bits: the random
                    stream (and seed 5's other calls) stays as it was */
        long fd = any_fd();
        unsigned long bits = (unsigned long)a;
        switch (bits & 3) {
        case 0: cb_syscall(SYS_dup, fd, 0, 0, 0, 0, 0); break;
        case 1: fcntl_call(fd, bits >> 2); break;
        case 2: cb_syscall(SYS_dup3, fd, (bits >> 2) & 1 ? 3 + (long)(bits >> 3) % 40 : hostile_fd_of(bits),
                           (bits >> 9) & 1 ? O_CLOEXEC : (long)((bits >> 10) & 0x80800), 0, 0, 0); break;
        default: pipe_call(a, bits >> 2); break;
        }
        break;
    }
    case 30: cb_syscall(SYS_dup2, any_fd(), below(2) ? any_fd() : 3 + (long)below(2000), 0, 0, 0, 0); break;
    case 31: cb_syscall(SYS_getrlimit, hostile_int(), a, 0, 0, 0, 0); break;
    case 32: cb_syscall(SYS_prlimit64, below(2) ? 0 : hostile_int(), hostile_int(), below(4) == 0 ? a : 0, hostile_pointer(), 0, 0); break;
    case 33: cb_syscall(SYS_setrlimit, hostile_int(), a, 0, 0, 0, 0); break;
    default: cb_syscall(SYS_mmap, 0, (long)(below(16) + 1) * CB_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0); break;
    }
}

/* Makes calls until all the children together made `calls` (or this one dies). */
static void fuzz_child(uint64_t seed, long calls)
{
    /* Nothing from here may reach the terminal: no reads waiting on it, no bytes written to it. */
    cb_syscall(SYS_close, 0, 0, 0, 0, 0, 0);
    cb_syscall(SYS_close, 1, 0, 0, 0, 0, 0);
    cb_syscall(SYS_close, 2, 0, 0, 0, 0, 0);
    rng = seed * 0x9E3779B97F4A7C15ULL + 1;
    rw_buf = mmap(NULL, 16 * CB_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ro_page = mmap(NULL, CB_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    none_page = mmap(NULL, CB_PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    edge_page = mmap(NULL, 2 * CB_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (rw_buf == MAP_FAILED || ro_page == MAP_FAILED || none_page == MAP_FAILED || edge_page == MAP_FAILED)
        cb_syscall(SYS_exit, 3, 0, 0, 0, 0, 0);
    munmap(edge_page + CB_PAGE, CB_PAGE);
    while (__atomic_add_fetch(calls_made, 1, __ATOMIC_RELAXED) <= calls)
        one_call();
    cb_syscall(SYS_exit, 0, 0, 0, 0, 0, 0);
}

int main(int argc, char **argv)
{
    uint64_t seed = 1;
    long calls = 50000;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--seed") == 0)
            seed = strtoull(argv[i + 1], NULL, 0);
        else if (strcmp(argv[i], "--calls") == 0)
            calls = strtol(argv[i + 1], NULL, 0);
    }
    cb_begin("syscall_fuzz");
    cb_print("INFO seed %llu, %ld calls", (unsigned long long)seed, calls);
    calls_made = cb_map_shared(1);
    if (!calls_made || !CHECK(make_fuzz_dir(), "a directory of its own under /tmp"))
        return cb_end();
    /* A child that kills itself (unmapping its own buffers, a signal to itself, ...) is
       replaced by the next one, until the calls are made. */
    int exited = 0, signalled = 0, lost = 0, children = 0;
    while (*calls_made < calls && children < MAX_CHILDREN) {
        pid_t pid = fork();
        if (pid == 0)
            fuzz_child(seed * 100000 + (uint64_t)children, calls);
        children++;
        int status = 0;
        if (pid < 0 || cb_wait(pid, &status) != pid)
            lost++;
        else if (WIFEXITED(status))
            exited++;
        else
            signalled++;
    }
    CHECK(*calls_made >= calls, "the fuzzing children made all the calls");
    cb_print("INFO %d children: %d exited, %d died of a signal", children, exited, signalled);
    CHECK(lost == 0, "every fuzzing child was forked and reaped");
    CHECK(remove_tree(fuzz_dir), "the files the children made are removed with their directory");
    /* The kernel is still whole: fork, memory and /proc work. */
    char *p = cb_map_private(64);
    if (p)
        cb_fill(p, 64 * CB_PAGE, 5, 0);
    pid_t pid = cb_fork("a child after the fuzzing");
    if (pid == 0) {
        cb_child_begin("after", 0);
        cb_check_pattern(p, 64 * CB_PAGE, 5, 0, "the parent's memory seen from a child");
        cb_child_exit();
    }
    cb_expect_exit(pid, 0, "a child after the fuzzing sees the parent's memory and exits 0");
    struct cb_vma v;
    CHECK(p && cb_find_vma(p, &v), "/proc/self/maps still lists the parent's mapping");
    return cb_end();
}
