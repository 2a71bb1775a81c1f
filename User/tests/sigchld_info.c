/*
 * sigchld_info: what a parent learns about its children through siginfo, as Linux 6.1 fills it.
 * An SA_SIGINFO handler for SIGCHLD gets si_code CLD_EXITED (si_status the exit code),
 * CLD_KILLED (the signal), CLD_STOPPED and CLD_CONTINUED (SIGSTOP, SIGCONT), the child's pid,
 * and its CPU time in si_utime + si_stime; SA_NOCLDSTOP keeps stops and continues quiet.
 * waitid: P_PID, P_PGID (0 = own group), P_ALL; WEXITED, WSTOPPED, WCONTINUED, WNOHANG (a zeroed
 * siginfo when nothing happened), WNOWAIT (the child stays waitable); its rusage; NULL infop;
 * a bad infop still reaps; EINVAL for no event option, unknown bits, bad id types and ids;
 * EBADF for a P_PIDFD that is no pidfd; ECHILD. kill(-1, 0) counts a zombie child.
 */
#include "cbtest.h"
#include <sys/resource.h>

#define P_PIDFD_TYPE 3

static volatile int chld_count;
static siginfo_t last_chld;

static void on_chld(int sig, siginfo_t *info, void *context)
{
    (void)sig;
    (void)context;
    last_chld = *info;
    chld_count++;
}

static void catch_sigchld(int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_chld;
    sa.sa_flags = SA_SIGINFO | flags;
    sigaction(SIGCHLD, &sa, 0);
}

static long waitid_call(int type, long id, siginfo_t *info, int options, struct rusage *ru)
{
    long r;
    do
        r = cb_syscall(SYS_waitid, type, id, (long)info, options, (long)ru, 0);
    while (r == -EINTR);
    return r;
}

/* Waits until child pid has an event of `options` without consuming it: SIGCHLD is then
   pending or delivered (it is sent before the parent is woken). */
static void wait_event(pid_t pid, int options)
{
    siginfo_t info;
    waitid_call(P_PID, pid, &info, options | WNOWAIT, 0);
}

static volatile char *volatile bad_pointer = (volatile char *)16;

/* A child that exits with 7 (action 0), dies of SIGSEGV (1), computes 200 ms and exits (2),
   or sleeps until killed (3). */
static pid_t child_that(int action)
{
    pid_t pid = cb_fork("child");
    if (pid == 0) {
        if (action == 0)
            _exit(7);
        if (action == 1)
            *bad_pointer = 1;
        if (action == 2) {
            long start = cb_now_ms();
            struct timespec ts;
            do
                clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
            while (ts.tv_sec == 0 && ts.tv_nsec < 200000000L && cb_now_ms() - start < 600000);
            _exit(0);
        }
        for (;;)
            cb_sleep_ms(1000);
    }
    return pid;
}

/* Linux sends the SIGCHLD of a continue from the continued child once it runs, which may be
   after waitid saw the continue: waits for it (no time limit that a slow machine could miss). */
static void wait_for_sigchld(void)
{
    while (chld_count == 0)
        cb_sleep_ms(1);
}

