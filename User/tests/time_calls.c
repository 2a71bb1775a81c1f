/*
 * time_calls: the time system calls beyond clock_gettime, as Linux 6.1 answers them.
 * gettimeofday (NULL tv and tz, tz zeroed, EFAULT) and time (NULL, stored value, EFAULT) agree
 * with CLOCK_REALTIME. clock_nanosleep: which clocks sleep, which are EOPNOTSUPP or EINVAL,
 * flags, bad timespecs and pointers in Linux's order of checks; relative and TIMER_ABSTIME
 * sleeps on MONOTONIC, REALTIME, BOOTTIME and TAI never end early; a signal ends a sleep with
 * EINTR (also with SA_RESTART), a relative one writing the time left (EFAULT for a bad rem),
 * an absolute one leaving rem alone; nanosleep writes rem too; sleeping on the caller's own CPU
 * clock lasts until a signal, on another process's until that process has used the time.
 * times and getrusage: user and system time grow while the process computes, ru_minflt counts
 * the pages it touches, a reaped child's time and faults show in RUSAGE_CHILDREN, times'
 * cutime/cstime and wait4's rusage; who is checked before the pointer.
 * No check has an upper time bound: a slow machine only makes the program take longer.
 */
#include "cbtest.h"
#include <sys/resource.h>
#include <sys/times.h>
#include <sys/time.h>

#define NS_PER_SEC 1000000000L
#define NS_PER_MS 1000000L
#define PROCESS_CPUCLOCK(pid, which) ((int)(~(unsigned)(pid) << 3) | (which))
#define THREAD_CPUCLOCK(pid, which) (PROCESS_CPUCLOCK(pid, which) | 4)
#define CPUCLOCK_PROF 0
#define CPUCLOCK_VIRT 1
#define CPUCLOCK_SCHED 2
#define CLOCKFD 3
#define TOUCH_PAGES 64

static long ts_ns(struct timespec ts) { return (long)ts.tv_sec * NS_PER_SEC + ts.tv_nsec; }

static long now_ns(int clock)
{
    struct timespec ts;
    cb_syscall(SYS_clock_gettime, clock, (long)&ts, 0, 0, 0, 0);
    return ts_ns(ts);
}

static long sleep_call(int clock, int flags, struct timespec *req, struct timespec *rem)
{
    return cb_syscall(SYS_clock_nanosleep, clock, flags, (long)req, (long)rem, 0, 0);
}

/* Computes until the caller's CPU clock has moved by at least ms milliseconds. */
static void spin_cpu_ms(long ms)
{
    long start = now_ns(CLOCK_PROCESS_CPUTIME_ID);
    volatile unsigned long sink = 0;
    while (now_ns(CLOCK_PROCESS_CPUTIME_ID) - start < ms * NS_PER_MS)
        for (int i = 0; i < 10000; i++)
            sink += (unsigned long)i;
}

static void check_gettimeofday_and_time(void)
{
    cb_check_ret(cb_syscall(SYS_gettimeofday, 0, 0, 0, 0, 0, 0), 0, "gettimeofday(NULL, NULL) is 0");
    struct timeval tv = { -1, -1 };
    struct { int minuteswest, dsttime; } tz = { 0x5555, 0x5555 };
    long before = now_ns(CLOCK_REALTIME) / 1000;
    long r = cb_syscall(SYS_gettimeofday, (long)&tv, (long)&tz, 0, 0, 0, 0);
    long after = now_ns(CLOCK_REALTIME) / 1000;
    long us = (long)tv.tv_sec * 1000000L + tv.tv_usec;
    CHECK(r == 0 && us >= before && us <= after && tv.tv_usec >= 0 && tv.tv_usec < 1000000,
          "gettimeofday's tv lies between two CLOCK_REALTIME reads, in microseconds");
    CHECK(tz.minuteswest == 0 && tz.dsttime == 0, "gettimeofday fills tz with zeros");
    cb_check_ret(cb_syscall(SYS_gettimeofday, 1, 0, 0, 0, 0, 0), -EFAULT, "gettimeofday with a bad tv is EFAULT");
    cb_check_ret(cb_syscall(SYS_gettimeofday, 0, 1, 0, 0, 0, 0), -EFAULT, "gettimeofday with a bad tz is EFAULT");

    long first = now_ns(CLOCK_REALTIME) / NS_PER_SEC;
    long seconds = cb_syscall(SYS_time, 0, 0, 0, 0, 0, 0);
    long last = now_ns(CLOCK_REALTIME) / NS_PER_SEC;
    CHECK(seconds >= first && seconds <= last, "time(NULL) lies between two CLOCK_REALTIME reads");
    long stored = -1;
    seconds = cb_syscall(SYS_time, (long)&stored, 0, 0, 0, 0, 0);
    CHECK(seconds == stored && seconds > 0, "time(&t) returns the seconds and stores them in t");
    cb_check_ret(cb_syscall(SYS_time, 1, 0, 0, 0, 0, 0), -EFAULT, "time with a bad pointer is EFAULT");
}

