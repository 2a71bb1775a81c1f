/*
 * process_settings: personality(2) and the prctl settings as Linux 6.1 keeps them for root.
 * personality: 0xffffffff only asks; a set returns the old value; fork keeps it; execve
 * clears READ_IMPLIES_EXEC and keeps ADDR_NO_RANDOMIZE. prctl: PDEATHSIG (0..64, EINVAL above,
 * EFAULT for a bad pointer, not inherited, sent to a child when its parent exits, after the
 * child was given to its new parent), DUMPABLE (0/1, 2 EINVAL, back to 1 at execve), KEEPCAPS (0/1,
 * 2 EINVAL, cleared by execve), NO_NEW_PRIVS (arg2 must be 1 and the rest 0,
 * sticks across fork and execve), TIMERSLACK (50000 ns by default, 0 goes back to it),
 * CAPBSET_READ (1 up to CAP_LAST_CAP 40, EINVAL at 41), GET_SECCOMP 0, unknown options EINVAL.
 * ioprio_get/ioprio_set: 0 (none set) at first, a set value reads back and is inherited by
 * fork; bad classes, NONE with a level and a bad `which` are EINVAL, an unknown pid ESRCH; a
 * process group's priority is the best effective one, best effort at (nice + 20) / 5 for a
 * process that set none. sched_setaffinity: the mask getaffinity gives is accepted, an empty
 * one (also length 0) is EINVAL, a NULL one EFAULT, an unknown pid ESRCH.
 */
#include "cbtest.h"
#include <stdlib.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#define QUERY 0xffffffffUL

static long pr(long option, long a2, long a3, long a4, long a5)
{
    return cb_syscall(SYS_prctl, option, a2, a3, a4, a5, 0);
}

static long persona(unsigned long value)
{
    return cb_syscall(SYS_personality, (long)value, 0, 0, 0, 0, 0);
}

