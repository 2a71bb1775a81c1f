/*
 * signals: default actions, stop and continue, and the signal system calls' edge cases, as
 * Linux does them (kernel/signal.c, signal(7)). No handlers are installed: only SIG_DFL and
 * SIG_IGN, and flags and masks read back.
 *   - SIGCHLD, SIGCONT, SIGURG and SIGWINCH are ignored by default; SIGUSR1 and SIGRTMIN kill.
 *   - SIGSTOP stops a child: wait4(WUNTRACED) reports it once as (19 << 8) | 0x7f, and the child
 *     does not run; SIGCONT continues it: wait4(WCONTINUED) reports 0xffff once; SIGKILL kills a
 *     stopped child; SIGTERM to a stopped child waits for SIGCONT, then kills.
 *   - SIGTSTP, SIGTTIN and SIGTTOU stop a child the same way (status (n << 8) | 0x7f) unless its
 *     process group is orphaned, where Linux discards them; the three behave alike either way.
 *   - A blocked signal acts when unblocked; setting SIG_IGN discards a pending one.
 *   - With SIGCHLD at SIG_IGN, or with SA_NOCLDWAIT, children are reaped as they exit: wait4
 *     waits for all of them, then gives ECHILD, and their pids are gone (kill gives ESRCH).
 *   - rt_sigaction: a bad oact still installs the new action, then EFAULT; SIGKILL and SIGSTOP
 *     are removed from a stored mask; unknown flag bits are cleared; a bad act is reported
 *     before a bad signal number; rt_sigprocmask with a bad oset still changes the mask.
 */
#include "cbtest.h"

#define BAD_POINTER 1L
#define SIGSET_BYTES 8

/* struct kernel_sigaction of Linux x86-64, as rt_sigaction reads and writes it. */
struct ksigaction {
    uint64_t handler, flags, restorer, mask;
};

static uint64_t bit(int signal) { return 1ULL << (signal - 1); }

static long sigaction_raw(int signal, const struct ksigaction *act, struct ksigaction *old)
{
    return cb_syscall(SYS_rt_sigaction, signal, (long)act, (long)old, SIGSET_BYTES, 0, 0);
}

static long sigaction_to(int signal, uint64_t handler, uint64_t flags)
{
    struct ksigaction act = { handler, flags, 0, 0 };
    return sigaction_raw(signal, &act, 0);
}

static uint64_t current_mask(void)
{
    uint64_t mask = 0;
    cb_syscall(SYS_rt_sigprocmask, SIG_BLOCK, 0, (long)&mask, SIGSET_BYTES, 0, 0);
    return mask;
}

static long wait_options(pid_t pid, int *status, int options)
{
    long r;
    do
        r = cb_syscall(SYS_wait4, pid, (long)status, options, 0, 0, 0);
    while (r == -EINTR);
    return r;
}

/* A child that counts in shared memory forever (to see whether it runs). */
static pid_t counting_child(volatile long *counter)
{
    pid_t pid = cb_fork("a counting child");
    if (pid == 0)
        for (;;) {
            (*counter)++;
            sched_yield();
        }
    return pid;
}

/* Whether *counter stays the same over 100 ms (a stopped child does not run). */
static int stays_still(volatile long *counter)
{
    long before = *counter;
    cb_sleep_ms(100);
    return *counter == before;
}

/* Whether *counter moves within 30 s. */
static int moves(volatile long *counter)
{
    long before = *counter;
    long deadline = cb_now_ms() + 30000;
    while (*counter == before && cb_now_ms() < deadline)
        cb_sleep_ms(1);
    return *counter != before;
}

static void check_wait(pid_t pid, int options, long want_ret, int want_status, const char *what)
{
    int status = -1;
    long r = wait_options(pid, &status, options);
    char detail[96];
    snprintf(detail, sizeof detail, "wait4 returned %ld (pid %d), status 0x%x, expected 0x%x", r, pid, status, want_status);
    cb_check_detail(r == want_ret && (want_ret <= 0 || status == want_status), detail, "%s", what);
}