static void check_sleep_clocks(void)
{
    static const struct { int clock; long want; const char *name; } clocks[] = {
        { CLOCK_REALTIME, 0, "REALTIME" }, { CLOCK_MONOTONIC, 0, "MONOTONIC" },
        { CLOCK_PROCESS_CPUTIME_ID, 0, "PROCESS_CPUTIME_ID" },
        { CLOCK_THREAD_CPUTIME_ID, -EOPNOTSUPP, "THREAD_CPUTIME_ID" },
        { CLOCK_MONOTONIC_RAW, -EOPNOTSUPP, "MONOTONIC_RAW" },
        { CLOCK_REALTIME_COARSE, -EOPNOTSUPP, "REALTIME_COARSE" },
        { CLOCK_MONOTONIC_COARSE, -EOPNOTSUPP, "MONOTONIC_COARSE" },
        { CLOCK_BOOTTIME, 0, "BOOTTIME" }, { 10, -EINVAL, "10" }, { CLOCK_TAI, 0, "TAI" },
        { 12, -EINVAL, "12" }, { 1000, -EINVAL, "1000" },
        { PROCESS_CPUCLOCK(0, CPUCLOCK_PROF), 0, "own process PROF clock" },
        { PROCESS_CPUCLOCK(0, CPUCLOCK_VIRT), 0, "own process VIRT clock" },
        { PROCESS_CPUCLOCK(0, CPUCLOCK_SCHED), 0, "own process SCHED clock" },
        { THREAD_CPUCLOCK(0, CPUCLOCK_SCHED), -EINVAL, "own thread SCHED clock" },
        { THREAD_CPUCLOCK(0, CLOCKFD), -EINVAL, "thread clock with which 3" },
        { PROCESS_CPUCLOCK(0, CLOCKFD), -EOPNOTSUPP, "clock fd 0" },
    };
    for (unsigned i = 0; i < sizeof clocks / sizeof clocks[0]; i++) {
        struct timespec zero = { 0, 0 };
        cb_check_ret(sleep_call(clocks[i].clock, 0, &zero, 0), clocks[i].want,
                     "clock_nanosleep(%s) of 0 s returns %ld", clocks[i].name, clocks[i].want);
    }
    struct timespec ts = { 0, 1000 };
    cb_check_ret(sleep_call(CLOCK_MONOTONIC, 2, &ts, 0), 0, "clock_nanosleep ignores flag bits other than TIMER_ABSTIME (2)");
    cb_check_ret(sleep_call(CLOCK_MONOTONIC, ~TIMER_ABSTIME, &ts, 0), 0, "clock_nanosleep ignores flag bits other than TIMER_ABSTIME (~1)");
    struct timespec bad = { 0, NS_PER_SEC };
    cb_check_ret(sleep_call(CLOCK_MONOTONIC, 0, &bad, 0), -EINVAL, "clock_nanosleep with tv_nsec 1e9 is EINVAL");
    bad.tv_sec = -1;
    bad.tv_nsec = 0;
    cb_check_ret(sleep_call(CLOCK_MONOTONIC, 0, &bad, 0), -EINVAL, "clock_nanosleep with tv_sec -1 is EINVAL");
    cb_check_ret(sleep_call(CLOCK_MONOTONIC, TIMER_ABSTIME, &bad, 0), -EINVAL, "clock_nanosleep TIMER_ABSTIME with tv_sec -1 is EINVAL");
    cb_check_ret(sleep_call(CLOCK_MONOTONIC, 0, 0, 0), -EFAULT, "clock_nanosleep with a NULL request is EFAULT");
    cb_check_ret(sleep_call(1000, 0, 0, 0), -EINVAL, "clock_nanosleep checks the clock (EINVAL) before the request");
    cb_check_ret(sleep_call(CLOCK_MONOTONIC_RAW, 0, 0, 0), -EOPNOTSUPP,
                 "clock_nanosleep checks whether the clock sleeps (EOPNOTSUPP) before the request");
    cb_check_ret(sleep_call(CLOCK_MONOTONIC, 0, &ts, (struct timespec *)1), 0,
                 "clock_nanosleep that is not interrupted never writes a bad rem");
}