/* The exec'd image: prints what execve left, as one number per setting. */
static int report_after_exec(void)
{
    int pdeath = -1;
    pr(PR_GET_PDEATHSIG, (long)&pdeath, 0, 0, 0);
    return (persona(QUERY) == ADDR_NO_RANDOMIZE ? 1 : 0) | (pr(PR_GET_DUMPABLE, 0, 0, 0, 0) == 1 ? 2 : 0)
         | (pr(PR_GET_KEEPCAPS, 0, 0, 0, 0) == 0 ? 4 : 0) | (pr(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ? 8 : 0)
         | (pdeath == SIGUSR2 ? 16 : 0);
}

static void check_personality(void)
{
    cb_check_ret(persona(QUERY), 0, "personality(0xffffffff): PER_LINUX, 0");
    cb_check_ret(persona(ADDR_NO_RANDOMIZE | READ_IMPLIES_EXEC), 0, "personality set: returns the old value");
    cb_check_ret(persona(QUERY), ADDR_NO_RANDOMIZE | READ_IMPLIES_EXEC, "personality reads back what was set");
    pid_t pid = cb_fork("a personality child");
    if (pid == 0)
        _exit(persona(QUERY) == (ADDR_NO_RANDOMIZE | READ_IMPLIES_EXEC) ? 0 : 1);
    cb_expect_exit(pid, 0, "a fork child has its parent's personality");
}

static void check_prctl_values(void)
{
    int sig = -1;
    cb_check_ret(pr(PR_GET_PDEATHSIG, (long)&sig, 0, 0, 0), 0, "PR_GET_PDEATHSIG: 0");
    CHECK(sig == 0, "no parent-death signal at first");
    cb_check_ret(pr(PR_SET_PDEATHSIG, 65, 0, 0, 0), -EINVAL, "PR_SET_PDEATHSIG 65: EINVAL");
    cb_check_ret(pr(PR_SET_PDEATHSIG, SIGUSR2, 0, 0, 0), 0, "PR_SET_PDEATHSIG SIGUSR2");
    pr(PR_GET_PDEATHSIG, (long)&sig, 0, 0, 0);
    CHECK(sig == SIGUSR2, "PR_GET_PDEATHSIG reads SIGUSR2 back");
    cb_check_ret(pr(PR_GET_PDEATHSIG, 1, 0, 0, 0), -EFAULT, "PR_GET_PDEATHSIG to address 1: EFAULT");
    cb_check_ret(pr(PR_GET_DUMPABLE, 0, 0, 0, 0), 1, "PR_GET_DUMPABLE: 1");
    cb_check_ret(pr(PR_SET_DUMPABLE, 2, 0, 0, 0), -EINVAL, "PR_SET_DUMPABLE 2: EINVAL");
    cb_check_ret(pr(PR_SET_DUMPABLE, 0, 0, 0, 0), 0, "PR_SET_DUMPABLE 0");
    cb_check_ret(pr(PR_GET_DUMPABLE, 0, 0, 0, 0), 0, "PR_GET_DUMPABLE reads 0 back");
    cb_check_ret(pr(PR_GET_KEEPCAPS, 0, 0, 0, 0), 0, "PR_GET_KEEPCAPS: 0");
    cb_check_ret(pr(PR_SET_KEEPCAPS, 2, 0, 0, 0), -EINVAL, "PR_SET_KEEPCAPS 2: EINVAL");
    cb_check_ret(pr(PR_SET_KEEPCAPS, 1, 0, 0, 0), 0, "PR_SET_KEEPCAPS 1");
    cb_check_ret(pr(PR_GET_KEEPCAPS, 0, 0, 0, 0), 1, "PR_GET_KEEPCAPS reads 1 back");
    cb_check_ret(pr(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), 0, "PR_GET_NO_NEW_PRIVS: 0");
    cb_check_ret(pr(PR_GET_NO_NEW_PRIVS, 1, 0, 0, 0), -EINVAL, "PR_GET_NO_NEW_PRIVS with arg2 set: EINVAL");
    cb_check_ret(pr(PR_SET_NO_NEW_PRIVS, 2, 0, 0, 0), -EINVAL, "PR_SET_NO_NEW_PRIVS 2: EINVAL");
    cb_check_ret(pr(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 1), -EINVAL, "PR_SET_NO_NEW_PRIVS with arg5 set: EINVAL");
    cb_check_ret(pr(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0, "PR_SET_NO_NEW_PRIVS 1");
    cb_check_ret(pr(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), 1, "PR_GET_NO_NEW_PRIVS reads 1 back");
    cb_check_ret(pr(PR_GET_TIMERSLACK, 0, 0, 0, 0), 50000, "PR_GET_TIMERSLACK: 50000 ns");
    cb_check_ret(pr(PR_SET_TIMERSLACK, 1000, 0, 0, 0), 0, "PR_SET_TIMERSLACK 1000");
    cb_check_ret(pr(PR_GET_TIMERSLACK, 0, 0, 0, 0), 1000, "PR_GET_TIMERSLACK reads 1000 back");
    cb_check_ret(pr(PR_SET_TIMERSLACK, 0, 0, 0, 0), 0, "PR_SET_TIMERSLACK 0");
    cb_check_ret(pr(PR_GET_TIMERSLACK, 0, 0, 0, 0), 50000, "after PR_SET_TIMERSLACK 0: the default again");
    cb_check_ret(pr(PR_CAPBSET_READ, 40, 0, 0, 0), 1, "PR_CAPBSET_READ 40: 1");
    cb_check_ret(pr(PR_CAPBSET_READ, 41, 0, 0, 0), -EINVAL, "PR_CAPBSET_READ 41: EINVAL");
    cb_check_ret(pr(PR_GET_SECCOMP, 0, 0, 0, 0), 0, "PR_GET_SECCOMP: 0");
    cb_check_ret(pr(9999, 0, 0, 0, 0), -EINVAL, "an unknown option: EINVAL");
}

/* fork keeps what it keeps, drops the parent-death signal. */
static void check_fork(void)
{
    pid_t pid = cb_fork("a settings child");
    if (pid == 0) {
        int sig = -1;
        pr(PR_GET_PDEATHSIG, (long)&sig, 0, 0, 0);
        _exit(sig == 0 && pr(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0 && pr(PR_GET_KEEPCAPS, 0, 0, 0, 0) == 1
              && pr(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ? 0 : 1);
    }
    cb_expect_exit(pid, 0, "a fork child keeps dumpable, keepcaps and no_new_privs, not the parent-death signal");
}

static void check_exec(const char *argv0)
{
    char self[256];
    cb_self_path(argv0, self, sizeof self);
    pid_t pid = cb_fork("an exec'ing child");
    if (pid == 0) {
        pr(PR_SET_PDEATHSIG, SIGUSR2, 0, 0, 0);
        char *args[] = { (char *)argv0, "--after-exec", 0 };
        execv(self, args);
        _exit(0x7e);
    }
    int status = 0;
    cb_wait(pid, &status);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 31,
          "execve clears READ_IMPLIES_EXEC, sets dumpable 1, clears keepcaps, keeps no_new_privs and the parent-death signal");
}

static volatile sig_atomic_t got_signal;

static void on_usr1(int sig)
{
    (void)sig;
    got_signal = 1;
}

/* A grandchild with PR_SET_PDEATHSIG SIGUSR1 gets it when its parent (the child) exits. */
static void check_parent_death_signal(void)
{
    int ready[2], report[2];
    if (pipe(ready) != 0 || pipe(report) != 0) {
        CHECK(0, "pipes");
        return;
    }
    pid_t child = cb_fork("a middle child");
    if (child == 0) {
        pid_t grandchild = fork();
        if (grandchild == 0) {
            signal(SIGUSR1, on_usr1);
            pr(PR_SET_PDEATHSIG, SIGUSR1, 0, 0, 0);
            write(ready[1], "r", 1);
            for (long waited = 0; !got_signal && waited < 10000; waited += 10)
                cb_sleep_ms(10);
            char answer = got_signal ? 'y' : 'n';
            write(report[1], &answer, 1);
            _exit(0);
        }
        char c;
        read(ready[0], &c, 1);
        _exit(0);
    }
    cb_expect_exit(child, 0, "the middle child exits once its child is ready");
    char answer = 0;
    long n = read(report[0], &answer, 1);
    CHECK(n == 1 && answer == 'y', "the grandchild got SIGUSR1 when its parent exited");
    close(ready[0]);
    close(ready[1]);
    close(report[0]);
    close(report[1]);
}

#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_WHO_PGRP 2
#define IOPRIO_WHO_USER 3
#define IOPRIO(cls, level) (((cls) << 13) | (level))

static long ioprio_get(long which, long who)
{
    return cb_syscall(SYS_ioprio_get, which, who, 0, 0, 0, 0);
}

static long ioprio_set(long which, long who, long prio)
{
    return cb_syscall(SYS_ioprio_set, which, who, prio, 0, 0, 0);
}

static void check_ioprio(void)
{
    cb_check_ret(ioprio_get(IOPRIO_WHO_PROCESS, 0), 0, "ioprio_get of the caller: 0, none set");
    cb_check_ret(ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO(4, 0)), -EINVAL, "ioprio_set class 4: EINVAL");
    cb_check_ret(ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO(0, 1)), -EINVAL, "ioprio_set class NONE with level 1: EINVAL");
    cb_check_ret(ioprio_set(4, 0, IOPRIO(2, 4)), -EINVAL, "ioprio_set which 4: EINVAL");
    cb_check_ret(ioprio_get(4, 0), -EINVAL, "ioprio_get which 4: EINVAL");
    cb_check_ret(ioprio_get(IOPRIO_WHO_PROCESS, 999999), -ESRCH, "ioprio_get of an unknown pid: ESRCH");
    cb_check_ret(ioprio_set(IOPRIO_WHO_USER, 12345, IOPRIO(2, 4)), -ESRCH, "ioprio_set of a user with no process: ESRCH");
    cb_check_ret(ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO(3, 0)), 0, "ioprio_set idle class");
    cb_check_ret(ioprio_get(IOPRIO_WHO_PROCESS, getpid()), IOPRIO(3, 0), "ioprio_get by pid reads the idle class back");
    cb_check_ret(ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO(2, 7)), 0, "ioprio_set best effort level 7");
    pid_t pid = cb_fork("an ioprio child");
    if (pid == 0) {
        long inherited = ioprio_get(IOPRIO_WHO_PROCESS, 0);
        setpgid(0, 0);
        ioprio_set(IOPRIO_WHO_PROCESS, 0, 0);
        long group_default = ioprio_get(IOPRIO_WHO_PGRP, 0);
        setpriority(PRIO_PROCESS, 0, 10);
        long group_nice = ioprio_get(IOPRIO_WHO_PGRP, 0);
        ioprio_set(IOPRIO_WHO_PGRP, 0, IOPRIO(2, 1));
        long group_set = ioprio_get(IOPRIO_WHO_PGRP, getpid());
        _exit((inherited == IOPRIO(2, 7) ? 1 : 0) | (group_default == IOPRIO(2, 4) ? 2 : 0)
              | (group_nice == IOPRIO(2, 6) ? 4 : 0) | (group_set == IOPRIO(2, 1) ? 8 : 0));
    }
    int status = 0;
    cb_wait(pid, &status);
    int bits = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
    CHECK(bits & 1, "a fork child inherits the I/O priority");
    CHECK(bits & 2, "a group without a set priority: best effort level 4 (nice 0)");
    CHECK(bits & 4, "after setpriority 10: best effort level 6");
    CHECK(bits & 8, "ioprio_set of the group, then its get: the value set");
    ioprio_set(IOPRIO_WHO_PROCESS, 0, 0);
}

