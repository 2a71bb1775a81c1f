/*
 * signal_waits: the calls that send a signal to one thread and the calls that wait for one,
 * as Linux has them (kernel/signal.c).
 *   - raise() (musl: tkill) runs the handler before it returns; tkill and tgkill look the
 *     thread up first (ESRCH), then check the signal (EINVAL); tid and tgid must be positive;
 *     tgkill wants the thread's own process. kill() checks in the same order.
 *   - pause() returns -1/EINTR once a handler ran, even with SA_RESTART.
 *   - rt_sigsuspend() waits with a temporary mask: a signal it unblocks runs its handler
 *     under that mask (plus the signal itself), the call gives EINTR (SA_RESTART or not),
 *     and the caller's own mask is back afterwards. EINVAL for a sigset size other than 8,
 *     EFAULT for a bad mask pointer.
 */
#include "cbtest.h"

static volatile sig_atomic_t handled;
static sigset_t mask_in_handler;

static void on_signal(int sig)
{
    handled = sig;
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

static long errno_of(long r) { return r < 0 ? -errno : r; }

/* A child that has exited and been reaped: its pid names nobody now. */
static pid_t reaped_pid(void)
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    int status;
    cb_wait(pid, &status);
    return pid;
}

static void sending(void)
{
    catch_with(SIGUSR1, 0);
    handled = 0;
    cb_check_ret(raise(SIGUSR1), 0, "raise(SIGUSR1) succeeds");
    cb_check_ret(handled, SIGUSR1, "raise runs the handler before it returns");

    pid_t self = getpid(), gone = reaped_pid();
    cb_check_ret(errno_of(syscall(SYS_tkill, self, 0)), 0, "tkill(self, 0)");
    cb_check_ret(errno_of(syscall(SYS_tkill, gone, 999)), -ESRCH, "tkill(reaped pid, 999): ESRCH before the signal is checked");
    cb_check_ret(errno_of(syscall(SYS_tkill, self, 999)), -EINVAL, "tkill(self, 999): EINVAL");
    cb_check_ret(errno_of(syscall(SYS_tkill, self, -1)), -EINVAL, "tkill(self, -1): EINVAL");
    cb_check_ret(errno_of(syscall(SYS_tkill, 0, 0)), -EINVAL, "tkill(0, 0): EINVAL");
    cb_check_ret(errno_of(syscall(SYS_tkill, -1, 0)), -EINVAL, "tkill(-1, 0): EINVAL");
    cb_check_ret(errno_of(syscall(SYS_tgkill, self, self, 0)), 0, "tgkill(self, self, 0)");
    cb_check_ret(errno_of(syscall(SYS_tgkill, gone, self, 0)), -ESRCH, "tgkill(another pid, self, 0): ESRCH");
    cb_check_ret(errno_of(syscall(SYS_tgkill, 0, self, 0)), -EINVAL, "tgkill(0, self, 0): EINVAL");
    cb_check_ret(errno_of(syscall(SYS_tgkill, self, 0, 0)), -EINVAL, "tgkill(self, 0, 0): EINVAL");
    cb_check_ret(errno_of(syscall(SYS_tgkill, self, self, 65)), -EINVAL, "tgkill(self, self, 65): EINVAL");
    handled = 0;
    cb_check_ret(errno_of(syscall(SYS_tgkill, self, self, SIGUSR1)), 0, "tgkill(self, self, SIGUSR1)");
    cb_check_ret(handled, SIGUSR1, "tgkill to itself runs the handler before it returns");

    cb_check_ret(errno_of(kill(gone, 999)), -ESRCH, "kill(reaped pid, 999): ESRCH before the signal is checked");
    cb_check_ret(errno_of(kill(self, 999)), -EINVAL, "kill(self, 999): EINVAL");
    cb_check_ret(errno_of(kill(-gone, 999)), -ESRCH, "kill(-(empty group), 999): ESRCH");
    cb_check_ret(errno_of(kill(0, 999)), -EINVAL, "kill(0, 999): EINVAL");
    signal(SIGUSR1, SIG_DFL);
}

/* A child that waits in pause() with a SA_RESTART handler for SIGUSR1 and exits 0 when pause
   gave EINTR after the handler ran. */
static void pausing(void)
{
    catch_with(SIGUSR1, SA_RESTART);            /* before fork: no signal finds the default */
    handled = 0;
    pid_t pid = cb_fork("pause");
    if (pid == 0) {
        cb_child_begin("pause", 0);
        long r = errno_of(pause());
        cb_check_ret(r, -EINTR, "pause() gives EINTR once a SA_RESTART handler ran");
        cb_check_ret(handled, SIGUSR1, "the handler ran");
        cb_child_exit();
    }
    /* A signal that arrives before the child reaches pause() only runs the handler, so it is
       sent again until the child has exited. (Yielding, not sleeping: a sleep the child's
       SIGCHLD interrupts shows up as restart_syscall under strace.) */
    int status = 0;
    long r = 0;
    long start = cb_now_ms(), sent = -1000;
    while (r == 0 && cb_now_ms() - start < 60000) {
        if (cb_now_ms() - sent >= 50) {
            kill(pid, SIGUSR1);
            sent = cb_now_ms();
        }
        sched_yield();
        r = waitpid(pid, &status, WNOHANG);
    }
    cb_check(r == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
             "pause() returns -1/EINTR after a SA_RESTART handler");
    signal(SIGUSR1, SIG_DFL);
}

static void suspending(void)
{
    pid_t pid = cb_fork("sigsuspend");
    if (pid == 0) {
        cb_child_begin("sigsuspend", 0);
        catch_with(SIGUSR1, SA_RESTART);
        catch_with(SIGUSR2, 0);
        sigset_t old, temporary, now;
        sigemptyset(&old);
        sigaddset(&old, SIGUSR1);
        sigprocmask(SIG_SETMASK, &old, NULL);
        raise(SIGUSR1);                             /* pending: blocked by the caller's mask */
        sigemptyset(&temporary);
        sigaddset(&temporary, SIGUSR2);
        handled = 0;
        long r = errno_of(sigsuspend(&temporary));
        cb_check_ret(r, -EINTR, "sigsuspend gives EINTR once the handler of the signal it unblocked ran");
        cb_check_ret(handled, SIGUSR1, "the pending SIGUSR1 was delivered");
        cb_check(sigismember(&mask_in_handler, SIGUSR2) && sigismember(&mask_in_handler, SIGUSR1),
                 "the handler ran with the temporary mask plus its own signal blocked");
        sigprocmask(SIG_BLOCK, NULL, &now);
        cb_check(sigismember(&now, SIGUSR1) && !sigismember(&now, SIGUSR2),
                 "afterwards the caller's own mask is back");
        cb_check_ret(errno_of(syscall(SYS_rt_sigsuspend, &temporary, 4)), -EINVAL, "rt_sigsuspend with sigsetsize 4: EINVAL");
        cb_check_ret(errno_of(syscall(SYS_rt_sigsuspend, NULL, 8)), -EFAULT, "rt_sigsuspend of a NULL mask: EFAULT");
        cb_child_exit();
    }
    cb_expect_exit(pid, 0, "sigsuspend: temporary mask during the handler, EINTR, the caller's mask afterwards, EINVAL, EFAULT");
}

int main(void)
{
    cb_begin("signal_waits");
    sending();
    pausing();
    suspending();
    return cb_end();
}