/* Relative and absolute sleeps on the clocks that sleep end at or after their deadline. */
static void check_sleeps_not_early(void)
{
    static const struct { int clock; const char *name; } clocks[] = {
        { CLOCK_MONOTONIC, "MONOTONIC" }, { CLOCK_REALTIME, "REALTIME" },
        { CLOCK_BOOTTIME, "BOOTTIME" }, { CLOCK_TAI, "TAI" },
    };
    for (unsigned i = 0; i < sizeof clocks / sizeof clocks[0]; i++) {
        int clock = clocks[i].clock;
        struct timespec req = { 0, 20 * NS_PER_MS };
        long start = now_ns(clock);
        long r = sleep_call(clock, 0, &req, 0);
        long slept = now_ns(clock) - start;
        CHECK(r == 0 && slept >= 20 * NS_PER_MS, "a relative 20 ms sleep on %s lasts at least 20 ms", clocks[i].name);
        long deadline = now_ns(clock) + 20 * NS_PER_MS;
        struct timespec abs = { deadline / NS_PER_SEC, deadline % NS_PER_SEC };
        r = sleep_call(clock, TIMER_ABSTIME, &abs, 0);
        CHECK(r == 0 && now_ns(clock) >= deadline, "a TIMER_ABSTIME sleep on %s ends at or after its deadline", clocks[i].name);
    }
    struct timespec past = { 1, 0 };
    cb_check_ret(sleep_call(CLOCK_MONOTONIC, TIMER_ABSTIME, &past, 0), 0,
                 "a TIMER_ABSTIME sleep until a time passed returns 0 at once");
}

static volatile int handled;
static void on_usr1(int sig) { (void)sig; handled++; }

static void set_handler(int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sa.sa_flags = flags;
    sigaction(SIGUSR1, &sa, 0);
}

/* Forks a child that sends SIGUSR1 to the caller after 50 ms; returns its pid. */
static pid_t signal_me_later(void)
{
    pid_t parent = getpid();
    pid_t pid = cb_fork("signaller");
    if (pid == 0) {
        cb_sleep_ms(50);
        cb_syscall(SYS_kill, parent, SIGUSR1, 0, 0, 0, 0);
        _exit(0);
    }
    return pid;
}

/* One sleep a signal interrupts: the result, and rem as the call left it. */
static long interrupted_sleep(int clock, int flags, struct timespec *req, struct timespec *rem)
{
    handled = 0;
    pid_t pid = signal_me_later();
    long r = sleep_call(clock, flags, req, rem);
    cb_wait(pid, 0);
    return r;
}

static void check_interrupted_sleeps(void)
{
    set_handler(0);
    struct timespec req = { 60, 0 }, rem = { -7, -7 };
    long r = interrupted_sleep(CLOCK_MONOTONIC, 0, &req, &rem);
    CHECK(r == -EINTR && handled == 1, "a caught signal ends a relative clock_nanosleep with EINTR");
    CHECK(ts_ns(rem) > 0 && ts_ns(rem) < 60 * NS_PER_SEC && rem.tv_nsec >= 0 && rem.tv_nsec < NS_PER_SEC,
          "the interrupted relative sleep writes the time left (under 60 s, over 0) to rem");

    long deadline = now_ns(CLOCK_MONOTONIC) + 60 * NS_PER_SEC;
    struct timespec abs = { deadline / NS_PER_SEC, deadline % NS_PER_SEC };
    rem.tv_sec = -7;
    r = interrupted_sleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, &rem);
    CHECK(r == -EINTR && rem.tv_sec == -7, "an interrupted TIMER_ABSTIME sleep is EINTR and leaves rem alone");

    set_handler(SA_RESTART);
    r = interrupted_sleep(CLOCK_MONOTONIC, 0, &req, &rem);
    CHECK(r == -EINTR, "clock_nanosleep is EINTR even when the handler has SA_RESTART");
    r = interrupted_sleep(CLOCK_MONOTONIC, 0, &req, (struct timespec *)1);
    cb_check_ret(r, -EFAULT, "an interrupted relative sleep with a bad rem is EFAULT");

    rem.tv_sec = -7;
    handled = 0;
    pid_t pid = signal_me_later();
    r = cb_syscall(SYS_nanosleep, (long)&req, (long)&rem, 0, 0, 0, 0);
    cb_wait(pid, 0);
    CHECK(r == -EINTR && ts_ns(rem) > 0 && ts_ns(rem) < 60 * NS_PER_SEC, "an interrupted nanosleep writes the time left to rem");

    struct timespec cpu = { 1, 0 };
    rem.tv_sec = -7;
    r = interrupted_sleep(CLOCK_PROCESS_CPUTIME_ID, 0, &cpu, &rem);
    CHECK(r == -EINTR && ts_ns(rem) > 0 && ts_ns(rem) <= NS_PER_SEC,
          "a sleep of 1 s on the caller's own CPU clock lasts until a signal (EINTR, rem at most 1 s)");
    set_handler(0);
}

