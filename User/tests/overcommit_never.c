/*
 * overcommit_never: strict overcommit (vm.overcommit_memory=2), and the exact accounting behind
 * Committed_AS. Each call's charge and uncharge is checked to the page: private writable mmap,
 * read-only mmap (none), mprotect to writable (charged once, kept when read-only again),
 * MAP_NORESERVE (ignored in mode 2), shared anonymous mmap, brk, mremap growth, munmap; fork
 * charges the child and 50 fork/exit cycles bring Committed_AS back to where it started. Then
 * the limit: a mapping larger than CommitLimit - Committed_AS is refused, with or without
 * MAP_NORESERVE, a read-only one is not; with nearly all of it committed, fork fails with
 * ENOMEM and changes nothing.
 * With --expect-mode 2 (given on Cowbird, booted with sysctl.vm.overcommit_memory=2) the mode
 * must be 2; without it, a kernel in another mode (the host's Linux) is left unchecked.
 */
#include "cbtest.h"
#include <stdlib.h>

#define MIB (1L << 20)
#define PRIV (MAP_PRIVATE | MAP_ANONYMOUS)
#define RW (PROT_READ | PROT_WRITE)

static long map(long len, int prot, int flags)
{
    return cb_syscall(SYS_mmap, 0, len, prot, flags, -1, 0);
}

static long read_number(const char *path)
{
    char text[32];
    if (cb_read_file(path, text, sizeof text) <= 0 || text[0] < '0' || text[0] > '9')
        return -1;
    return strtol(text, NULL, 10);
}

/* Committed_AS in kB (-1 if unreadable). */
static long committed(void)
{
    long kb = -1;
    return cb_meminfo_kb("Committed_AS", &kb) ? kb : -1;
}

/* Checks Committed_AS is base + delta_kb. */
static void expect(long base, long delta_kb, const char *what)
{
    char detail[96];
    long now = committed();
    snprintf(detail, sizeof detail, "Committed_AS %+ld kB, expected %+ld kB", now - base, delta_kb);
    cb_check_detail(now - base == delta_kb, detail, "%s", what);
}

static void charges(long base)
{
    long p = map(MIB, RW, PRIV);
    expect(base, 1024, "private writable 1 MiB mmap: charged 1 MiB");
    cb_syscall(SYS_munmap, p, MIB, 0, 0, 0, 0);
    expect(base, 0, "its munmap: uncharged");
    p = map(MIB, PROT_READ, PRIV);
    expect(base, 0, "private read-only 1 MiB mmap: not charged");
    cb_syscall(SYS_mprotect, p + MIB / 2, MIB / 2, RW, 0, 0, 0);
    expect(base, 512, "mprotect of half of it to read+write: charged 512 KiB");
    cb_syscall(SYS_mprotect, p, MIB, PROT_READ, 0, 0, 0);
    expect(base, 512, "mprotect of all of it to read-only: still charged");
    cb_syscall(SYS_mprotect, p, MIB, RW, 0, 0, 0);
    expect(base, 1024, "mprotect of all of it to read+write: the other half charged");
    cb_syscall(SYS_munmap, p, MIB, 0, 0, 0, 0);
    expect(base, 0, "its munmap: uncharged");
    p = map(MIB, RW, PRIV | MAP_NORESERVE);
    expect(base, 1024, "MAP_NORESERVE 1 MiB mmap: charged (mode 2 ignores MAP_NORESERVE)");
    long q = cb_syscall(SYS_mremap, p, MIB, 3 * MIB, 1 /* MREMAP_MAYMOVE */, 0, 0);
    expect(base, 3072, "mremap growing it to 3 MiB: charged 2 MiB more");
    cb_syscall(SYS_munmap, q > 0 ? q : p, 3 * MIB, 0, 0, 0, 0);
    expect(base, 0, "its munmap: uncharged");
    p = map(MIB, PROT_READ, MAP_SHARED | MAP_ANONYMOUS);
    expect(base, 1024, "shared anonymous read-only 1 MiB mmap: charged");
    cb_syscall(SYS_munmap, p, MIB, 0, 0, 0, 0);
    expect(base, 0, "its munmap: uncharged");
    long start = cb_syscall(SYS_brk, 0, 0, 0, 0, 0, 0);
    cb_syscall(SYS_brk, start + MIB, 0, 0, 0, 0, 0);
    expect(base, 1024, "brk 1 MiB up: charged");
    cb_syscall(SYS_brk, start, 0, 0, 0, 0, 0);
    expect(base, 0, "brk back: uncharged");
}

