/*
 * clock_precision: clocks in nanoseconds, better than a tick.
 * clock_getres of the precise clocks is at most 1 us, of the COARSE ones coarser than that;
 * NULL res, unknown ids and a bad pointer. 100,000 consecutive CLOCK_MONOTONIC reads never go
 * backwards and some step between two of them is under 1 ms (a 10 ms tick clock has no such
 * step); REALTIME, BOOTTIME and the COARSE clocks never go backwards either, COARSE is never
 * ahead of the precise clock. nanosleep never returns early (0, 1 ns, 2 ms, 15 ms). A fork and
 * wait takes a measurable time. CPU time moves while the process computes.
 * No check has an upper time bound: a slow machine only makes the program take longer.
 */
#include "cbtest.h"

#define NS_PER_SEC 1000000000L
#define PROCESS_CPUCLOCK(pid, which) ((int)(~(unsigned)(pid) << 3) | (which))
#define CPUCLOCK_SCHED 2
#define READS 100000

static long read_clock(int clock, long *ns)
{
    struct timespec ts;
    long r = cb_syscall(SYS_clock_gettime, clock, (long)&ts, 0, 0, 0, 0);
    *ns = (long)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
    return r;
}

static long now_ns(int clock)
{
    long ns;
    read_clock(clock, &ns);
    return ns;
}

static long getres(int clock, struct timespec *res)
{
    return cb_syscall(SYS_clock_getres, clock, (long)res, 0, 0, 0, 0);
}

static long res_ns(int clock)
{
    struct timespec res = { -1, -1 };
    if (getres(clock, &res) != 0)
        return -1;
    return (long)res.tv_sec * NS_PER_SEC + res.tv_nsec;
}

static void check_getres(void)
{
    static const struct { int id; const char *name; } precise[] = {
        { CLOCK_MONOTONIC, "MONOTONIC" }, { CLOCK_REALTIME, "REALTIME" },
        { CLOCK_BOOTTIME, "BOOTTIME" }, { CLOCK_MONOTONIC_RAW, "MONOTONIC_RAW" },
    };
    for (unsigned i = 0; i < sizeof precise / sizeof precise[0]; i++) {
        long res = res_ns(precise[i].id);
        cb_print("INFO clock_getres(%s) = %ld ns", precise[i].name, res);
        CHECK(res > 0 && res <= 1000, "clock_getres(%s) is between 1 ns and 1 us", precise[i].name);
    }
    long fine = res_ns(CLOCK_MONOTONIC);
    long coarse = res_ns(CLOCK_MONOTONIC_COARSE);
    cb_print("INFO clock_getres(MONOTONIC_COARSE) = %ld ns", coarse);
    CHECK(coarse > 0 && coarse >= fine, "clock_getres(MONOTONIC_COARSE) is no finer than MONOTONIC");
    CHECK(res_ns(CLOCK_REALTIME_COARSE) == coarse, "clock_getres(REALTIME_COARSE) equals MONOTONIC_COARSE's");
    long cpu = res_ns(CLOCK_PROCESS_CPUTIME_ID);
    cb_print("INFO clock_getres(PROCESS_CPUTIME_ID) = %ld ns", cpu);
    CHECK(cpu > 0 && cpu < NS_PER_SEC, "clock_getres(PROCESS_CPUTIME_ID) is positive, under a second");
    CHECK(res_ns(PROCESS_CPUCLOCK(0, CPUCLOCK_SCHED)) > 0, "clock_getres of the dynamic process CPU clock of pid 0");
    cb_check_ret(getres(CLOCK_MONOTONIC, NULL), 0, "clock_getres(MONOTONIC, NULL) is 0");
    cb_check_ret(getres(10, NULL), -EINVAL, "clock_getres(10) is EINVAL");
    cb_check_ret(getres(100, NULL), -EINVAL, "clock_getres(100) is EINVAL");
    cb_check_ret(getres(-1, NULL), -EINVAL, "clock_getres(-1) (CPU clock with which 3) is EINVAL");
    cb_check_ret(getres(CLOCK_MONOTONIC, (struct timespec *)8), -EFAULT, "clock_getres with a bad pointer is EFAULT");
}

