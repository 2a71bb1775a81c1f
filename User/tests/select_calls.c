/*
 * select_calls: the calls that wait for files or for signals, as Linux 6.1 answers them.
 *   - select: pipe ends reported in the read and write sets (data, room, a hung-up end),
 *     never in the exception set; sets written back with only the ready bits, bits at or
 *     above nfds ignored and cleared; EINVAL for nfds < 0 (before the sets are read), EFAULT
 *     for a bad set or timeout, EBADF for a closed fd; the timeval read first (EFAULT,
 *     EINVAL for negative values, tv_usec of a second or more carried into tv_sec) and the
 *     time left written back (zero after a timeout; a read-only timeval is no error);
 *     EINTR when a handler runs, SA_RESTART or not, the sets left alone.
 *   - pselect6 and ppoll: a timespec (EINVAL for tv_nsec of a second), the time left written
 *     back, a signal mask in force during the call (EINTR with the handler run under it, the
 *     caller's mask back afterwards; a ready fd returns at once, the signal left pending),
 *     EINVAL for a sigsetsize other than 8, EFAULT for a bad mask or argument block, in
 *     Linux's order of checks.
 *   - rt_sigpending: the pending signals the mask blocks (ignored ones too); EINVAL for a
 *     size above 8, a smaller size writes that many bytes.
 *   - rt_sigtimedwait: takes a pending signal of its set without running a handler, a
 *     fault's signal first, then the lowest; its siginfo (si_code, si_pid); EAGAIN for a zero
 *     or passed timeout; waits for a signal that arrives (SIGALRM of ITIMER_REAL, which a
 *     taken SIGALRM re-arms when periodic); EINTR when another signal's handler runs;
 *     EINVAL/EFAULT checks in order; a bad info pointer is EFAULT with the signal taken.
 * Signals come from the caller itself (kill, ITIMER_REAL), so no check races another process.
 */
#include "cbtest.h"
#include <sys/select.h>
#include <sys/time.h>
#include <poll.h>

#define NS_PER_MS 1000000L
#define SI_KERNEL_CODE 0x80

static volatile sig_atomic_t usr1_runs, usr2_runs, alrm_runs;
static sigset_t mask_in_handler;

static void on_signal(int sig)
{
    if (sig == SIGUSR1)
        usr1_runs++;
    else if (sig == SIGUSR2)
        usr2_runs++;
    else if (sig == SIGALRM)
        alrm_runs++;
    sigprocmask(SIG_BLOCK, NULL, &mask_in_handler);
}

static void catch_with(int sig, int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = flags;
    sigaction(sig, &sa, NULL);
}

static void block(int sig, int how)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(how, &set, NULL);
}

static unsigned long one(int sig) { return 1UL << (sig - 1); }

static unsigned long pending(void)
{
    unsigned long set = 0;
    cb_syscall(SYS_rt_sigpending, (long)&set, 8, 0, 0, 0, 0);
    return set;
}