static void fork_charges(long base)
{
    int bad = 0;
    for (int n = 0; n < 50; n++) {
        pid_t pid = fork();
        if (pid == 0) {
            /* The child's copy of every charged VMA is charged too. */
            long now = committed();
            long m = map(16 * CB_PAGE, RW, PRIV);
            _exit(now > base && m > 0 ? 0 : 1);
        }
        int status = 0;
        bad += pid < 0 || cb_wait(pid, &status) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    }
    cb_check_ret(bad, 0, "50 children saw their own charge, mapped and exited");
    expect(base, 0, "after 50 fork/exit cycles Committed_AS is back where it started");
}

static void the_limit(long base)
{
    long limit = 0;
    cb_meminfo_kb("CommitLimit", &limit);
    long room = (limit - committed()) * 1024;
    cb_check_ret(map(room + MIB, RW, PRIV), -ENOMEM, "mmap of CommitLimit - Committed_AS + 1 MiB: ENOMEM");
    cb_check_ret(map(room + MIB, RW, PRIV | MAP_NORESERVE), -ENOMEM, "the same with MAP_NORESERVE: ENOMEM");
    cb_check_ret(map(room + MIB, RW, MAP_SHARED | MAP_ANONYMOUS), -ENOMEM, "the same shared: ENOMEM");
    long r = map(room + MIB, PROT_READ, PRIV);
    CHECK(r > 0, "the same read-only: succeeds");
    if (r > 0)
        cb_syscall(SYS_munmap, r, room + MIB, 0, 0, 0, 0);
    expect(base, 0, "the refusals changed nothing");
    long big = map(room - MIB, RW, PRIV);
    if (!CHECK(big > 0, "mmap of CommitLimit - Committed_AS - 1 MiB succeeds"))
        return;
    long before = committed();
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    if (pid > 0)
        cb_wait(pid, NULL);
    CHECK(pid < 0 && errno == ENOMEM, "fork with nearly all of it committed: ENOMEM");
    cb_check_ret(committed(), before, "the refused fork changed nothing");
    cb_syscall(SYS_munmap, big, room - MIB, 0, 0, 0, 0);
    expect(base, 0, "its munmap: uncharged");
}

int main(int argc, char **argv)
{
    cb_begin("overcommit_never");
    int expect_mode = argc > 2 && strcmp(argv[1], "--expect-mode") == 0 ? atoi(argv[2]) : -1;
    long mode = read_number("/proc/sys/vm/overcommit_memory");
    CHECK(mode >= 0 && mode <= 2, "/proc/sys/vm/overcommit_memory reads 0, 1 or 2");
    if (expect_mode < 0 && mode != 2) {
        cb_print("INFO vm.overcommit_memory is %ld, not 2: nothing checked", mode);
        return cb_end();
    }
    cb_check_ret(mode, 2, "/proc/sys/vm/overcommit_memory reads 2");
    long ratio = read_number("/proc/sys/vm/overcommit_ratio");
    long total = 0, swap = 0, limit = 0;
    cb_meminfo_kb("MemTotal", &total);
    cb_meminfo_kb("SwapTotal", &swap);
    cb_meminfo_kb("CommitLimit", &limit);
    cb_check_ret(limit, (total / 4) * ratio / 100 * 4 + swap, "CommitLimit = MemTotal * overcommit_ratio / 100 + SwapTotal");
    long base = committed();
    cb_print("INFO CommitLimit %ld kB, Committed_AS %ld kB", limit, base);
    charges(base);
    fork_charges(base);
    the_limit(base);
    return cb_end();
}
