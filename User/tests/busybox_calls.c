/*
 * busybox_calls: the process calls Debian's busybox and glibc make, as Linux answers them.
 * clone with fork's flags (SIGCHLD, CLONE_CHILD_SETTID, CLONE_CHILD_CLEARTID,
 * CLONE_PARENT_SETTID) writes the child's pid where each flag says; clone with a new stack
 * starts the child on it; combinations Linux itself refuses (CLONE_THREAD without
 * CLONE_SIGHAND, CLONE_SIGHAND without CLONE_VM, CLONE_NEWNS with CLONE_FS) are EINVAL; vfork
 * runs a child whose exit status the parent reaps. uname names Linux on x86_64 with a release
 * of at least 3.2 (glibc's minimum); sysinfo's figures are consistent (mem_unit 1, free <=
 * total, a live child counted); uid and gid calls agree with each other; setuid to one's own
 * uid works, to -1 is EINVAL; getgroups(-1) is EINVAL; getrandom fills buffers differently
 * each time, stops at an unwritable page, rejects unknown flags; set_robust_list takes only
 * its 24-byte head; sched_getaffinity wants whole longs; prctl PR_SET_NAME keeps 15 bytes and
 * PR_GET_NAME returns them; rt_sigsuspend and pause wait for a handler and return EINTR,
 * rt_sigsuspend with its mask in force during the handler and the caller's mask after it;
 * poll reports pipe ends (POLLIN, POLLOUT, POLLHUP, POLLERR), POLLNVAL and times out.
 * Bad pointers are EFAULT throughout.
 * No check depends on who runs it (root or not, pid 1 or not, how many CPUs).
 */
#define _GNU_SOURCE
#include "cbtest.h"
#include <sched.h>
#include <stdlib.h>
#include <sys/random.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/utsname.h>
#include <sys/sysinfo.h>

#define BAD_POINTER 8L

static long raw_clone(unsigned long flags, long stack, int *parent_tid, int *child_tid)
{
    return cb_syscall(SYS_clone, (long)flags, stack, (long)parent_tid, (long)child_tid, 0, 0);
}

static void check_clone_as_fork(void)
{
    static int child_tid = -1, parent_tid = -1;
    long pid = raw_clone(SIGCHLD | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | CLONE_PARENT_SETTID,
                         0, &parent_tid, &child_tid);
    if (pid == 0) {
        /* The child's copy holds its own pid (CHILD_SETTID), not the parent's write. */
        _exit(child_tid == (int)cb_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0) && parent_tid == -1 ? 0 : 1);
    }
    CHECK(pid > 0, "clone(SIGCHLD|CHILD_SETTID|CHILD_CLEARTID|PARENT_SETTID) makes a child");
    if (pid <= 0)
        return;
    CHECK(parent_tid == pid, "CLONE_PARENT_SETTID writes the child's pid in the parent");
    CHECK(child_tid == -1, "CLONE_CHILD_SETTID does not write in the parent's memory");
    cb_expect_exit((pid_t)pid, 0, "the child found its pid at child_tid and no parent write");
}

/* clone with a new stack: the child checks it runs on `stack` and exits 40 (41 if not). */
static long clone_on_stack(unsigned long flags, void *stack)
{
    long ret;
    __asm__ volatile(
        "syscall\n\t"
        "test %%rax, %%rax\n\t"
        "jnz 1f\n\t"
        "xor %%edi, %%edi\n\t"
        "cmp %%rsp, %[stack]\n\t"
        "setne %%dil\n\t"
        "add $40, %%edi\n\t"
        "mov $60, %%eax\n\t"
        "syscall\n\t"
        "1:\n\t"
        : "=a"(ret)
        : "a"((long)SYS_clone), "D"(flags), "S"(stack), "d"(0L), [stack] "r"(stack)
        : "rcx", "r11", "r10", "r8", "memory");
    return ret;
}