/* Sleeping on a computing child's CPU clock ends once the child has used that much. */
static void check_sleep_on_other_cpu_clock(void)
{
    pid_t pid = cb_fork("spinning child");
    if (pid == 0) {
        for (;;)
            spin_cpu_ms(1000);
    }
    int clock = PROCESS_CPUCLOCK(pid, CPUCLOCK_SCHED);
    struct timespec req = { 0, 30 * NS_PER_MS };
    long start = now_ns(clock);
    long r = sleep_call(clock, 0, &req, 0);
    long used = now_ns(clock) - start;
    CHECK(r == 0 && used >= 30 * NS_PER_MS, "a 30 ms sleep on a computing child's CPU clock ends after the child used 30 ms");
    cb_syscall(SYS_kill, pid, SIGKILL, 0, 0, 0, 0);
    cb_wait(pid, 0);
    cb_check_ret(sleep_call(THREAD_CPUCLOCK(pid, CPUCLOCK_SCHED), 0, &req, 0), -EINVAL,
                 "clock_nanosleep on a reaped child's thread clock is EINVAL");
}

static long tv_us(struct timeval tv) { return (long)tv.tv_sec * 1000000L + tv.tv_usec; }

static long rusage_cpu_us(const struct rusage *ru) { return tv_us(ru->ru_utime) + tv_us(ru->ru_stime); }

static void check_times_and_getrusage(void)
{
    static const struct { int who; long with_null; } whos[] = {
        { -3, -EINVAL }, { -2, -EINVAL }, { RUSAGE_CHILDREN, -EFAULT }, { RUSAGE_SELF, -EFAULT },
        { RUSAGE_THREAD, -EFAULT }, { 2, -EINVAL },
    };
    for (unsigned i = 0; i < sizeof whos / sizeof whos[0]; i++)
        cb_check_ret(cb_syscall(SYS_getrusage, whos[i].who, 0, 0, 0, 0, 0), whos[i].with_null,
                     "getrusage(%d, NULL) is %ld (who checked first)", whos[i].who, whos[i].with_null);
    cb_check_ret(cb_syscall(SYS_times, 1, 0, 0, 0, 0, 0), -EFAULT, "times with a bad pointer is EFAULT");
    long ticks = cb_syscall(SYS_times, 0, 0, 0, 0, 0, 0);
    CHECK(ticks < -4095 || ticks >= 0, "times(NULL) returns clock ticks, not an error");

    struct rusage before, after, thread;
    struct tms tms_before, tms_after;
    cb_syscall(SYS_getrusage, RUSAGE_SELF, (long)&before, 0, 0, 0, 0);
    long ticks_before = cb_syscall(SYS_times, (long)&tms_before, 0, 0, 0, 0, 0);
    spin_cpu_ms(100);
    cb_sleep_ms(30);
    cb_syscall(SYS_getrusage, RUSAGE_SELF, (long)&after, 0, 0, 0, 0);
    long ticks_after = cb_syscall(SYS_times, (long)&tms_after, 0, 0, 0, 0, 0);
    cb_check_ret(cb_syscall(SYS_getrusage, RUSAGE_THREAD, (long)&thread, 0, 0, 0, 0), 0, "getrusage(RUSAGE_THREAD) is 0");
    long grew = rusage_cpu_us(&after) - rusage_cpu_us(&before);
    cb_print("INFO 100 ms of computing: getrusage user+system grew by %ld us, times by %ld ticks", grew,
             (long)(tms_after.tms_utime + tms_after.tms_stime - tms_before.tms_utime - tms_before.tms_stime));
    CHECK(grew >= 100000, "getrusage(RUSAGE_SELF): user + system time grows by 100 ms while the process computes 100 ms");
    CHECK(after.ru_utime.tv_usec < 1000000 && after.ru_stime.tv_usec < 1000000, "getrusage's timevals are normalized");
    CHECK(rusage_cpu_us(&thread) >= rusage_cpu_us(&after), "RUSAGE_THREAD reads the same time as RUSAGE_SELF, one thread");
    CHECK(tms_after.tms_utime + tms_after.tms_stime - tms_before.tms_utime - tms_before.tms_stime >= 9,
          "times: user + system grow by at least 9 clock ticks over 100 ms of computing");
    CHECK(ticks_after - ticks_before >= 12, "times' return value grows by at least 12 ticks over 130 ms");

    char *p = cb_map_private(TOUCH_PAGES);
    cb_syscall(SYS_getrusage, RUSAGE_SELF, (long)&before, 0, 0, 0, 0);
    for (int i = 0; i < TOUCH_PAGES; i++)
        p[i * CB_PAGE] = 1;
    cb_syscall(SYS_getrusage, RUSAGE_SELF, (long)&after, 0, 0, 0, 0);
    cb_print("INFO %d pages touched: ru_minflt grew by %ld, ru_majflt by %ld", TOUCH_PAGES,
             after.ru_minflt - before.ru_minflt, after.ru_majflt - before.ru_majflt);
    CHECK(after.ru_minflt - before.ru_minflt >= TOUCH_PAGES, "ru_minflt grows by at least the %d fresh pages written", TOUCH_PAGES);
    munmap(p, TOUCH_PAGES * CB_PAGE);
}

