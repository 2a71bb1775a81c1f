/*
 * nproc_limit: the number of processes.
 * - /proc/sys/kernel/threads-max, Linux's max_threads: RAM pages / 32 (a 16 KiB kernel stack per
 *   thread may take an eighth of RAM), at least 20. fork when that many tasks exist (zombies
 *   included) fails with EAGAIN. RLIMIT_NPROC (default threads-max / 2) does not bind root, so
 *   even a limit of 1 does not stop root's fork.
 * - A chain 1000 deep, each process forking the next and exiting: the last one reports through
 *   shared memory. The links end as children of pid 1 (this program, on Cowbird and in the host's
 *   pid-1 run), which reaps them all; run elsewhere, only the first link is its own child.
 * - A fork bomb: children that sleep are forked until fork fails or 3000 exist; the first failure
 *   must be EAGAIN; all are then killed and reaped, and fork works again.
 * With --cowbird (on Cowbird, where this program is pid 1 and alone): threads-max is MemTotal's
 * pages / 32 less the initrd's share, the default limits are Linux's (NOFILE 1024/4096, STACK 8 MiB/unlimited, CORE
 * 0/unlimited, AS unlimited, NPROC threads-max / 2), pid 1 reaps all 1000 links, the bomb must end in EAGAIN exactly when
 * threads-max processes exist, and MemFree must come back within 1% once they are reaped. On
 * Linux those figures are printed on INFO lines only.
 */
#include "cbtest.h"
#include <stdlib.h>
#include <sys/resource.h>

#define CHAIN_DEPTH 1000
#define BOMB_CAP 3000
#define RLIM_INF (~0UL)

static int on_cowbird;

static long threads_max(void)
{
    char text[64];
    if (cb_read_file("/proc/sys/kernel/threads-max", text, sizeof text) <= 0)
        return -1;
    return strtol(text, NULL, 10);
}

static void get_limit(int resource, unsigned long *cur, unsigned long *max)
{
    unsigned long l[2] = { 0, 0 };
    cb_syscall(SYS_prlimit64, 0, resource, 0, (long)l, 0, 0);
    *cur = l[0];
    *max = l[1];
}

/* Checks (on Cowbird) or prints (elsewhere) one default limit. */
static void default_limit(const char *name, int resource, unsigned long cur, unsigned long max)
{
    unsigned long c, m;
    get_limit(resource, &c, &m);
    if (on_cowbird)
        CHECK(c == cur && m == max, "default %s: soft %lu, hard %lu", name, cur, max);
    else
        cb_print("INFO %s: soft %lu, hard %lu", name, c, m);
}

static void check_defaults(long max_threads)
{
    long total_kb = 0;
    cb_meminfo_kb("MemTotal", &total_kb);
    long from_ram = total_kb / 4 / 32;
    if (from_ram < 20)
        from_ram = 20;
    cb_print("INFO threads-max %ld, MemTotal %ld kB", max_threads, total_kb);
    /* Linux sizes max_threads at boot, before the initrd's pages join MemTotal, and so does
       Cowbird: threads-max is MemTotal's pages / 32 less the initrd's share. */
    if (on_cowbird)
        CHECK(max_threads <= from_ram && max_threads >= from_ram * 9 / 10,
              "threads-max %ld is MemTotal's pages / 32 (%ld) less the initrd's share", max_threads, from_ram);
    default_limit("RLIMIT_NPROC", RLIMIT_NPROC, (unsigned long)max_threads / 2, (unsigned long)max_threads / 2);
    default_limit("RLIMIT_NOFILE", RLIMIT_NOFILE, 1024, 4096);
    default_limit("RLIMIT_STACK", RLIMIT_STACK, 8UL << 20, RLIM_INF);
    default_limit("RLIMIT_CORE", RLIMIT_CORE, 0, RLIM_INF);
    default_limit("RLIMIT_AS", RLIMIT_AS, RLIM_INF, RLIM_INF);
}

/* One link of the chain: forks the next link and exits; the last link (or one whose fork
   failed, with its depth negated) writes *result. */
