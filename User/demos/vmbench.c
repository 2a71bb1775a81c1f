/*
 * vmbench: the virtual-memory figures that `./build.sh bench` compares between Cowbird and
 * Linux booted in the same QEMU. Each figure is one line
 *
 *     vmbench: NAME VALUE UNIT (DETAIL)
 *
 * for example `vmbench: cow_fault 812.4 ns/page (4096 pages x 4)`, and after each group of
 * figures a line with the growth of the fault and swap counters of /proc/vmstat during it
 * (`vmbench: cow_fault counters: pgfault +4096, ...`), which says what the time paid for. Times come from
 * clock_gettime(CLOCK_MONOTONIC) inside the guest, so QEMU's start-up is not in them. The
 * program checks its own data (every page written is read back with the pattern it should
 * hold) and exits 1 if anything was wrong, so a fast but broken kernel cannot post a figure.
 *
 * Usage: vmbench [--quick] [--swap-mib N] [--only NAME]
 *   --quick       fewer repetitions (one round of `./build.sh bench --quick`)
 *   --swap-mib N  size of the swap figures' region (default 160: more than 128 MiB of RAM);
 *                 0 skips them
 *   --only NAME   one figure group: fork, cow_fault, write_fault, read_fault, munmap, swap
 */
#include "cbtest.h"
#include <stdlib.h>
#include <string.h>

#define FAULT_PAGES 4096 /* 16 MiB: the region of every per-page figure */

static int quick;
static int failed;

/* Nanoseconds on the monotonic clock. */
static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Prints one figure line in the format the bench driver parses. */
static void figure(const char *name, double value, const char *unit, const char *detail)
{
    cb_print("vmbench: %s %.1f %s (%s)", name, value, unit, detail);
}

/* Maps `pages` fresh private anonymous pages, or exits: a benchmark without its memory has no figure. */
static char *map_or_die(size_t pages)
{
    char *p = mmap(NULL, pages * CB_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        cb_print("vmbench: mmap of %zu pages failed", pages);
        exit(1);
    }
    return p;
}

/* Writes one byte in each page: the first write to a fresh page is a demand-zero fault. */
static void touch_pages(char *p, size_t pages, char value)
{
    for (size_t i = 0; i < pages; i++)
        p[i * CB_PAGE] = value;
}

/* fork + _exit + wait4 of a parent with `mib` MiB touched: microseconds per round trip. */
static void bench_fork(size_t mib, int ops)
{
    size_t pages = mib * 256;
    char *p = pages ? map_or_die(pages) : NULL;
    if (p)
        touch_pages(p, pages, 1);
    uint64_t t0 = now_ns();
    for (int i = 0; i < ops; i++) {
        pid_t pid = fork();
        if (pid == 0)
            _exit(0);
        int status;
        if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0) {
            cb_print("vmbench: fork/wait failed in round %d", i);
            failed = 1;
            break;
        }
    }
    uint64_t t1 = now_ns();
    char name[32], detail[32];
    snprintf(name, sizeof name, "fork_exit_wait_%zumib", mib);
    snprintf(detail, sizeof detail, "%d forks", ops);
    figure(name, (double)(t1 - t0) / 1000.0 / ops, "us/fork", detail);
    if (p)
        munmap(p, pages * CB_PAGE);
}

/* A write to each page shared copy-on-write with a sleeping child: nanoseconds per page. */
static void bench_cow_fault(int reps)
{
    uint64_t total = 0;
    for (int r = 0; r < reps; r++) {
        char *p = map_or_die(FAULT_PAGES);
        touch_pages(p, FAULT_PAGES, 1);
        pid_t child = fork();
        if (child == 0) {
            for (;;)
                cb_sleep_ms(1000000);
        }
        uint64_t t0 = now_ns();
        touch_pages(p, FAULT_PAGES, 2);
        total += now_ns() - t0;
        kill(child, SIGKILL);
        waitpid(child, NULL, 0);
        munmap(p, FAULT_PAGES * CB_PAGE);
    }
    char detail[40];
    snprintf(detail, sizeof detail, "%d pages x %d", FAULT_PAGES, reps);
    figure("cow_fault", (double)total / ((double)FAULT_PAGES * reps), "ns/page", detail);
}

