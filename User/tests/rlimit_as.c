/*
 * rlimit_as: RLIMIT_AS as Linux 6.1 enforces it (may_expand_vm): the mappings of a process may
 * not add up to more than the soft limit. mmap past it is ENOMEM (MAP_FIXED counts only what it
 * adds, and a refused MAP_FIXED leaves the old mapping alone), brk does not move, mremap growth
 * in place or by moving is ENOMEM, MREMAP_DONTUNMAP needs room for the whole new range, stack
 * growth past it is SIGSEGV; shrinking and unmapping make room again. A limit below the
 * current size keeps every mapping. setrlimit's soft > hard is EINVAL. fork and execve keep
 * the limit. The size is summed from /proc/self/maps (without [vsyscall], which is no VMA).
 */
#include "cbtest.h"
#include <sys/resource.h>

#define PAGES 16
#define MREMAP_MAYMOVE 1
#define MREMAP_DONTUNMAP_FLAG 4

static char maps[1 << 16];

/* The bytes the process has mapped, from /proc/self/maps. */
static unsigned long mapped_bytes(void)
{
    long n = cb_read_file("/proc/self/maps", maps, sizeof maps - 1);
    if (n < 0)
        return 0;
    maps[n] = 0;
    unsigned long total = 0;
    for (char *line = maps; *line; ) {
        char *end = strchr(line, '\n');
        if (!strstr(line, "[vsyscall]") || (end && strstr(line, "[vsyscall]") > end)) {
            unsigned long start = 0, stop = 0;
            if (sscanf(line, "%lx-%lx", &start, &stop) == 2)
                total += stop - start;
        }
        if (!end)
            break;
        line = end + 1;
    }
    return total;
}

static long set_as_limit(unsigned long soft)
{
    return cb_set_soft_limit(RLIMIT_AS, soft);
}

/* Sets the limit to what is mapped now plus `pages`. */
static void limit_to_now_plus(unsigned long pages)
{
    set_as_limit(mapped_bytes() + pages * CB_PAGE);
}

static long map(void *at, unsigned long pages, int flags)
{
    return cb_syscall(SYS_mmap, (long)at, pages * CB_PAGE, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);
}

/* Makes the stack deep enough for every later call, so no stack growth happens in a check. */
static void __attribute__((noinline)) touch_stack(void)
{
    volatile char pad[128 * 1024];
    for (unsigned i = 0; i < sizeof pad; i += CB_PAGE)
        pad[i] = 1;
}

static void check_limit_calls(void)
{
    struct rlimit rl;
    cb_check_ret(getrlimit(RLIMIT_AS, &rl), 0, "getrlimit(RLIMIT_AS)");
    CHECK(rl.rlim_cur == RLIM_INFINITY && rl.rlim_max == RLIM_INFINITY, "RLIMIT_AS is unlimited by default");
    struct rlimit bad = { 2 << 20, 1 << 20 };
    cb_check_ret(cb_syscall(SYS_setrlimit, RLIMIT_AS, (long)&bad, 0, 0, 0, 0), -EINVAL, "setrlimit(RLIMIT_AS) with soft > hard is EINVAL");
}

static void check_mmap_and_munmap(void)
{
    /* h: PAGES pages with a hole of ours just above, for a MAP_FIXED that reaches into it. */
    char *h = (char *)map(0, PAGES + 1, 0);
    cb_syscall(SYS_munmap, (long)(h + PAGES * CB_PAGE), CB_PAGE, 0, 0, 0, 0);
    limit_to_now_plus(PAGES);
    long a = map(0, PAGES, 0);
    CHECK(a > 0, "mmap of %d pages fits under a limit %d pages above the current size", PAGES, PAGES);
    cb_check_ret(map(0, 1, 0), -ENOMEM, "one page more is ENOMEM");
    cb_check_ret(map(0, 1, MAP_NORESERVE), -ENOMEM, "MAP_NORESERVE counts too");
    cb_check_ret(cb_syscall(SYS_mmap, 0, CB_PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), -ENOMEM, "PROT_NONE counts too");
    cb_check_ret(cb_syscall(SYS_mmap, 0, CB_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0), -ENOMEM,
                 "shared anonymous memory counts too");
    char *p = (char *)a;
    p[0] = 'x';
    cb_check_ret(map(p, 4, MAP_FIXED), a, "MAP_FIXED over 4 mapped pages adds nothing and is allowed");
    CHECK(p[0] == 0, "(the new pages read zero)");
    h[(PAGES - 1) * CB_PAGE] = 'y';
    cb_check_ret(map(h + (PAGES - 1) * CB_PAGE, 2, MAP_FIXED), -ENOMEM, "MAP_FIXED over a last page and one more is ENOMEM");
    CHECK(h[(PAGES - 1) * CB_PAGE] == 'y', "and leaves the mapping it would have replaced alone");
    cb_check_ret(cb_syscall(SYS_munmap, a, CB_PAGE, 0, 0, 0, 0), 0, "munmap of one page");
    long b = map(0, 1, 0);
    CHECK(b > 0, "makes room for one page again");
    cb_syscall(SYS_munmap, b, CB_PAGE, 0, 0, 0, 0);
    cb_syscall(SYS_munmap, a, PAGES * CB_PAGE, 0, 0, 0, 0);
    cb_syscall(SYS_munmap, (long)h, PAGES * CB_PAGE, 0, 0, 0, 0);
    set_as_limit(RLIM_INFINITY);
}

