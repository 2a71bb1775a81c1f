/*
 * timers: the interval timers, as Linux 6.1 has them (kernel/time/itimer.c).
 *   - alarm(s) returns the seconds the previous alarm had left, rounded to nearest and never
 *     0 while one was pending; alarm(0) cancels.
 *   - getitimer/setitimer: EINVAL for an unknown `which` and for a timeval with tv_sec < 0
 *     or tv_usec outside 0..999999; the new value is read before `which` is checked
 *     (EFAULT first); the old value is written after the change (EFAULT then, the change
 *     made); a NULL new value disarms. An ITIMER_REAL value of 0 drops the interval, a CPU
 *     timer keeps it; a CPU timer runs one tick longer than asked; huge values saturate.
 *   - ITIMER_REAL sends SIGALRM (si_code SI_KERNEL), never early; a periodic one fires
 *     again and again, but only once its SIGALRM has been taken: while the signal stays
 *     blocked or is ignored the timer reads as disarmed. Without a handler SIGALRM kills.
 *   - ITIMER_VIRTUAL (SIGVTALRM) and ITIMER_PROF (SIGPROF) count the process's CPU time:
 *     they fire while it computes, and a sleep does not move them. Linux samples CPU time
 *     at ticks, so the CPU time measured at the signal is only checked to be half the
 *     timer's at least.
 *   - fork gives the child no timers; execve keeps them.
 *   - POSIX timers (timer_create, timer_settime, timer_gettime, timer_getoverrun,
 *     timer_delete), in a fresh child: ids count from 0 and a refused create (bad sigevent,
 *     bad id pointer) uses one up; sevp is read first (EFAULT), then the clock (EINVAL,
 *     EOPNOTSUPP), then the sigevent (EINVAL); settings read back, value 0 disarms; SIGEV_NONE
 *     timers run without a signal; a timer's signal carries SI_TIMER, si_timerid and si_value;
 *     a periodic timer whose signal waits counts the expiries missed (si_overrun,
 *     timer_getoverrun) and runs again once the signal is taken; TIMER_ABSTIME; an ignored
 *     signal's periodic timer goes on; fork gives the child none and ids from 0; execve
 *     deletes them with their pending signal, the ids going on.
 * No check has an upper time bound that a slow machine could break.
 */
#include "cbtest.h"
#include <sys/resource.h>
#include <sys/time.h>

#define US_PER_SEC 1000000L
#define NS_PER_MS 1000000L
#define SI_KERNEL_CODE 0x80
#define EXEC_CHECK_ARG "--exec-check"

static volatile sig_atomic_t alarms, vtalarms, profs;
static volatile int last_code, last_pid;

static void on_timer(int sig, siginfo_t *si, void *context)
{
    (void)context;
    if (sig == SIGALRM)
        alarms++;
    else if (sig == SIGVTALRM)
        vtalarms++;
    else if (sig == SIGPROF)
        profs++;
    last_code = si->si_code;
    last_pid = si->si_pid;
}

static void catch_timer(int sig)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_timer;
    sa.sa_flags = SA_SIGINFO;
    sigaction(sig, &sa, NULL);
}

static void set_action(int sig, void (*handler)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigaction(sig, &sa, NULL);
}

static long us_of(struct timeval tv) { return tv.tv_sec * US_PER_SEC + tv.tv_usec; }

static struct timeval tv_of(long us) { return (struct timeval){ us / US_PER_SEC, us % US_PER_SEC }; }

static long sys_setitimer(int which, const struct itimerval *value, struct itimerval *old)
{
    return cb_syscall(SYS_setitimer, which, (long)value, (long)old, 0, 0, 0);
}

static long sys_getitimer(int which, struct itimerval *value)
{
    return cb_syscall(SYS_getitimer, which, (long)value, 0, 0, 0, 0);
}

static long sys_alarm(unsigned seconds) { return cb_syscall(SYS_alarm, seconds, 0, 0, 0, 0, 0); }

/* setitimer(which) to value_us, then every interval_us. */
static long arm(int which, long value_us, long interval_us)
{
    struct itimerval it = { tv_of(interval_us), tv_of(value_us) };
    return sys_setitimer(which, &it, NULL);
}

static struct itimerval read_timer(int which)
{
    struct itimerval it;
    memset(&it, 0x55, sizeof it);
    sys_getitimer(which, &it);
    return it;
}