static long now_ns(void)
{
    struct timespec ts;
    cb_syscall(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&ts, 0, 0, 0, 0);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

/* ITIMER_REAL in `ms` milliseconds, then every `interval_ms` (0: once). */
static void alarm_in(long ms, long interval_ms)
{
    struct itimerval it = { { interval_ms / 1000, interval_ms % 1000 * 1000 }, { ms / 1000, ms % 1000 * 1000 } };
    cb_syscall(SYS_setitimer, ITIMER_REAL, (long)&it, 0, 0, 0, 0);
}

static long sys_select(int n, fd_set *r, fd_set *w, fd_set *e, struct timeval *tv)
{
    return cb_syscall(SYS_select, n, (long)r, (long)w, (long)e, (long)tv, 0);
}

static long sys_pselect6(int n, fd_set *r, fd_set *w, fd_set *e, struct timespec *ts, const sigset_t *mask, long size)
{
    struct { const sigset_t *mask; long size; } pack = { mask, size };
    return cb_syscall(SYS_pselect6, n, (long)r, (long)w, (long)e, (long)ts, (long)&pack);
}

static long sys_ppoll(struct pollfd *fds, long n, struct timespec *ts, const sigset_t *mask, long size)
{
    return cb_syscall(SYS_ppoll, (long)fds, n, (long)ts, (long)mask, size, 0);
}

static long sigtimedwait_call(unsigned long set, siginfo_t *info, struct timespec *ts, long size)
{
    return cb_syscall(SYS_rt_sigtimedwait, (long)&set, (long)info, (long)ts, size, 0, 0);
}

static void check_select_pipes(void)
{
    int p[2];
    pipe(p);
    fd_set r, w, e;
    struct timeval zero = { 0, 0 };
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    cb_check_ret(sys_select(p[0] + 1, &r, NULL, NULL, &zero), 0, "select of an empty pipe's read end with a zero timeout is 0");
    CHECK(!FD_ISSET(p[0], &r), "... and clears its bit");
    FD_ZERO(&w);
    FD_SET(p[1], &w);
    cb_check_ret(sys_select(p[1] + 1, NULL, &w, NULL, &zero), 1, "select reports a pipe's write end with room");
    CHECK(FD_ISSET(p[1], &w), "... with its bit set");
    write(p[1], "x", 1);
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_ZERO(&e);
    FD_SET(p[0], &r);
    FD_SET(p[1], &w);
    FD_SET(p[0], &e);
    FD_SET(p[1], &e);
    int n = (p[0] > p[1] ? p[0] : p[1]) + 1;
    cb_check_ret(sys_select(n, &r, &w, &e, NULL), 2, "select counts a readable read end and a writable write end");
    CHECK(FD_ISSET(p[0], &r) && FD_ISSET(p[1], &w) && !FD_ISSET(p[0], &e) && !FD_ISSET(p[1], &e),
          "... and a pipe is never in the exception set");
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    FD_SET(p[1], &r);
    cb_check_ret(sys_select(n, &r, NULL, NULL, &zero), 1, "a pipe's write end is never readable");

    FD_ZERO(&r);
    FD_SET(p[0], &r);
    FD_SET(63, &r);
    cb_check_ret(sys_select(p[0] + 1, &r, NULL, NULL, &zero), 1, "a closed fd at or above nfds is not looked at");
    CHECK(FD_ISSET(p[0], &r) && !FD_ISSET(63, &r), "... and its bit in the same word is cleared");
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    FD_SET(63, &r);
    cb_check_ret(sys_select(64, &r, NULL, NULL, &zero), -EBADF, "select with a closed fd below nfds is EBADF");
    CHECK(FD_ISSET(63, &r) && FD_ISSET(p[0], &r), "... and leaves the sets alone");
    FD_ZERO(&w);
    FD_SET(63, &w);
    cb_check_ret(sys_select(64, NULL, &w, NULL, NULL), -EBADF, "select with a closed fd in the write set is EBADF at once");

    char c;
    read(p[0], &c, 1);
    close(p[1]);
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    cb_check_ret(sys_select(p[0] + 1, &r, NULL, NULL, NULL), 1, "a read end without writers is readable");
    close(p[0]);
    pipe(p);
    close(p[0]);
    FD_ZERO(&w);
    FD_SET(p[1], &w);
    cb_check_ret(sys_select(p[1] + 1, NULL, &w, NULL, NULL), 1, "a write end without readers is writable");
    close(p[1]);
}

static void check_select_arguments(void)
{
    int p[2];
    pipe(p);
    write(p[1], "x", 1);
    fd_set r;
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    struct timeval tv = { 0, 0 };
    cb_check_ret(sys_select(-1, &r, NULL, NULL, &tv), -EINVAL, "select with nfds -1 is EINVAL");
    cb_check_ret(sys_select(-1, (fd_set *)1, NULL, NULL, &tv), -EINVAL, "select checks nfds before reading the sets");
    cb_check_ret(sys_select(-1, &r, NULL, NULL, (struct timeval *)1), -EFAULT, "select reads the timeout before it checks nfds");
    cb_check_ret(sys_select(p[0] + 1, (fd_set *)1, NULL, NULL, &tv), -EFAULT, "select with a bad read set is EFAULT");
    cb_check_ret(sys_select(p[0] + 1, &r, (fd_set *)1, NULL, &tv), -EFAULT, "select with a bad write set is EFAULT");
    cb_check_ret(sys_select(0, (fd_set *)1, (fd_set *)1, (fd_set *)1, &tv), 0, "select with nfds 0 reads no set");
    tv.tv_usec = -1;
    cb_check_ret(sys_select(p[0] + 1, &r, NULL, NULL, &tv), -EINVAL, "select with tv_usec -1 is EINVAL");
    tv.tv_sec = -1;
    tv.tv_usec = 0;
    cb_check_ret(sys_select(p[0] + 1, &r, NULL, NULL, &tv), -EINVAL, "select with tv_sec -1 is EINVAL");
    tv.tv_sec = 0;
    tv.tv_usec = 1500000;
    cb_check_ret(sys_select(p[0] + 1, &r, NULL, NULL, &tv), 1, "select takes tv_usec 1500000 as 1.5 s");
    CHECK(tv.tv_sec == 1 && tv.tv_usec > 0 && tv.tv_usec <= 500000, "... and writes back the time left as 1 s and a fraction");
    tv.tv_sec = 5;
    tv.tv_usec = 0;
    cb_check_ret(sys_select(p[0] + 1, &r, NULL, NULL, &tv), 1, "select with a ready fd returns at once");
    CHECK(tv.tv_sec == 4 || (tv.tv_sec == 5 && tv.tv_usec == 0), "... and writes back the time left of its 5 s");

    FD_ZERO(&r);
    FD_SET(p[1], &r);
    tv.tv_sec = 0;
    tv.tv_usec = 50000;
    long start = now_ns();
    cb_check_ret(sys_select(p[1] + 1, &r, NULL, NULL, &tv), 0, "select of a fd that never gets ready times out with 0");
    CHECK(now_ns() - start >= 50 * NS_PER_MS, "... after at least its 50 ms");
    CHECK(tv.tv_sec == 0 && tv.tv_usec == 0 && !FD_ISSET(p[1], &r), "... with no time left and its bit cleared");
    tv.tv_usec = 30000;
    start = now_ns();
    cb_check_ret(sys_select(0, NULL, NULL, NULL, &tv), 0, "select with no sets sleeps for its timeout");
    CHECK(now_ns() - start >= 30 * NS_PER_MS, "... of 30 ms at least");

    struct timeval *ro = mmap(NULL, CB_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ro->tv_sec = 1;
    ro->tv_usec = 0;
    mprotect(ro, CB_PAGE, PROT_READ);
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    cb_check_ret(sys_select(p[0] + 1, &r, NULL, NULL, ro), 1, "select with a read-only timeval works: the time left is not written");
    CHECK(ro->tv_sec == 1 && ro->tv_usec == 0, "... and the timeval is unchanged");
    munmap(ro, CB_PAGE);
    close(p[0]);
    close(p[1]);
}

static void check_select_signals(void)
{
    int p[2];
    pipe(p);
    fd_set r;
    static const int flags[] = { 0, SA_RESTART };
    for (int i = 0; i < 2; i++) {
        catch_with(SIGALRM, flags[i]);
        alrm_runs = 0;
        FD_ZERO(&r);
        FD_SET(p[0], &r);
        alarm_in(50, 0);
        cb_check_ret(sys_select(p[0] + 1, &r, NULL, NULL, NULL), -EINTR, "select interrupted by a handler%s is EINTR",
                     flags[i] ? " with SA_RESTART" : "");
        CHECK(alrm_runs == 1 && FD_ISSET(p[0], &r), "... the handler ran and the set is left alone");
    }

    catch_with(SIGUSR1, 0);
    block(SIGUSR1, SIG_BLOCK);
    sigset_t caller, open;
    sigprocmask(SIG_BLOCK, NULL, &caller);
    sigemptyset(&open);
    kill(getpid(), SIGUSR1);
    usr1_runs = 0;
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    cb_check_ret(sys_pselect6(p[0] + 1, &r, NULL, NULL, NULL, &open, 8), -EINTR,
                 "pselect6 whose mask unblocks a pending signal is EINTR");
    sigset_t after;
    sigprocmask(SIG_BLOCK, NULL, &after);
    CHECK(usr1_runs == 1 && !sigismember(&mask_in_handler, SIGALRM) && sigismember(&after, SIGUSR1),
          "... its handler ran under the call's mask, and the caller's mask is back");

    write(p[1], "x", 1);
    kill(getpid(), SIGUSR1);
    usr1_runs = 0;
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    cb_check_ret(sys_pselect6(p[0] + 1, &r, NULL, NULL, NULL, &open, 8), 1, "pselect6 with a ready fd returns it at once");
    CHECK(usr1_runs == 0 && (pending() & one(SIGUSR1)), "... the signal its mask unblocked left pending");
    struct timespec ts = { 0, 0 };
    cb_check_ret(sys_pselect6(p[0] + 1, &r, NULL, NULL, &ts, &open, 4), -EINVAL, "pselect6 with sigsetsize 4 is EINVAL");
    cb_check_ret(sys_pselect6(p[0] + 1, &r, NULL, NULL, &ts, (sigset_t *)1, 8), -EFAULT, "pselect6 with a bad mask is EFAULT");
    cb_check_ret(cb_syscall(SYS_pselect6, p[0] + 1, (long)&r, 0, 0, (long)&ts, 1), -EFAULT,
                 "pselect6 with a bad argument block is EFAULT");
    cb_check_ret(sys_pselect6(-1, &r, NULL, NULL, (struct timespec *)1, NULL, 0), -EFAULT,
                 "pselect6 reads the timeout before it checks nfds");
    ts.tv_nsec = 1000000000;
    cb_check_ret(sys_pselect6(p[0] + 1, &r, NULL, NULL, &ts, NULL, 0), -EINVAL, "pselect6 with tv_nsec 1e9 is EINVAL");
    cb_check_ret(sys_pselect6(p[0] + 1, &r, NULL, NULL, &ts, &open, 4), -EINVAL, "... checked before the mask's size");
    ts.tv_nsec = 0;
    cb_check_ret(sys_pselect6(p[0] + 1, &r, NULL, NULL, &ts, NULL, 0), 1, "pselect6 without a mask");
    char c;
    read(p[0], &c, 1);
    ts.tv_sec = 0;
    ts.tv_nsec = 40 * NS_PER_MS;
    cb_check_ret(sys_pselect6(p[0] + 1, &r, NULL, NULL, &ts, NULL, 0), 0, "pselect6 of an empty pipe times out");
    CHECK(ts.tv_sec == 0 && ts.tv_nsec == 0, "... writing back a zero timespec");

    struct pollfd pfd = { p[0], POLLIN, 0 };
    kill(getpid(), SIGUSR1);
    usr1_runs = 0;
    cb_check_ret(sys_ppoll(&pfd, 1, NULL, &open, 8), -EINTR, "ppoll whose mask unblocks a pending signal is EINTR");
    sigprocmask(SIG_BLOCK, NULL, &after);
    CHECK(usr1_runs == 1 && sigismember(&after, SIGUSR1), "... its handler ran and the caller's mask is back");
    ts.tv_sec = 0;
    ts.tv_nsec = 40 * NS_PER_MS;
    long start = now_ns();
    cb_check_ret(sys_ppoll(&pfd, 1, &ts, NULL, 0), 0, "ppoll of an empty pipe times out");
    CHECK(now_ns() - start >= 40 * NS_PER_MS && ts.tv_sec == 0 && ts.tv_nsec == 0, "... after its 40 ms, writing back a zero timespec");
    write(p[1], "x", 1);
    ts.tv_sec = 5;
    cb_check_ret(sys_ppoll(&pfd, 1, &ts, &open, 8), 1, "ppoll of a pipe with data returns at once");
    CHECK(pfd.revents == POLLIN && (ts.tv_sec == 4 || ts.tv_sec == 5), "... with POLLIN and the time left of its 5 s");
    ts.tv_nsec = 1000000000;
    cb_check_ret(sys_ppoll(&pfd, 1, &ts, NULL, 0), -EINVAL, "ppoll with tv_nsec 1e9 is EINVAL");
    cb_check_ret(sys_ppoll(&pfd, 1, (struct timespec *)1, &open, 4), -EFAULT, "ppoll reads the timeout before it checks the mask");
    cb_check_ret(sys_ppoll(&pfd, 1, NULL, &open, 4), -EINVAL, "ppoll with sigsetsize 4 is EINVAL");
    cb_check_ret(sys_ppoll(&pfd, 1, NULL, (sigset_t *)1, 8), -EFAULT, "ppoll with a bad mask is EFAULT");
    cb_check_ret(sys_ppoll(&pfd, 100000, NULL, (sigset_t *)1, 4), -EINVAL, "ppoll checks the mask before nfds");
    cb_check_ret(sys_ppoll(&pfd, 100000, NULL, NULL, 0), -EINVAL, "ppoll with nfds above RLIMIT_NOFILE is EINVAL");
    cb_check_ret(sys_ppoll((struct pollfd *)1, 1, NULL, NULL, 0), -EFAULT, "ppoll with a bad array is EFAULT");

    unsigned long set = one(SIGUSR1);
    sigtimedwait_call(set, NULL, &ts, 8);
    block(SIGUSR1, SIG_UNBLOCK);
    alarm_in(0, 0);
    close(p[0]);
    close(p[1]);
}

static void check_sigpending(void)
{
    cb_check_ret(pending(), 0, "rt_sigpending with nothing pending gives an empty set");
    block(SIGUSR2, SIG_BLOCK);
    block(SIGURG, SIG_BLOCK);
    kill(getpid(), SIGUSR2);
    kill(getpid(), SIGURG);
    CHECK(pending() == (one(SIGUSR2) | one(SIGURG)), "rt_sigpending gives the blocked pending signals, an ignored one too");
    unsigned long set = ~0UL;
    cb_check_ret(cb_syscall(SYS_rt_sigpending, (long)&set, 4, 0, 0, 0, 0), 0, "rt_sigpending with size 4");
    CHECK(set == (0xffffffff00000000UL | one(SIGUSR2) | one(SIGURG)), "... writes only 4 bytes");
    cb_check_ret(cb_syscall(SYS_rt_sigpending, (long)&set, 9, 0, 0, 0, 0), -EINVAL, "rt_sigpending with size 9 is EINVAL");
    cb_check_ret(cb_syscall(SYS_rt_sigpending, 1, 8, 0, 0, 0, 0), -EFAULT, "rt_sigpending with a bad set is EFAULT");
    cb_check_ret(cb_syscall(SYS_rt_sigpending, 1, 0, 0, 0, 0, 0), 0, "rt_sigpending with size 0 writes nothing");
    struct timespec zero = { 0, 0 };
    sigtimedwait_call(one(SIGUSR2) | one(SIGURG), NULL, &zero, 8);
    sigtimedwait_call(one(SIGUSR2) | one(SIGURG), NULL, &zero, 8);
    cb_check_ret(pending(), 0, "signals rt_sigtimedwait took are no longer pending");
    block(SIGUSR2, SIG_UNBLOCK);
    block(SIGURG, SIG_UNBLOCK);
}

static void check_sigtimedwait(void)
{
    catch_with(SIGUSR1, 0);
    catch_with(SIGUSR2, 0);
    block(SIGUSR1, SIG_BLOCK);
    block(SIGUSR2, SIG_BLOCK);
    usr1_runs = usr2_runs = 0;
    kill(getpid(), SIGUSR2);
    kill(getpid(), SIGUSR1);
    siginfo_t info;
    memset(&info, 0, sizeof info);
    unsigned long both = one(SIGUSR1) | one(SIGUSR2);
    cb_check_ret(sigtimedwait_call(both, &info, NULL, 8), SIGUSR1, "rt_sigtimedwait takes the lowest pending signal first");
    CHECK(info.si_signo == SIGUSR1 && info.si_code == SI_USER && info.si_pid == getpid(), "... with its siginfo (SI_USER, the sender)");
    cb_check_ret(sigtimedwait_call(both, &info, NULL, 8), SIGUSR2, "... then the next");
    CHECK(usr1_runs == 0 && usr2_runs == 0, "no handler runs for a signal rt_sigtimedwait takes");

    struct timespec zero = { 0, 0 }, ts = { 0, 50 * NS_PER_MS };
    cb_check_ret(sigtimedwait_call(both, &info, &zero, 8), -EAGAIN, "rt_sigtimedwait with nothing pending and a zero timeout is EAGAIN");
    long start = now_ns();
    cb_check_ret(sigtimedwait_call(both, &info, &ts, 8), -EAGAIN, "rt_sigtimedwait of 50 ms with nothing coming is EAGAIN");
    CHECK(now_ns() - start >= 50 * NS_PER_MS, "... after at least 50 ms");

    block(SIGSEGV, SIG_BLOCK);
    kill(getpid(), SIGUSR1);
    kill(getpid(), SIGSEGV);
    cb_check_ret(sigtimedwait_call(both | one(SIGSEGV), NULL, NULL, 8), SIGSEGV, "rt_sigtimedwait takes a fault's signal before a lower one");
    cb_check_ret(sigtimedwait_call(both | one(SIGSEGV), NULL, NULL, 8), SIGUSR1, "... then the lower one");
    block(SIGSEGV, SIG_UNBLOCK);

    cb_check_ret(sigtimedwait_call(both, &info, &zero, 4), -EINVAL, "rt_sigtimedwait with sigsetsize 4 is EINVAL");
    cb_check_ret(cb_syscall(SYS_rt_sigtimedwait, 1, 0, (long)&zero, 8, 0, 0), -EFAULT, "rt_sigtimedwait with a bad set is EFAULT");
    cb_check_ret(sigtimedwait_call(both, &info, (struct timespec *)1, 8), -EFAULT, "rt_sigtimedwait with a bad timeout is EFAULT");
    struct timespec bad = { 0, 1000000000 };
    cb_check_ret(sigtimedwait_call(both, &info, &bad, 8), -EINVAL, "rt_sigtimedwait with tv_nsec 1e9 is EINVAL");
    bad.tv_sec = -1;
    bad.tv_nsec = 0;
    cb_check_ret(sigtimedwait_call(both, &info, &bad, 8), -EINVAL, "rt_sigtimedwait with tv_sec -1 is EINVAL");
    kill(getpid(), SIGUSR1);
    cb_check_ret(sigtimedwait_call(both, (siginfo_t *)1, &zero, 8), -EFAULT, "rt_sigtimedwait with a bad info pointer is EFAULT");
    CHECK(!(pending() & one(SIGUSR1)), "... after taking the signal");

    block(SIGALRM, SIG_BLOCK);
    memset(&info, 0, sizeof info);
    alarm_in(30, 0);
    cb_check_ret(sigtimedwait_call(one(SIGALRM), &info, NULL, 8), SIGALRM, "rt_sigtimedwait waits for a blocked SIGALRM to come");
    cb_check_ret(info.si_code, SI_KERNEL_CODE, "... whose siginfo says SI_KERNEL");
    alarm_in(20, 20);
    int taken = 0;
    for (int i = 0; i < 3; i++)
        taken += sigtimedwait_call(one(SIGALRM), NULL, NULL, 8) == SIGALRM;
    cb_check_ret(taken, 3, "a periodic ITIMER_REAL's SIGALRM taken by rt_sigtimedwait comes again and again");
    alarm_in(0, 0);
    sigtimedwait_call(one(SIGALRM), NULL, &zero, 8);
    block(SIGALRM, SIG_UNBLOCK);

    catch_with(SIGALRM, SA_RESTART);
    alrm_runs = 0;
    alarm_in(50, 0);
    ts.tv_sec = 5;
    cb_check_ret(sigtimedwait_call(both, &info, &ts, 8), -EINTR, "rt_sigtimedwait interrupted by another signal's handler is EINTR, SA_RESTART or not");
    CHECK(alrm_runs == 1, "... the handler ran");
    alrm_runs = 0;
    alarm_in(50, 0);
    cb_check_ret(sigtimedwait_call(one(SIGALRM), &info, &ts, 8), SIGALRM, "rt_sigtimedwait takes an unblocked signal of its set that arrives");
    CHECK(alrm_runs == 0, "... without running its handler");
    block(SIGUSR1, SIG_UNBLOCK);
    block(SIGUSR2, SIG_UNBLOCK);
}

int main(void)
{
    cb_begin("select_calls");
    check_select_pipes();
    check_select_arguments();
    check_select_signals();
    check_sigpending();
    check_sigtimedwait();
    return cb_end();
}