static void check_sigchld_info(void)
{
    catch_sigchld(0);
    chld_count = 0;
    pid_t pid = child_that(0);
    wait_event(pid, WEXITED);
    CHECK(chld_count == 1 && last_chld.si_signo == SIGCHLD && last_chld.si_code == CLD_EXITED
          && last_chld.si_pid == pid && last_chld.si_status == 7,
          "exit(7): SIGCHLD with CLD_EXITED, the child's pid and si_status 7");
    cb_print("INFO si_uid %d", (int)last_chld.si_uid);
    cb_wait(pid, 0);

    chld_count = 0;
    pid = child_that(1);
    wait_event(pid, WEXITED);
    CHECK(chld_count == 1 && last_chld.si_code == CLD_KILLED && last_chld.si_pid == pid && last_chld.si_status == SIGSEGV,
          "a SIGSEGV death: CLD_KILLED with si_status SIGSEGV (no core is dumped)");
    cb_wait(pid, 0);

    pid = child_that(3);
    chld_count = 0;
    cb_syscall(SYS_kill, pid, SIGSTOP, 0, 0, 0, 0);
    wait_event(pid, WSTOPPED);
    CHECK(chld_count == 1 && last_chld.si_code == CLD_STOPPED && last_chld.si_pid == pid && last_chld.si_status == SIGSTOP,
          "SIGSTOP: CLD_STOPPED with si_status SIGSTOP");
    chld_count = 0;
    cb_syscall(SYS_kill, pid, SIGCONT, 0, 0, 0, 0);
    wait_event(pid, WCONTINUED);
    wait_for_sigchld();
    CHECK(chld_count == 1 && last_chld.si_code == CLD_CONTINUED && last_chld.si_pid == pid && last_chld.si_status == SIGCONT,
          "SIGCONT: CLD_CONTINUED with si_status SIGCONT");
    chld_count = 0;
    cb_syscall(SYS_kill, pid, SIGKILL, 0, 0, 0, 0);
    wait_event(pid, WEXITED);
    CHECK(chld_count == 1 && last_chld.si_code == CLD_KILLED && last_chld.si_status == SIGKILL,
          "SIGKILL: CLD_KILLED with si_status SIGKILL");
    cb_wait(pid, 0);

    catch_sigchld(SA_NOCLDSTOP);
    pid = child_that(3);
    chld_count = 0;
    cb_syscall(SYS_kill, pid, SIGSTOP, 0, 0, 0, 0);
    wait_event(pid, WSTOPPED);
    cb_syscall(SYS_kill, pid, SIGCONT, 0, 0, 0, 0);
    wait_event(pid, WCONTINUED);
    CHECK(chld_count == 0, "with SA_NOCLDSTOP a stop and a continue send no SIGCHLD");
    cb_syscall(SYS_kill, pid, SIGKILL, 0, 0, 0, 0);
    wait_event(pid, WEXITED);
    CHECK(chld_count == 1 && last_chld.si_code == CLD_KILLED, "but the death does");
    cb_wait(pid, 0);

    catch_sigchld(0);
    chld_count = 0;
    pid = child_that(2);
    wait_event(pid, WEXITED);
    long ticks = (long)last_chld.si_utime + (long)last_chld.si_stime;
    cb_print("INFO a child that computed 200 ms: si_utime %ld, si_stime %ld", (long)last_chld.si_utime, (long)last_chld.si_stime);
    /* Linux fills them from tick samples, which a loaded machine may undercount: only their
       being there is checked. */
    CHECK(chld_count == 1 && ticks >= 1 && ticks <= 6000,
          "si_utime + si_stime hold the child's 200 ms of CPU time in clock ticks (at least one)");
    cb_wait(pid, 0);
    signal(SIGCHLD, SIG_DFL);
}

