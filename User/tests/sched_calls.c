/*
 * sched_calls: the nice value and the scheduling policy, as Linux 6.1 has them for root.
 *   - getpriority/setpriority: the raw call returns 20 - nice (the highest of a group);
 *     setpriority clamps to -20..19; PRIO_PROCESS (0: the caller), PRIO_PGRP (0: the
 *     caller's group), PRIO_USER; EINVAL for another `which`, ESRCH when nothing matches
 *     (a reaped child; a zombie still counts); fork and execve keep the nice value.
 *   - sched_getscheduler/sched_setscheduler/sched_getparam/sched_setparam: SCHED_OTHER with
 *     priority 0 at first; FIFO and RR with 1..99, BATCH and IDLE with 0, the nice value
 *     kept; EINVAL for pid < 0, a NULL param, an unknown policy (4, 8, SCHED_DEADLINE
 *     without sched_setattr), a priority that does not fit; EFAULT, ESRCH in Linux's order;
 *     SCHED_RESET_ON_FORK reported and applied to a fork child (normal policy, nice 0).
 *   - sched_get_priority_max/min per policy; sched_rr_get_interval (100 ms for RR, 0 for
 *     FIFO); getcpu (node 0; EFAULT after trying both pointers); /proc/self/stat's priority,
 *     nice, rt_priority and policy fields.
 * Every change runs in a child, in its own process group for PRIO_PGRP, so the program
 * never touches its caller's priority.
 */
#include "cbtest.h"
#include <stdlib.h>
#include <sys/resource.h>

#define RESET_ON_FORK 0x40000000
#define NICE_CHECK_ARG "--nice-check"

static long getprio(int which, int who) { return cb_syscall(SYS_getpriority, which, who, 0, 0, 0, 0); }
static long setprio(int which, int who, int nice) { return cb_syscall(SYS_setpriority, which, who, nice, 0, 0, 0); }
static long getsched(int pid) { return cb_syscall(SYS_sched_getscheduler, pid, 0, 0, 0, 0, 0); }

static long setsched(int pid, int policy, int priority)
{
    int param = priority;    /* the kernel's struct sched_param: one int */
    return cb_syscall(SYS_sched_setscheduler, pid, policy, (long)&param, 0, 0, 0);
}

static long setparam(int pid, int priority)
{
    int param = priority;
    return cb_syscall(SYS_sched_setparam, pid, (long)&param, 0, 0, 0, 0);
}

static long getparam(int pid)
{
    int param = -1;
    long r = cb_syscall(SYS_sched_getparam, pid, (long)&param, 0, 0, 0, 0);
    return r < 0 ? r : param;
}

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

/* Field `n` (1-based, as proc(5) numbers them) of /proc/self/stat, or -999 if unreadable. */
static long stat_field(int n)
{
    char text[1024];
    if (cb_read_file("/proc/self/stat", text, sizeof text) <= 0)
        return -999;
    char *p = strrchr(text, ')');
    for (int field = 2; p && field < n; field++)
        p = strchr(p + 1, ' ');
    return p ? strtol(p + 1, NULL, 10) : -999;
}

