/*
 * mm_ranges: range arguments of mmap, munmap, mprotect, madvise and mremap at the edges of the
 * address space: lengths near 2^63 and 2^64, ranges that wrap, the last user page (Linux's
 * TASK_SIZE is one page below 2^47). Every call must fail with Linux's errno (or succeed as on
 * Linux), and the mappings the calls did not name must keep their data.
 */
#define _GNU_SOURCE
#include "cbtest.h"

#define LAST_PAGE 0x7ffffffff000UL

static long raw_mremap(void *old, unsigned long old_len, unsigned long new_len, long flags, void *to)
{
    return cb_syscall(SYS_mremap, (long)old, (long)old_len, (long)new_len, flags, (long)to, 0);
}

static char *fixed_map(unsigned long at, unsigned long pages)
{
    char *p = mmap((void *)at, pages * CB_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    return CHECK(p == (char *)at, "mmap of %lu pages at %#lx", pages, at) ? p : NULL;
}

int main(void)
{
    cb_begin("mm_ranges");
    /* Fixed places with holes around them, so that a huge range from `a` meets a hole right
       after `a` (mprotect and madvise stop there) and never reaches the stack. */
    char *a = fixed_map(0x200000000UL, 2);
    char *high = fixed_map(0x100000000UL, 1);
    if (!a || !high)
        return cb_end();
    /* `above` lies above `a`, so a huge old length from `a` overlaps it: EINVAL on every Linux. */
    char *above = high > a ? high : a;
    char *below = high > a ? a : high;
    cb_fill(a, 2 * CB_PAGE, 7, 0);
    cb_fill(high, CB_PAGE, 9, 0);
    const unsigned long huge[] = { 1UL << 63, (1UL << 63) + CB_PAGE, -2 * CB_PAGE, -CB_PAGE, -1UL };
    const long fix = MREMAP_MAYMOVE | MREMAP_FIXED;

    for (unsigned i = 0; i < sizeof huge / sizeof huge[0]; i++) {
        unsigned long n = huge[i];
        cb_check_ret(cb_syscall(SYS_munmap, (long)a, (long)n, 0, 0, 0, 0), -EINVAL, "munmap(a, length #%u) is EINVAL", i);
        cb_check_ret(cb_syscall(SYS_mprotect, (long)a, (long)n, PROT_READ | PROT_WRITE, 0, 0, 0), -ENOMEM,
                     "mprotect(a, length #%u) is ENOMEM", i);
        CHECK(raw_mremap(a, CB_PAGE, n, MREMAP_MAYMOVE, NULL) < 0, "mremap(a, 1 page, new length #%u, MAYMOVE) fails", i);
        cb_check_ret(raw_mremap(a, CB_PAGE, n, fix, (void *)0x300000000UL), -EINVAL,
                     "mremap(a, 1 page, new length #%u, FIXED) is EINVAL", i);
        cb_check_ret(cb_syscall(SYS_mmap, (long)a, (long)n, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
                     -ENOMEM, "mmap(a, length #%u, MAP_FIXED) is ENOMEM", i);
    }
    cb_check_ret(raw_mremap(below, 1UL << 63, CB_PAGE, fix, above), -EINVAL,
                 "mremap(lower, 2^63, 1 page, FIXED, higher): the ranges overlap, EINVAL");
    cb_check_ret(raw_mremap(above, 1UL << 63, CB_PAGE, fix, below), -EINVAL,
                 "mremap(higher, 2^63, 1 page, FIXED, lower): the source runs past TASK_SIZE, EINVAL");
    cb_check_ret(raw_mremap(a, -1UL, CB_PAGE, MREMAP_MAYMOVE, NULL), -EINVAL,
                 "mremap(a, ~0 (rounds to 0: duplicate), 1 page) of a private mapping is EINVAL");
    cb_check_ret(cb_syscall(SYS_madvise, (long)a, (long)(-2 * CB_PAGE), MADV_DONTNEED, 0, 0, 0), -EINVAL,
                 "madvise(a, a range that wraps) is EINVAL");
    cb_check_ret(cb_syscall(SYS_madvise, (long)a, (long)-1UL, MADV_DONTNEED, 0, 0, 0), -EINVAL,
                 "madvise(a, ~0) is EINVAL");
    cb_check_pattern(a, 2 * CB_PAGE, 7, 0, "a keeps its data");

    /* The last page below 2^47 is never mappable; munmap of nothing is fine. */
    cb_check_ret(cb_syscall(SYS_mmap, (long)LAST_PAGE, (long)CB_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
                 -ENOMEM, "mmap(MAP_FIXED) of the last user page is ENOMEM");
    cb_check_ret(cb_syscall(SYS_munmap, (long)LAST_PAGE, (long)CB_PAGE, 0, 0, 0, 0), -EINVAL, "munmap of the last user page is EINVAL");
    cb_check_ret(cb_syscall(SYS_munmap, 0x300000000L, (long)CB_PAGE, 0, 0, 0, 0), 0, "munmap of nothing is 0");
    cb_check_ret(cb_syscall(SYS_munmap, 0, (long)CB_PAGE, 0, 0, 0, 0), 0, "munmap(0, 4096) is 0");
    cb_check_ret(cb_syscall(SYS_munmap, (long)(1UL << 47), (long)CB_PAGE, 0, 0, 0, 0), -EINVAL, "munmap at 2^47 is EINVAL");
    cb_check_ret(cb_syscall(SYS_munmap, (long)0xffff800000000000UL, (long)CB_PAGE, 0, 0, 0, 0), -EINVAL,
                 "munmap in the kernel half is EINVAL");
    cb_check_ret(raw_mremap(a, CB_PAGE, CB_PAGE, fix, (void *)LAST_PAGE), -EINVAL, "mremap FIXED onto the last user page is EINVAL");
    cb_check_ret(raw_mremap((void *)0xffff800000000000UL, CB_PAGE, CB_PAGE, MREMAP_MAYMOVE, NULL), -EFAULT,
                 "mremap of a kernel-half address is EFAULT");
    cb_check_pattern(a, 2 * CB_PAGE, 7, 0, "a still keeps its data");
    return cb_end();
}