/* The first write (or read) of each page of fresh anonymous memory: nanoseconds per page. */
static void bench_first_touch(int reps, int write)
{
    uint64_t total = 0;
    volatile char sink = 0;
    for (int r = 0; r < reps; r++) {
        char *p = map_or_die(FAULT_PAGES);
        uint64_t t0 = now_ns();
        if (write) {
            touch_pages(p, FAULT_PAGES, 3);
        } else {
            for (size_t i = 0; i < FAULT_PAGES; i++)
                sink += ((volatile char *)p)[i * CB_PAGE];
        }
        total += now_ns() - t0;
        if (!write && sink != 0) {
            cb_print("vmbench: fresh anonymous memory read as non-zero");
            failed = 1;
        }
        munmap(p, FAULT_PAGES * CB_PAGE);
    }
    char detail[40];
    snprintf(detail, sizeof detail, "%d pages x %d", FAULT_PAGES, reps);
    figure(write ? "write_fault" : "read_fault", (double)total / ((double)FAULT_PAGES * reps), "ns/page", detail);
}

/* munmap of a region whose every page is resident: nanoseconds per page. */
static void bench_munmap(int reps)
{
    uint64_t total = 0;
    for (int r = 0; r < reps; r++) {
        char *p = map_or_die(FAULT_PAGES);
        touch_pages(p, FAULT_PAGES, 4);
        uint64_t t0 = now_ns();
        munmap(p, FAULT_PAGES * CB_PAGE);
        total += now_ns() - t0;
    }
    char detail[40];
    snprintf(detail, sizeof detail, "%d pages x %d", FAULT_PAGES, reps);
    figure("munmap", (double)total / ((double)FAULT_PAGES * reps), "ns/page", detail);
}

/* MiB per second for `mib` MiB in `ns` nanoseconds. */
static double mib_per_s(size_t mib, uint64_t ns)
{
    return ns ? (double)mib * 1e9 / (double)ns : 0.0;
}

/*
 * Swap throughput over a region of `mib` MiB, larger than RAM: fill (every word written,
 * pushing older pages to swap), read-back (every word checked, bringing them in again), and
 * rewrite (every word written again, so pages come in and go out). MiB per second each.
 */
static void bench_swap(size_t mib)
{
    size_t size = mib << 20;
    char *p = map_or_die(size / CB_PAGE);
    char detail[40];
    snprintf(detail, sizeof detail, "%zu MiB", mib);

    uint64_t t0 = now_ns();
    cb_fill(p, size, 11, 0);
    uint64_t t1 = now_ns();
    size_t bad = cb_verify(p, size, 11, 0, NULL);
    uint64_t t2 = now_ns();
    cb_fill(p, size, 12, 0);
    uint64_t t3 = now_ns();
    bad += cb_verify(p, size, 12, 0, NULL);
    munmap(p, size);

    figure("swap_fill", mib_per_s(mib, t1 - t0), "MiB/s", detail);
    figure("swap_readback", mib_per_s(mib, t2 - t1), "MiB/s", detail);
    figure("swap_rewrite", mib_per_s(mib, t3 - t2), "MiB/s", detail);
    if (bad) {
        cb_print("vmbench: %zu words read back wrong after swap", bad);
        failed = 1;
    }
}

/* Prints how the kernel's fault and swap counters grew during one figure group; returns the new snapshot. */
static struct cb_counters print_counters(const char *group, struct cb_counters before)
{
    struct cb_counters after = cb_read_counters();
    char label[48];
    snprintf(label, sizeof label, "vmbench: %s counters", group);
    cb_print_counter_deltas(label, before, after);
    return after;
}

/* True when `only` is unset or names this group. */
static int selected(const char *only, const char *group)
{
    return only == NULL || strcmp(only, group) == 0;
}

int main(int argc, char **argv)
{
    cb_print("vmbench: start");
    size_t swap_mib = 160;
    const char *only = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0)
            quick = 1;
        else if (strcmp(argv[i], "--swap-mib") == 0 && i + 1 < argc)
            swap_mib = (size_t)atol(argv[++i]);
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
            only = argv[++i];
        else {
            cb_print("usage: vmbench [--quick] [--swap-mib N] [--only GROUP]");
            return 2;
        }
    }
    int scale = quick ? 1 : 4;
    struct cb_counters before = cb_read_counters();
    if (selected(only, "fork")) {
        bench_fork(0, 50 * scale);
        bench_fork(1, 25 * scale);
        bench_fork(64, 2 * scale);
        before = print_counters("fork", before);
    }
    if (selected(only, "cow_fault")) {
        bench_cow_fault(scale);
        before = print_counters("cow_fault", before);
    }
    if (selected(only, "write_fault")) {
        bench_first_touch(scale, 1);
        before = print_counters("write_fault", before);
    }
    if (selected(only, "read_fault")) {
        bench_first_touch(scale, 0);
        before = print_counters("read_fault", before);
    }
    if (selected(only, "munmap")) {
        bench_munmap(scale);
        before = print_counters("munmap", before);
    }
    if (selected(only, "swap") && swap_mib > 0) {
        bench_swap(swap_mib);
        print_counters("swap", before);
    }
    cb_print("vmbench: end %s", failed ? "FAILED" : "ok");
    return failed;
}