/* In a child: sets `signal` to SIG_DFL (a shell starts background jobs with SIGINT and SIGQUIT
   ignored, and ignored signals stay ignored across execve), then sends it to itself. */
static void raise_at_default(int signal)
{
    sigaction_to(signal, (uint64_t)SIG_DFL, 0);
    kill(getpid(), signal);
}

static void default_actions(void)
{
    static const int ignored[] = { SIGCHLD, SIGCONT, SIGURG, SIGWINCH };
    static const char *const names[] = { "SIGCHLD", "SIGCONT", "SIGURG", "SIGWINCH" };
    for (int i = 0; i < 4; i++) {
        pid_t pid = cb_fork("an ignored signal");
        if (pid == 0) {
            raise_at_default(ignored[i]);
            _exit(7);
        }
        cb_expect_status(pid, 7 << 8, "%s at SIG_DFL is ignored: the child exits 7", names[i]);
    }
    pid_t pid = cb_fork("SIGUSR1");
    if (pid == 0) {
        raise_at_default(SIGUSR1);
        _exit(7);
    }
    cb_expect_status(pid, SIGUSR1, "SIGUSR1 at SIG_DFL kills: status 0xa");
    pid = cb_fork("SIGRTMIN");
    if (pid == 0) {
        raise_at_default(34);
        _exit(7);
    }
    cb_expect_status(pid, 34, "signal 34 (SIGRTMIN) at SIG_DFL kills: status 0x22");
    pid = cb_fork("SIGQUIT");
    if (pid == 0) {
        raise_at_default(SIGQUIT);
        _exit(7);
    }
    cb_expect_status(pid, SIGQUIT, "SIGQUIT (a core signal, no core written): status 0x3");
}

static void stop_and_continue(volatile long *counter)
{
    pid_t pid = counting_child(counter);
    CHECK(moves(counter), "the counting child runs");
    cb_check_ret(kill(pid, SIGSTOP), 0, "kill(child, SIGSTOP)");
    check_wait(pid, WUNTRACED, pid, 0x137f, "wait4(WUNTRACED) reports the stop: status 0x137f");
    CHECK(stays_still(counter), "the stopped child does not run");
    check_wait(pid, WUNTRACED | WNOHANG, 0, 0, "the stop is reported once: wait4(WUNTRACED|WNOHANG) gives 0");
    check_wait(pid, WCONTINUED | WNOHANG, 0, 0, "no continue to report yet: wait4(WCONTINUED|WNOHANG) gives 0");
    cb_check_ret(kill(pid, SIGCONT), 0, "kill(stopped child, SIGCONT)");
    check_wait(pid, WCONTINUED, pid, 0xffff, "wait4(WCONTINUED) reports the continue: status 0xffff");
    check_wait(pid, WCONTINUED | WNOHANG, 0, 0, "the continue is reported once");
    CHECK(moves(counter), "the continued child runs again");
    cb_check_ret(kill(pid, SIGSTOP), 0, "SIGSTOP again");
    check_wait(pid, WUNTRACED, pid, 0x137f, "the second stop is reported");
    cb_check_ret(kill(pid, SIGKILL), 0, "kill(stopped child, SIGKILL)");
    cb_expect_status(pid, SIGKILL, "SIGKILL kills a stopped child: status 0x9");

    pid = counting_child(counter);
    kill(pid, SIGSTOP);
    check_wait(pid, WUNTRACED, pid, 0x137f, "another child stopped");
    cb_check_ret(kill(pid, SIGTERM), 0, "kill(stopped child, SIGTERM)");
    check_wait(pid, WNOHANG, 0, 0, "SIGTERM to a stopped child waits: the child is not dead yet");
    CHECK(stays_still(counter), "and it stays stopped");
    kill(pid, SIGCONT);
    cb_expect_status(pid, SIGTERM, "after SIGCONT the pending SIGTERM kills it: status 0xf");

    pid = counting_child(counter);
    kill(pid, SIGSTOP);
    kill(pid, SIGCONT);
    check_wait(pid, WNOHANG, 0, 0, "wait4 without WUNTRACED/WCONTINUED reports neither stop nor continue");
    kill(pid, SIGKILL);
    cb_expect_status(pid, SIGKILL, "the child is then killed");
}

