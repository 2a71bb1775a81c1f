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

#define MLOCK_ONFAULT_FLAG 1
#define MCL_ONFAULT_FLAG 4

static long mlock_raw(void *p, unsigned long len)
{
    return cb_syscall(SYS_mlock, (long)p, (long)len, 0, 0, 0, 0);
}

static long mlock2_raw(void *p, unsigned long len, long flags)
{
    return cb_syscall(SYS_mlock2, (long)p, (long)len, flags, 0, 0, 0);
}

static long munlock_raw(void *p, unsigned long len)
{
    return cb_syscall(SYS_munlock, (long)p, (long)len, 0, 0, 0, 0);
}

static long mlockall_raw(long flags)
{
    return cb_syscall(SYS_mlockall, flags, 0, 0, 0, 0, 0);
}

/* VmLck of /proc/self/status in kB, or -1 when it cannot be read. */
static long locked_kb(void)
{
    static char text[4096];
    long kb;
    if (cb_read_file("/proc/self/status", text, sizeof text) <= 0 || !cb_find_field(text, "VmLck", &kb))
        return -1;
    return kb;
}

static void check_mlock_arguments(void)
{
    char *p = cb_map_private(2);
    char *n = mmap(NULL, CB_PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (!p || n == MAP_FAILED)
        return;
    cb_check_ret(mlock2_raw(p, CB_PAGE, 2), -EINVAL, "mlock2 with an unknown flag is EINVAL");
    cb_check_ret(mlock_raw(p, -1UL), 0, "mlock of length 2^64-1 (rounds up to 0) is 0");
    cb_check_ret(mlock_raw((void *)0x10000, 0), 0, "mlock of length 0 is 0");
    cb_check_ret(mlock_raw(p, -CB_PAGE), -EINVAL, "mlock of a wrapping range is EINVAL");
    cb_check_ret(munlock_raw(p, -CB_PAGE), -EINVAL, "munlock of a wrapping range is EINVAL");
    cb_check_ret(mlock_raw((void *)0x10000, CB_PAGE), -ENOMEM, "mlock of an unmapped page is ENOMEM");
    cb_check_ret(munlock_raw((void *)LAST_PAGE, CB_PAGE), -ENOMEM, "munlock of the last user page is ENOMEM");
    cb_check_ret(mlock_raw(n, CB_PAGE), -ENOMEM, "mlock of PROT_NONE memory is ENOMEM (it cannot be faulted in)");
    cb_check_ret(mlockall_raw(0), -EINVAL, "mlockall(0) is EINVAL");
    cb_check_ret(mlockall_raw(MCL_ONFAULT_FLAG), -EINVAL, "mlockall(MCL_ONFAULT) alone is EINVAL");
    cb_check_ret(mlockall_raw(8), -EINVAL, "mlockall with an unknown flag is EINVAL");
    cb_check_ret(mlock_raw(p + 1, CB_PAGE), 0, "mlock of an unaligned address is 0");
    check_residency(residency(p, 2), "11", "mlock of an unaligned address locks both pages it touches");
    cb_check_ret(munlock_raw(p, 2 * CB_PAGE), 0, "munlock of the pages is 0");
    cb_check_ret(munlock_raw(n, CB_PAGE), 0, "munlock of memory that was never locked is 0");
    munmap(p, 2 * CB_PAGE);
    munmap(n, CB_PAGE);
}

static void check_mlock_vmas(void)
{
    char *p = cb_map_private(4);
    if (!p)
        return;
    long before = locked_kb();
    cb_check_ret(mlock_raw(p + CB_PAGE, 2 * CB_PAGE), 0, "mlock of the middle two pages is 0");
    cb_check_vma(p, p, p + CB_PAGE, "rw-p", "the unlocked first page");
    cb_check_vma(p + CB_PAGE, p + CB_PAGE, p + 3 * CB_PAGE, "rw-p", "the locked middle");
    cb_check_vma(p + 3 * CB_PAGE, p + 3 * CB_PAGE, p + 4 * CB_PAGE, "rw-p", "the unlocked last page");
    check_residency(residency(p, 4), "0110", "mlock faults the locked pages in");
    cb_check_ret(locked_kb() - before, 8, "VmLck grows by the 8 kB locked");
    cb_check_ret(munlock_raw(p, 4 * CB_PAGE), 0, "munlock of the whole mapping is 0");
    cb_check_vma(p, p, p + 4 * CB_PAGE, "rw-p", "the mapping after munlock (merged back)");
    cb_check_ret(locked_kb() - before, 0, "VmLck is back after munlock");
    munmap(p, 4 * CB_PAGE);

    char *r = mmap(NULL, 4 * CB_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (r == MAP_FAILED)
        return;
    cb_check_ret(mlock2_raw(r, 4 * CB_PAGE, MLOCK_ONFAULT_FLAG), 0, "mlock2(MLOCK_ONFAULT) is 0");
    check_residency(residency(r, 4), "0000", "mlock2(MLOCK_ONFAULT) faults nothing in");
    cb_check_ret(mlock_raw(r, 4 * CB_PAGE), 0, "mlock of the same range is 0");
    check_residency(residency(r, 4), "1111", "mlock then faults the read-only pages in (the zero page)");
    munmap(r, 4 * CB_PAGE);

    char *h = cb_map_private(3);
    if (!h)
        return;
    munmap(h + 2 * CB_PAGE, CB_PAGE);
    before = locked_kb();
    cb_check_ret(mlock_raw(h, 3 * CB_PAGE), -ENOMEM, "mlock running into a hole is ENOMEM");
    cb_check_ret(locked_kb() - before, 8, "mlock into a hole locked the pages before it");
    check_residency(residency(h, 2), "00", "mlock into a hole faulted nothing in");
    munmap(h, 2 * CB_PAGE);
}

static void check_locked_refusals(void)
{
    char *p = cb_map_private(1);
    char *s = cb_map_shared(1);
    if (!p || !s)
        return;
    p[0] = 4;
    mlock_raw(p, CB_PAGE);
    mlock_raw(s, CB_PAGE);
    cb_check_ret(msync_raw(p, CB_PAGE, MS_INVALIDATE), -EBUSY, "msync(MS_INVALIDATE) of locked memory is EBUSY");
    cb_check_ret(msync_raw(p, CB_PAGE, MS_SYNC), 0, "msync(MS_SYNC) of locked memory is 0");
    static const struct { long advice; const char *name; } refused[] = {
        { MADV_DONTNEED, "DONTNEED" }, { MADV_FREE, "FREE" }, { MADV_COLD, "COLD" }, { MADV_PAGEOUT, "PAGEOUT" },
    };
    for (unsigned i = 0; i < sizeof refused / sizeof refused[0]; i++)
        cb_check_ret(cb_syscall(SYS_madvise, (long)p, (long)CB_PAGE, refused[i].advice, 0, 0, 0), -EINVAL,
                     "madvise(MADV_%s) of locked memory is EINVAL", refused[i].name);
    cb_check_ret(cb_syscall(SYS_madvise, (long)s, (long)CB_PAGE, MADV_REMOVE, 0, 0, 0), -EINVAL,
                 "madvise(MADV_REMOVE) of locked shared memory is EINVAL");
    CHECK(p[0] == 4, "locked memory keeps its data");
    cb_check_ret(cb_syscall(SYS_madvise, (long)p, (long)CB_PAGE, 24, 0, 0, 0), 0, "madvise(MADV_DONTNEED_LOCKED) of locked memory is 0");
    CHECK(p[0] == 0, "MADV_DONTNEED_LOCKED dropped the locked page");
    pid_t pid = cb_fork("child of a locking parent");
    if (pid == 0) {
        cb_child_begin("unlocked", 1);
        cb_check_ret(locked_kb(), 0, "a forked child has no locked memory");
        cb_child_exit();
    }
    cb_expect_exit(pid, 0, "a forked child does not inherit locks");
    munmap(p, CB_PAGE);
    munmap(s, CB_PAGE);
}

static void check_mlockall(void)
{
    pid_t pid = cb_fork("mlockall child");
    if (pid == 0) {
        cb_child_begin("mlockall", 1);
        cb_check_ret(mlockall_raw(MCL_CURRENT | MCL_FUTURE), 0, "mlockall(MCL_CURRENT|MCL_FUTURE) is 0");
        CHECK(locked_kb() > 0, "mlockall(MCL_CURRENT) locks the current mappings");
        char *q = mmap(NULL, 2 * CB_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        check_residency(residency(q, 2), "11", "a mapping made after MCL_FUTURE is faulted in");
        unsigned long heap = ((unsigned long)cb_syscall(SYS_brk, 0, 0, 0, 0, 0, 0) + CB_PAGE - 1) & ~(CB_PAGE - 1);
        cb_syscall(SYS_brk, (long)(heap + 2 * CB_PAGE), 0, 0, 0, 0, 0);
        check_residency(residency((void *)heap, 2), "11", "heap grown after MCL_FUTURE is faulted in");
        cb_check_ret(munlockall() == 0 ? 0 : -errno, 0, "munlockall is 0");
        cb_check_ret(locked_kb(), 0, "nothing is locked after munlockall");
        char *r = mmap(NULL, 2 * CB_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        check_residency(residency(r, 2), "00", "a mapping made after munlockall is not faulted in");
        cb_check_ret(mlockall_raw(MCL_FUTURE | MCL_ONFAULT_FLAG), 0, "mlockall(MCL_FUTURE|MCL_ONFAULT) is 0");
        char *t = mmap(NULL, 2 * CB_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        check_residency(residency(t, 2), "00", "a mapping made after MCL_FUTURE|MCL_ONFAULT is not faulted in");
        cb_check_ret(locked_kb(), 8, "it is locked all the same");
        cb_child_exit();
    }
    cb_expect_exit(pid, 0, "mlockall and munlockall in a child");
}

static void check_map_flags(void)
{
    long before = locked_kb();
    char *l = mmap(NULL, 2 * CB_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
    char *p = mmap(NULL, 2 * CB_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    char *n = mmap(NULL, 2 * CB_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE | MAP_NONBLOCK, -1, 0);
    if (l == MAP_FAILED || p == MAP_FAILED || n == MAP_FAILED) {
        CHECK(0, "mmap with MAP_LOCKED, MAP_POPULATE and MAP_NONBLOCK");
        return;
    }
    check_residency(residency(l, 2), "11", "MAP_LOCKED faults the mapping in");
    cb_check_ret(locked_kb() - before, 8, "MAP_LOCKED counts in VmLck");
    check_residency(residency(p, 2), "11", "MAP_POPULATE faults a shared mapping in");
    check_residency(residency(n, 2), "00", "MAP_POPULATE|MAP_NONBLOCK faults nothing in");
    munmap(l, 2 * CB_PAGE);
    munmap(p, 2 * CB_PAGE);
    munmap(n, 2 * CB_PAGE);
}

static void check_locked_mremap(void)
{
    char *p = cb_map_private(1);
    if (!p)
        return;
    long before = locked_kb();
    mlock_raw(p, CB_PAGE);
    char *q = mremap(p, CB_PAGE, 3 * CB_PAGE, MREMAP_MAYMOVE);
    if (q == MAP_FAILED) {
        CHECK(0, "mremap of a locked page to 3 pages");
        return;
    }
    check_residency(residency(q, 3), "111", "mremap faults in the growth of a locked mapping");
    cb_check_ret(locked_kb() - before, 12, "the grown mapping stays locked");
    char *r = mremap(q, 3 * CB_PAGE, 3 * CB_PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP);
    if (r == MAP_FAILED) {
        CHECK(0, "mremap(MREMAP_DONTUNMAP) of the locked mapping");
        munmap(q, 3 * CB_PAGE);
        return;
    }
    check_residency(residency(q, 3), "000", "the old range of MREMAP_DONTUNMAP is empty");
    cb_check_ret(cb_syscall(SYS_madvise, (long)q, 3 * (long)CB_PAGE, MADV_DONTNEED, 0, 0, 0), 0,
                 "MREMAP_DONTUNMAP leaves the old range unlocked (MADV_DONTNEED works there)");
    cb_check_ret(cb_syscall(SYS_madvise, (long)r, 3 * (long)CB_PAGE, MADV_DONTNEED, 0, 0, 0), -EINVAL,
                 "the moved range stays locked (MADV_DONTNEED is EINVAL there)");
    check_residency(residency(r, 3), "111", "the moved range keeps its pages");
    munmap(q, 3 * CB_PAGE);
    munmap(r, 3 * CB_PAGE);
}

int main(void)
{
    cb_begin("mm_calls");
    check_mincore_arguments();
    check_mincore_residency();
    check_msync();
    check_mlock_arguments();
    check_mlock_vmas();
    check_locked_refusals();
    check_mlockall();
    check_map_flags();
    check_locked_mremap();
    return cb_end();
}
