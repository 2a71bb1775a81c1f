/*
 * overcommit: Linux's default overcommit heuristic (vm.overcommit_memory=0).
 * A single request for more than RAM + swap is refused with ENOMEM, wherever it comes from:
 * a private writable mmap, a shared anonymous mmap (charged whatever its protection), brk,
 * mprotect making a private mapping writable, mremap growing one. Requests that are not charged
 * succeed at any size: MAP_NORESERVE, read-only and PROT_NONE private mappings. 1 TiB is far
 * above RAM + swap on the host and under QEMU. A refused call leaves the old mapping as it was.
 * Finally 50 children fork, map, grow their break and exit; Committed_AS before and after is
 * printed (INFO: on a shared host it moves with everything else; overcommit_never checks it
 * exactly on Cowbird).
 * Runs only where /proc/sys/vm/overcommit_memory reads 0; elsewhere it says so and checks nothing.
 */
#include "cbtest.h"

#define TIB (1UL << 40)
#define MREMAP_MAYMOVE 1
#define PRIV (MAP_PRIVATE | MAP_ANONYMOUS)
#define SHARED (MAP_SHARED | MAP_ANONYMOUS)

static long map(unsigned long len, int prot, int flags)
{
    return cb_syscall(SYS_mmap, 0, (long)len, prot, flags, -1, 0);
}

/* Maps len bytes, checks the call succeeded, and unmaps them again. */
static void maps_and_unmaps(unsigned long len, int prot, int flags, const char *what)
{
    long p = map(len, prot, flags);
    CHECK(p > 0, "%s succeeds", what);
    if (p > 0)
        cb_syscall(SYS_munmap, p, (long)len, 0, 0, 0, 0);
}

/* The overcommit mode from /proc/sys/vm/overcommit_memory, or -1 when it cannot be read. */
static long overcommit_mode(void)
{
    char text[32];
    if (cb_read_file("/proc/sys/vm/overcommit_memory", text, sizeof text) <= 0 || text[0] < '0' || text[0] > '9')
        return -1;
    return text[0] - '0';
}

static void private_mappings(void)
{
    cb_check_ret(map(TIB, PROT_READ | PROT_WRITE, PRIV), -ENOMEM, "1 TiB private writable mmap: ENOMEM");
    cb_check_ret(map(TIB, PROT_WRITE, PRIV), -ENOMEM, "1 TiB private write-only mmap: ENOMEM");
    long p = map(TIB, PROT_READ | PROT_WRITE, PRIV | MAP_NORESERVE);
    CHECK(p > 0, "1 TiB private writable mmap with MAP_NORESERVE succeeds");
    if (p > 0) {
        char *c = (char *)p;
        c[0] = 1;
        c[TIB - 1] = 2;
        CHECK(c[0] == 1 && c[TIB - 1] == 2, "its first and last bytes can be written");
        cb_syscall(SYS_munmap, p, (long)TIB, 0, 0, 0, 0);
    }
    p = map(TIB, PROT_READ, PRIV);
    CHECK(p > 0, "1 TiB private read-only mmap succeeds (not charged)");
    if (p > 0) {
        CHECK(((volatile char *)p)[TIB / 2] == 0, "it reads zeros");
        cb_syscall(SYS_munmap, p, (long)TIB, 0, 0, 0, 0);
    }
    maps_and_unmaps(TIB, PROT_NONE, PRIV, "1 TiB private PROT_NONE mmap");
    maps_and_unmaps(TIB, PROT_READ | PROT_EXEC, PRIV, "1 TiB private read+exec mmap");
    maps_and_unmaps(64 * CB_PAGE, PROT_READ | PROT_WRITE, PRIV, "64 KiB private writable mmap");
}

static void shared_mappings(void)
{
    cb_check_ret(map(TIB, PROT_READ | PROT_WRITE, SHARED), -ENOMEM, "1 TiB shared anonymous writable mmap: ENOMEM");
    cb_check_ret(map(TIB, PROT_READ, SHARED), -ENOMEM, "1 TiB shared anonymous read-only mmap: ENOMEM (the object is charged)");
    cb_check_ret(map(TIB, PROT_NONE, SHARED), -ENOMEM, "1 TiB shared anonymous PROT_NONE mmap: ENOMEM");
    maps_and_unmaps(TIB, PROT_READ | PROT_WRITE, SHARED | MAP_NORESERVE, "1 TiB shared anonymous mmap with MAP_NORESERVE");
}

static void brk_growth(void)
{
    long start = cb_syscall(SYS_brk, 0, 0, 0, 0, 0, 0);
    cb_check_ret(cb_syscall(SYS_brk, start + (long)TIB, 0, 0, 0, 0, 0), start, "brk 1 TiB above the break: refused, old break returned");
    long grown = cb_syscall(SYS_brk, start + 16 * (long)CB_PAGE, 0, 0, 0, 0, 0);
    cb_check_ret(grown, start + 16 * (long)CB_PAGE, "brk 64 KiB above the break succeeds");
    if (grown == start + 16 * (long)CB_PAGE)
        ((volatile char *)start)[CB_PAGE] = 1;
    cb_check_ret(cb_syscall(SYS_brk, start, 0, 0, 0, 0, 0), start, "brk back to the start");
}

