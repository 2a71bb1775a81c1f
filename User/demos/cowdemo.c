/*
 * cowdemo: copy-on-write at work. A region (default 8 MiB, or argument 1 in MiB) is filled, then
 * the process forks. Right after fork nothing is copied; the child then writes every other page
 * and each write copies one page (a COW fault). The figures from /proc/vmstat show it: pgfault
 * and Cowbird's pgcowfault grow by about the number of pages written. Then, the child gone, the
 * parent writes all pages: each write still faults once (its PTEs were made read-only at fork),
 * but the page has a single owner again and is reused instead of copied.
 */
#include "cbtest.h"
#include <stdlib.h>

int main(int argc, char **argv)
{
    size_t mib = argc > 1 ? (size_t)atol(argv[1]) : 8;
    size_t pages = mib * 256, size = pages * CB_PAGE;
    char *r = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (r == MAP_FAILED) {
        cb_print("cowdemo: mmap of %zu MiB failed", mib);
        return 1;
    }
    struct cb_counters c0 = cb_read_counters();
    memset(r, 'p', size);
    struct cb_counters c1 = cb_read_counters();
    cb_print("cowdemo: filled %zu MiB (%zu pages)", mib, pages);
    cb_print_counter_deltas("  filling", c0, c1);

    pid_t pid = fork();
    if (pid == 0) {
        struct cb_counters a = cb_read_counters();
        for (size_t p = 0; p < pages; p += 2)
            r[p * CB_PAGE] = 'c';
        struct cb_counters b = cb_read_counters();
        cb_print("  child wrote one byte in every other page (%zu pages):", pages / 2);
        cb_print_counter_deltas("  child's writes", a, b);
        _exit(r[0] == 'c' && r[CB_PAGE] == 'p' ? 0 : 1);
    }
    int status = 0;
    cb_wait(pid, &status);
    int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    size_t wrong = 0;
    for (size_t p = 0; p < pages; p++)
        wrong += r[p * CB_PAGE] != 'p';
    cb_print("  the parent still sees its own data in all pages: %s", wrong == 0 ? "yes" : "NO (a bug)");

    struct cb_counters c2 = cb_read_counters();
    for (size_t p = 0; p < pages; p++)
        r[p * CB_PAGE] = 'q';
    struct cb_counters c3 = cb_read_counters();
    cb_print("  after the child exited, the parent wrote every page (%zu pages):", pages);
    cb_print_counter_deltas("  parent's writes", c2, c3);
    return ok && wrong == 0 ? 0 : 1;
}
