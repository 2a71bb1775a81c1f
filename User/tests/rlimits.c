/*
 * rlimits: getrlimit/setrlimit/prlimit64 with Linux's errno rules, and RLIMIT_NOFILE at work.
 * The checks of the calls themselves: an unknown resource is EINVAL, a soft limit above the hard
 * one is EINVAL (checked before anything else), a NOFILE hard limit above fs.nr_open (1048576) is
 * EPERM, bad pointers are EFAULT, an unknown pid is ESRCH; lowering a limit and raising the soft
 * one up to the hard one need no privilege; prlimit64 returns the old value while setting the new
 * one; fork and execve keep the limits.
 * RLIMIT_NOFILE with a soft limit of 1024: open and dup fill fds 0..1023, then give EMFILE; dup2
 * to 1024 is EBADF, to 1023 replaces it; lowering the limit below open fds keeps them open but
 * open, dup and dup2 obey the new limit.
 * Raising a hard limit is not tried: it needs CAP_SYS_RESOURCE in the initial user namespace,
 * which the host's pid-1 run (a user namespace) lacks and a plain root run has.
 */
#include "cbtest.h"
#include <sys/resource.h>

#define NR_OPEN_DEFAULT 1048576UL
#define LIMIT 1024

struct limit {
    unsigned long cur, max;
};

static long get_limit(int resource, struct limit *out)
{
    return cb_syscall(SYS_prlimit64, 0, resource, 0, (long)out, 0, 0);
}

static long set_limit(int resource, unsigned long cur, unsigned long max)
{
    struct limit l = { cur, max };
    return cb_syscall(SYS_prlimit64, 0, resource, (long)&l, 0, 0, 0);
}

static void check_calls(void)
{
    struct limit a = { 0, 0 }, b = { 0, 0 };
    cb_check_ret(get_limit(RLIMIT_NOFILE, &a), 0, "prlimit64(0, RLIMIT_NOFILE, NULL, &old) succeeds");
    cb_check_ret(cb_syscall(SYS_getrlimit, RLIMIT_NOFILE, (long)&b, 0, 0, 0, 0), 0, "getrlimit(RLIMIT_NOFILE) succeeds");
    CHECK(a.cur == b.cur && a.max == b.max && a.cur <= a.max, "getrlimit and prlimit64 agree, soft <= hard");
    cb_print("INFO RLIMIT_NOFILE at start: soft %lu, hard %lu", a.cur, a.max);

    cb_check_ret(get_limit(RLIM_NLIMITS, &b), -EINVAL, "prlimit64 of resource 16 (RLIM_NLIMITS): EINVAL");
    cb_check_ret(get_limit(-1, &b), -EINVAL, "prlimit64 of resource -1: EINVAL");
    cb_check_ret(cb_syscall(SYS_getrlimit, 99, (long)&b, 0, 0, 0, 0), -EINVAL, "getrlimit of resource 99: EINVAL");
    cb_check_ret(get_limit(RLIMIT_NOFILE, (struct limit *)8), -EFAULT, "prlimit64 with a bad old pointer: EFAULT");
    cb_check_ret(cb_syscall(SYS_getrlimit, RLIMIT_NOFILE, 8, 0, 0, 0, 0), -EFAULT, "getrlimit with a bad pointer: EFAULT");
    cb_check_ret(cb_syscall(SYS_setrlimit, RLIMIT_NOFILE, 8, 0, 0, 0, 0), -EFAULT, "setrlimit with a bad pointer: EFAULT");
    cb_check_ret(cb_syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, 8, 0, 0, 0), -EFAULT, "prlimit64 with a bad new pointer: EFAULT");
    cb_check_ret(cb_syscall(SYS_prlimit64, 0, RLIM_NLIMITS, 8, 0, 0, 0), -EFAULT, "prlimit64 of resource 16 with a bad new pointer: EFAULT (copied in first)");
    cb_check_ret(cb_syscall(SYS_getrlimit, 99, 8, 0, 0, 0, 0), -EINVAL, "getrlimit of resource 99 with a bad pointer: EINVAL first");
    cb_check_ret(cb_syscall(SYS_setrlimit, 99, 8, 0, 0, 0, 0), -EFAULT, "setrlimit of resource 99 with a bad pointer: EFAULT first");
    cb_check_ret(cb_syscall(SYS_prlimit64, 0x3fffffff, RLIMIT_NOFILE, 0, (long)&b, 0, 0), -ESRCH, "prlimit64 of a pid that does not exist: ESRCH");
    cb_check_ret(cb_syscall(SYS_prlimit64, getpid(), RLIMIT_NOFILE, 0, (long)&b, 0, 0), 0, "prlimit64 of the caller's own pid");
    CHECK(b.cur == a.cur && b.max == a.max, "prlimit64 by pid reads the same limit");

    cb_check_ret(set_limit(RLIMIT_NOFILE, a.max + 1, a.max), -EINVAL, "setting soft above hard: EINVAL");
    cb_check_ret(set_limit(RLIMIT_NOFILE, 2 * NR_OPEN_DEFAULT, NR_OPEN_DEFAULT + 1), -EINVAL,
                 "soft above hard and hard above nr_open: EINVAL (checked first)");
    cb_check_ret(set_limit(RLIMIT_NOFILE, 64, NR_OPEN_DEFAULT + 1), -EPERM, "NOFILE hard limit above nr_open: EPERM");
    cb_check_ret(cb_syscall(SYS_getrlimit, RLIMIT_NOFILE, (long)&b, 0, 0, 0, 0), 0, "getrlimit after the refused calls");
    CHECK(b.cur == a.cur && b.max == a.max, "refused calls left the limit unchanged");

    struct limit nl = { LIMIT, a.max }, old = { 0, 0 };
    cb_check_ret(cb_syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, (long)&nl, (long)&old, 0, 0), 0,
                 "prlimit64 sets soft NOFILE to 1024 and returns the old limit");
    CHECK(old.cur == a.cur && old.max == a.max, "the old limit returned is the previous one");
    cb_check_ret(cb_syscall(SYS_getrlimit, RLIMIT_NOFILE, (long)&b, 0, 0, 0, 0), 0, "getrlimit after setting");
    CHECK(b.cur == LIMIT && b.max == a.max, "soft NOFILE now 1024, hard unchanged");

    struct limit stack = { 0, 0 };
    get_limit(RLIMIT_STACK, &stack);
    cb_check_ret(set_limit(RLIMIT_STACK, 1 << 20, stack.max), 0, "lowering soft RLIMIT_STACK to 1 MiB");
    cb_check_ret(set_limit(RLIMIT_STACK, stack.cur, stack.max), 0, "raising it back (soft up to hard needs no privilege)");
    struct limit as = { 0, 0 };
    cb_check_ret(get_limit(RLIMIT_AS, &as), 0, "prlimit64(RLIMIT_AS) readable");
    cb_check_ret(set_limit(RLIMIT_AS, as.max, as.max), 0, "setting RLIMIT_AS to its own hard limit");
    cb_check_ret(set_limit(RLIMIT_AS, as.cur, as.max), 0, "and back");
    struct limit core = { 0, 0 };
    get_limit(RLIMIT_CORE, &core);
    nl.cur = core.max;
    nl.max = core.max;
    cb_check_ret(cb_syscall(SYS_prlimit64, 0, RLIMIT_CORE, (long)&nl, 8, 0, 0), -EFAULT,
                 "prlimit64 setting RLIMIT_CORE with a bad old pointer: EFAULT");
    get_limit(RLIMIT_CORE, &b);
    CHECK(b.cur == core.max, "the new limit was set before the EFAULT");
    cb_check_ret(set_limit(RLIMIT_CORE, core.cur, core.max), 0, "RLIMIT_CORE back to its old value");
}

