/*
 * map_count: vm.max_map_count (65530) as Linux applies it. Every other page of a large region is
 * made read-only until mprotect fails with ENOMEM. At the limit: splitting a VMA in two (munmap
 * or mprotect inside it) is ENOMEM, a change that joins a neighbour still works, mmap refuses a
 * new mapping only once the count is above the limit, and unmapping whole VMAs makes room again.
 * The region's data survives all of it. The region (273 MiB) is mapped with MAP_NORESERVE: with
 * less RAM + swap than that (Cowbird's default 128 MiB), overcommit accounting would refuse it.
 */
#define _GNU_SOURCE
#include "cbtest.h"

#define PAGES 70000UL
#define BASE 0x100000000UL

int main(void)
{
    cb_begin("map_count");
    char *r = mmap((void *)BASE, PAGES * CB_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_NORESERVE, -1, 0);
    if (!CHECK(r == (char *)BASE, "mmap of %lu pages", PAGES))
        return cb_end();
    r[0] = 1;
    r[(PAGES - 1) * CB_PAGE] = 2;
    long e = 0;
    size_t i;
    for (i = 1; i + 1 < PAGES; i += 2) {
        e = cb_syscall(SYS_mprotect, (long)(r + i * CB_PAGE), (long)CB_PAGE, PROT_READ, 0, 0, 0);
        if (e != 0)
            break;
    }
    cb_check_ret(e, -ENOMEM, "splitting every other page eventually fails with ENOMEM");
    CHECK(i > 60000 && i < 2 * 65530UL, "the limit is near 65530 VMAs");
    char *tail = r + (i + 1) * CB_PAGE;      /* inside the last, still large VMA */
    cb_check_ret(cb_syscall(SYS_munmap, (long)(tail + 4 * CB_PAGE), (long)CB_PAGE, 0, 0, 0, 0), -ENOMEM,
                 "at the limit, munmap inside a VMA (a split) is ENOMEM");
    cb_check_ret(cb_syscall(SYS_mprotect, (long)(tail + 4 * CB_PAGE), (long)CB_PAGE, PROT_READ, 0, 0, 0), -ENOMEM,
                 "at the limit, mprotect inside a VMA is ENOMEM");
    cb_check_ret(cb_syscall(SYS_mprotect, (long)r, (long)CB_PAGE, PROT_READ, 0, 0, 0), 0,
                 "mprotect of the first page joins its read-only neighbour: no new VMA, 0");
    long m1 = cb_syscall(SYS_mmap, 0, (long)CB_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    long m2 = cb_syscall(SYS_mmap, 0, (long)CB_PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    long m3 = cb_syscall(SYS_mmap, 0, (long)CB_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(m1 > 0 && m2 > 0, "one below the limit, two more mmaps succeed (the count may reach limit + 1)");
    cb_check_ret(m3, -ENOMEM, "then mmap is ENOMEM");
    cb_check_ret(cb_syscall(SYS_mremap, (long)tail, (long)CB_PAGE, (long)CB_PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, 0x200000000L, 0),
                 -ENOMEM, "mremap that would move a page is ENOMEM");
    CHECK(r[0] == 1 && r[(PAGES - 1) * CB_PAGE] == 2, "the region's data is intact");
    cb_check_ret(cb_syscall(SYS_munmap, (long)r, (long)(1000 * CB_PAGE), 0, 0, 0, 0), 0, "munmap of 1000 whole pages");
    cb_check_ret(cb_syscall(SYS_munmap, (long)(tail + 4 * CB_PAGE), (long)CB_PAGE, 0, 0, 0, 0), 0,
                 "then a split works again");
    cb_check_ret(cb_syscall(SYS_munmap, (long)r, (long)(PAGES * CB_PAGE), 0, 0, 0, 0), 0, "munmap of the whole region");
    return cb_end();
}
