/*
 * swap_fork: more memory than RAM, shared after fork, rewritten half by each side.
 * A 96 MiB private region (the size can be given as argument 1, in MiB) is filled with a pattern,
 * then the process forks. The parent rewrites the first half, the child the second half, and
 * each verifies all 96 MiB: its own half holds its new pattern, the other half still the original.
 * After the child exits, the parent verifies again. On Cowbird this runs with --mem 64 --swap 384:
 * at the peak parent and child hold about 192 MiB (3x RAM), so pages - including pages shared by
 * both - go to swap and come back.
 */
#include "cbtest.h"
#include <stdlib.h>

#define MIB (1024UL * 1024)

/* Verifies the whole region: the first half holds seed `first`, the second half seed `second`. */
static void verify(char *r, size_t size, uint64_t first, uint64_t second, const char *who)
{
    cb_check_pattern(r, size / 2, first, 0, "%s: first half holds %s", who,
                     first == 0 ? "the original pattern" : "its new pattern");
    cb_check_pattern(r + size / 2, size / 2, second, size / 2, "%s: second half holds %s", who,
                     second == 0 ? "the original pattern" : "its new pattern");
}

int main(int argc, char **argv)
{
    cb_begin("swap_fork");
    size_t mib = 96;
    if (argc > 1)
        mib = (size_t)atol(argv[1]);
    size_t size = mib * MIB;
    long free0 = 0, swap0 = 0;
    cb_meminfo_kb("MemFree", &free0);
    cb_meminfo_kb("SwapFree", &swap0);
    cb_print("INFO region %zu MiB; MemFree %ld kB, SwapFree %ld kB", mib, free0, swap0);

    char *r = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (!CHECK(r != MAP_FAILED, "mmap of the %zu MiB region", mib))
        return cb_end();
    cb_fill(r, size, 0, 0);
    verify(r, size, 0, 0, "before fork");

    pid_t pid = cb_fork("the swapping child");
    if (pid == 0) {
        cb_child_begin("child", 0);
        cb_fill(r + size / 2, size / 2, 2, size / 2);
        verify(r, size, 0, 2, "child");
        cb_child_exit();
    }
    cb_fill(r, size / 2, 1, 0);
    verify(r, size, 1, 0, "parent");
    if (pid > 0)
        cb_expect_exit(pid, 0, "the child rewrote the second half and saw the original first half");
    verify(r, size, 1, 0, "parent after the child exited");

    long pswpout = 0, pswpin = 0, free1 = 0, swap1 = 0;
    int have_out = cb_vmstat("pswpout", &pswpout), have_in = cb_vmstat("pswpin", &pswpin);
    cb_meminfo_kb("MemFree", &free1);
    cb_meminfo_kb("SwapFree", &swap1);
    cb_print("INFO pswpout %ld%s, pswpin %ld%s; MemFree %ld kB, SwapFree %ld kB", pswpout,
             have_out ? "" : " (n/a)", pswpin, have_in ? "" : " (n/a)", free1, swap1);
    return cb_end();
}