/* READS consecutive reads of CLOCK_MONOTONIC: never backwards, some step under 1 ms. */
static void check_monotonic_steps(void)
{
    long previous = now_ns(CLOCK_MONOTONIC), backwards = 0, smallest = -1, distinct = 0;
    for (int i = 0; i < READS; i++) {
        long now = now_ns(CLOCK_MONOTONIC);
        long step = now - previous;
        if (step < 0)
            backwards++;
        else if (step > 0) {
            distinct++;
            if (smallest < 0 || step < smallest)
                smallest = step;
        }
        previous = now;
    }
    cb_print("INFO %d MONOTONIC reads: %ld distinct steps, the smallest %ld ns", READS, distinct, smallest);
    CHECK(backwards == 0, "%d consecutive MONOTONIC reads never go backwards", READS);
    CHECK(smallest > 0 && smallest < 1000000, "some step between consecutive MONOTONIC reads is under 1 ms");
}

/* Consecutive reads of `clock` never go backwards. */
static void check_never_backwards(int clock, const char *name, int reads)
{
    long previous = now_ns(clock), backwards = 0;
    for (int i = 0; i < reads; i++) {
        long now = now_ns(clock);
        if (now < previous)
            backwards++;
        previous = now;
    }
    CHECK(backwards == 0, "%d consecutive %s reads never go backwards", reads, name);
}

/* A COARSE clock read before its precise clock is never ahead of it. */
static void check_coarse_behind(int coarse, int precise, const char *name)
{
    long ahead = 0;
    for (int i = 0; i < 10000; i++) {
        long c = now_ns(coarse);
        long p = now_ns(precise);
        if (c > p)
            ahead++;
    }
    CHECK(ahead == 0, "%s_COARSE is never ahead of %s read after it", name, name);
}

/* nanosleep of `ns` takes at least `ns` of CLOCK_MONOTONIC. */
static void check_sleep(long ns)
{
    struct timespec ts = { ns / NS_PER_SEC, ns % NS_PER_SEC };
    long start = now_ns(CLOCK_MONOTONIC);
    long r = cb_syscall(SYS_nanosleep, (long)&ts, 0, 0, 0, 0, 0);
    long slept = now_ns(CLOCK_MONOTONIC) - start;
    cb_print("INFO nanosleep(%ld ns) took %ld ns", ns, slept);
    cb_check_ret(r, 0, "nanosleep(%ld ns) returns 0", ns);
    CHECK(slept >= ns, "nanosleep(%ld ns) never returns early", ns);
}

static void check_fork_wait_time(void)
{
    long start = now_ns(CLOCK_MONOTONIC);
    pid_t pid = cb_fork("timing");
    if (pid == 0)
        _exit(0);
    cb_expect_exit(pid, 0, "the timed child exits 0");
    long took = now_ns(CLOCK_MONOTONIC) - start;
    cb_print("INFO fork + exit + wait4 took %ld ns", took);
    CHECK(took > 0, "fork + exit + wait4 takes a measurable time (> 0 ns)");
}

/* Computes until the process CPU clock moves (or 10 s of monotonic time pass). */
static void check_cpu_time_moves(void)
{
    long cpu_start = now_ns(CLOCK_PROCESS_CPUTIME_ID), cpu = cpu_start;
    long start = now_ns(CLOCK_MONOTONIC);
    volatile unsigned long sink = 0;
    while (cpu == cpu_start && now_ns(CLOCK_MONOTONIC) - start < 10 * NS_PER_SEC) {
        for (int i = 0; i < 100000; i++)
            sink += (unsigned long)i;
        cpu = now_ns(CLOCK_PROCESS_CPUTIME_ID);
    }
    CHECK(cpu > cpu_start, "PROCESS_CPUTIME_ID moves while the process computes");
}

int main(void)
{
    cb_begin("clock_precision");
    check_getres();
    check_monotonic_steps();
    check_never_backwards(CLOCK_REALTIME, "REALTIME", 10000);
    check_never_backwards(CLOCK_BOOTTIME, "BOOTTIME", 10000);
    check_never_backwards(CLOCK_MONOTONIC_COARSE, "MONOTONIC_COARSE", 10000);
    check_coarse_behind(CLOCK_MONOTONIC_COARSE, CLOCK_MONOTONIC, "MONOTONIC");
    check_coarse_behind(CLOCK_REALTIME_COARSE, CLOCK_REALTIME, "REALTIME");
    CHECK(now_ns(CLOCK_REALTIME) / NS_PER_SEC > 1577836800L, "REALTIME is after 2020-01-01");
    check_sleep(0);
    check_sleep(1);
    check_sleep(2000000);
    check_sleep(15000000);
    check_fork_wait_time();
    check_cpu_time_moves();
    return cb_end();
}
