/*
 * wait_status: wait4 reports how a child ended, encoded as on Linux.
 * Exit codes 0, 1, 42, 255 (status = code << 8) and 256+7 (only the low 8 bits survive); the exit
 * and exit_group system calls; SIGKILL and SIGTERM sent with kill() to a running child, a sleeping
 * child and the child itself (status = signal number); wait4 for one specific child among several;
 * ECHILD and ESRCH for processes that are not there; getppid in a child and in an orphan.
 */
#include "cbtest.h"

/* Forks a child that exits with `code` through the given system call. */
static pid_t exiting_child(int code, long nr)
{
    pid_t pid = fork();
    if (pid == 0)
        for (;;)
            cb_syscall(nr, code, 0, 0, 0, 0, 0);
    return pid;
}

int main(void)
{
    cb_begin("wait_status");
    static const int codes[] = { 0, 1, 42, 255 };
    for (int i = 0; i < 4; i++) {
        char what[64];
        snprintf(what, sizeof what, "exit_group(%d): status 0x%x, WEXITSTATUS %d", codes[i], codes[i] << 8, codes[i]);
        cb_expect_status(exiting_child(codes[i], SYS_exit_group), codes[i] << 8, what);
    }
    cb_expect_status(exiting_child(256 + 7, SYS_exit_group), 7 << 8, "exit_group(263): only the low 8 bits, exit 7");
    cb_expect_status(exiting_child(3, SYS_exit), 3 << 8, "exit(3) of a single-threaded process");

    volatile int *flag = cb_map_shared(1);
    if (!flag)
        return cb_end();

    /* SIGKILL to a child busy in a loop of sched_yield. */
    pid_t pid = fork();
    if (pid == 0) {
        cb_set_flag(flag, 1);
        for (;;)
            sched_yield();
    }
    CHECK(cb_wait_flag(flag, 1, 30000), "the spinning child started");
    cb_check_ret(kill(pid, SIGKILL), 0, "kill(spinning child, SIGKILL)");
    cb_expect_status(pid, SIGKILL, "a child killed by SIGKILL: status 9, WTERMSIG 9");

    /* SIGTERM to a child sleeping in nanosleep for a minute. */
    pid = fork();
    if (pid == 0) {
        cb_set_flag(flag, 2);
        cb_sleep_ms(60000);
        _exit(0);
    }
    CHECK(cb_wait_flag(flag, 2, 30000), "the sleeping child started");
    cb_sleep_ms(20);
    long t0 = cb_now_ms();
    cb_check_ret(kill(pid, SIGTERM), 0, "kill(sleeping child, SIGTERM)");
    cb_expect_status(pid, SIGTERM, "a child killed by SIGTERM in nanosleep: status 15, WTERMSIG 15");
    long waited = cb_now_ms() - t0;
    CHECK(waited < 30000, "the sleeping child died at once, not after its 60 s sleep");

    /* A child killing itself. */
    pid = fork();
    if (pid == 0) {
        kill(getpid(), SIGKILL);
        _exit(0);
    }
    cb_expect_status(pid, SIGKILL, "a child sending itself SIGKILL");

    /* wait4 for one specific child among three; the order of exit does not matter. */
    pid_t kids[3];
    for (int i = 0; i < 3; i++)
        kids[i] = exiting_child(10 + i, SYS_exit_group);
    cb_expect_status(kids[2], 12 << 8, "wait4(third child) returns that child");
    cb_expect_status(kids[0], 10 << 8, "wait4(first child) returns that child");
    cb_expect_status(kids[1], 11 << 8, "wait4(second child) returns that child");

    int status;
    cb_check_ret(cb_syscall(SYS_wait4, -1, (long)&status, 0, 0, 0, 0), -ECHILD, "wait4(-1) without children: ECHILD");
    cb_check_ret(cb_syscall(SYS_wait4, kids[0], (long)&status, 0, 0, 0, 0), -ECHILD,
                 "wait4 for an already reaped child: ECHILD");
    cb_check_ret(cb_syscall(SYS_wait4, getppid(), (long)&status, 0, 0, 0, 0), -ECHILD,
                 "wait4 for the parent (not a child): ECHILD");
    cb_check_ret(cb_syscall(SYS_kill, 0x3ffffff0, SIGTERM, 0, 0, 0, 0), -ESRCH, "kill of a pid that does not exist: ESRCH");

    /* getppid: a child sees its parent; an orphan is adopted by another process. */
    pid_t self = getpid();
    cb_set_flag(flag, 0);
    pid = fork();
    if (pid == 0) {
        pid_t middle = getpid();
        if (getppid() != self)
            _exit(1);
        pid_t orphan = fork();
        if (orphan == 0) {
            cb_wait_flag(flag, 1, 30000);         /* the middle process has exited */
            long deadline = cb_now_ms() + 30000;
            while (getppid() == middle && cb_now_ms() < deadline)
                cb_sleep_ms(1);
            cb_set_flag(flag, getppid() != middle ? 2 : 3);
            _exit(0);
        }
        _exit(orphan > 0 ? 0 : 1);
    }
    cb_expect_status(pid, 0, "a child's getppid() is its parent's pid");
    cb_set_flag(flag, 1);
    CHECK(cb_wait_flag(flag, 2, 30000) && *flag == 2, "an orphan's getppid() changes when its parent exits");
    /* Where this program is pid 1 (on Cowbird) the orphan was adopted by it: reap it. Elsewhere
       wait4 returns ECHILD at once. */
    cb_syscall(SYS_wait4, -1, (long)&status, 0, 0, 0, 0);
    return cb_end();
}
