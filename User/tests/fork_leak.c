/*
 * fork_leak: 1000 fork/exit cycles give back every page.
 * Each child breaks COW on a few pages, maps and touches new memory, grows its break and exits
 * without cleaning up; the parent reaps it and checks its exit code. MemFree from /proc/meminfo is
 * read after 20 warm-up cycles and again after the 1000 cycles.
 * With --assert-memfree (passed on Cowbird) the two must be within 1%; without it (on Linux,
 * where MemFree moves with everything else on the machine) the difference is only printed.
 */
#include "cbtest.h"

#define CYCLES 1000
#define WARMUP 20

static char cow_pages[4 * CB_PAGE];

/* One fork/exit cycle; returns 1 if the child exited with the expected code. */
static int cycle(int n)
{
    pid_t pid = fork();
    if (pid == 0) {
        for (int p = 0; p < 4; p++)
            cow_pages[p * CB_PAGE] = (char)n;              /* break COW on 4 pages */
        char *m = mmap(NULL, 16 * CB_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m != MAP_FAILED)
            for (int p = 0; p < 16; p++)
                m[p * CB_PAGE] = 1;                         /* demand-zero 16 pages, never unmapped */
        long brk0 = cb_syscall(SYS_brk, 0, 0, 0, 0, 0, 0);
        long brk1 = cb_syscall(SYS_brk, brk0 + 8 * CB_PAGE, 0, 0, 0, 0, 0);
        if (brk1 == brk0 + 8 * (long)CB_PAGE)
            ((volatile char *)brk0)[CB_PAGE] = 1;           /* a heap page, never given back */
        _exit(m != MAP_FAILED ? n & 0x7f : 200);
    }
    if (pid < 0)
        return 0;
    int status = 0;
    return cb_wait(pid, &status) == pid && WIFEXITED(status) && WEXITSTATUS(status) == (n & 0x7f);
}

int main(int argc, char **argv)
{
    cb_begin("fork_leak");
    int assert_memfree = argc > 1 && strcmp(argv[1], "--assert-memfree") == 0;
    for (int p = 0; p < 4; p++)
        cow_pages[p * CB_PAGE] = 1;

    int bad = 0;
    for (int n = 0; n < WARMUP; n++)
        bad += !cycle(n);
    long before = 0, after = 0;
    int have_before = cb_meminfo_kb("MemFree", &before);
    for (int n = 0; n < CYCLES; n++)
        bad += !cycle(n);
    int have_after = cb_meminfo_kb("MemFree", &after);

    cb_check_ret(bad, 0, "%d fork/exit cycles, each child reaped with its exit code", CYCLES + WARMUP);
    CHECK(have_before && have_after && before > 0, "MemFree read from /proc/meminfo");
    long diff = after - before;
    cb_print("INFO MemFree before %ld kB, after %ld kB, difference %+ld kB", before, after, diff);
    if (assert_memfree) {
        long limit = before / 100;
        char detail[96];
        snprintf(detail, sizeof detail, "difference %+ld kB, limit %ld kB", diff, limit);
        cb_check_detail(diff <= limit && -diff <= limit, detail,
                        "MemFree after %d fork/exit cycles within 1%% of before", CYCLES);
    }
    return cb_end();
}