static void check_clone_stack_and_flags(void)
{
    char *area = mmap(NULL, 4 * CB_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    long pid = clone_on_stack(SIGCHLD, area + 2 * CB_PAGE);
    CHECK(pid > 0, "clone(SIGCHLD) with a new stack makes a child");
    if (pid > 0)
        cb_expect_exit((pid_t)pid, 40, "the child's stack pointer is the new stack");
    munmap(area, 4 * CB_PAGE);

    cb_check_ret(raw_clone(SIGCHLD | CLONE_THREAD, 0, NULL, NULL), -EINVAL, "clone CLONE_THREAD without CLONE_SIGHAND: EINVAL");
    cb_check_ret(raw_clone(SIGCHLD | CLONE_SIGHAND, 0, NULL, NULL), -EINVAL, "clone CLONE_SIGHAND without CLONE_VM: EINVAL");
    cb_check_ret(raw_clone(SIGCHLD | CLONE_NEWNS | CLONE_FS, 0, NULL, NULL), -EINVAL, "clone CLONE_NEWNS with CLONE_FS: EINVAL");

    pid_t child = vfork();
    if (child == 0)
        _exit(3);
    CHECK(child > 0, "vfork makes a child");
    if (child > 0)
        cb_expect_exit(child, 3, "the vfork child's exit status reaches the parent");
}

/* The number before the first '.' and the one after it. */
static void version_of(const char *release, long *major, long *minor)
{
    char *end;
    *major = strtol(release, &end, 10);
    *minor = *end == '.' ? strtol(end + 1, NULL, 10) : -1;
}

static void check_uname_and_sysinfo(void)
{
    struct utsname u;
    memset(&u, 0x55, sizeof u);
    cb_check_ret(cb_syscall(SYS_uname, (long)&u, 0, 0, 0, 0, 0), 0, "uname succeeds");
    CHECK(strcmp(u.sysname, "Linux") == 0, "uname: sysname Linux");
    CHECK(strcmp(u.machine, "x86_64") == 0, "uname: machine x86_64");
    long major, minor;
    version_of(u.release, &major, &minor);
    CHECK(major > 3 || (major == 3 && minor >= 2), "uname: a release of Linux 3.2 or later (glibc's minimum)");
    CHECK(memchr(u.nodename, 0, sizeof u.nodename) && memchr(u.domainname, 0, sizeof u.domainname),
          "uname: every field NUL-terminated");
    cb_check_ret(cb_syscall(SYS_uname, BAD_POINTER, 0, 0, 0, 0, 0), -EFAULT, "uname with a bad pointer: EFAULT");

    pid_t child = cb_fork("sysinfo's process count");
    if (child == 0) {
        struct timespec second = { 1, 0 };
        for (;;)
            nanosleep(&second, NULL);
    }
    struct sysinfo s;
    memset(&s, 0x55, sizeof s);
    cb_check_ret(cb_syscall(SYS_sysinfo, (long)&s, 0, 0, 0, 0, 0), 0, "sysinfo succeeds");
    CHECK(s.mem_unit == 1, "sysinfo: mem_unit 1 (figures in bytes)");
    CHECK(s.totalram >= 8UL << 20 && s.freeram > 0 && s.freeram <= s.totalram, "sysinfo: 0 < freeram <= totalram, at least 8 MiB");
    CHECK(s.freeswap <= s.totalswap, "sysinfo: freeswap <= totalswap");
    CHECK(s.procs >= 2, "sysinfo: procs counts the caller and its child");
    CHECK(s.totalhigh == 0 && s.freehigh == 0, "sysinfo: no high memory");
    cb_check_ret(cb_syscall(SYS_sysinfo, BAD_POINTER, 0, 0, 0, 0, 0), -EFAULT, "sysinfo with a bad pointer: EFAULT");
    if (child > 0) {
        kill(child, SIGKILL);
        int status;
        cb_wait(child, &status);
    }
}

static void check_ids(void)
{
    long uid = cb_syscall(SYS_getuid, 0, 0, 0, 0, 0, 0), gid = cb_syscall(SYS_getgid, 0, 0, 0, 0, 0, 0);
    CHECK(uid >= 0 && uid == cb_syscall(SYS_geteuid, 0, 0, 0, 0, 0, 0), "getuid equals geteuid");
    CHECK(gid >= 0 && gid == cb_syscall(SYS_getegid, 0, 0, 0, 0, 0, 0), "getgid equals getegid");
    unsigned r = 77, e = 77, s = 77;
    cb_check_ret(cb_syscall(SYS_getresuid, (long)&r, (long)&e, (long)&s, 0, 0, 0), 0, "getresuid succeeds");
    CHECK(r == uid && e == uid && s == uid, "getresuid: real, effective and saved are getuid's");
    cb_check_ret(cb_syscall(SYS_getresgid, (long)&r, (long)&e, (long)&s, 0, 0, 0), 0, "getresgid succeeds");
    CHECK(r == gid && e == gid && s == gid, "getresgid: real, effective and saved are getgid's");
    cb_check_ret(cb_syscall(SYS_getresuid, (long)&r, BAD_POINTER, (long)&s, 0, 0, 0), -EFAULT, "getresuid with a bad pointer: EFAULT");
    cb_check_ret(cb_syscall(SYS_getresgid, BAD_POINTER, (long)&e, (long)&s, 0, 0, 0), -EFAULT, "getresgid with a bad pointer: EFAULT");
    cb_check_ret(cb_syscall(SYS_setuid, uid, 0, 0, 0, 0, 0), 0, "setuid to one's own uid");
    cb_check_ret(cb_syscall(SYS_setgid, gid, 0, 0, 0, 0, 0), 0, "setgid to one's own gid");
    cb_check_ret(cb_syscall(SYS_setuid, -1, 0, 0, 0, 0, 0), -EINVAL, "setuid(-1): EINVAL");
    cb_check_ret(cb_syscall(SYS_setgid, -1, 0, 0, 0, 0, 0), -EINVAL, "setgid(-1): EINVAL");
    CHECK(cb_syscall(SYS_getgroups, 0, 0, 0, 0, 0, 0) >= 0, "getgroups(0, NULL) counts the groups");
    cb_check_ret(cb_syscall(SYS_getgroups, -1, 0, 0, 0, 0, 0), -EINVAL, "getgroups(-1): EINVAL");
}

static void check_getrandom(void)
{
    unsigned char a[64], b[64];
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    cb_check_ret(cb_syscall(SYS_getrandom, (long)a, sizeof a, 0, 0, 0, 0), sizeof a, "getrandom of 64 bytes returns 64");
    cb_check_ret(cb_syscall(SYS_getrandom, (long)b, sizeof b, GRND_NONBLOCK, 0, 0, 0), sizeof b, "getrandom GRND_NONBLOCK returns 64");
    CHECK(memcmp(a, b, sizeof a) != 0, "two getrandom calls give different bytes");
    int zeros = 0;
    for (size_t i = 0; i < sizeof a; i++)
        zeros += a[i] == 0;
    CHECK(zeros < 16, "getrandom's bytes are not mostly zero");
    cb_check_ret(cb_syscall(SYS_getrandom, (long)a, 16, GRND_RANDOM, 0, 0, 0), 16, "getrandom GRND_RANDOM returns 16");
    cb_check_ret(cb_syscall(SYS_getrandom, (long)a, 0, 0, 0, 0, 0), 0, "getrandom of 0 bytes returns 0");
    cb_check_ret(cb_syscall(SYS_getrandom, (long)a, 16, 8, 0, 0, 0), -EINVAL, "getrandom with flag 8: EINVAL");
    cb_check_ret(cb_syscall(SYS_getrandom, (long)a, 16, 4 | GRND_RANDOM, 0, 0, 0), -EINVAL, "getrandom GRND_INSECURE|GRND_RANDOM: EINVAL");
    cb_check_ret(cb_syscall(SYS_getrandom, BAD_POINTER, 16, 0, 0, 0, 0), -EFAULT, "getrandom into a bad pointer: EFAULT");
    cb_check_ret(cb_syscall(SYS_getrandom, 0x7ffffffff000L, 16, 0, 0, 0, 0), -EFAULT, "getrandom past the end of user space: EFAULT");
    char *pages = mmap(NULL, 2 * CB_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(pages + CB_PAGE, CB_PAGE, PROT_NONE);
    cb_check_ret(cb_syscall(SYS_getrandom, (long)(pages + CB_PAGE - 100), 300, 0, 0, 0, 0), 100,
                 "getrandom across into a PROT_NONE page returns the 100 bytes before it");
    munmap(pages, 2 * CB_PAGE);
}

static void check_thread_calls(void)
{
    long head[3] = { 0, 0, 0 };
    head[0] = (long)head;
    cb_check_ret(cb_syscall(SYS_set_robust_list, (long)head, 24, 0, 0, 0, 0), 0, "set_robust_list with a 24-byte head");
    cb_check_ret(cb_syscall(SYS_set_robust_list, (long)head, 23, 0, 0, 0, 0), -EINVAL, "set_robust_list with length 23: EINVAL");

    unsigned long mask[16];
    memset(mask, 0, sizeof mask);
    long size = cb_syscall(SYS_sched_getaffinity, 0, sizeof mask, (long)mask, 0, 0, 0);
    CHECK(size >= 8 && size % 8 == 0 && mask[0] != 0, "sched_getaffinity: whole longs, some CPU allowed");
    cb_check_ret(cb_syscall(SYS_sched_getaffinity, 0, 4, (long)mask, 0, 0, 0), -EINVAL, "sched_getaffinity with 4 bytes: EINVAL");
    cb_check_ret(cb_syscall(SYS_sched_getaffinity, 0, 12, (long)mask, 0, 0, 0), -EINVAL, "sched_getaffinity with 12 bytes: EINVAL");
    cb_check_ret(cb_syscall(SYS_sched_getaffinity, -1, sizeof mask, (long)mask, 0, 0, 0), -ESRCH, "sched_getaffinity of pid -1: ESRCH");
    cb_check_ret(cb_syscall(SYS_sched_getaffinity, 0, sizeof mask, BAD_POINTER, 0, 0, 0), -EFAULT, "sched_getaffinity into a bad pointer: EFAULT");

    char name[16];
    cb_check_ret(cb_syscall(SYS_prctl, PR_SET_NAME, (long)"abcdefghijklmnopqrst", 0, 0, 0, 0), 0, "prctl PR_SET_NAME with 20 bytes");
    memset(name, 'x', sizeof name);
    cb_check_ret(cb_syscall(SYS_prctl, PR_GET_NAME, (long)name, 0, 0, 0, 0), 0, "prctl PR_GET_NAME");
    CHECK(memcmp(name, "abcdefghijklmno", 16) == 0, "PR_GET_NAME: the first 15 bytes and a NUL");
    cb_check_ret(cb_syscall(SYS_prctl, PR_SET_NAME, (long)"a/b", 0, 0, 0, 0), 0, "prctl PR_SET_NAME a/b");
    cb_syscall(SYS_prctl, PR_GET_NAME, (long)name, 0, 0, 0, 0);
    CHECK(strcmp(name, "a/b") == 0, "PR_GET_NAME keeps a slash");
    cb_check_ret(cb_syscall(SYS_prctl, PR_SET_NAME, BAD_POINTER, 0, 0, 0, 0), -EFAULT, "PR_SET_NAME from a bad pointer: EFAULT");
    cb_check_ret(cb_syscall(SYS_prctl, PR_GET_NAME, BAD_POINTER, 0, 0, 0, 0), -EFAULT, "PR_GET_NAME into a bad pointer: EFAULT");
    cb_check_ret(cb_syscall(SYS_prctl, 12345, 0, 0, 0, 0, 0), -EINVAL, "prctl of an unknown option: EINVAL");
}

static volatile int handled;
static volatile unsigned long mask_in_handler;

static void on_usr1(int signal)
{
    (void)signal;
    unsigned long mask = 0;
    cb_syscall(SYS_rt_sigprocmask, SIG_BLOCK, 0, (long)&mask, 8, 0, 0);
    mask_in_handler = mask;
    handled++;
}

/* A child that sends SIGUSR1 to the caller after a short while, then exits. */
static pid_t signal_me_soon(void)
{
    pid_t parent = getpid();
    pid_t child = cb_fork("a child that signals its parent");
    if (child == 0) {
        struct timespec pause_ms = { 0, 20000000 };
        nanosleep(&pause_ms, NULL);
        kill(parent, SIGUSR1);
        _exit(0);
    }
    return child;
}

static void check_sigsuspend(void)
{
    const unsigned long usr1 = 1UL << (SIGUSR1 - 1), usr2 = 1UL << (SIGUSR2 - 1);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_usr1;
    action.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &action, NULL);
    unsigned long blocked = usr1 | usr2, empty = 0, now = 0;
    cb_syscall(SYS_rt_sigprocmask, SIG_SETMASK, (long)&blocked, 0, 8, 0, 0);

    cb_check_ret(cb_syscall(SYS_rt_sigsuspend, (long)&empty, 4, 0, 0, 0, 0), -EINVAL, "rt_sigsuspend with a 4-byte set: EINVAL");
    cb_check_ret(cb_syscall(SYS_rt_sigsuspend, BAD_POINTER, 8, 0, 0, 0, 0), -EFAULT, "rt_sigsuspend from a bad pointer: EFAULT");

    pid_t child = signal_me_soon();
    handled = 0;
    cb_check_ret(cb_syscall(SYS_rt_sigsuspend, (long)&empty, 8, 0, 0, 0, 0), -EINTR,
                 "rt_sigsuspend returns EINTR once a handler ran, even with SA_RESTART");
    CHECK(handled == 1, "the SIGUSR1 blocked before the call was delivered during it");
    CHECK(mask_in_handler == usr1, "the handler ran with the call's mask plus its own signal (SIGUSR2 unblocked)");
    cb_syscall(SYS_rt_sigprocmask, SIG_BLOCK, 0, (long)&now, 8, 0, 0);
    CHECK(now == blocked, "after the handler the caller's own mask is back");
    if (child > 0)
        cb_expect_exit(child, 0, "the signalling child");

    cb_syscall(SYS_rt_sigprocmask, SIG_SETMASK, (long)&empty, 0, 8, 0, 0);
    child = signal_me_soon();
    handled = 0;
    cb_check_ret(cb_syscall(SYS_pause, 0, 0, 0, 0, 0, 0), -EINTR, "pause returns EINTR once a handler ran");
    CHECK(handled == 1, "pause: the handler ran once");
    if (child > 0)
        cb_expect_exit(child, 0, "the signalling child");
    signal(SIGUSR1, SIG_DFL);
}

static void check_poll(void)
{
    int fds[2];
    pipe(fds);
    struct pollfd p[4];
    memset(p, 0, sizeof p);
    p[0].fd = fds[0];
    p[0].events = POLLIN;
    p[1].fd = fds[1];
    p[1].events = POLLOUT;
    p[2].fd = -1;
    p[2].events = POLLIN;
    p[2].revents = 77;
    p[3].fd = 1000;
    p[3].events = POLLIN;
    cb_check_ret(cb_syscall(SYS_poll, (long)p, 4, 0, 0, 0, 0), 2, "poll: the write end and a closed fd report, the empty read end does not");
    CHECK(p[0].revents == 0 && p[1].revents == POLLOUT && p[2].revents == 0 && p[3].revents == POLLNVAL,
          "poll: revents 0, POLLOUT, 0 for fd -1, POLLNVAL for a closed fd");
    struct timespec before, after;
    clock_gettime(CLOCK_MONOTONIC, &before);
    cb_check_ret(cb_syscall(SYS_poll, (long)p, 1, 30, 0, 0, 0), 0, "poll of an empty pipe times out with 0");
    clock_gettime(CLOCK_MONOTONIC, &after);
    long elapsed_ms = (after.tv_sec - before.tv_sec) * 1000 + (after.tv_nsec - before.tv_nsec) / 1000000;
    CHECK(elapsed_ms >= 29, "poll waited its 30 ms timeout");
    cb_syscall(SYS_write, fds[1], (long)"x", 1, 0, 0, 0);
    cb_check_ret(cb_syscall(SYS_poll, (long)p, 1, -1, 0, 0, 0), 1, "poll of a pipe with data returns at once");
    CHECK(p[0].revents == POLLIN, "poll: POLLIN with data");
    cb_syscall(SYS_close, fds[1], 0, 0, 0, 0, 0);
    p[0].events = POLLOUT;
    cb_check_ret(cb_syscall(SYS_poll, (long)p, 1, -1, 0, 0, 0), 1, "poll of a read end without writers returns at once");
    CHECK(p[0].revents == POLLHUP, "poll: POLLHUP is reported even when not asked for");
    cb_syscall(SYS_close, fds[0], 0, 0, 0, 0, 0);
    pipe(fds);
    p[0].fd = fds[1];
    p[0].events = POLLOUT;
    cb_syscall(SYS_close, fds[0], 0, 0, 0, 0, 0);
    cb_check_ret(cb_syscall(SYS_poll, (long)p, 1, 0, 0, 0, 0), 1, "poll of a write end without readers");
    CHECK(p[0].revents == (POLLOUT | POLLERR), "poll: POLLOUT|POLLERR without readers");
    cb_syscall(SYS_close, fds[1], 0, 0, 0, 0, 0);
    cb_check_ret(cb_syscall(SYS_poll, BAD_POINTER, 1, 0, 0, 0, 0), -EFAULT, "poll of a bad array: EFAULT");
    cb_check_ret(cb_syscall(SYS_poll, (long)p, 1L << 30, 0, 0, 0, 0), -EINVAL, "poll of more entries than RLIMIT_NOFILE: EINVAL");
    cb_check_ret(cb_syscall(SYS_poll, 0, 0, 0, 0, 0, 0), 0, "poll of no entries with timeout 0 returns 0");
}

int main(void)
{
    cb_begin("busybox_calls");
    check_clone_as_fork();
    check_clone_stack_and_flags();
    check_uname_and_sysinfo();
    check_ids();
    check_getrandom();
    check_thread_calls();
    check_sigsuspend();
    check_poll();
    return cb_end();
}