static void check_affinity(void)
{
    unsigned long mask = 0, zero = 0;
    long got = cb_syscall(SYS_sched_getaffinity, 0, sizeof mask, (long)&mask, 0, 0, 0);
    CHECK(got == (long)sizeof mask && mask != 0, "sched_getaffinity: a non-empty mask");
    cb_check_ret(cb_syscall(SYS_sched_setaffinity, 0, sizeof mask, (long)&mask, 0, 0, 0), 0,
                 "sched_setaffinity with that mask: 0");
    cb_check_ret(cb_syscall(SYS_sched_setaffinity, 0, sizeof zero, (long)&zero, 0, 0, 0), -EINVAL,
                 "sched_setaffinity with an empty mask: EINVAL");
    cb_check_ret(cb_syscall(SYS_sched_setaffinity, 0, 0, (long)&mask, 0, 0, 0), -EINVAL,
                 "sched_setaffinity of length 0: EINVAL (an empty mask)");
    cb_check_ret(cb_syscall(SYS_sched_setaffinity, 0, sizeof mask, 0, 0, 0, 0), -EFAULT,
                 "sched_setaffinity from NULL: EFAULT");
    cb_check_ret(cb_syscall(SYS_sched_setaffinity, 999999, sizeof mask, (long)&mask, 0, 0, 0), -ESRCH,
                 "sched_setaffinity of an unknown pid: ESRCH");
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--after-exec") == 0)
        return report_after_exec();
    cb_begin("process_settings");
    check_personality();
    check_prctl_values();
    check_fork();
    check_exec(argv[0]);
    check_parent_death_signal();
    check_ioprio();
    check_affinity();
    return cb_end();
}