static void __attribute__((noreturn)) chain_link(int depth, volatile int *result)
{
    if (depth == CHAIN_DEPTH) {
        cb_set_flag(result, depth);
        _exit(0);
    }
    pid_t pid = fork();
    if (pid < 0)
        cb_set_flag(result, -depth);
    if (pid == 0)
        chain_link(depth + 1, result);
    _exit(0);
}

static void check_chain(void)
{
    volatile int *result = cb_map_shared(1);
    if (!result)
        return;
    pid_t pid = fork();
    if (pid == 0)
        chain_link(1, result);
    /* Each link sets *result or forks the next, so this wait ends unless a link dies. */
    while (*result == 0)
        cb_sleep_ms(10);
    cb_check_ret(*result, CHAIN_DEPTH, "a chain of %d processes, each forking the next and exiting", CHAIN_DEPTH);
    int reaped = 0, status = 0;
    while (cb_wait(-1, &status) > 0)
        reaped++;
    cb_print("INFO chain: %d links reaped here", reaped);
    if (on_cowbird)
        cb_check_ret(reaped, CHAIN_DEPTH, "pid 1 reaps every link of the chain");
}

static void check_nproc_not_for_root(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        cb_child_begin("nproc", 1);
        unsigned long one[2] = { 1, 1 };
        cb_check_ret(cb_syscall(SYS_prlimit64, 0, RLIMIT_NPROC, (long)one, 0, 0, 0), 0, "RLIMIT_NPROC lowered to 1");
        pid_t grandchild = fork();
        if (grandchild == 0)
            _exit(7);
        cb_expect_exit(grandchild, 7, "root forks under RLIMIT_NPROC 1");
        cb_child_exit();
    }
    cb_expect_exit(pid, 0, "RLIMIT_NPROC 1 does not stop root's fork");
}

/* Forks sleeping children until fork fails or BOMB_CAP exist; then kills and reaps them. */
static void check_bomb(long max_threads)
{
    static pid_t pids[BOMB_CAP];
    long before = 0, after = 0;
    cb_meminfo_kb("MemFree", &before);
    int count = 0;
    long failure = 0;
    while (count < BOMB_CAP) {
        long pid = cb_syscall(SYS_fork, 0, 0, 0, 0, 0, 0);
        if (pid == 0)
            for (;;)
                cb_sleep_ms(100000);
        if (pid < 0) {
            failure = pid;
            break;
        }
        pids[count++] = (pid_t)pid;
    }
    cb_print("INFO fork bomb: %d children, then %ld", count, failure);
    CHECK(failure == 0 || failure == -EAGAIN, "fork bomb: forks succeed until the cap or the first EAGAIN");
    if (on_cowbird)
        cb_check_ret(count + 1, max_threads, "fork bomb: EAGAIN exactly when threads-max processes exist");
    int killed = 0;
    for (int i = 0; i < count; i++)
        killed += cb_syscall(SYS_kill, pids[i], SIGKILL, 0, 0, 0, 0) == 0;
    int reaped = 0;
    for (int i = 0; i < count; i++) {
        int status = 0;
        reaped += cb_wait(pids[i], &status) == pids[i] && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    }
    CHECK(killed == count && reaped == count, "fork bomb: every child killed by SIGKILL and reaped");
    pid_t pid = fork();
    if (pid == 0)
        _exit(5);
    cb_expect_exit(pid, 5, "fork works again after the bomb");
    cb_meminfo_kb("MemFree", &after);
    cb_print("INFO MemFree before the bomb %ld kB, after %ld kB", before, after);
    if (on_cowbird) {
        long diff = after - before, limit = before / 100;
        char detail[96];
        snprintf(detail, sizeof detail, "difference %+ld kB, limit %ld kB", diff, limit);
        cb_check_detail(diff <= limit && -diff <= limit, detail, "MemFree after the bomb within 1%% of before");
    }
}

int main(int argc, char **argv)
{
    cb_begin("nproc_limit");
    on_cowbird = argc > 1 && strcmp(argv[1], "--cowbird") == 0;
    long max_threads = threads_max();
    CHECK(max_threads >= 20, "/proc/sys/kernel/threads-max is readable and at least 20");
    check_defaults(max_threads);
    check_chain();
    check_nproc_not_for_root();
    check_bomb(max_threads);
    return cb_end();
}
