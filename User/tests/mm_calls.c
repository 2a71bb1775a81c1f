/*
 * mm_calls: mincore, msync and the mlock family on anonymous memory, each answered as Linux
 * 6.1 does: the order of the argument checks, the residency bytes of untouched, touched,
 * zero-page, PROT_NONE and shared pages, msync's flags and holes, and how locking splits and
 * merges VMAs (/proc/self/maps), faults pages in, is not inherited by fork, and what
 * mlockall(MCL_FUTURE) does to later mappings. The program runs as root, so RLIMIT_MEMLOCK
 * does not apply (CAP_IPC_LOCK).
 */
#define _GNU_SOURCE
#include "cbtest.h"

#define LAST_PAGE 0x7ffffffff000UL          /* Linux's TASK_SIZE: 2^47 minus one page */

static long mincore_raw(void *p, unsigned long len, void *vec)
{
    return cb_syscall(SYS_mincore, (long)p, (long)len, (long)vec, 0, 0, 0);
}

/* The residency bytes of `pages` pages at p as a string of '0' and '1' (bit 0 of each). */
static const char *residency(void *p, size_t pages)
{
    static char text[64];
    unsigned char vec[64];
    memset(vec, 0xee, sizeof vec);
    long r = mincore_raw(p, pages * CB_PAGE, vec);
    if (r != 0) {
        snprintf(text, sizeof text, "error %ld", r);
        return text;
    }
    for (size_t i = 0; i < pages; i++)
        text[i] = vec[i] == 0 ? '0' : vec[i] == 1 ? '1' : '?';
    text[pages] = 0;
    return text;
}

static void check_residency(const char *got, const char *want, const char *what)
{
    cb_check_detail(strcmp(got, want) == 0, got, "%s: %s", what, want);
}

static void check_mincore_arguments(void)
{
    unsigned char vec[4];
    char *p = cb_map_private(3);
    if (!p)
        return;
    cb_check_ret(mincore_raw(p + 1, CB_PAGE, vec), -EINVAL, "mincore of an unaligned start is EINVAL");
    cb_check_ret(mincore_raw(p, 0, NULL), 0, "mincore of length 0 is 0, whatever the vector");
    cb_check_ret(mincore_raw(p + 1, 0, vec), -EINVAL, "mincore of an unaligned start and length 0 is EINVAL");
    cb_check_ret(mincore_raw(p, -1UL, vec), -ENOMEM, "mincore of length 2^64-1 is ENOMEM");
    cb_check_ret(mincore_raw((void *)LAST_PAGE, CB_PAGE, vec), -ENOMEM, "mincore of the last user page is ENOMEM");
    cb_check_ret(mincore_raw((void *)0x10000, CB_PAGE, NULL), -ENOMEM,
                 "mincore of an unmapped page is ENOMEM before the vector is used");
    cb_check_ret(mincore_raw(p, CB_PAGE, NULL), -EFAULT, "mincore with a NULL vector is EFAULT");
    cb_check_ret(mincore_raw(p, CB_PAGE, (void *)LAST_PAGE), -EFAULT, "mincore with a vector past user space is EFAULT");
    cb_check_ret(mincore_raw(p, CB_PAGE, (void *)(LAST_PAGE + 1)), -EFAULT,
                 "mincore with a vector past TASK_SIZE is EFAULT");
    munmap(p + 2 * CB_PAGE, CB_PAGE);
    p[0] = 1;
    p[CB_PAGE] = 1;
    memset(vec, 0xee, sizeof vec);
    cb_check_ret(mincore_raw(p, 3 * CB_PAGE, vec), -ENOMEM, "mincore running into a hole is ENOMEM");
    CHECK(vec[0] == 1 && vec[1] == 1 && vec[2] == 0xee, "mincore into a hole wrote the bytes of the pages before it");
    munmap(p, 2 * CB_PAGE);
}