static long now_ns(int clock)
{
    struct timespec ts;
    cb_syscall(SYS_clock_gettime, clock, (long)&ts, 0, 0, 0, 0);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

/* Computes until `counter` moves past `start` or the process has used 10 s of CPU time. */
static void spin_until(volatile sig_atomic_t *counter, int start)
{
    long begin = now_ns(CLOCK_PROCESS_CPUTIME_ID);
    volatile unsigned long sink = 0;
    while (*counter <= start && now_ns(CLOCK_PROCESS_CPUTIME_ID) - begin < 10000 * NS_PER_MS)
        for (int i = 0; i < 10000; i++)
            sink += (unsigned long)i;
}

static long user_us(void)
{
    struct rusage ru;
    cb_syscall(SYS_getrusage, RUSAGE_SELF, (long)&ru, 0, 0, 0, 0);
    return us_of(ru.ru_utime);
}

static void check_alarm(void)
{
    cb_check_ret(sys_alarm(0), 0, "alarm(0) without an alarm returns 0");
    cb_check_ret(sys_alarm(5), 0, "alarm(5) without an alarm returns 0");
    struct itimerval it = read_timer(ITIMER_REAL);
    CHECK(us_of(it.it_value) > 4 * US_PER_SEC && us_of(it.it_value) <= 5 * US_PER_SEC && us_of(it.it_interval) == 0,
          "after alarm(5) ITIMER_REAL has at most 5 s left and no interval");
    cb_check_ret(sys_alarm(10), 5, "alarm(10) returns the 5 s the previous alarm had left, rounded");
    cb_check_ret(sys_alarm(0), 10, "alarm(0) cancels and returns the 10 s left");
    it = read_timer(ITIMER_REAL);
    CHECK(us_of(it.it_value) == 0, "after alarm(0) ITIMER_REAL is disarmed");

    arm(ITIMER_REAL, 300000, 0);
    cb_check_ret(sys_alarm(0), 1, "alarm(0) with 0.3 s left returns 1, never 0 while an alarm is pending");
    arm(ITIMER_REAL, 2400000, 0);
    cb_check_ret(sys_alarm(0), 2, "alarm(0) with 2.4 s left returns 2 (rounded down)");
    arm(ITIMER_REAL, 2600000, 0);
    cb_check_ret(sys_alarm(0), 3, "alarm(0) with 2.6 s left returns 3 (rounded up)");

    catch_timer(SIGALRM);
    alarms = 0;
    long start = now_ns(CLOCK_MONOTONIC);
    sys_alarm(1);
    while (alarms == 0)
        cb_syscall(SYS_pause, 0, 0, 0, 0, 0, 0);
    long elapsed = now_ns(CLOCK_MONOTONIC) - start;
    CHECK(elapsed >= 1000 * NS_PER_MS, "alarm(1) sends SIGALRM no sooner than 1 s later");
    cb_check_ret(last_code, SI_KERNEL_CODE, "SIGALRM from alarm has si_code SI_KERNEL");
    cb_check_ret(last_pid, 0, "SIGALRM from alarm has si_pid 0");
    cb_check_ret(sys_alarm(0), 0, "an alarm that fired leaves nothing to cancel");
}

static void check_errors(void)
{
    struct itimerval it = { { 0, 0 }, { 5, 0 } }, old;
    cb_check_ret(sys_setitimer(3, &it, NULL), -EINVAL, "setitimer(3) is EINVAL");
    cb_check_ret(sys_setitimer(-1, &it, NULL), -EINVAL, "setitimer(-1) is EINVAL");
    cb_check_ret(sys_getitimer(3, &it), -EINVAL, "getitimer(3) is EINVAL");
    cb_check_ret(sys_getitimer(-1, &it), -EINVAL, "getitimer(-1) is EINVAL");
    cb_check_ret(sys_getitimer(ITIMER_REAL, (struct itimerval *)1), -EFAULT, "getitimer with a bad pointer is EFAULT");
    cb_check_ret(sys_getitimer(3, (struct itimerval *)1), -EINVAL, "getitimer checks which (EINVAL) before the pointer");
    cb_check_ret(sys_setitimer(ITIMER_REAL, (struct itimerval *)1, NULL), -EFAULT, "setitimer with a bad value is EFAULT");
    cb_check_ret(sys_setitimer(3, (struct itimerval *)1, NULL), -EFAULT, "setitimer reads the value (EFAULT) before it checks which");

    static const struct { int which; long sec, usec; int in_interval; const char *what; } bad[] = {
        { ITIMER_REAL, 0, 1000000, 0, "ITIMER_REAL with tv_usec 1000000" },
        { ITIMER_REAL, 0, -1, 0, "ITIMER_REAL with tv_usec -1" },
        { ITIMER_REAL, -1, 0, 0, "ITIMER_REAL with tv_sec -1" },
        { ITIMER_REAL, 1, 1000000, 1, "ITIMER_REAL with an interval's tv_usec 1000000" },
        { ITIMER_VIRTUAL, 0, 1000000, 0, "ITIMER_VIRTUAL with tv_usec 1000000" },
        { ITIMER_PROF, -1, 0, 1, "ITIMER_PROF with an interval's tv_sec -1" },
        { 3, 0, -1, 0, "which 3 with tv_usec -1" },
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct itimerval v = { { 0, 0 }, { 1, 0 } };
        struct timeval *tv = bad[i].in_interval ? &v.it_interval : &v.it_value;
        tv->tv_sec = bad[i].sec;
        tv->tv_usec = bad[i].usec;
        cb_check_ret(sys_setitimer(bad[i].which, &v, NULL), -EINVAL, "setitimer %s is EINVAL", bad[i].what);
    }
    CHECK(us_of(read_timer(ITIMER_REAL).it_value) == 0, "a refused setitimer leaves the timer alone");

    cb_check_ret(sys_setitimer(ITIMER_REAL, &it, (struct itimerval *)1), -EFAULT, "setitimer with a bad old value is EFAULT");
    CHECK(us_of(read_timer(ITIMER_REAL).it_value) > 4 * US_PER_SEC, "... after arming the timer");
    memset(&old, 0, sizeof old);
    cb_check_ret(sys_setitimer(ITIMER_REAL, NULL, &old), 0, "setitimer with a NULL value is 0");
    CHECK(us_of(old.it_value) > 4 * US_PER_SEC && us_of(read_timer(ITIMER_REAL).it_value) == 0,
          "setitimer with a NULL value disarms the timer and gives its old value");
}

static void check_values(void)
{
    struct itimerval old;
    arm(ITIMER_REAL, 2500000, 250000);
    struct itimerval it = read_timer(ITIMER_REAL);
    CHECK(us_of(it.it_interval) == 250000, "getitimer(ITIMER_REAL) gives the interval set, 0.25 s");
    CHECK(us_of(it.it_value) > 2 * US_PER_SEC && us_of(it.it_value) <= 2500000 && it.it_value.tv_usec < US_PER_SEC,
          "getitimer(ITIMER_REAL) gives at most the 2.5 s set");
    struct itimerval next = { tv_of(0), tv_of(7 * US_PER_SEC) };
    cb_check_ret(sys_setitimer(ITIMER_REAL, &next, &old), 0, "setitimer(ITIMER_REAL) over an armed timer");
    CHECK(us_of(old.it_interval) == 250000 && us_of(old.it_value) > 2 * US_PER_SEC && us_of(old.it_value) <= 2500000,
          "setitimer gives the old value and interval");
    arm(ITIMER_REAL, 0, US_PER_SEC);
    it = read_timer(ITIMER_REAL);
    CHECK(us_of(it.it_value) == 0 && us_of(it.it_interval) == 0, "ITIMER_REAL with value 0 is disarmed and drops its interval");

    arm(ITIMER_VIRTUAL, 0, US_PER_SEC);
    it = read_timer(ITIMER_VIRTUAL);
    CHECK(us_of(it.it_value) == 0 && us_of(it.it_interval) == US_PER_SEC, "ITIMER_VIRTUAL with value 0 keeps its interval");
    arm(ITIMER_VIRTUAL, US_PER_SEC, 0);
    it = read_timer(ITIMER_VIRTUAL);
    CHECK(us_of(it.it_value) > US_PER_SEC && us_of(it.it_value) <= US_PER_SEC + 20000,
          "ITIMER_VIRTUAL set to 1 s reads a little more (one tick) right after");
    cb_sleep_ms(100);
    it = read_timer(ITIMER_VIRTUAL);
    CHECK(us_of(it.it_value) > 900000, "a 100 ms sleep does not move ITIMER_VIRTUAL");
    arm(ITIMER_PROF, 3 * US_PER_SEC, 500000);
    it = read_timer(ITIMER_PROF);
    CHECK(us_of(it.it_value) > 2 * US_PER_SEC && us_of(it.it_value) <= 3 * US_PER_SEC + 20000 && us_of(it.it_interval) == 500000,
          "ITIMER_PROF reads the 3 s and 0.5 s set");
    struct itimerval off = { tv_of(0), tv_of(0) };
    cb_check_ret(sys_setitimer(ITIMER_PROF, &off, &old), 0, "setitimer(ITIMER_PROF) to 0");
    CHECK(us_of(old.it_value) > 2 * US_PER_SEC && us_of(old.it_interval) == 500000, "... gives the old ITIMER_PROF");
    arm(ITIMER_VIRTUAL, 0, 0);
    CHECK(us_of(read_timer(ITIMER_VIRTUAL).it_interval) == 0 && us_of(read_timer(ITIMER_PROF).it_value) == 0,
          "CPU timers set to 0 with no interval are off");

    struct itimerval huge = { tv_of(0), { 1000000000000L, 0 } };
    sys_setitimer(ITIMER_REAL, &huge, NULL);
    it = read_timer(ITIMER_REAL);
    cb_print("INFO ITIMER_REAL set to 1e12 s reads %ld s", (long)it.it_value.tv_sec);
    CHECK(it.it_value.tv_sec > 9000000000L && it.it_value.tv_sec <= 9223372036L,
          "ITIMER_REAL of 1e12 s saturates at KTIME_MAX (about 292 years)");
    arm(ITIMER_REAL, 0, 0);
}

/* Whether a tracer (strace, in the syscall-subset check) traces this process: Linux then
   queues even ignored signals for the tracer to see, so they are taken and re-arm timers. */
static int traced(void)
{
    char status[4096];
    long tracer = 0;
    return cb_read_file("/proc/self/status", status, sizeof status) > 0 && cb_find_field(status, "TracerPid", &tracer)
        && tracer != 0;
}

static void check_real_fires(void)
{
    catch_timer(SIGALRM);
    alarms = 0;
    long start = now_ns(CLOCK_MONOTONIC);
    arm(ITIMER_REAL, 50000, 0);
    while (alarms == 0)
        cb_syscall(SYS_pause, 0, 0, 0, 0, 0, 0);
    CHECK(now_ns(CLOCK_MONOTONIC) - start >= 50 * NS_PER_MS, "a 50 ms ITIMER_REAL fires no sooner than 50 ms later");
    cb_check_ret(last_code, SI_KERNEL_CODE, "SIGALRM from ITIMER_REAL has si_code SI_KERNEL");
    CHECK(us_of(read_timer(ITIMER_REAL).it_value) == 0, "a one-shot ITIMER_REAL that fired reads 0");

    alarms = 0;
    start = now_ns(CLOCK_MONOTONIC);
    arm(ITIMER_REAL, 20000, 20000);
    while (alarms < 3)
        cb_syscall(SYS_pause, 0, 0, 0, 0, 0, 0);
    CHECK(now_ns(CLOCK_MONOTONIC) - start >= 60 * NS_PER_MS, "a periodic 20 ms ITIMER_REAL fires 3 times in no less than 60 ms");
    struct itimerval it = read_timer(ITIMER_REAL);
    CHECK(us_of(it.it_value) > 0 && us_of(it.it_value) <= 20000 && us_of(it.it_interval) == 20000,
          "a periodic ITIMER_REAL is armed again after its SIGALRM is handled");
    arm(ITIMER_REAL, 0, 0);

    sigset_t set, none;
    sigemptyset(&set);
    sigemptyset(&none);
    sigaddset(&set, SIGALRM);
    sigprocmask(SIG_BLOCK, &set, NULL);
    alarms = 0;
    arm(ITIMER_REAL, 10000, 10000);
    cb_sleep_ms(100);
    it = read_timer(ITIMER_REAL);
    CHECK(us_of(it.it_value) == 0 && us_of(it.it_interval) == 10000,
          "a periodic ITIMER_REAL whose SIGALRM is blocked reads 0 after firing, keeping its interval");
    unsigned long pending = 0;
    cb_syscall(SYS_rt_sigpending, (long)&pending, 8, 0, 0, 0, 0);
    CHECK(pending & (1UL << (SIGALRM - 1)), "... and its SIGALRM is pending");
    sigprocmask(SIG_SETMASK, &none, NULL);
    cb_check_ret(alarms, 1, "unblocking SIGALRM runs the handler once: the expiries did not queue");
    CHECK(us_of(read_timer(ITIMER_REAL).it_value) > 0, "taking the SIGALRM arms the periodic ITIMER_REAL again");
    arm(ITIMER_REAL, 0, 0);

    if (traced()) {
        cb_print("INFO traced: the ignored-SIGALRM check is skipped");
    } else {
        set_action(SIGALRM, SIG_IGN);
        arm(ITIMER_REAL, 10000, 10000);
        cb_sleep_ms(100);
        it = read_timer(ITIMER_REAL);
        CHECK(us_of(it.it_value) == 0 && us_of(it.it_interval) == 10000,
              "with SIGALRM ignored a periodic ITIMER_REAL fires once and stays disarmed");
        arm(ITIMER_REAL, 0, 0);
    }
    set_action(SIGALRM, SIG_DFL);

    pid_t pid = cb_fork("SIGALRM default action");
    if (pid == 0) {
        arm(ITIMER_REAL, 20000, 0);
        for (;;)
            cb_syscall(SYS_pause, 0, 0, 0, 0, 0, 0);
    }
    cb_expect_signal(pid, SIGALRM, "ITIMER_REAL's SIGALRM without a handler kills the process");
}

static void check_cpu_fires(void)
{
    catch_timer(SIGVTALRM);
    catch_timer(SIGPROF);
    vtalarms = 0;
    long before = user_us();
    arm(ITIMER_VIRTUAL, 50000, 0);
    spin_until(&vtalarms, 0);
    CHECK(vtalarms == 1, "ITIMER_VIRTUAL of 50 ms sends SIGVTALRM while the process computes");
    CHECK(user_us() - before >= 25000, "... not before it has computed a while (25 ms: Linux samples CPU time at ticks)");
    cb_check_ret(last_code, SI_KERNEL_CODE, "SIGVTALRM has si_code SI_KERNEL");
    CHECK(us_of(read_timer(ITIMER_VIRTUAL).it_value) == 0, "a one-shot ITIMER_VIRTUAL that fired reads 0");

    profs = 0;
    long cpu_before = now_ns(CLOCK_PROCESS_CPUTIME_ID);
    arm(ITIMER_PROF, 30000, 30000);
    for (int i = 0; i < 3; i++)
        spin_until(&profs, i);
    CHECK(profs >= 3, "a periodic 30 ms ITIMER_PROF sends SIGPROF again and again while the process computes");
    CHECK(now_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu_before >= 45 * NS_PER_MS, "... 3 times, not before it has computed a while (45 ms)");
    struct itimerval it = read_timer(ITIMER_PROF);
    CHECK(us_of(it.it_value) > 0 && us_of(it.it_interval) == 30000, "a periodic ITIMER_PROF stays armed");
    arm(ITIMER_PROF, 0, 0);
}

/* The new image of the execve check: the timers its caller armed are still there. */
static int exec_check(void)
{
    struct itimerval real = read_timer(ITIMER_REAL), virt = read_timer(ITIMER_VIRTUAL);
    return us_of(real.it_value) > 0 && us_of(real.it_interval) == 3 * US_PER_SEC && us_of(virt.it_value) > 0 ? 0 : 1;
}

static void check_fork_and_exec(const char *self)
{
    arm(ITIMER_REAL, 5 * US_PER_SEC, 3 * US_PER_SEC);
    arm(ITIMER_VIRTUAL, 5 * US_PER_SEC, 0);
    arm(ITIMER_PROF, 5 * US_PER_SEC, US_PER_SEC);
    pid_t pid = cb_fork("timers after fork");
    if (pid == 0) {
        cb_child_begin("fork", 0);
        static const int which[] = { ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF };
        for (int i = 0; i < 3; i++) {
            struct itimerval it = read_timer(which[i]);
            CHECK(us_of(it.it_value) == 0 && us_of(it.it_interval) == 0, "timer %d is off in a fork child", which[i]);
        }
        cb_check_ret(sys_alarm(0), 0, "a fork child has no alarm");
        cb_child_exit();
    }
    cb_expect_exit(pid, 0, "a fork child starts with no interval timer armed");

    arm(ITIMER_REAL, 0, 0);
    arm(ITIMER_VIRTUAL, 0, 0);
    arm(ITIMER_PROF, 0, 0);

    pid = cb_fork("timers across execve");
    if (pid == 0) {
        arm(ITIMER_REAL, 5 * US_PER_SEC, 3 * US_PER_SEC);
        arm(ITIMER_VIRTUAL, 5 * US_PER_SEC, 0);
        char *args[] = { (char *)self, EXEC_CHECK_ARG, NULL };
        cb_syscall(SYS_execve, (long)self, (long)args, 0, 0, 0, 0);
        _exit(2);
    }
    cb_expect_exit(pid, 0, "execve keeps ITIMER_REAL and ITIMER_VIRTUAL");
}

/* POSIX timers: the kernel's struct sigevent and timer id (an int). */
struct kevent {
    long value;
    int signo, notify;
    int tid;
    int pad[11];
};

#define SI_TIMER_CODE (-2)
#define POSIX_EXEC_ARG "--posix-exec-check"

static long ptimer_create(int clock, struct kevent *ev, int *id)
{
    return cb_syscall(SYS_timer_create, clock, (long)ev, (long)id, 0, 0, 0);
}

static long ptimer_set(int id, int flags, long value_ns, long interval_ns, struct itimerspec *old)
{
    struct itimerspec it = { { interval_ns / 1000000000L, interval_ns % 1000000000L },
                             { value_ns / 1000000000L, value_ns % 1000000000L } };
    return cb_syscall(SYS_timer_settime, id, flags, (long)&it, (long)old, 0, 0);
}

static long ns_of(struct timespec ts) { return ts.tv_sec * 1000000000L + ts.tv_nsec; }

static struct itimerspec ptimer_get(int id)
{
    struct itimerspec it;
    memset(&it, 0x55, sizeof it);
    cb_syscall(SYS_timer_gettime, id, (long)&it, 0, 0, 0, 0);
    return it;
}

static struct kevent signal_event(int signo, long value)
{
    struct kevent ev;
    memset(&ev, 0, sizeof ev);
    ev.value = value;
    ev.signo = signo;
    ev.notify = SIGEV_SIGNAL;
    return ev;
}

static siginfo_t timer_info;
static volatile sig_atomic_t timer_signals;

static void on_timer_signal(int sig, siginfo_t *si, void *context)
{
    (void)sig;
    (void)context;
    timer_info = *si;
    timer_signals++;
}

/* The new image of the POSIX timer execve check: the caller's timers 0 and 1 are gone, the ids
   go on from 2, and timer 1's pending signal (SIGUSR1, blocked) went with it. */
static int posix_exec_check(void)
{
    int id = -1;
    long gone = cb_syscall(SYS_timer_gettime, 0, (long)&(struct itimerspec){ { 0, 0 }, { 0, 0 } }, 0, 0, 0, 0);
    long created = ptimer_create(CLOCK_MONOTONIC, NULL, &id);
    unsigned long pending = 0;
    cb_syscall(SYS_rt_sigpending, (long)&pending, 8, 0, 0, 0, 0);
    return gone == -EINVAL && created == 0 && id == 2 && !(pending & (1UL << (SIGUSR1 - 1))) ? 0 : 1;
}

static void check_posix_create(void)
{
    int id = -1;
    cb_check_ret(ptimer_create(CLOCK_MONOTONIC, NULL, &id), 0, "timer_create(CLOCK_MONOTONIC, NULL)");
    cb_check_ret(id, 0, "a process's first timer is 0");
    cb_check_ret(ptimer_create(CLOCK_REALTIME, NULL, &id), 0, "timer_create(CLOCK_REALTIME, NULL)");
    cb_check_ret(id, 1, "the next is 1");
    struct kevent ev = signal_event(SIGUSR1, 0);
    ev.notify = 99;
    cb_check_ret(ptimer_create(CLOCK_MONOTONIC, &ev, &id), -EINVAL, "timer_create with sigev_notify 99 is EINVAL");
    cb_check_ret(ptimer_create(CLOCK_MONOTONIC, NULL, &id), 0, "timer_create after a refused one");
    cb_check_ret(id, 3, "... gets id 3: the refused one used up id 2");
    ev = signal_event(0, 0);
    cb_check_ret(ptimer_create(CLOCK_MONOTONIC, &ev, &id), -EINVAL, "SIGEV_SIGNAL with signal 0 is EINVAL");
    ev = signal_event(65, 0);
    cb_check_ret(ptimer_create(CLOCK_MONOTONIC, &ev, &id), -EINVAL, "SIGEV_SIGNAL with signal 65 is EINVAL");
    ev = signal_event(0, 0);
    ev.notify = SIGEV_NONE;
    cb_check_ret(ptimer_create(CLOCK_MONOTONIC, &ev, &id), 0, "SIGEV_NONE takes any signal number");
    ev = signal_event(SIGUSR1, 0);
    ev.notify = 4;   /* SIGEV_THREAD_ID */
    ev.tid = getpid();
    cb_check_ret(ptimer_create(CLOCK_MONOTONIC, &ev, &id), 0, "SIGEV_THREAD_ID naming the caller");
    ev.tid = getpid() + 100000;
    cb_check_ret(ptimer_create(CLOCK_MONOTONIC, &ev, &id), -EINVAL, "SIGEV_THREAD_ID naming no thread of the caller is EINVAL");
    cb_check_ret(ptimer_create(10, NULL, &id), -EINVAL, "timer_create on clock 10 is EINVAL");
    cb_check_ret(ptimer_create(CLOCK_MONOTONIC_RAW, NULL, &id), -EOPNOTSUPP, "timer_create on CLOCK_MONOTONIC_RAW is EOPNOTSUPP");
    cb_check_ret(ptimer_create(CLOCK_MONOTONIC_COARSE, NULL, &id), -EOPNOTSUPP, "timer_create on CLOCK_MONOTONIC_COARSE is EOPNOTSUPP");
    cb_check_ret(ptimer_create(10, (struct kevent *)1, &id), -EFAULT, "timer_create reads sevp (EFAULT) before it checks the clock");
    cb_check_ret(ptimer_create(CLOCK_MONOTONIC, NULL, (int *)1), -EFAULT, "timer_create with a bad id pointer is EFAULT");
    int before = id;
    ptimer_create(CLOCK_BOOTTIME, NULL, &id);
    CHECK(id == before + 3, "... and uses up an id, as the refused SIGEV_THREAD_ID did");
}

static void check_posix_settings(void)
{
    int id;
    ptimer_create(CLOCK_MONOTONIC, NULL, &id);
    struct itimerspec it = ptimer_get(id), old;
    CHECK(ns_of(it.it_value) == 0 && ns_of(it.it_interval) == 0, "a new timer is disarmed");
    cb_check_ret(cb_syscall(SYS_timer_settime, id, 0, 0, 0, 0, 0), -EINVAL, "timer_settime with a NULL value is EINVAL");
    cb_check_ret(cb_syscall(SYS_timer_settime, id, 0, 1, 0, 0, 0), -EFAULT, "timer_settime with a bad value is EFAULT");
    cb_check_ret(ptimer_set(id, 0, 999999999L + 1, 0, NULL), 0, "timer_settime of 1 s");
    struct itimerspec bad = { { 0, 0 }, { 0, 1000000000L } };
    cb_check_ret(cb_syscall(SYS_timer_settime, id, 0, (long)&bad, 0, 0, 0), -EINVAL, "timer_settime with tv_nsec 1e9 is EINVAL");
    bad.it_value.tv_nsec = 0;
    bad.it_interval.tv_sec = -1;
    cb_check_ret(cb_syscall(SYS_timer_settime, id, 0, (long)&bad, 0, 0, 0), -EINVAL, "timer_settime with an interval of -1 s is EINVAL");
    cb_check_ret(ptimer_set(9999, 0, 1000, 0, NULL), -EINVAL, "timer_settime of an unknown timer is EINVAL");
    cb_check_ret(ptimer_set(-1, 0, 1000, 0, NULL), -EINVAL, "timer_settime of timer -1 is EINVAL");
    cb_check_ret(ptimer_set(id, 0, 2000000000L, 500000000L, &old), 0, "timer_settime of 2 s every 0.5 s");
    CHECK(ns_of(old.it_value) > 500000000L && ns_of(old.it_value) <= 1000000000L && ns_of(old.it_interval) == 0,
          "... gives the old setting");
    it = ptimer_get(id);
    CHECK(ns_of(it.it_value) > 1500000000L && ns_of(it.it_value) <= 2000000000L && ns_of(it.it_interval) == 500000000L,
          "timer_gettime gives the time left and the interval");
    cb_check_ret(ptimer_set(id, 0, 3000000000L, 0, (struct itimerspec *)1), -EFAULT, "timer_settime with a bad old pointer is EFAULT");
    CHECK(ns_of(ptimer_get(id).it_value) > 2000000000L, "... after the change");
    cb_check_ret(ptimer_set(id, 0, 0, 1000000, NULL), 0, "timer_settime with value 0");
    it = ptimer_get(id);
    CHECK(ns_of(it.it_value) == 0 && ns_of(it.it_interval) == 0, "... disarms the timer and drops its interval");
    cb_check_ret(cb_syscall(SYS_timer_gettime, 9999, (long)&it, 0, 0, 0, 0), -EINVAL, "timer_gettime of an unknown timer is EINVAL");
    cb_check_ret(cb_syscall(SYS_timer_gettime, id, 1, 0, 0, 0, 0), -EFAULT, "timer_gettime with a bad pointer is EFAULT");
    cb_check_ret(cb_syscall(SYS_timer_getoverrun, id, 0, 0, 0, 0, 0), 0, "timer_getoverrun of a timer that never fired is 0");
    cb_check_ret(cb_syscall(SYS_timer_getoverrun, 9999, 0, 0, 0, 0, 0), -EINVAL, "timer_getoverrun of an unknown timer is EINVAL");
    cb_check_ret(cb_syscall(SYS_timer_delete, id, 0, 0, 0, 0, 0), 0, "timer_delete");
    cb_check_ret(cb_syscall(SYS_timer_delete, id, 0, 0, 0, 0, 0), -EINVAL, "timer_delete of a deleted timer is EINVAL");
    cb_check_ret(cb_syscall(SYS_timer_gettime, id, (long)&it, 0, 0, 0, 0), -EINVAL, "timer_gettime of a deleted timer is EINVAL");

    struct kevent none = signal_event(SIGUSR1, 0);
    none.notify = SIGEV_NONE;
    ptimer_create(CLOCK_MONOTONIC, &none, &id);
    ptimer_set(id, 0, 20 * NS_PER_MS, 0, NULL);
    cb_sleep_ms(50);
    CHECK(ns_of(ptimer_get(id).it_value) == 0, "a one-shot SIGEV_NONE timer reads 0 once expired");
    ptimer_set(id, 0, 20 * NS_PER_MS, 20 * NS_PER_MS, NULL);
    cb_sleep_ms(50);
    it = ptimer_get(id);
    CHECK(ns_of(it.it_value) > 0 && ns_of(it.it_value) <= 20 * NS_PER_MS && ns_of(it.it_interval) == 20 * NS_PER_MS,
          "a periodic SIGEV_NONE timer reads the time to its next expiry");
    unsigned long pending = 0;
    cb_syscall(SYS_rt_sigpending, (long)&pending, 8, 0, 0, 0, 0);
    CHECK(!(pending & (1UL << (SIGUSR1 - 1))) && timer_signals == 0, "a SIGEV_NONE timer sends nothing");
    cb_syscall(SYS_timer_delete, id, 0, 0, 0, 0, 0);
}

static void check_posix_signals(const char *self)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_timer_signal;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGALRM, &sa, NULL);
    int id;
    ptimer_create(CLOCK_MONOTONIC, NULL, &id);
    timer_signals = 0;
    long start = now_ns(CLOCK_MONOTONIC);
    ptimer_set(id, 0, 30 * NS_PER_MS, 0, NULL);
    while (timer_signals == 0)
        cb_syscall(SYS_pause, 0, 0, 0, 0, 0, 0);
    CHECK(now_ns(CLOCK_MONOTONIC) - start >= 30 * NS_PER_MS, "a 30 ms timer fires no sooner than 30 ms later");
    CHECK(timer_info.si_signo == SIGALRM && timer_info.si_code == SI_TIMER_CODE && timer_info.si_timerid == id
          && timer_info.si_value.sival_int == id, "a timer made without sevp sends SIGALRM, SI_TIMER, its id as si_timerid and si_value");
    CHECK(ns_of(ptimer_get(id).it_value) == 0, "a one-shot timer that fired reads 0");
    cb_syscall(SYS_timer_delete, id, 0, 0, 0, 0, 0);

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    struct kevent ev = signal_event(SIGUSR1, 0x1234);
    ptimer_create(CLOCK_MONOTONIC, &ev, &id);
    ptimer_set(id, 0, 20 * NS_PER_MS, 20 * NS_PER_MS, NULL);
    cb_sleep_ms(110);
    struct itimerspec it = ptimer_get(id);
    CHECK(ns_of(it.it_value) > 0 && ns_of(it.it_value) <= 20 * NS_PER_MS, "a periodic timer whose signal waits reads the time to its next expiry");
    siginfo_t info;
    memset(&info, 0, sizeof info);
    unsigned long usr1 = 1UL << (SIGUSR1 - 1);
    cb_check_ret(cb_syscall(SYS_rt_sigtimedwait, (long)&usr1, (long)&info, 0, 8, 0, 0), SIGUSR1, "rt_sigtimedwait takes the timer's SIGUSR1");
    cb_print("INFO a 20 ms timer left waiting 110 ms: si_overrun %d", info.si_overrun);
    CHECK(info.si_code == SI_TIMER_CODE && info.si_timerid == id && info.si_value.sival_ptr == (void *)0x1234,
          "... with SI_TIMER, the id and sigev_value");
    CHECK(info.si_overrun >= 3, "... and the expiries missed meanwhile as si_overrun");
    cb_check_ret(cb_syscall(SYS_timer_getoverrun, id, 0, 0, 0, 0, 0), info.si_overrun, "timer_getoverrun gives the same count");
    cb_check_ret(cb_syscall(SYS_rt_sigtimedwait, (long)&usr1, (long)&info, 0, 8, 0, 0), SIGUSR1,
                 "taking the signal armed the periodic timer again");
    cb_syscall(SYS_timer_delete, id, 0, 0, 0, 0, 0);

    struct timespec wait = { 1, 0 };
    ptimer_create(CLOCK_MONOTONIC, &ev, &id);
    long deadline = now_ns(CLOCK_MONOTONIC) + 50 * NS_PER_MS;
    ptimer_set(id, TIMER_ABSTIME, deadline, 0, NULL);
    long got = cb_syscall(SYS_rt_sigtimedwait, (long)&usr1, 0, (long)&wait, 8, 0, 0);
    CHECK(got == SIGUSR1 && now_ns(CLOCK_MONOTONIC) >= deadline, "a TIMER_ABSTIME timer on CLOCK_MONOTONIC fires at its time, not before");
    cb_syscall(SYS_timer_delete, id, 0, 0, 0, 0, 0);
    ptimer_create(CLOCK_REALTIME, &ev, &id);
    ptimer_set(id, TIMER_ABSTIME, 1000000000L, 0, NULL);
    cb_check_ret(cb_syscall(SYS_rt_sigtimedwait, (long)&usr1, 0, (long)&wait, 8, 0, 0), SIGUSR1,
                 "a TIMER_ABSTIME timer on CLOCK_REALTIME at a time long past fires at once");
    cb_syscall(SYS_timer_delete, id, 0, 0, 0, 0, 0);

    if (traced()) {
        cb_print("INFO traced: the ignored-signal timer check is skipped");
    } else {
        set_action(SIGUSR2, SIG_IGN);
        ev = signal_event(SIGUSR2, 0);
        ptimer_create(CLOCK_MONOTONIC, &ev, &id);
        ptimer_set(id, 0, 10 * NS_PER_MS, 20 * NS_PER_MS, NULL);
        cb_sleep_ms(70);
        it = ptimer_get(id);
        CHECK(ns_of(it.it_value) > 0 && ns_of(it.it_value) <= 20 * NS_PER_MS, "a periodic timer whose signal is ignored goes on running");
        cb_syscall(SYS_timer_delete, id, 0, 0, 0, 0, 0);
        set_action(SIGUSR2, SIG_DFL);
    }

    ptimer_create(CLOCK_MONOTONIC, NULL, &id);
    pid_t pid = cb_fork("POSIX timers after fork");
    if (pid == 0) {
        int child_id = -1;
        long r = cb_syscall(SYS_timer_gettime, id, (long)&it, 0, 0, 0, 0);
        _exit(r == -EINVAL && ptimer_create(CLOCK_MONOTONIC, NULL, &child_id) == 0 && child_id == 0 ? 0 : 1);
    }
    cb_expect_exit(pid, 0, "a fork child has none of its parent's timers, and its ids start at 0");
    cb_syscall(SYS_timer_delete, id, 0, 0, 0, 0, 0);

    pid = cb_fork("POSIX timers across execve");
    if (pid == 0) {
        int first;
        ptimer_create(CLOCK_MONOTONIC, &ev, &first);
        struct kevent usr1_event = signal_event(SIGUSR1, 0);
        ptimer_create(CLOCK_MONOTONIC, &usr1_event, &first);
        ptimer_set(first, 0, 1000, 0, NULL);
        cb_sleep_ms(30);
        char *args[] = { (char *)self, POSIX_EXEC_ARG, NULL };
        cb_syscall(SYS_execve, (long)self, (long)args, 0, 0, 0, 0);
        _exit(2);
    }
    cb_expect_exit(pid, 0, "execve deletes the timers and their pending signal, and ids go on");
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    set_action(SIGALRM, SIG_DFL);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], EXEC_CHECK_ARG) == 0)
        return exec_check();
    if (argc > 1 && strcmp(argv[1], POSIX_EXEC_ARG) == 0)
        return posix_exec_check();
    char self[256];
    cb_self_path(argv[0], self, sizeof self);
    cb_begin("timers");
    check_alarm();
    check_errors();
    check_values();
    check_real_fires();
    check_cpu_fires();
    check_fork_and_exec(self);
    pid_t pid = cb_fork("POSIX timers");
    if (pid == 0) {
        cb_child_begin("POSIX timers", 0);
        check_posix_create();
        check_posix_settings();
        check_posix_signals(self);
        cb_child_exit();
    }
    cb_expect_exit(pid, 0, "POSIX timers in a fresh process: ids, sigevent and clock checks, settings, SIGEV_NONE, signals, overruns, fork, execve");
    return cb_end();
}