static void check_waitid(void)
{
    siginfo_t info;
    cb_check_ret(cb_syscall(SYS_waitid, P_ALL, 0, (long)&info, 0, 0, 0), -EINVAL, "waitid without WEXITED/WSTOPPED/WCONTINUED is EINVAL");
    cb_check_ret(cb_syscall(SYS_waitid, P_ALL, 0, (long)&info, WEXITED | 0x10, 0, 0), -EINVAL, "waitid with an unknown option bit is EINVAL");
    cb_check_ret(cb_syscall(SYS_waitid, 4, 0, (long)&info, WEXITED, 0, 0), -EINVAL, "waitid with id type 4 is EINVAL");
    cb_check_ret(cb_syscall(SYS_waitid, P_PID, 0, (long)&info, WEXITED, 0, 0), -EINVAL, "waitid(P_PID, 0) is EINVAL");
    cb_check_ret(cb_syscall(SYS_waitid, P_PGID, -1, (long)&info, WEXITED, 0, 0), -EINVAL, "waitid(P_PGID, -1) is EINVAL");
    cb_check_ret(cb_syscall(SYS_waitid, P_PIDFD_TYPE, -1, (long)&info, WEXITED, 0, 0), -EINVAL, "waitid(P_PIDFD, -1) is EINVAL");
    cb_check_ret(cb_syscall(SYS_waitid, P_PIDFD_TYPE, 1, (long)&info, WEXITED, 0, 0), -EBADF, "waitid(P_PIDFD) on a file that is no pidfd is EBADF");
    cb_check_ret(cb_syscall(SYS_waitid, P_ALL, 0, (long)&info, WEXITED | WNOHANG, 0, 0), -ECHILD, "waitid with no children is ECHILD");

    pid_t pid = child_that(3);
    memset(&info, 0x55, sizeof info);
    cb_check_ret(waitid_call(P_PID, pid, &info, WEXITED | WNOHANG, 0), 0, "waitid WNOHANG with a running child is 0");
    CHECK(info.si_signo == 0 && info.si_code == 0 && info.si_pid == 0 && info.si_status == 0,
          "and zeroes si_signo, si_code, si_pid and si_status");
    cb_syscall(SYS_kill, pid, SIGSTOP, 0, 0, 0, 0);
    memset(&info, 0, sizeof info);
    long r = waitid_call(P_PID, pid, &info, WSTOPPED | WNOWAIT, 0);
    CHECK(r == 0 && info.si_signo == SIGCHLD && info.si_code == CLD_STOPPED && info.si_pid == pid && info.si_status == SIGSTOP,
          "waitid WSTOPPED reports CLD_STOPPED with SIGSTOP");
    memset(&info, 0, sizeof info);
    r = waitid_call(P_PID, pid, &info, WSTOPPED, 0);
    CHECK(r == 0 && info.si_code == CLD_STOPPED, "WNOWAIT left the stop to report again");
    cb_check_ret(waitid_call(P_PID, pid, &info, WSTOPPED | WNOHANG, 0), 0, "a stop is reported once");
    CHECK(info.si_pid == 0, "the second look finds nothing (si_pid 0)");
    cb_syscall(SYS_kill, pid, SIGCONT, 0, 0, 0, 0);
    memset(&info, 0, sizeof info);
    r = waitid_call(P_PID, pid, &info, WCONTINUED, 0);
    CHECK(r == 0 && info.si_code == CLD_CONTINUED && info.si_status == SIGCONT, "waitid WCONTINUED reports CLD_CONTINUED with SIGCONT");
    cb_syscall(SYS_kill, pid, SIGKILL, 0, 0, 0, 0);
    memset(&info, 0, sizeof info);
    r = waitid_call(P_PID, pid, &info, WEXITED | WNOWAIT, 0);
    CHECK(r == 0 && info.si_code == CLD_KILLED && info.si_status == SIGKILL && info.si_pid == pid,
          "waitid WEXITED | WNOWAIT reports CLD_KILLED with SIGKILL");
    cb_check_ret(cb_syscall(SYS_kill, -1, 0, 0, 0, 0, 0), 0, "kill(-1, 0) finds the zombie child");
    memset(&info, 0, sizeof info);
    r = waitid_call(P_ALL, 0, &info, WEXITED, 0);
    CHECK(r == 0 && info.si_pid == pid, "waitid(P_ALL) reaps the zombie WNOWAIT left");
    cb_check_ret(waitid_call(P_PID, pid, &info, WEXITED | WNOHANG, 0), -ECHILD, "then it is gone (ECHILD)");

    pid = child_that(0);
    memset(&info, 0, sizeof info);
    struct rusage ru;
    memset(&ru, 0x55, sizeof ru);
    r = waitid_call(P_PGID, 0, &info, WEXITED, &ru);
    CHECK(r == 0 && info.si_pid == pid && info.si_code == CLD_EXITED && info.si_status == 7,
          "waitid(P_PGID, 0) reaps a child of the caller's group: CLD_EXITED, si_status 7");
    CHECK(ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000 && ru.ru_maxrss != 0x5555555555555555L,
          "and writes its rusage");
    pid = child_that(0);
    r = waitid_call(P_PGID, getpgrp(), &info, WEXITED, 0);
    CHECK(r == 0 && info.si_pid == pid, "waitid(P_PGID, own group) reaps a child");
    pid = child_that(0);
    wait_event(pid, WEXITED);
    cb_check_ret(waitid_call(P_PID, pid, 0, WEXITED, 0), 0, "waitid with a NULL infop reaps and returns 0");
    cb_check_ret(waitid_call(P_PID, pid, &info, WEXITED | WNOHANG, 0), -ECHILD, "the child is gone after it");
    pid = child_that(0);
    wait_event(pid, WEXITED);
    cb_check_ret(waitid_call(P_PID, pid, (siginfo_t *)1, WEXITED, 0), -EFAULT, "waitid with a bad infop is EFAULT");
    cb_check_ret(waitid_call(P_PID, pid, &info, WEXITED | WNOHANG, 0), -ECHILD, "but the child was reaped");
    pid = child_that(3);
    cb_check_ret(waitid_call(P_PID, pid, &info, WSTOPPED | WNOHANG, 0), 0, "WSTOPPED alone does not see a running child end");
    cb_syscall(SYS_kill, pid, SIGKILL, 0, 0, 0, 0);
    cb_sleep_ms(20);
    memset(&info, 0, sizeof info);
    cb_check_ret(waitid_call(P_PID, pid, &info, WSTOPPED | WCONTINUED | WNOHANG, 0), -ECHILD,
                 "without WEXITED a zombie is no child to wait for (ECHILD)");
    cb_wait(pid, 0);
}

int main(void)
{
    cb_begin("sigchld_info");
    check_sigchld_info();
    check_waitid();
    return cb_end();
}