static void check_mremap(void)
{
    long a = map(0, 4, 0);
    limit_to_now_plus(2);
    long r = cb_syscall(SYS_mremap, a, 4 * CB_PAGE, 6 * CB_PAGE, 0, 0, 0);
    CHECK(r == a || r == -ENOMEM, "mremap growth by 2 pages at a limit 2 pages above (in place, or no room: ENOMEM)");
    if (r == a)
        cb_syscall(SYS_mremap, a, 6 * CB_PAGE, 4 * CB_PAGE, 0, 0, 0);
    cb_check_ret(cb_syscall(SYS_mremap, a, 4 * CB_PAGE, 7 * CB_PAGE, 0, 0, 0), -ENOMEM, "mremap growth by 3 pages is ENOMEM");
    cb_check_ret(cb_syscall(SYS_mremap, a, 4 * CB_PAGE, 7 * CB_PAGE, MREMAP_MAYMOVE, 0, 0), -ENOMEM,
                 "with MREMAP_MAYMOVE too");
    cb_check_ret(cb_syscall(SYS_mremap, a, 4 * CB_PAGE, 4 * CB_PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP_FLAG, 0, 0), -ENOMEM,
                 "MREMAP_DONTUNMAP of 4 pages needs room for 4 more: ENOMEM");
    cb_check_ret(cb_syscall(SYS_mremap, a, 4 * CB_PAGE, 2 * CB_PAGE, 0, 0, 0), a, "shrinking is allowed");
    long moved = cb_syscall(SYS_mremap, a, 2 * CB_PAGE, 2 * CB_PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP_FLAG, 0, 0);
    CHECK(moved > 0, "and makes room for a MREMAP_DONTUNMAP of 2 pages");
    cb_syscall(SYS_munmap, moved, 2 * CB_PAGE, 0, 0, 0, 0);
    cb_syscall(SYS_munmap, a, 2 * CB_PAGE, 0, 0, 0, 0);
    set_as_limit(RLIM_INFINITY);
}

static void check_brk(void)
{
    long start = cb_syscall(SYS_brk, 0, 0, 0, 0, 0, 0);
    long grown = cb_syscall(SYS_brk, start + 4 * CB_PAGE, 0, 0, 0, 0, 0);
    limit_to_now_plus(1);
    long r = cb_syscall(SYS_brk, grown + 2 * CB_PAGE, 0, 0, 0, 0, 0);
    CHECK(grown == start + 4 * (long)CB_PAGE && r == grown, "brk by 2 pages at a limit 1 page above does not move");
    r = cb_syscall(SYS_brk, grown + CB_PAGE, 0, 0, 0, 0, 0);
    CHECK(r == grown + (long)CB_PAGE, "brk by 1 page does");
    r = cb_syscall(SYS_brk, start, 0, 0, 0, 0, 0);
    CHECK(r == start, "brk shrinks back");
    set_as_limit(RLIM_INFINITY);
}

static volatile int sink;

#pragma GCC diagnostic ignored "-Winfinite-recursion"
static int __attribute__((noinline)) recurse(int depth)
{
    volatile char pad[1024];
    pad[0] = (char)depth;
    sink = pad[0];
    if (depth == 0)
        return 0;
    return recurse(depth - 1) + pad[0];
}

static void check_stack_growth(void)
{
    pid_t pid = cb_fork("stack past the limit");
    if (pid == 0) {
        limit_to_now_plus(0);
        recurse(1024);
        _exit(0);
    }
    cb_expect_signal(pid, SIGSEGV, "stack growth of 1 MiB with no room left under the limit is SIGSEGV");
    pid = cb_fork("stack within the limit");
    if (pid == 0) {
        limit_to_now_plus(2048);
        recurse(1024);
        _exit(0);
    }
    cb_expect_exit(pid, 0, "with 8 MiB of room the same growth works");
}

static void check_lowered_and_inherited(const char *self)
{
    long a = map(0, 4, 0);
    char *p = (char *)a;
    p[0] = 'k';
    cb_check_ret(set_as_limit(CB_PAGE), 0, "the soft limit may be set below the current size");
    CHECK(p[0] == 'k', "every mapping stays");
    cb_check_ret(map(0, 1, 0), -ENOMEM, "and nothing new can be mapped");
    pid_t pid = cb_fork("inherits");
    if (pid == 0)
        _exit(map(0, 1, 0) == -ENOMEM ? 0 : 1);
    cb_expect_exit(pid, 0, "a forked child inherits the limit");
    cb_check_ret(set_as_limit(RLIM_INFINITY), 0, "the soft limit may go back up to the hard one");
    cb_syscall(SYS_munmap, a, 4 * CB_PAGE, 0, 0, 0, 0);

    set_as_limit(256UL << 20);
    pid = cb_fork("exec");
    if (pid == 0) {
        char *argv[] = { "rlimit_as", "--after-exec", NULL };
        char *envp[] = { NULL };
        cb_syscall(SYS_execve, (long)self, (long)argv, (long)envp, 0, 0, 0);
        _exit(127);
    }
    cb_expect_exit(pid, 0, "after execve the limit holds (256 MiB: a 512 MiB mmap is ENOMEM, 1 MiB works)");
    set_as_limit(RLIM_INFINITY);
}

static int after_exec(void)
{
    struct rlimit rl;
    getrlimit(RLIMIT_AS, &rl);
    if (rl.rlim_cur != 256UL << 20)
        return 1;
    if (map(0, (512UL << 20) / CB_PAGE, MAP_NORESERVE) != -ENOMEM)
        return 2;
    return map(0, 256, 0) > 0 ? 0 : 3;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--after-exec") == 0)
        return after_exec();
    cb_begin("rlimit_as");
    char self[256];
    cb_self_path(argv[0], self, sizeof self);
    touch_stack();
    check_limit_calls();
    check_mmap_and_munmap();
    check_mremap();
    check_brk();
    check_stack_growth();
    check_lowered_and_inherited(self);
    return cb_end();
}
