/*
 * mm_edges: edge cases of the memory calls and a few others, each answered as Linux 6.1 does:
 * munmap at the ends of user space, every madvise advice Linux takes for anonymous memory (and
 * its errors, DONTFORK, WIPEONFORK, FREE, REMOVE, POPULATE), mremap MREMAP_DONTUNMAP, a shared
 * mapping grown past its object (SIGBUS), write/read with huge counts and partly mapped buffers,
 * arch_prctl (FS, GS, CPUID), clock ids, nanosleep with a huge time, and system call numbers
 * (the low 32 bits of rax count). Only what both kernels print the same is printed: no times.
 */
#define _GNU_SOURCE
#include "cbtest.h"

#define LAST_PAGE 0x7ffffffff000UL          /* Linux's TASK_SIZE: 2^47 minus one page */
#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004
#define ARCH_GET_CPUID 0x1011
#define CPUCLOCK_PROF 0
#define CPUCLOCK_VIRT 1
#define CPUCLOCK_SCHED 2
#define PROCESS_CPUCLOCK(pid, which) ((int)(~(unsigned)(pid) << 3) | (which))
#define THREAD_CPUCLOCK(tid, which) (PROCESS_CPUCLOCK(tid, which) | 4)
#define X32_SYSCALL_BIT 0x40000000L

static long madvise_raw(void *p, unsigned long len, long advice)
{
    return cb_syscall(SYS_madvise, (long)p, (long)len, advice, 0, 0, 0);
}

static long mremap_raw(void *old, unsigned long old_len, unsigned long new_len, long flags, void *to)
{
    return cb_syscall(SYS_mremap, (long)old, (long)old_len, (long)new_len, flags, (long)to, 0);
}

static long arch_prctl_raw(long code, unsigned long arg)
{
    return cb_syscall(SYS_arch_prctl, code, (long)arg, 0, 0, 0, 0);
}

static long clock_raw(long clock)
{
    struct timespec ts;
    return cb_syscall(SYS_clock_gettime, clock, (long)&ts, 0, 0, 0, 0);
}

/* True when every byte of p[0..len) is `value` or 0 (MADV_FREE: kept or reclaimed). */
static int old_or_zero(const unsigned char *p, size_t len, unsigned char value)
{
    for (size_t i = 0; i < len; i++)
        if (p[i] != value && p[i] != 0)
            return 0;
    return 1;
}

