/*
 * wait4_edges: wait4's order of checks and its bad pointers, as Linux's kernel_wait4 and
 * sys_wait4 (kernel/exit.c): options, then pid INT_MIN, then the wait, then the status and
 * the rusage are written.
 *   - A bad status pointer still reaps the child, then gives EFAULT (a second wait4: ECHILD).
 *   - A bad rusage pointer still reaps the child and writes the status, then gives EFAULT.
 *   - WNOHANG with a running child returns 0 and writes nothing, so bad pointers do not matter.
 *   - A stop reported with a bad status pointer is consumed all the same.
 *   - wait4(INT_MIN) gives ESRCH; unknown options, WEXITED and WNOWAIT give EINVAL first.
 *   - __WCLONE alone waits only for clone children: fork children give ECHILD; __WALL sees them.
 *   - pid 0 waits for any child of the caller's process group.
 */
#include "cbtest.h"

#define BAD_POINTER 1L
#define KERNEL_HALF ((long)0xffff800000001000UL)
#define WCLONE_FLAG 0x80000000
#define WALL_FLAG 0x40000000
#define WEXITED_FLAG 4
#define WNOWAIT_FLAG 0x01000000

static long wait4_raw(long pid, long status, long options, long rusage)
{
    long r;
    do
        r = cb_syscall(SYS_wait4, pid, status, options, rusage, 0, 0);
    while (r == -EINTR);
    return r;
}

static pid_t exiting_child(int code)
{
    pid_t pid = cb_fork("an exiting child");
    if (pid == 0)
        _exit(code);
    return pid;
}

static pid_t sleeping_child(void)
{
    pid_t pid = cb_fork("a sleeping child");
    if (pid == 0) {
        cb_sleep_ms(60000);
        _exit(0);
    }
    return pid;
}

int main(void)
{
    cb_begin("wait4_edges");
    int status = -1;

    pid_t pid = exiting_child(5);
    cb_check_ret(wait4_raw(pid, BAD_POINTER, 0, 0), -EFAULT, "wait4(child, bad status): EFAULT");
    cb_check_ret(wait4_raw(pid, (long)&status, WNOHANG, 0), -ECHILD, "the child was reaped all the same: ECHILD");
    cb_check_ret(kill(pid, 0) == 0 ? 0 : -errno, -ESRCH, "and it is gone: kill(pid, 0) gives ESRCH");

    pid = exiting_child(6);
    status = -1;
    cb_check_ret(wait4_raw(pid, (long)&status, 0, KERNEL_HALF), -EFAULT, "wait4(child, status, 0, kernel-half rusage): EFAULT");
    CHECK(status == 6 << 8, "the status was written before the rusage failed: 0x600");
    cb_check_ret(wait4_raw(pid, (long)&status, WNOHANG, 0), -ECHILD, "the child was reaped: ECHILD");

    pid = exiting_child(7);
    cb_check_ret(wait4_raw(-1, KERNEL_HALF, 0, BAD_POINTER), -EFAULT, "wait4(-1, kernel-half status, 0, bad rusage): EFAULT");
    cb_check_ret(wait4_raw(-1, (long)&status, WNOHANG, 0), -ECHILD, "that child was reaped too");

    pid = sleeping_child();
    cb_check_ret(wait4_raw(pid, BAD_POINTER, WNOHANG, BAD_POINTER), 0,
                 "WNOHANG with a running child and bad pointers: 0");
    cb_check_ret(wait4_raw(-1, KERNEL_HALF, WNOHANG | WUNTRACED | WCONTINUED, KERNEL_HALF), 0,
                 "WNOHANG|WUNTRACED|WCONTINUED, running child, kernel-half pointers: 0");
    kill(pid, SIGSTOP);
    cb_check_ret(wait4_raw(pid, BAD_POINTER, WUNTRACED, 0), -EFAULT, "wait4(WUNTRACED) of a stopped child, bad status: EFAULT");
    cb_check_ret(wait4_raw(pid, (long)&status, WUNTRACED | WNOHANG, 0), 0, "the stop was reported all the same: no second report");
    kill(pid, SIGKILL);
    cb_expect_status(pid, SIGKILL, "the stopped child is killed and reaped");

    cb_check_ret(wait4_raw(INT32_MIN, (long)&status, 0, 0), -ESRCH, "wait4(INT_MIN): ESRCH");
    cb_check_ret(wait4_raw(INT32_MIN, (long)&status, 0x10, 0), -EINVAL, "wait4(INT_MIN, unknown option 0x10): EINVAL first");
    cb_check_ret(wait4_raw(-1, (long)&status, WEXITED_FLAG, 0), -EINVAL, "wait4 with WEXITED: EINVAL");
    cb_check_ret(wait4_raw(-1, (long)&status, WNOWAIT_FLAG, 0), -EINVAL, "wait4 with WNOWAIT: EINVAL");
    cb_check_ret(wait4_raw(-1, (long)&status, 0x10, 0), -EINVAL, "wait4 with an unknown option: EINVAL");

    pid = sleeping_child();
    cb_check_ret(wait4_raw(-1, (long)&status, WCLONE_FLAG, 0), -ECHILD, "__WCLONE with only fork children: ECHILD, no wait");
    cb_check_ret(wait4_raw(-1, (long)&status, WCLONE_FLAG | WALL_FLAG | WNOHANG, 0), 0,
                 "__WALL|__WCLONE sees the fork child: WNOHANG gives 0");
    kill(pid, SIGKILL);
    cb_check_ret(wait4_raw(0, (long)&status, 0, 0), pid, "wait4(0) reaps a child of the same process group");
    CHECK(status == SIGKILL, "with its status 0x9");
    cb_check_ret(wait4_raw(0, (long)&status, 0, 0), -ECHILD, "wait4(0) without children: ECHILD");
    return cb_end();
}