/* SIGTSTP, SIGTTIN and SIGTTOU sent by a child to itself. */
static void terminal_stops(void)
{
    static const int stops[] = { SIGTSTP, SIGTTIN, SIGTTOU };
    static const char *const names[] = { "SIGTSTP", "SIGTTIN", "SIGTTOU" };
    int stopped[3];
    for (int i = 0; i < 3; i++) {
        pid_t pid = cb_fork("a terminal stop signal");
        if (pid == 0) {
            kill(getpid(), stops[i]);
            _exit(5);
        }
        int status = -1;
        long r = wait_options(pid, &status, WUNTRACED);
        stopped[i] = r == pid && status == ((stops[i] << 8) | 0x7f);
        int exited = r == pid && status == (5 << 8);
        char detail[80];
        snprintf(detail, sizeof detail, "wait4 returned %ld, status 0x%x", r, status);
        cb_check_detail(stopped[i] || exited, detail,
                        "%s at SIG_DFL: the child stops with status 0x%x, or (orphaned group) goes on", names[i],
                        (stops[i] << 8) | 0x7f);
        if (stopped[i]) {
            kill(pid, SIGCONT);
            cb_expect_status(pid, 5 << 8, "%s: continued, the child exits 5", names[i]);
        } else {
            CHECK(exited, "%s: continued, the child exits 5", names[i]);
        }
    }
    CHECK(stopped[0] == stopped[1] && stopped[1] == stopped[2], "SIGTSTP, SIGTTIN and SIGTTOU act alike");
    cb_print("INFO terminal stop signals %s", stopped[0] ? "stop (a job-control group)" : "are discarded (orphaned group)");
}

static void blocked_signals(void)
{
    pid_t pid = cb_fork("a blocked signal");
    if (pid == 0) {
        uint64_t set = bit(SIGTERM);
        cb_syscall(SYS_rt_sigprocmask, SIG_BLOCK, (long)&set, 0, SIGSET_BYTES, 0, 0);
        kill(getpid(), SIGTERM);
        cb_syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, (long)&set, 0, SIGSET_BYTES, 0, 0);
        _exit(7);
    }
    cb_expect_status(pid, SIGTERM, "a blocked SIGTERM kills when unblocked: status 0xf");

    pid = cb_fork("a discarded signal");
    if (pid == 0) {
        uint64_t set = bit(SIGUSR1);
        cb_syscall(SYS_rt_sigprocmask, SIG_BLOCK, (long)&set, 0, SIGSET_BYTES, 0, 0);
        kill(getpid(), SIGUSR1);
        sigaction_to(SIGUSR1, (uint64_t)SIG_IGN, 0);
        sigaction_to(SIGUSR1, (uint64_t)SIG_DFL, 0);
        cb_syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, (long)&set, 0, SIGSET_BYTES, 0, 0);
        _exit(7);
    }
    cb_expect_status(pid, 7 << 8, "SIG_IGN discards a pending blocked SIGUSR1: the child exits 7");

    pid = cb_fork("an ignored blocked signal");
    if (pid == 0) {
        uint64_t set = bit(SIGUSR2);
        sigaction_to(SIGUSR2, (uint64_t)SIG_IGN, 0);
        cb_syscall(SYS_rt_sigprocmask, SIG_BLOCK, (long)&set, 0, SIGSET_BYTES, 0, 0);
        kill(getpid(), SIGUSR2);
        sigaction_to(SIGUSR2, (uint64_t)SIG_DFL, 0);
        cb_syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, (long)&set, 0, SIGSET_BYTES, 0, 0);
        _exit(7);
    }
    cb_expect_status(pid, SIGUSR2, "an ignored signal sent while blocked stays pending, and kills once SIG_DFL and unblocked");
}