static void check_mincore_residency(void)
{
    char *p = cb_map_private(6);
    char *s = cb_map_shared(2);
    if (!p || !s)
        return;
    check_residency(residency(p, 6), "000000", "fresh private memory is not resident");
    p[0] = 1;
    (void)*(volatile char *)(p + 2 * CB_PAGE);
    p[4 * CB_PAGE] = 1;
    mprotect(p + 4 * CB_PAGE, CB_PAGE, PROT_NONE);
    check_residency(residency(p, 6), "101010", "written, zero-page and PROT_NONE pages are resident");
    unsigned char vec[2];
    cb_check_ret(mincore_raw(p, 2 * CB_PAGE - 1, vec), 0, "mincore of a length ending inside a page is 0");
    CHECK(vec[0] == 1 && vec[1] == 0, "mincore counts a partial last page");
    madvise(p, CB_PAGE, MADV_DONTNEED);
    check_residency(residency(p, 1), "0", "a page dropped by MADV_DONTNEED is not resident");
    check_residency(residency(s, 2), "00", "a fresh shared mapping is not resident");
    pid_t pid = cb_fork("shared page writer");
    if (pid == 0) {
        s[CB_PAGE] = 1;
        _exit(0);
    }
    cb_expect_exit(pid, 0, "the child wrote the shared page");
    check_residency(residency(s, 2), "01", "a shared page another process touched is resident here");
    munmap(p, 6 * CB_PAGE);
    munmap(s, 2 * CB_PAGE);
}

static long msync_raw(void *p, unsigned long len, long flags)
{
    return cb_syscall(SYS_msync, (long)p, (long)len, flags, 0, 0, 0);
}

static void check_msync(void)
{
    char *p = cb_map_private(3);
    char *s = cb_map_shared(2);
    if (!p || !s)
        return;
    p[0] = 5;
    s[0] = 6;
    cb_check_ret(msync_raw(p, CB_PAGE, 8), -EINVAL, "msync with an unknown flag is EINVAL");
    cb_check_ret(msync_raw(p + 1, CB_PAGE, MS_SYNC), -EINVAL, "msync of an unaligned address is EINVAL");
    cb_check_ret(msync_raw(p, CB_PAGE, MS_ASYNC | MS_SYNC), -EINVAL, "msync with MS_ASYNC|MS_SYNC is EINVAL");
    cb_check_ret(msync_raw(p, -3 * CB_PAGE, MS_SYNC), -ENOMEM, "msync of a wrapping range is ENOMEM");
    cb_check_ret(msync_raw(p, -1UL, MS_SYNC), 0, "msync of length 2^64-1 (rounds up to 0) is 0");
    cb_check_ret(msync_raw((void *)0x10000, 0, MS_SYNC), 0, "msync of length 0 is 0");
    static const long flags[] = { 0, MS_ASYNC, MS_SYNC, MS_INVALIDATE, MS_ASYNC | MS_INVALIDATE, MS_SYNC | MS_INVALIDATE };
    for (unsigned i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        cb_check_ret(msync_raw(p, 3 * CB_PAGE, flags[i]), 0, "msync(flags %ld) of private memory is 0", flags[i]);
        cb_check_ret(msync_raw(s, 2 * CB_PAGE, flags[i]), 0, "msync(flags %ld) of shared memory is 0", flags[i]);
    }
    CHECK(p[0] == 5 && s[0] == 6, "msync keeps the data");
    munmap(p + CB_PAGE, CB_PAGE);
    cb_check_ret(msync_raw(p, 3 * CB_PAGE, MS_ASYNC), -ENOMEM, "msync(MS_ASYNC) over a hole is ENOMEM");
    cb_check_ret(msync_raw(p, 3 * CB_PAGE, MS_SYNC), -ENOMEM, "msync(MS_SYNC) over a hole is ENOMEM");
    cb_check_ret(msync_raw(p + CB_PAGE, CB_PAGE, 0), -ENOMEM, "msync of a hole alone is ENOMEM");
    cb_check_ret(msync_raw((void *)LAST_PAGE, CB_PAGE, MS_SYNC), -ENOMEM, "msync of the last user page is ENOMEM");
    munmap(p, 3 * CB_PAGE);
    munmap(s, 2 * CB_PAGE);
}

int main(void)
{
    cb_begin("mm_calls");
    check_mincore_arguments();
    check_mincore_residency();
    check_msync();
    return cb_end();
}