/* Opens "/" until open fails; returns the error and the highest fd obtained. */
static long fill_fds(int *highest)
{
    *highest = -1;
    for (;;) {
        long fd = cb_syscall(SYS_open, (long)"/", O_RDONLY, 0, 0, 0, 0);
        if (fd < 0)
            return fd;
        if (fd > *highest)
            *highest = (int)fd;
    }
}

static void close_from(int first, int last)
{
    for (int fd = first; fd <= last; fd++)
        cb_syscall(SYS_close, fd, 0, 0, 0, 0, 0);
}

/* Soft NOFILE 1024: fds 0..1023 and no more. */
static void check_nofile(void)
{
    int highest;
    cb_check_ret(fill_fds(&highest), -EMFILE, "open past soft RLIMIT_NOFILE 1024: EMFILE");
    cb_check_ret(highest, LIMIT - 1, "the highest fd open gave is 1023");
    cb_check_ret(cb_syscall(SYS_dup, 0, 0, 0, 0, 0, 0), -EMFILE, "dup with every fd below the limit in use: EMFILE");
    cb_check_ret(cb_syscall(SYS_dup2, 0, LIMIT, 0, 0, 0, 0), -EBADF, "dup2 to fd 1024 (= the limit): EBADF");
    cb_check_ret(cb_syscall(SYS_dup2, 0, 1 << 20, 0, 0, 0, 0), -EBADF, "dup2 to fd 2^20: EBADF");
    cb_check_ret(cb_syscall(SYS_dup2, 0, -1, 0, 0, 0, 0), -EBADF, "dup2 to fd -1: EBADF");
    cb_check_ret(cb_syscall(SYS_dup2, 1, LIMIT - 1, 0, 0, 0, 0), LIMIT - 1, "dup2 onto open fd 1023 replaces it");
    cb_check_ret(cb_syscall(SYS_write, LIMIT - 1, (long)"", 0, 0, 0, 0), 0, "fd 1023 is now the console (write of 0 bytes)");
    cb_check_ret(cb_syscall(SYS_dup2, LIMIT - 1, LIMIT - 1, 0, 0, 0, 0), LIMIT - 1, "dup2(1023, 1023) returns 1023");
    cb_check_ret(cb_syscall(SYS_dup2, LIMIT, LIMIT, 0, 0, 0, 0), -EBADF, "dup2(1024, 1024) of a closed fd: EBADF");
    cb_check_ret(cb_syscall(SYS_close, 500, 0, 0, 0, 0, 0), 0, "close fd 500");
    cb_check_ret(cb_syscall(SYS_dup, 1, 0, 0, 0, 0, 0), 500, "dup takes the lowest free fd, 500");
    cb_check_ret(cb_syscall(SYS_dup, 5000, 0, 0, 0, 0, 0), -EBADF, "dup of fd 5000: EBADF");
    cb_check_ret(cb_syscall(SYS_dup2, 5000, 10, 0, 0, 0, 0), -EBADF, "dup2 from fd 5000: EBADF");

    cb_check_ret(set_limit(RLIMIT_NOFILE, 64, LIMIT), 0, "lower the NOFILE limit to 64 with fds up to 1023 open");
    cb_check_ret(cb_syscall(SYS_write, LIMIT - 1, (long)"", 0, 0, 0, 0), 0, "fd 1023 stays open and usable");
    cb_check_ret(cb_syscall(SYS_dup2, 1, 64, 0, 0, 0, 0), -EBADF, "dup2 to fd 64 under limit 64: EBADF");
    cb_check_ret(cb_syscall(SYS_dup2, 1, 63, 0, 0, 0, 0), 63, "dup2 to fd 63 under limit 64 works");
    cb_check_ret(cb_syscall(SYS_close, 40, 0, 0, 0, 0, 0), 0, "close fd 40");
    cb_check_ret(cb_syscall(SYS_dup, 1, 0, 0, 0, 0, 0), 40, "dup takes fd 40 under limit 64");
    cb_check_ret(cb_syscall(SYS_close, 100, 0, 0, 0, 0, 0), 0, "close fd 100 (above the limit)");
    cb_check_ret(cb_syscall(SYS_open, (long)"/", O_RDONLY, 0, 0, 0, 0), -EMFILE, "open with fds 0..63 in use under limit 64: EMFILE, though fd 100 is free");

    pid_t pid = fork();
    if (pid == 0) {
        cb_child_begin("child", 1);
        struct limit c = { 0, 0 };
        get_limit(RLIMIT_NOFILE, &c);
        CHECK(c.cur == 64 && c.max == LIMIT, "a forked child has the parent's NOFILE limit");
        cb_check_ret(cb_syscall(SYS_write, LIMIT - 1, (long)"", 0, 0, 0, 0), 0, "a forked child has fd 1023");
        cb_check_ret(cb_syscall(SYS_dup, 1, 0, 0, 0, 0, 0), -EMFILE, "a forked child gets EMFILE too");
        cb_child_exit();
    }
    cb_expect_exit(pid, 0, "a forked child inherits the NOFILE limit and the open fds");

    close_from(3, LIMIT - 1);
    cb_check_ret(fill_fds(&highest), -EMFILE, "with fds 3.. closed, open fills up to the limit 64 again: EMFILE");
    cb_check_ret(highest, 63, "the highest fd open gave is 63");
    close_from(3, 63);
    cb_check_ret(set_limit(RLIMIT_NOFILE, 3, LIMIT), 0, "NOFILE limit 3 (just fds 0, 1, 2)");
    cb_check_ret(cb_syscall(SYS_open, (long)"/", O_RDONLY, 0, 0, 0, 0), -EMFILE, "open under limit 3: EMFILE");
    cb_check_ret(set_limit(RLIMIT_NOFILE, 0, LIMIT), 0, "NOFILE limit 0");
    cb_check_ret(cb_syscall(SYS_dup2, 1, 2, 0, 0, 0, 0), -EBADF, "dup2 onto fd 2 under limit 0: EBADF");
    cb_check_ret(cb_syscall(SYS_write, 1, (long)"", 0, 0, 0, 0), 0, "fd 1 still works under limit 0");
    cb_check_ret(set_limit(RLIMIT_NOFILE, LIMIT, LIMIT), 0, "raise soft NOFILE back to 1024");
    long fd = cb_syscall(SYS_open, (long)"/", O_RDONLY, 0, 0, 0, 0);
    cb_check_ret(fd, 3, "open works again and gives fd 3");
    cb_syscall(SYS_close, fd, 0, 0, 0, 0, 0);
}

int main(void)
{
    cb_begin("rlimits");
    check_calls();
    check_nofile();
    return cb_end();
}