/* In a child (so this program's own SIGCHLD action stays): children are reaped as they exit. */
static void autoreap(volatile int *flags, uint64_t handler, uint64_t flag_bits, const char *how)
{
    pid_t pid = cb_fork("autoreap");
    if (pid == 0) {
        cb_child_begin("autoreap", 0);
        sigaction_to(SIGCHLD, handler, flag_bits);
        pid_t kids[3];
        for (int i = 0; i < 3; i++) {
            flags[i] = 0;
            kids[i] = fork();
            if (kids[i] == 0) {
                cb_sleep_ms(50 * (i + 1));
                flags[i] = 1;
                _exit(i);
            }
        }
        int status;
        long r = wait_options(-1, &status, 0);
        cb_check_ret(r, -ECHILD, "%s: wait4(-1) gives ECHILD", how);
        CHECK(flags[0] && flags[1] && flags[2], "%s: wait4 returned only after every child exited", how);
        for (int i = 0; i < 3; i++)
            cb_check_ret(kill(kids[i], 0) == 0 ? 0 : -errno, -ESRCH, "%s: child %d is gone (kill: ESRCH)", how, i);
        cb_check_ret(wait_options(kids[0], &status, WNOHANG), -ECHILD, "%s: wait4(child) gives ECHILD", how);
        cb_child_exit();
    }
    cb_expect_exit(pid, 0, "%s: children are reaped as they exit, wait4 gives ECHILD after all exited", how);
}

static void sigaction_edges(void)
{
    struct ksigaction act = { (uint64_t)SIG_IGN, 0, 0, 0 }, old;
    cb_check_ret(sigaction_raw(SIGUSR1, &act, (struct ksigaction *)BAD_POINTER), -EFAULT,
                 "rt_sigaction(SIGUSR1, SIG_IGN, bad oact): EFAULT");
    memset(&old, 0xff, sizeof old);
    cb_check_ret(sigaction_raw(SIGUSR1, 0, &old), 0, "rt_sigaction(SIGUSR1, NULL, oact)");
    CHECK(old.handler == (uint64_t)SIG_IGN, "the action was installed despite the bad oact (handler SIG_IGN)");

    act.mask = ~0ULL;
    act.flags = ~0ULL;
    sigaction_raw(SIGUSR1, &act, 0);
    sigaction_raw(SIGUSR1, 0, &old);
    char detail[96];
    snprintf(detail, sizeof detail, "mask 0x%llx", (unsigned long long)old.mask);
    cb_check_detail(old.mask == ~(bit(SIGKILL) | bit(SIGSTOP)), detail, "a stored mask of all ones reads back without SIGKILL and SIGSTOP");
    snprintf(detail, sizeof detail, "flags 0x%llx", (unsigned long long)old.flags);
    cb_check_detail(old.flags == 0xdc000807ULL, detail,
                    "flags of all ones read back as the known ones: 0xdc000807");
    act.flags = SA_RESTART | SA_NOCLDSTOP | 0x400 | 0x20000000 | (1ULL << 40);
    sigaction_raw(SIGUSR1, &act, 0);
    sigaction_raw(SIGUSR1, 0, &old);
    CHECK(old.flags == (SA_RESTART | SA_NOCLDSTOP), "SA_UNSUPPORTED, bit 29 and bit 40 are cleared, SA_RESTART|SA_NOCLDSTOP stay");
    sigaction_to(SIGUSR1, (uint64_t)SIG_DFL, 0);

    act.mask = 0;
    act.flags = 0;
    cb_check_ret(sigaction_raw(0, (struct ksigaction *)BAD_POINTER, 0), -EFAULT, "rt_sigaction(0, bad act): EFAULT before EINVAL");
    cb_check_ret(sigaction_raw(65, (struct ksigaction *)BAD_POINTER, 0), -EFAULT, "rt_sigaction(65, bad act): EFAULT");
    cb_check_ret(sigaction_raw(0, &act, 0), -EINVAL, "rt_sigaction(0, act): EINVAL");
    cb_check_ret(sigaction_raw(65, 0, &old), -EINVAL, "rt_sigaction(65, NULL, oact): EINVAL");
    cb_check_ret(sigaction_raw(SIGKILL, &act, 0), -EINVAL, "rt_sigaction(SIGKILL, act): EINVAL");
    cb_check_ret(sigaction_raw(SIGSTOP, &act, 0), -EINVAL, "rt_sigaction(SIGSTOP, act): EINVAL");
    cb_check_ret(sigaction_raw(SIGKILL, (struct ksigaction *)BAD_POINTER, 0), -EFAULT, "rt_sigaction(SIGKILL, bad act): EFAULT");
    cb_check_ret(sigaction_raw(SIGKILL, 0, &old), 0, "rt_sigaction(SIGKILL, NULL, oact) reads the action");
    CHECK(old.handler == (uint64_t)SIG_DFL, "SIGKILL's action is SIG_DFL");
    cb_check_ret(sigaction_raw(SIGKILL, 0, (struct ksigaction *)BAD_POINTER), -EFAULT, "rt_sigaction(SIGKILL, NULL, bad oact): EFAULT");
    cb_check_ret(cb_syscall(SYS_rt_sigaction, SIGUSR1, BAD_POINTER, 0, 4, 0, 0), -EINVAL,
                 "rt_sigaction with sigsetsize 4 and a bad act: EINVAL first");
    cb_check_ret(cb_syscall(SYS_rt_sigaction, 65, (long)&act, BAD_POINTER, 8, 0, 0), -EINVAL,
                 "rt_sigaction(65, act, bad oact): EINVAL, nothing written");
}