static void check_nice(const char *self)
{
    pid_t pid = cb_fork("nice");
    if (pid == 0) {
        cb_child_begin("nice", 0);
        cb_check_ret(setprio(PRIO_PROCESS, 0, 5), 0, "setpriority(PRIO_PROCESS, 0, 5)");
        cb_check_ret(getprio(PRIO_PROCESS, 0), 15, "getpriority returns 20 - nice");
        cb_check_ret(getprio(PRIO_PROCESS, getpid()), 15, "getpriority by the caller's own pid");
        CHECK(stat_field(18) == 25 && stat_field(19) == 5, "/proc/self/stat shows priority 25 and nice 5");
        cb_check_ret(setprio(PRIO_PROCESS, 0, 100), 0, "setpriority(100)");
        cb_check_ret(getprio(PRIO_PROCESS, 0), 1, "... is clamped to nice 19");
        cb_check_ret(setprio(PRIO_PROCESS, 0, -100), 0, "setpriority(-100) as root");
        cb_check_ret(getprio(PRIO_PROCESS, 0), 40, "... is clamped to nice -20");
        cb_check_ret(getprio(3, 0), -EINVAL, "getpriority(3) is EINVAL");
        cb_check_ret(getprio(-1, 0), -EINVAL, "getpriority(-1) is EINVAL");
        cb_check_ret(setprio(3, 0, 0), -EINVAL, "setpriority(3) is EINVAL");
        pid_t gone = reaped_pid();
        cb_check_ret(getprio(PRIO_PROCESS, gone), -ESRCH, "getpriority of a reaped pid is ESRCH");
        cb_check_ret(setprio(PRIO_PROCESS, gone, 0), -ESRCH, "setpriority of a reaped pid is ESRCH");
        cb_check_ret(getprio(PRIO_PROCESS, -5), -ESRCH, "getpriority of pid -5 is ESRCH");
        cb_check_ret(getprio(PRIO_USER, 12345), -ESRCH, "getpriority of a user with no process is ESRCH");
        cb_check_ret(setprio(PRIO_USER, 12345, 0), -ESRCH, "setpriority of a user with no process is ESRCH");

        setprio(PRIO_PROCESS, 0, 7);
        pid_t child = fork();
        if (child == 0)
            _exit(getprio(PRIO_PROCESS, 0) == 13 && setprio(PRIO_PROCESS, 0, 3) == 0 ? 0 : 1);
        siginfo_t info;
        cb_syscall(SYS_waitid, P_PID, child, (long)&info, WEXITED | WNOWAIT, 0, 0);
        CHECK(info.si_status == 0, "a fork child inherits nice 7");
        cb_check_ret(getprio(PRIO_PROCESS, 0), 13, "the child's setpriority leaves its parent's nice alone");
        cb_check_ret(getprio(PRIO_PROCESS, child), 17, "getpriority of a zombie child gives its nice");
        cb_check_ret(setprio(PRIO_PROCESS, child, 1), 0, "setpriority of a zombie child works");
        cb_expect_exit(child, 0, "the child saw its inherited nice");

        setprio(PRIO_PROCESS, 0, 4);
        child = fork();
        if (child == 0) {
            char *args[] = { (char *)self, NICE_CHECK_ARG, NULL };
            cb_syscall(SYS_execve, (long)self, (long)args, 0, 0, 0, 0);
            _exit(2);
        }
        cb_expect_exit(child, 0, "execve keeps the nice value");
        cb_child_exit();
    }
    cb_expect_exit(pid, 0, "getpriority/setpriority for a process: 20 - nice, clamping, EINVAL, ESRCH, fork, zombies, execve");
}

static void check_group_priority(void)
{
    pid_t pid = cb_fork("group priority");
    if (pid == 0) {
        cb_child_begin("group priority", 0);
        setpgid(0, 0);
        setprio(PRIO_PROCESS, 0, 5);
        int ready[2];
        pipe(ready);
        pid_t members[2];
        static const int nices[2] = { 2, 9 };
        for (int i = 0; i < 2; i++) {
            members[i] = fork();
            if (members[i] == 0) {
                setprio(PRIO_PROCESS, 0, nices[i]);
                write(ready[1], "x", 1);
                for (;;)
                    cb_syscall(SYS_pause, 0, 0, 0, 0, 0, 0);
            }
        }
        char c;
        read(ready[0], &c, 1);
        read(ready[0], &c, 1);
        cb_check_ret(getprio(PRIO_PGRP, 0), 18, "getpriority(PRIO_PGRP) gives the highest 20 - nice of the group");
        cb_check_ret(getprio(PRIO_PGRP, getpid()), 18, "... also by the group's id");
        cb_check_ret(setprio(PRIO_PGRP, 0, 10), 0, "setpriority(PRIO_PGRP, 0, 10)");
        CHECK(getprio(PRIO_PROCESS, members[0]) == 10 && getprio(PRIO_PROCESS, members[1]) == 10 && getprio(PRIO_PROCESS, 0) == 10,
              "... sets every member's nice");
        pid_t gone = reaped_pid();
        cb_check_ret(getprio(PRIO_PGRP, gone), -ESRCH, "getpriority of an empty group is ESRCH");
        cb_check_ret(setprio(PRIO_PGRP, gone, 0), -ESRCH, "setpriority of an empty group is ESRCH");
        for (int i = 0; i < 2; i++) {
            kill(members[i], SIGKILL);
            int status;
            cb_wait(members[i], &status);
        }
        cb_child_exit();
    }
    cb_expect_exit(pid, 0, "getpriority/setpriority for a process group");
}