/* In a fresh child (no reaped children yet): a grandchild's time and faults reach its parent's
   RUSAGE_CHILDREN, times and wait4 rusage only when it is reaped. */
static void check_children_usage(void)
{
    pid_t pid = cb_fork("children usage");
    if (pid == 0) {
        cb_child_begin("children usage", 0);
        struct rusage ru;
        cb_syscall(SYS_getrusage, RUSAGE_CHILDREN, (long)&ru, 0, 0, 0, 0);
        CHECK(rusage_cpu_us(&ru) == 0 && ru.ru_minflt == 0, "a new process has no children's usage");
        pid_t grandchild = fork();
        if (grandchild == 0) {
            char *p = cb_map_private(TOUCH_PAGES);
            for (int i = 0; i < TOUCH_PAGES; i++)
                p[i * CB_PAGE] = 1;
            spin_cpu_ms(100);
            _exit(0);
        }
        siginfo_t info;
        cb_syscall(SYS_waitid, P_PID, grandchild, (long)&info, WEXITED | WNOWAIT, 0, 0);
        cb_syscall(SYS_getrusage, RUSAGE_CHILDREN, (long)&ru, 0, 0, 0, 0);
        CHECK(rusage_cpu_us(&ru) == 0, "an unreaped zombie's time is not in RUSAGE_CHILDREN");
        struct rusage waited;
        int status = 0;
        long r = cb_syscall(SYS_wait4, grandchild, (long)&status, 0, (long)&waited, 0, 0);
        CHECK(r == grandchild && rusage_cpu_us(&waited) >= 100000 && waited.ru_minflt >= TOUCH_PAGES,
              "wait4's rusage has the child's 100 ms and its %d page faults", TOUCH_PAGES);
        cb_syscall(SYS_getrusage, RUSAGE_CHILDREN, (long)&ru, 0, 0, 0, 0);
        CHECK(rusage_cpu_us(&ru) >= 100000 && ru.ru_minflt >= TOUCH_PAGES, "RUSAGE_CHILDREN has the reaped child's time and faults");
        struct tms tms;
        cb_syscall(SYS_times, (long)&tms, 0, 0, 0, 0, 0);
        CHECK(tms.tms_cutime + tms.tms_cstime >= 9, "times' cutime + cstime have the reaped child's 100 ms");
        cb_child_exit();
    }
    cb_expect_exit(pid, 0, "a reaped child's CPU time and faults show in its parent's children's usage");
}

int main(void)
{
    cb_begin("time_calls");
    check_gettimeofday_and_time();
    check_sleep_clocks();
    check_sleeps_not_early();
    check_interrupted_sleeps();
    check_sleep_on_other_cpu_clock();
    check_times_and_getrusage();
    check_children_usage();
    return cb_end();
}