static void sigprocmask_edges(void)
{
    uint64_t saved = current_mask();
    uint64_t set = bit(SIGUSR2);
    cb_check_ret(cb_syscall(SYS_rt_sigprocmask, SIG_BLOCK, (long)&set, BAD_POINTER, SIGSET_BYTES, 0, 0), -EFAULT,
                 "rt_sigprocmask(SIG_BLOCK, SIGUSR2, bad oset): EFAULT");
    CHECK(current_mask() & bit(SIGUSR2), "the mask was changed despite the bad oset");
    uint64_t all = ~0ULL;
    cb_syscall(SYS_rt_sigprocmask, SIG_SETMASK, (long)&all, 0, SIGSET_BYTES, 0, 0);
    CHECK(current_mask() == ~(bit(SIGKILL) | bit(SIGSTOP)), "blocking every signal blocks all but SIGKILL and SIGSTOP");
    uint64_t before = current_mask();
    cb_check_ret(cb_syscall(SYS_rt_sigprocmask, 7, (long)&set, 0, SIGSET_BYTES, 0, 0), -EINVAL, "rt_sigprocmask(how 7, set): EINVAL");
    CHECK(current_mask() == before, "a bad how leaves the mask alone");
    cb_check_ret(cb_syscall(SYS_rt_sigprocmask, 7, 0, 0, SIGSET_BYTES, 0, 0), 0, "rt_sigprocmask(how 7, NULL set): 0 (how is not looked at)");
    cb_check_ret(cb_syscall(SYS_rt_sigprocmask, 7, BAD_POINTER, 0, SIGSET_BYTES, 0, 0), -EFAULT,
                 "rt_sigprocmask(how 7, bad set): EFAULT before EINVAL");
    cb_check_ret(cb_syscall(SYS_rt_sigprocmask, SIG_BLOCK, BAD_POINTER, 0, 4, 0, 0), -EINVAL,
                 "rt_sigprocmask with sigsetsize 4: EINVAL first");
    cb_syscall(SYS_rt_sigprocmask, SIG_SETMASK, (long)&saved, 0, SIGSET_BYTES, 0, 0);
    CHECK(current_mask() == saved, "the mask is restored");
}

int main(void)
{
    cb_begin("signals");
    volatile long *counter = cb_map_shared(1);
    if (!counter)
        return cb_end();
    default_actions();
    stop_and_continue(counter);
    terminal_stops();
    blocked_signals();
    autoreap((volatile int *)counter, (uint64_t)SIG_IGN, 0, "SIGCHLD at SIG_IGN");
    autoreap((volatile int *)counter, (uint64_t)SIG_DFL, SA_NOCLDWAIT, "SIGCHLD at SIG_DFL with SA_NOCLDWAIT");
    sigaction_edges();
    sigprocmask_edges();
    return cb_end();
}