static void check_munmap_edges(void)
{
    cb_check_ret(cb_syscall(SYS_munmap, 0, (long)CB_PAGE, 0, 0, 0, 0), 0, "munmap(0, 4096) is 0");
    cb_check_ret(cb_syscall(SYS_munmap, (long)LAST_PAGE, (long)CB_PAGE, 0, 0, 0, 0), -EINVAL,
                 "munmap of the last user page is EINVAL");
    cb_check_ret(cb_syscall(SYS_mmap, (long)LAST_PAGE, (long)CB_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
                 -ENOMEM, "mmap(MAP_FIXED) of the last user page is ENOMEM");
}

static void check_madvise_values(void)
{
    static const struct { long advice; const char *name; } ok[] = {
        { MADV_NORMAL, "NORMAL" }, { MADV_RANDOM, "RANDOM" }, { MADV_SEQUENTIAL, "SEQUENTIAL" },
        { MADV_WILLNEED, "WILLNEED" }, { MADV_DONTNEED, "DONTNEED" }, { MADV_FREE, "FREE" },
        { MADV_DONTFORK, "DONTFORK" }, { MADV_DOFORK, "DOFORK" }, { MADV_WIPEONFORK, "WIPEONFORK" },
        { MADV_KEEPONFORK, "KEEPONFORK" }, { MADV_MERGEABLE, "MERGEABLE" }, { MADV_UNMERGEABLE, "UNMERGEABLE" },
        { MADV_HUGEPAGE, "HUGEPAGE" }, { MADV_NOHUGEPAGE, "NOHUGEPAGE" }, { MADV_DONTDUMP, "DONTDUMP" },
        { MADV_DODUMP, "DODUMP" }, { MADV_COLD, "COLD" }, { MADV_PAGEOUT, "PAGEOUT" },
        { 22, "POPULATE_READ" }, { 23, "POPULATE_WRITE" }, { 24, "DONTNEED_LOCKED" },
    };
    static const long bad[] = { -1, 5, 6, 7, 25, 26, 99, 104, 1000 };
    char *p = cb_map_private(4);
    char *s = cb_map_shared(2);
    if (!p || !s)
        return;
    for (unsigned i = 0; i < sizeof ok / sizeof ok[0]; i++)
        cb_check_ret(madvise_raw(p, 4 * CB_PAGE, ok[i].advice), 0, "madvise(MADV_%s) of private memory is 0", ok[i].name);
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cb_check_ret(madvise_raw(p, CB_PAGE, bad[i]), -EINVAL, "madvise advice %ld is EINVAL", bad[i]);
    cb_check_ret(madvise_raw(p + 1, CB_PAGE, 5), -EINVAL, "a bad advice is EINVAL even at an unaligned address");
    cb_check_ret(madvise_raw(p + 1, CB_PAGE, MADV_NORMAL), -EINVAL, "madvise at an unaligned address is EINVAL");
    cb_check_ret(madvise_raw(p, -2 * CB_PAGE, MADV_NORMAL), -EINVAL, "madvise of a range that wraps is EINVAL");
    cb_check_ret(madvise_raw(p, 0, MADV_NORMAL), 0, "madvise of length 0 is 0");
    cb_check_ret(madvise_raw((void *)LAST_PAGE, CB_PAGE, MADV_NORMAL), -ENOMEM, "madvise of the last user page is ENOMEM");
    cb_check_ret(munmap(p + 3 * CB_PAGE, CB_PAGE), 0, "munmap of the last page of four");
    cb_check_ret(madvise_raw(p, 4 * CB_PAGE, MADV_NORMAL), -ENOMEM, "madvise over a hole is ENOMEM");
    cb_check_ret(madvise_raw(s, 2 * CB_PAGE, MADV_FREE), -EINVAL, "MADV_FREE of shared memory is EINVAL");
    cb_check_ret(madvise_raw(s, 2 * CB_PAGE, MADV_WIPEONFORK), -EINVAL, "MADV_WIPEONFORK of shared memory is EINVAL");
    cb_check_ret(madvise_raw(p, CB_PAGE, MADV_REMOVE), -EINVAL, "MADV_REMOVE of private memory is EINVAL");
    cb_check_ret(madvise_raw(s, 2 * CB_PAGE, MADV_DONTFORK), 0, "MADV_DONTFORK of shared memory is 0");
    cb_check_ret(madvise_raw(s, 2 * CB_PAGE, MADV_DOFORK), 0, "MADV_DOFORK of shared memory is 0");
    char *ro = mmap(NULL, CB_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *none = mmap(NULL, CB_PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (CHECK(ro != MAP_FAILED && none != MAP_FAILED, "mmap of a read-only and a PROT_NONE page")) {
        cb_check_ret(madvise_raw(ro, CB_PAGE, 23), -EINVAL, "MADV_POPULATE_WRITE of a read-only page is EINVAL");
        cb_check_ret(madvise_raw(ro, CB_PAGE, 22), 0, "MADV_POPULATE_READ of a read-only page is 0");
        cb_check_ret(madvise_raw(none, CB_PAGE, 22), -EINVAL, "MADV_POPULATE_READ of a PROT_NONE page is EINVAL");
        munmap(ro, CB_PAGE);
        munmap(none, CB_PAGE);
    }
    munmap(p, 3 * CB_PAGE);
    munmap(s, 2 * CB_PAGE);
}

/* MADV_DONTFORK on the middle page of three splits the VMA; MADV_DOFORK joins it again. */
static void check_madvise_split(void)
{
    char *p = cb_map_private(3);
    if (!p)
        return;
    cb_check_ret(madvise_raw(p + CB_PAGE, CB_PAGE, MADV_DONTFORK), 0, "MADV_DONTFORK of the middle page");
    cb_check_vma(p + CB_PAGE, p + CB_PAGE, p + 2 * CB_PAGE, "rw-p", "the MADV_DONTFORK page");
    cb_check_ret(madvise_raw(p + CB_PAGE, CB_PAGE, MADV_DOFORK), 0, "MADV_DOFORK of the middle page");
    struct cb_vma vma;
    CHECK(cb_find_vma(p + CB_PAGE, &vma) && vma.start <= (unsigned long)p && vma.end >= (unsigned long)(p + 3 * CB_PAGE),
          "/proc/self/maps: after MADV_DOFORK the three pages are one VMA again");
    munmap(p, 3 * CB_PAGE);
}

static void check_madvise_fork(void)
{
    char *keep = cb_map_private(1);
    char *gone = cb_map_private(1);
    char *wiped = cb_map_private(2);
    if (!keep || !gone || !wiped)
        return;
    memset(keep, 1, CB_PAGE);
    memset(gone, 2, CB_PAGE);
    memset(wiped, 3, 2 * CB_PAGE);
    cb_check_ret(madvise_raw(gone, CB_PAGE, MADV_DONTFORK), 0, "MADV_DONTFORK");
    cb_check_ret(madvise_raw(wiped, 2 * CB_PAGE, MADV_WIPEONFORK), 0, "MADV_WIPEONFORK");
    pid_t pid = cb_fork("MADV_WIPEONFORK");
    if (pid == 0) {
        cb_child_begin("wipeonfork child", 1);
        CHECK(keep[0] == 1 && keep[CB_PAGE - 1] == 1, "an ordinary page is copied");
        CHECK(old_or_zero((unsigned char *)wiped, 2 * CB_PAGE, 0), "the MADV_WIPEONFORK pages read zeros");
        wiped[0] = 9;
        CHECK(wiped[0] == 9, "the MADV_WIPEONFORK pages are writable");
        cb_child_exit();
    }
    cb_expect_exit(pid, 0, "the child sees zeros in MADV_WIPEONFORK memory and its other pages copied");
    CHECK(old_or_zero((unsigned char *)wiped, 2 * CB_PAGE, 3) && wiped[0] == 3 && wiped[2 * CB_PAGE - 1] == 3,
          "the parent keeps its MADV_WIPEONFORK data");
    pid = cb_fork("MADV_DONTFORK");
    if (pid == 0) {
        cb_child_begin("dontfork child", 1);
        (void)*(volatile char *)gone;      /* no mapping here: SIGSEGV */
        _exit(0);
    }
    cb_expect_signal(pid, SIGSEGV, "a child touching MADV_DONTFORK memory dies of SIGSEGV");
    CHECK(gone[0] == 2, "the parent keeps its MADV_DONTFORK page");
    cb_check_ret(madvise_raw(wiped, 2 * CB_PAGE, MADV_KEEPONFORK), 0, "MADV_KEEPONFORK");
    pid = cb_fork("MADV_KEEPONFORK");
    if (pid == 0) {
        cb_child_begin("keeponfork child", 1);
        CHECK(wiped[0] == 3 && wiped[2 * CB_PAGE - 1] == 3, "after MADV_KEEPONFORK the pages are copied");
        cb_child_exit();
    }
    cb_expect_exit(pid, 0, "after MADV_KEEPONFORK a child gets the data");
    munmap(keep, CB_PAGE);
    munmap(gone, CB_PAGE);
    munmap(wiped, 2 * CB_PAGE);
}

/* MADV_FREE: a page not written again reads back its data or zeros; written again, it keeps
   what was written. MADV_REMOVE of shared memory: every process sees zeros. */
static void check_madvise_free_and_remove(void)
{
    unsigned char *p = cb_map_private(2);
    unsigned char *s = cb_map_shared(2);
    if (!p || !s)
        return;
    memset(p, 5, 2 * CB_PAGE);
    cb_check_ret(madvise_raw(p, 2 * CB_PAGE, MADV_FREE), 0, "MADV_FREE of private memory");
    CHECK(old_or_zero(p, CB_PAGE, 5), "after MADV_FREE a page not written again holds its data or zeros");
    p[CB_PAGE + 10] = 6;
    CHECK(p[CB_PAGE + 10] == 6 && old_or_zero(p + CB_PAGE, 10, 5), "after MADV_FREE a page written again keeps the write");
    memset(s, 4, 2 * CB_PAGE);
    pid_t pid = cb_fork("MADV_REMOVE");
    if (pid == 0) {
        cb_child_begin("remove child", 1);
        CHECK(madvise_raw(s + CB_PAGE, CB_PAGE, MADV_REMOVE) == 0, "MADV_REMOVE of shared memory is 0");
        cb_child_exit();
    }
    cb_expect_exit(pid, 0, "a child removes the second shared page");
    CHECK(s[CB_PAGE] == 0 && s[2 * CB_PAGE - 1] == 0 && s[0] == 4, "the parent reads zeros in the removed page only");
    munmap(p, 2 * CB_PAGE);
    munmap(s, 2 * CB_PAGE);
}

static void check_mremap_dontunmap(void)
{
    const long dontunmap = MREMAP_MAYMOVE | MREMAP_DONTUNMAP;
    char *p = cb_map_private(2);
    if (!p)
        return;
    cb_fill(p, 2 * CB_PAGE, 11, 0);
    cb_check_ret(mremap_raw(p, 2 * CB_PAGE, 2 * CB_PAGE, MREMAP_DONTUNMAP, NULL), -EINVAL,
                 "MREMAP_DONTUNMAP without MREMAP_MAYMOVE is EINVAL");
    cb_check_ret(mremap_raw(p, 2 * CB_PAGE, 3 * CB_PAGE, dontunmap, NULL), -EINVAL,
                 "MREMAP_DONTUNMAP with a new length is EINVAL");
    cb_check_ret(mremap_raw(p, CB_PAGE, CB_PAGE + 1, dontunmap, NULL), -EINVAL,
                 "MREMAP_DONTUNMAP compares the lengths before rounding: EINVAL");
    cb_check_ret(mremap_raw(p + CB_PAGE, CB_PAGE, CB_PAGE, dontunmap, p + CB_PAGE), -EINVAL,
                 "MREMAP_DONTUNMAP to a hint overlapping the source is EINVAL");
    long r = mremap_raw(p, 2 * CB_PAGE, 2 * CB_PAGE, dontunmap, NULL);
    if (!CHECK(r > 0, "MREMAP_DONTUNMAP of private memory moves it"))
        return;
    char *q = (char *)r;
    cb_check_pattern(q, 2 * CB_PAGE, 11, 0, "the new range has the data");
    CHECK(old_or_zero((unsigned char *)p, 2 * CB_PAGE, 0), "the old range is still mapped and reads zeros");
    p[0] = 1;
    CHECK(p[0] == 1 && q[0] != 1, "the old range takes new writes of its own");
    cb_check_vma(p, NULL, NULL, "rw-p", "the old range");
    munmap(p, 2 * CB_PAGE);
    munmap(q, 2 * CB_PAGE);
}

/* A shared anonymous mapping grown by mremap: its object keeps its size, so the grown part
   is SIGBUS to touch (Linux: shmem beyond i_size). */
static void check_shared_growth_sigbus(void)
{
    char *s = cb_map_shared(1);
    if (!s)
        return;
    s[0] = 8;
    long r = mremap_raw(s, CB_PAGE, 3 * CB_PAGE, MREMAP_MAYMOVE, NULL);
    if (!CHECK(r > 0, "mremap grows a shared mapping from 1 to 3 pages"))
        return;
    char *g = (char *)r;
    CHECK(g[0] == 8, "the first page keeps its data");
    pid_t pid = cb_fork("shared growth");
    if (pid == 0) {
        cb_child_begin("sigbus child", 1);
        (void)*(volatile char *)(g + CB_PAGE);
        _exit(0);
    }
    cb_expect_signal(pid, SIGBUS, "touching the grown part past the object is SIGBUS");
    cb_check_ret(cb_syscall(SYS_write, 1, (long)(g + CB_PAGE), 1, 0, 0, 0), -EFAULT,
                 "write() from the part past the object is EFAULT");
    munmap(g, 3 * CB_PAGE);
}

static void check_large_counts(void)
{
    char *p = cb_map_private(2);
    if (!p)
        return;
    /* One page of INFO lines, then a hole: a write of more stops at the hole. */
    memset(p, '.', CB_PAGE);
    for (unsigned long i = 0; i < CB_PAGE; i += 64) {
        memcpy(p + i, "INFO page written before a hole ", 32);
        p[i + 63] = '\n';
    }
    munmap(p + CB_PAGE, CB_PAGE);
    cb_check_ret(cb_syscall(SYS_write, 1, (long)p, -1L, 0, 0, 0), -EFAULT, "write(1, buf, ~0) is EFAULT");
    cb_check_ret(cb_syscall(SYS_write, 1, (long)p, (long)(LAST_PAGE - (unsigned long)p + 1), 0, 0, 0), -EFAULT,
                 "write(1, buf, a count reaching past TASK_SIZE) is EFAULT");
    cb_check_ret(cb_syscall(SYS_write, 1, (long)(p + CB_PAGE), 10, 0, 0, 0), -EFAULT,
                 "write(1) from the unmapped page is EFAULT");
    cb_check_ret(cb_syscall(SYS_write, 1, (long)p, 1L << 20, 0, 0, 0), (long)CB_PAGE,
                 "write(1, a mapped page then a hole, 1 MiB) writes the mapped page only");
    long fd = cb_syscall(SYS_open, (long)"/proc/self/maps", O_RDONLY, 0, 0, 0, 0);
    if (CHECK(fd >= 0, "open /proc/self/maps")) {
        cb_check_ret(cb_syscall(SYS_read, fd, (long)p, -1L, 0, 0, 0), -EFAULT, "read(fd, buf, ~0) is EFAULT");
        cb_check_ret(cb_syscall(SYS_read, fd, (long)p, (long)(LAST_PAGE - (unsigned long)p + 1), 0, 0, 0), -EFAULT,
                     "read(fd, buf, a count reaching past TASK_SIZE) is EFAULT");
        long n = cb_syscall(SYS_read, fd, (long)p, (long)(LAST_PAGE - (unsigned long)p), 0, 0, 0);
        CHECK(n > 0 && n <= (long)CB_PAGE, "read(fd, buf, a count ending at TASK_SIZE) reads what the mapped page holds");
        cb_syscall(SYS_close, fd, 0, 0, 0, 0, 0);
    }
    munmap(p, CB_PAGE);
}

static unsigned long gs_word = 0x6a5b4c3d2e1f0011UL;

static unsigned long read_gs0(void)
{
    unsigned long v;
    __asm__ volatile("movq %%gs:0, %0" : "=r"(v));
    return v;
}

static void check_arch_prctl(void)
{
    unsigned long base = 1;
    cb_check_ret(arch_prctl_raw(ARCH_GET_CPUID, 0), 1, "ARCH_GET_CPUID is 1");
    cb_check_ret(arch_prctl_raw(0x1005, 0), -EINVAL, "an unknown arch_prctl code is EINVAL");
    cb_check_ret(arch_prctl_raw(ARCH_SET_FS, LAST_PAGE), -EPERM, "ARCH_SET_FS to TASK_SIZE is EPERM");
    cb_check_ret(arch_prctl_raw(ARCH_SET_FS, 1UL << 47), -EPERM, "ARCH_SET_FS to 2^47 (non-canonical) is EPERM");
    cb_check_ret(arch_prctl_raw(ARCH_SET_FS, 0xffff800000000000UL), -EPERM, "ARCH_SET_FS to a kernel address is EPERM");
    cb_check_ret(arch_prctl_raw(ARCH_SET_GS, LAST_PAGE), -EPERM, "ARCH_SET_GS to TASK_SIZE is EPERM");
    cb_check_ret(arch_prctl_raw(ARCH_GET_GS, 8), -EFAULT, "ARCH_GET_GS to a bad pointer is EFAULT");
    cb_check_ret(arch_prctl_raw(ARCH_SET_GS, (unsigned long)&gs_word), 0, "ARCH_SET_GS");
    cb_check_ret(arch_prctl_raw(ARCH_GET_GS, (unsigned long)&base), 0, "ARCH_GET_GS");
    CHECK(base == (unsigned long)&gs_word, "ARCH_GET_GS gives back the base that was set");
    CHECK(read_gs0() == gs_word, "%%gs:0 reads the word at the GS base");
    cb_check_ret(arch_prctl_raw(ARCH_GET_FS, (unsigned long)&base), 0, "ARCH_GET_FS");
    CHECK(base != 0 && base < LAST_PAGE, "the FS base (musl's thread pointer) survived the refused ARCH_SET_FS calls");
    pid_t pid = cb_fork("GS base");
    if (pid == 0) {
        cb_child_begin("gs child", 1);
        CHECK(read_gs0() == gs_word, "a child inherits the GS base");
        cb_child_exit();
    }
    cb_expect_exit(pid, 0, "a forked child reads %%gs:0 like its parent");
    sched_yield();
    CHECK(read_gs0() == gs_word, "the GS base survives a switch to another process");
    cb_check_ret(arch_prctl_raw(ARCH_SET_GS, 0), 0, "ARCH_SET_GS back to 0");
}

static void check_clocks(void)
{
    static const long good[] = { 0, 1, 2, 3, 4, 5, 6, 7, 11 };
    static const long bad[] = { 10, 12, 13, 14, 15, 16, 100, 0x7fffffff };
    long self = getpid();
    for (unsigned i = 0; i < sizeof good / sizeof good[0]; i++)
        cb_check_ret(clock_raw(good[i]), 0, "clock_gettime(%ld) is 0", good[i]);
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cb_check_ret(clock_raw(bad[i]), -EINVAL, "clock_gettime(%ld) is EINVAL", bad[i]);
    cb_check_ret(clock_raw(PROCESS_CPUCLOCK(0, CPUCLOCK_SCHED)), 0, "the process CPU clock of pid 0 (SCHED)");
    cb_check_ret(clock_raw(PROCESS_CPUCLOCK(0, CPUCLOCK_PROF)), 0, "the process CPU clock of pid 0 (PROF)");
    cb_check_ret(clock_raw(PROCESS_CPUCLOCK(self, CPUCLOCK_VIRT)), 0, "the process CPU clock of the own pid (VIRT)");
    cb_check_ret(clock_raw(THREAD_CPUCLOCK(0, CPUCLOCK_SCHED)), 0, "the thread CPU clock of tid 0");
    cb_check_ret(clock_raw(THREAD_CPUCLOCK(self, CPUCLOCK_SCHED)), 0, "the thread CPU clock of the own tid");
    cb_check_ret(clock_raw(PROCESS_CPUCLOCK(0, 3)), -EINVAL, "clock id with which 3 (a clock fd, fd 0) is EINVAL");
    cb_check_ret(clock_raw(THREAD_CPUCLOCK(0, 3)), -EINVAL, "clock id -1 (which 3, per thread) is EINVAL");
    pid_t pid = cb_fork("CPU clocks of a child");
    if (pid == 0) {
        cb_sleep_ms(10000);
        _exit(0);
    }
    cb_check_ret(clock_raw(PROCESS_CPUCLOCK(pid, CPUCLOCK_SCHED)), 0, "the process CPU clock of a child is 0");
    cb_check_ret(clock_raw(THREAD_CPUCLOCK(pid, CPUCLOCK_SCHED)), -EINVAL, "the thread CPU clock of a child is EINVAL");
    kill(pid, SIGKILL);
    cb_expect_signal(pid, SIGKILL, "the clock child is killed");
    cb_check_ret(clock_raw(PROCESS_CPUCLOCK(pid, CPUCLOCK_SCHED)), -EINVAL, "the process CPU clock of a reaped child is EINVAL");
}

static void on_usr1(int sig) { (void)sig; }

/* nanosleep with a huge tv_sec sleeps until a signal ends it. */
static void check_huge_nanosleep(void)
{
    volatile int *ready = cb_map_shared(1);
    if (!ready)
        return;
    struct timespec bad = { 0, 1000000000L };
    cb_check_ret(cb_syscall(SYS_nanosleep, (long)&bad, 0, 0, 0, 0, 0), -EINVAL, "nanosleep with tv_nsec = 1e9 is EINVAL");
    bad.tv_sec = -1;
    bad.tv_nsec = 0;
    cb_check_ret(cb_syscall(SYS_nanosleep, (long)&bad, 0, 0, 0, 0, 0), -EINVAL, "nanosleep with tv_sec = -1 is EINVAL");
    static const long huge[] = { 0x7fffffffffffffffL, 1L << 62, 1L << 40 };
    for (unsigned i = 0; i < sizeof huge / sizeof huge[0]; i++) {
        cb_set_flag(ready, 0);
        pid_t pid = cb_fork("huge nanosleep");
        if (pid == 0) {
            struct sigaction sa;
            memset(&sa, 0, sizeof sa);
            sa.sa_handler = on_usr1;
            sigaction(SIGUSR1, &sa, NULL);
            struct timespec ts = { huge[i], 999999999L };
            cb_set_flag(ready, 1);
            long r = cb_syscall(SYS_nanosleep, (long)&ts, 0, 0, 0, 0, 0);
            _exit(r == -EINTR ? 0 : 1);
        }
        CHECK(cb_wait_flag(ready, 1, 10000), "the sleeper #%u started", i);
        cb_sleep_ms(50);
        kill(pid, SIGUSR1);
        cb_expect_exit(pid, 0, "nanosleep of huge time #%u sleeps until a signal, then EINTR", i);
    }
    cb_set_flag(ready, 0);
    pid_t pid = cb_fork("huge nanosleep killed");
    if (pid == 0) {
        struct timespec ts = { 0x7fffffffffffffffL, 0 };
        cb_set_flag(ready, 1);
        cb_syscall(SYS_nanosleep, (long)&ts, 0, 0, 0, 0, 0);
        _exit(1);
    }
    CHECK(cb_wait_flag(ready, 1, 10000), "the sleeper to kill started");
    cb_sleep_ms(50);
    kill(pid, SIGKILL);
    cb_expect_signal(pid, SIGKILL, "nanosleep of LONG_MAX seconds sleeps until SIGKILL");
    munmap((void *)ready, CB_PAGE);
}

static void check_syscall_numbers(void)
{
    long pid = getpid();
    cb_check_ret(cb_syscall(0x100000000L | SYS_getpid, 0, 0, 0, 0, 0, 0), pid, "syscall 0x100000027 is getpid (low 32 bits count)");
    cb_check_ret(cb_syscall((long)(0x8000000000000000UL | SYS_getpid), 0, 0, 0, 0, 0, 0), pid, "syscall 2^63 + 39 is getpid");
    cb_check_ret(cb_syscall(X32_SYSCALL_BIT | SYS_getpid, 0, 0, 0, 0, 0, 0), -ENOSYS, "syscall x32 bit + 39 is ENOSYS");
    cb_check_ret(cb_syscall(0x100000000L | X32_SYSCALL_BIT | SYS_getpid, 0, 0, 0, 0, 0, 0), -ENOSYS,
                 "syscall 0x140000027 is ENOSYS (x32 bit in the low 32 bits)");
    cb_check_ret(cb_syscall(0xffffffffL, 0, 0, 0, 0, 0, 0), -ENOSYS, "syscall 0xffffffff (-1 as an int) is ENOSYS");
    cb_check_ret(cb_syscall(0x80000000L | SYS_getpid, 0, 0, 0, 0, 0, 0), -ENOSYS, "syscall 0x80000027 is ENOSYS");
}

int main(void)
{
    cb_begin("mm_edges");
    check_munmap_edges();
    check_madvise_values();
    check_madvise_split();
    check_madvise_fork();
    check_madvise_free_and_remove();
    check_mremap_dontunmap();
    check_shared_growth_sigbus();
    check_large_counts();
    check_arch_prctl();
    check_clocks();
    check_huge_nanosleep();
    check_syscall_numbers();
    return cb_end();
}