static void check_policies(void)
{
    static const struct { int policy; long max, min; } ranges[] = {
        { SCHED_OTHER, 0, 0 }, { SCHED_FIFO, 99, 1 }, { SCHED_RR, 99, 1 }, { SCHED_BATCH, 0, 0 },
        { 4, -EINVAL, -EINVAL }, { SCHED_IDLE, 0, 0 }, { 6, 0, 0 }, { 8, -EINVAL, -EINVAL },
        { -1, -EINVAL, -EINVAL }, { SCHED_OTHER | RESET_ON_FORK, -EINVAL, -EINVAL },
    };
    for (unsigned i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
        cb_check_ret(cb_syscall(SYS_sched_get_priority_max, ranges[i].policy, 0, 0, 0, 0, 0), ranges[i].max,
                     "sched_get_priority_max(%d)", ranges[i].policy);
        cb_check_ret(cb_syscall(SYS_sched_get_priority_min, ranges[i].policy, 0, 0, 0, 0, 0), ranges[i].min,
                     "sched_get_priority_min(%d)", ranges[i].policy);
    }
    cb_check_ret(getsched(0), SCHED_OTHER, "a process starts under SCHED_OTHER");
    cb_check_ret(getparam(0), 0, "... with priority 0");

    pid_t gone = reaped_pid();
    int param = 0;
    cb_check_ret(getsched(-1), -EINVAL, "sched_getscheduler(-1) is EINVAL");
    cb_check_ret(getsched(gone), -ESRCH, "sched_getscheduler of a reaped pid is ESRCH");
    cb_check_ret(cb_syscall(SYS_sched_getparam, 0, 0, 0, 0, 0, 0), -EINVAL, "sched_getparam with a NULL param is EINVAL");
    cb_check_ret(cb_syscall(SYS_sched_getparam, -1, (long)&param, 0, 0, 0, 0), -EINVAL, "sched_getparam(-1) is EINVAL");
    cb_check_ret(getparam(gone), -ESRCH, "sched_getparam of a reaped pid is ESRCH");
    cb_check_ret(cb_syscall(SYS_sched_getparam, 0, 1, 0, 0, 0, 0), -EFAULT, "sched_getparam with a bad param is EFAULT");
    cb_check_ret(setsched(0, -1, 0), -EINVAL, "sched_setscheduler with policy -1 is EINVAL");
    cb_check_ret(setsched(-1, SCHED_OTHER, 0), -EINVAL, "sched_setscheduler(-1) is EINVAL");
    cb_check_ret(cb_syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, 0, 0, 0, 0), -EINVAL, "sched_setscheduler with a NULL param is EINVAL");
    cb_check_ret(cb_syscall(SYS_sched_setscheduler, gone, SCHED_OTHER, 1, 0, 0, 0), -EFAULT,
                 "sched_setscheduler reads the param (EFAULT) before it looks for the process");
    cb_check_ret(setsched(gone, 8, 0), -ESRCH, "sched_setscheduler looks for the process (ESRCH) before it checks the policy");
    cb_check_ret(setsched(0, 4, 0), -EINVAL, "sched_setscheduler with policy 4 is EINVAL");
    cb_check_ret(setsched(0, 8, 0), -EINVAL, "sched_setscheduler with policy 8 is EINVAL");
    cb_check_ret(setsched(0, 6, 0), -EINVAL, "sched_setscheduler(SCHED_DEADLINE) is EINVAL: it needs sched_setattr");
    cb_check_ret(setsched(0, SCHED_OTHER, 1), -EINVAL, "SCHED_OTHER with priority 1 is EINVAL");
    cb_check_ret(setsched(0, SCHED_FIFO, 0), -EINVAL, "SCHED_FIFO with priority 0 is EINVAL");
    cb_check_ret(setsched(0, SCHED_FIFO, 100), -EINVAL, "SCHED_FIFO with priority 100 is EINVAL");
    cb_check_ret(setsched(0, SCHED_RR, -1), -EINVAL, "SCHED_RR with priority -1 is EINVAL");
    cb_check_ret(setparam(0, 1), -EINVAL, "sched_setparam(1) under SCHED_OTHER is EINVAL");
    cb_check_ret(setparam(gone, 0), -ESRCH, "sched_setparam of a reaped pid is ESRCH");
    cb_check_ret(cb_syscall(SYS_sched_setparam, 0, 0, 0, 0, 0, 0), -EINVAL, "sched_setparam with a NULL param is EINVAL");
    struct timespec ts;
    cb_check_ret(cb_syscall(SYS_sched_rr_get_interval, -1, (long)&ts, 0, 0, 0, 0), -EINVAL, "sched_rr_get_interval(-1) is EINVAL");
    cb_check_ret(cb_syscall(SYS_sched_rr_get_interval, gone, (long)&ts, 0, 0, 0, 0), -ESRCH, "sched_rr_get_interval of a reaped pid is ESRCH");
    cb_check_ret(cb_syscall(SYS_sched_rr_get_interval, 0, 1, 0, 0, 0, 0), -EFAULT, "sched_rr_get_interval with a bad pointer is EFAULT");
    memset(&ts, 0x55, sizeof ts);
    cb_check_ret(cb_syscall(SYS_sched_rr_get_interval, 0, (long)&ts, 0, 0, 0, 0), 0, "sched_rr_get_interval under SCHED_OTHER");
    cb_print("INFO SCHED_OTHER's interval: %ld.%09ld s", (long)ts.tv_sec, ts.tv_nsec);
    CHECK(ts.tv_sec == 0 && ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000, "... is a slice of less than a second");

    pid_t pid = cb_fork("policies");
    if (pid == 0) {
        cb_child_begin("policies", 0);
        setprio(PRIO_PROCESS, 0, 4);
        cb_check_ret(setsched(0, SCHED_FIFO, 10), 0, "sched_setscheduler(SCHED_FIFO, 10) as root");
        cb_check_ret(getsched(0), SCHED_FIFO, "sched_getscheduler gives SCHED_FIFO");
        cb_check_ret(getparam(0), 10, "sched_getparam gives priority 10");
        cb_check_ret(getprio(PRIO_PROCESS, 0), 16, "the nice value stays under SCHED_FIFO");
        CHECK(stat_field(18) == -11 && stat_field(40) == 10 && stat_field(41) == SCHED_FIFO,
              "/proc/self/stat shows priority -11, rt_priority 10 and policy 1");
        memset(&ts, 0x55, sizeof ts);
        cb_syscall(SYS_sched_rr_get_interval, 0, (long)&ts, 0, 0, 0, 0);
        CHECK(ts.tv_sec == 0 && ts.tv_nsec == 0, "SCHED_FIFO has no time slice");
        cb_check_ret(setparam(0, 20), 0, "sched_setparam(20) under SCHED_FIFO");
        cb_check_ret(getparam(0), 20, "... changes the priority");
        cb_check_ret(setparam(0, 0), -EINVAL, "sched_setparam(0) under SCHED_FIFO is EINVAL");
        cb_check_ret(setsched(0, SCHED_RR, 5), 0, "sched_setscheduler(SCHED_RR, 5)");
        cb_syscall(SYS_sched_rr_get_interval, 0, (long)&ts, 0, 0, 0, 0);
        CHECK(ts.tv_sec == 0 && ts.tv_nsec == 100000000, "SCHED_RR's time slice is 100 ms");
        cb_check_ret(setsched(0, SCHED_BATCH, 0), 0, "sched_setscheduler(SCHED_BATCH)");
        CHECK(getsched(0) == SCHED_BATCH && getparam(0) == 0 && getprio(PRIO_PROCESS, 0) == 16,
              "SCHED_BATCH with priority 0 and the nice value kept");
        cb_check_ret(setsched(0, SCHED_IDLE, 0), 0, "sched_setscheduler(SCHED_IDLE)");
        cb_check_ret(getsched(0), SCHED_IDLE, "sched_getscheduler gives SCHED_IDLE");

        cb_check_ret(setsched(0, SCHED_FIFO | RESET_ON_FORK, 10), 0, "sched_setscheduler(SCHED_FIFO | SCHED_RESET_ON_FORK)");
        cb_check_ret(getsched(0), SCHED_FIFO | RESET_ON_FORK, "sched_getscheduler reports SCHED_RESET_ON_FORK");
        cb_check_ret(setparam(0, 11), 0, "sched_setparam keeps SCHED_RESET_ON_FORK");
        cb_check_ret(getsched(0), SCHED_FIFO | RESET_ON_FORK, "... as sched_getscheduler shows");
        setprio(PRIO_PROCESS, 0, -5);
        pid_t child = fork();
        if (child == 0)
            _exit(getsched(0) == SCHED_OTHER && getparam(0) == 0 && getprio(PRIO_PROCESS, 0) == 20 ? 0 : 1);
        cb_expect_exit(child, 0, "a real-time SCHED_RESET_ON_FORK parent's child runs SCHED_OTHER with nice 0");
        setsched(0, SCHED_BATCH | RESET_ON_FORK, 0);
        child = fork();
        if (child == 0)
            _exit(getsched(0) == SCHED_BATCH && getprio(PRIO_PROCESS, 0) == 20 ? 0 : 1);
        cb_expect_exit(child, 0, "a SCHED_BATCH SCHED_RESET_ON_FORK parent's child keeps SCHED_BATCH, its negative nice reset to 0");
        setprio(PRIO_PROCESS, 0, 6);
        child = fork();
        if (child == 0)
            _exit(getprio(PRIO_PROCESS, 0) == 14 && getsched(0) == SCHED_BATCH ? 0 : 1);
        cb_expect_exit(child, 0, "... and a positive nice kept");
        setsched(0, SCHED_FIFO, 10);
        child = fork();
        if (child == 0)
            _exit(getsched(0) == SCHED_FIFO && getparam(0) == 10 ? 0 : 1);
        cb_expect_exit(child, 0, "without SCHED_RESET_ON_FORK a child inherits SCHED_FIFO and its priority");
        cb_child_exit();
    }
    cb_expect_exit(pid, 0, "sched_setscheduler/sched_setparam: real-time and other policies, SCHED_RESET_ON_FORK");
}

static void check_getcpu(void)
{
    unsigned cpu = 99, node = 99;
    cb_check_ret(cb_syscall(SYS_getcpu, (long)&cpu, (long)&node, 0, 0, 0, 0), 0, "getcpu(&cpu, &node, NULL)");
    cb_print("INFO running on CPU %u", cpu);
    CHECK(cpu < 4096 && node == 0, "getcpu gives a CPU and node 0");
    cb_check_ret(cb_syscall(SYS_getcpu, 0, 0, 0, 0, 0, 0), 0, "getcpu with NULL pointers is 0");
    node = 99;
    cb_check_ret(cb_syscall(SYS_getcpu, 1, (long)&node, 0, 0, 0, 0), -EFAULT, "getcpu with a bad cpu pointer is EFAULT");
    cb_check_ret(node, 0, "... after writing the node all the same");
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], NICE_CHECK_ARG) == 0)
        return getprio(PRIO_PROCESS, 0) == 16 ? 0 : 1;
    char self[256];
    cb_self_path(argv[0], self, sizeof self);
    cb_begin("sched_calls");
    check_nice(self);
    check_group_priority();
    check_policies();
    check_getcpu();
    return cb_end();
}