static void mprotect_growth(void)
{
    long p = map(TIB, PROT_NONE, PRIV);
    if (!CHECK(p > 0, "1 TiB private PROT_NONE mmap for mprotect"))
        return;
    cb_check_ret(cb_syscall(SYS_mprotect, p, (long)TIB, PROT_READ | PROT_WRITE, 0, 0, 0), -ENOMEM,
                 "mprotect of all 1 TiB to read+write: ENOMEM");
    cb_check_ret(cb_syscall(SYS_mprotect, p, (long)TIB, PROT_READ, 0, 0, 0), 0, "mprotect of all 1 TiB to read-only: 0");
    cb_check_ret(cb_syscall(SYS_mprotect, p, 16 * (long)CB_PAGE, PROT_READ | PROT_WRITE, 0, 0, 0), 0,
                 "mprotect of its first 64 KiB to read+write: 0");
    ((volatile char *)p)[0] = 3;
    cb_check_ret(cb_syscall(SYS_mprotect, p + 16 * (long)CB_PAGE, (long)(TIB - 16 * CB_PAGE), PROT_READ | PROT_WRITE, 0, 0, 0),
                 -ENOMEM, "mprotect of the rest to read+write: ENOMEM");
    CHECK(((volatile char *)p)[0] == 3, "the writable part keeps its data");
    cb_syscall(SYS_munmap, p, (long)TIB, 0, 0, 0, 0);
    p = map(TIB, PROT_READ, PRIV | MAP_NORESERVE);
    if (p > 0) {
        cb_check_ret(cb_syscall(SYS_mprotect, p, (long)TIB, PROT_READ | PROT_WRITE, 0, 0, 0), 0,
                     "mprotect of a 1 TiB MAP_NORESERVE mapping to read+write: 0 (never charged)");
        cb_syscall(SYS_munmap, p, (long)TIB, 0, 0, 0, 0);
    }
}

static void mremap_growth(void)
{
    long p = map(16 * CB_PAGE, PROT_READ | PROT_WRITE, PRIV);
    if (!CHECK(p > 0, "64 KiB private writable mmap for mremap"))
        return;
    ((volatile char *)p)[0] = 4;
    cb_check_ret(cb_syscall(SYS_mremap, p, 16 * (long)CB_PAGE, (long)TIB, MREMAP_MAYMOVE, 0, 0), -ENOMEM,
                 "mremap growing it to 1 TiB: ENOMEM");
    CHECK(((volatile char *)p)[0] == 4, "the mapping keeps its data");
    long q = cb_syscall(SYS_mremap, p, 16 * (long)CB_PAGE, 32 * (long)CB_PAGE, MREMAP_MAYMOVE, 0, 0);
    CHECK(q > 0 && ((volatile char *)q)[0] == 4, "mremap growing it to 128 KiB succeeds with its data");
    if (q > 0)
        cb_syscall(SYS_munmap, q, 32 * (long)CB_PAGE, 0, 0, 0, 0);
    p = map(16 * CB_PAGE, PROT_READ | PROT_WRITE, PRIV | MAP_NORESERVE);
    if (p > 0) {
        q = cb_syscall(SYS_mremap, p, 16 * (long)CB_PAGE, (long)TIB, MREMAP_MAYMOVE, 0, 0);
        CHECK(q > 0, "mremap growing a MAP_NORESERVE mapping to 1 TiB succeeds");
        cb_syscall(SYS_munmap, q > 0 ? q : p, q > 0 ? (long)TIB : 16 * (long)CB_PAGE, 0, 0, 0, 0);
    }
}

/* 50 children that map, touch, grow their break and exit without cleaning up. */
static void fork_exit_loop(void)
{
    long before = 0, after = 0;
    int have = cb_meminfo_kb("Committed_AS", &before);
    int bad = 0;
    for (int n = 0; n < 50; n++) {
        pid_t pid = fork();
        if (pid == 0) {
            long m = map(16 * CB_PAGE, PROT_READ | PROT_WRITE, PRIV);
            if (m > 0)
                ((volatile char *)m)[0] = 1;
            long b = cb_syscall(SYS_brk, 0, 0, 0, 0, 0, 0);
            cb_syscall(SYS_brk, b + 8 * (long)CB_PAGE, 0, 0, 0, 0, 0);
            _exit(m > 0 ? 0 : 1);
        }
        int status = 0;
        bad += pid < 0 || cb_wait(pid, &status) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    }
    have &= cb_meminfo_kb("Committed_AS", &after);
    cb_check_ret(bad, 0, "50 children mapped, grew their break and exited");
    CHECK(have, "Committed_AS is in /proc/meminfo");
    cb_print("INFO Committed_AS before %ld kB, after %ld kB", before, after);
}

int main(void)
{
    cb_begin("overcommit");
    long mode = overcommit_mode();
    CHECK(mode >= 0 && mode <= 2, "/proc/sys/vm/overcommit_memory reads 0, 1 or 2");
    if (mode != 0) {
        cb_print("INFO vm.overcommit_memory is %ld, not 0: nothing checked", mode);
        return cb_end();
    }
    long limit = 0;
    CHECK(cb_meminfo_kb("CommitLimit", &limit) && limit > 0, "CommitLimit is in /proc/meminfo");
    private_mappings();
    shared_mappings();
    brk_growth();
    mprotect_growth();
    mremap_growth();
    fork_exit_loop();
    return cb_end();
}
