/*
 * cbtest.h - the helper shared by Cowbird's user-space test programs.
 *
 * Every program prints one line per check and ends with a summary line:
 *     PASS <what was checked>
 *     FAIL <what was checked>: <what was seen>
 *     INFO <a figure that may differ between kernels, e.g. a pid or a counter>
 *     DONE <program>: <n> passed, <m> failed
 * and exits with status 0 only when no check failed. PASS/FAIL/DONE lines carry no pids or
 * addresses, so the same program prints the same PASS/FAIL lines on Linux and on Cowbird;
 * INFO lines are the only ones allowed to differ.
 *
 * Rules that keep the programs inside Cowbird's syscall subset (User/README.md):
 * - Output goes through cb_print: it formats into a buffer and calls write(1) once per line,
 *   so nothing sits in a stdio buffer across fork and lines of different processes never mix.
 * - Raw system calls go through cb_syscall (inline `syscall` instruction), which returns
 *   the kernel's value unchanged (-EFAULT, -ENOSYS, ...) instead of musl's -1/errno.
 * - musl functions that use syscalls outside the subset are avoided: nanosleep/usleep/sleep
 *   (musl calls clock_nanosleep), brk/sbrk (musl refuses to move the break: it never calls the
 *   brk syscall), malloc (mallocng calls brk and mmap; fine, but not needed).
 *   mprotect() is used, but musl rounds its address down to a page itself, so EINVAL checks use
 *   cb_syscall.
 * - A child created by a test runs quietly (cb_child_begin): it prints only its FAIL lines and
 *   reports through its exit status (0 = all its checks passed), which the parent checks.
 */
#ifndef CBTEST_H
#define CBTEST_H

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CB_PAGE 4096UL

/* Every helper is static; a program uses only some of them. */
#define CB_FN static __attribute__((unused))

static const char *cb_program = "test";
static int cb_passed, cb_failed;
static int cb_quiet;               /* set in children: print FAIL lines only */
static const char *cb_who = "";    /* "" in the parent, "[child N] " style prefix in children */
static char cb_who_buf[48];

/* Makes a raw system call and returns the kernel's result unchanged (negative errno on error). */
CB_FN long cb_syscall(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
    long ret;
    register long r10 __asm__("r10") = a4;
    register long r8 __asm__("r8") = a5;
    register long r9 __asm__("r9") = a6;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}

/* Writes all of buf to fd 1, retrying after short writes; one write() call in the normal case. */
CB_FN void cb_write_all(const char *buf, size_t len)
{
    while (len > 0) {
        long n = cb_syscall(SYS_write, 1, (long)buf, (long)len, 0, 0, 0);
        if (n == -EINTR)
            continue;
        if (n <= 0)
            return;
        buf += n;
        len -= (size_t)n;
    }
}

/* printf-style output of one line (a newline is appended) with a single write(1). */
CB_FN void cb_print(const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if (n > (int)sizeof line - 2)
        n = (int)sizeof line - 2;
    line[n++] = '\n';
    cb_write_all(line, (size_t)n);
}

/* Records one check: prints PASS or FAIL with the formatted description (FAIL only when quiet). */
CB_FN void cb_vcheck(int ok, const char *detail, const char *fmt, va_list ap)
{
    char what[400];
    vsnprintf(what, sizeof what, fmt, ap);
    if (ok) {
        cb_passed++;
        if (!cb_quiet)
            cb_print("PASS %s%s", cb_who, what);
    } else {
        cb_failed++;
        if (detail && detail[0])
            cb_print("FAIL %s%s: %s", cb_who, what, detail);
        else
            cb_print("FAIL %s%s", cb_who, what);
    }
}

/* CHECK(cond, "what", ...): a check without a detail for the failure case. */
CB_FN int cb_check(int ok, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cb_vcheck(ok, "", fmt, ap);
    va_end(ap);
    return ok;
}

/* Like cb_check, with a detail string printed after FAIL (what was seen instead). */
CB_FN int cb_check_detail(int ok, const char *detail, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cb_vcheck(ok, detail, fmt, ap);
    va_end(ap);
    return ok;
}

#define CHECK(cond, ...) cb_check(!!(cond), __VA_ARGS__)

/* Checks that a system call's raw result equals the expected one, printing both on failure. */
CB_FN int cb_check_ret(long got, long want, const char *fmt, ...)
{
    char detail[96];
    snprintf(detail, sizeof detail, "returned %ld, expected %ld", got, want);
    va_list ap;
    va_start(ap, fmt);
    cb_vcheck(got == want, detail, fmt, ap);
    va_end(ap);
    return got == want;
}

/* The path this program was started from, for execve of itself: argv[0] when it names one,
   else /bin/argv[0] (how Cowbird's runner and the host's pid-1 run start it). */
CB_FN void cb_self_path(const char *argv0, char *path, size_t size)
{
    if (strchr(argv0, '/'))
        snprintf(path, size, "%s", argv0);
    else
        snprintf(path, size, "/bin/%s", argv0);
}

/* Starts a test program: remembers its name for the DONE line. */
CB_FN void cb_begin(const char *program)
{
    cb_program = program;
    cb_passed = cb_failed = 0;
}

/* Ends a test program: prints the DONE line and returns the exit status (0 = all passed). */
CB_FN int cb_end(void)
{
    cb_print("DONE %s: %d passed, %d failed", cb_program, cb_passed, cb_failed);
    return cb_failed == 0 && cb_passed > 0 ? 0 : 1;
}

/* Called first thing in a forked child: the child prints only FAIL lines, prefixed by its role. */
CB_FN void cb_child_begin(const char *role, int index)
{
    cb_quiet = 1;
    cb_passed = cb_failed = 0;
    snprintf(cb_who_buf, sizeof cb_who_buf, "[%s %d] ", role, index);
    cb_who = cb_who_buf;
}

/* Ends a forked child: exit status 0 if all its checks passed, 1 otherwise. Never returns. */
CB_FN void __attribute__((noreturn)) cb_child_exit(void)
{
    _exit(cb_failed == 0 ? 0 : 1);
}

/* fork() that reports a failure as a FAIL line; returns the pid (0 in the child, <0 on error). */
CB_FN pid_t cb_fork(const char *why)
{
    pid_t pid = fork();
    if (pid < 0) {
        char detail[64];
        snprintf(detail, sizeof detail, "errno %d", errno);
        cb_check_detail(0, detail, "fork for %s", why);
    }
    return pid;
}

/* wait4 for one pid, retrying on EINTR. Returns the pid reaped or a negative errno. */
CB_FN long cb_wait(pid_t pid, int *status)
{
    long r;
    do
        r = cb_syscall(SYS_wait4, pid, (long)status, 0, 0, 0, 0);
    while (r == -EINTR);
    return r;
}

/* Describes a wait status like a shell would: "exit 3", "signal 11". */
CB_FN const char *cb_status_text(int status, char *buf, size_t size)
{
    if (WIFEXITED(status))
        snprintf(buf, size, "exit %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(buf, size, "signal %d", WTERMSIG(status));
    else
        snprintf(buf, size, "raw status 0x%x", status);
    return buf;
}

/* Reaps pid into *status and describes the outcome in detail (what wait4 returned, or how
   the child ended). Returns 1 when pid was reaped. */
CB_FN int cb_reap(pid_t pid, int *status, char *detail, size_t size)
{
    char text[48];
    long r = cb_wait(pid, status);
    if (r != pid)
        snprintf(detail, size, "wait4 returned %ld", r);
    else
        snprintf(detail, size, "%s", cb_status_text(*status, text, sizeof text));
    return r == pid;
}

/* Reaps pid and checks it exited with status code (0: all of the child's own checks passed). */
CB_FN int cb_expect_exit(pid_t pid, int code, const char *fmt, ...)
{
    int status = 0;
    char detail[96];
    int ok = cb_reap(pid, &status, detail, sizeof detail) && WIFEXITED(status) && WEXITSTATUS(status) == code;
    va_list ap;
    va_start(ap, fmt);
    cb_vcheck(ok, detail, fmt, ap);
    va_end(ap);
    return ok;
}

/* Reaps pid and checks it was killed by signal sig. */
CB_FN int cb_expect_signal(pid_t pid, int sig, const char *fmt, ...)
{
    int status = 0;
    char detail[96];
    int ok = cb_reap(pid, &status, detail, sizeof detail) && WIFSIGNALED(status) && WTERMSIG(status) == sig;
    va_list ap;
    va_start(ap, fmt);
    cb_vcheck(ok, detail, fmt, ap);
    va_end(ap);
    return ok;
}

/* Reaps pid and checks its raw wait status is exactly `want` (core-dump bit included). */
CB_FN int cb_expect_status(pid_t pid, int want, const char *fmt, ...)
{
    int status = -1;
    long r = cb_wait(pid, &status);
    char detail[96];
    snprintf(detail, sizeof detail, "wait4 returned %ld, status 0x%x, expected 0x%x", r, status, want);
    va_list ap;
    va_start(ap, fmt);
    cb_vcheck(r == pid && status == want, detail, fmt, ap);
    va_end(ap);
    return r == pid && status == want;
}

/* Sets the soft limit of an RLIMIT_* resource, keeping the hard one, with raw prlimit64 calls
   (musl's setrlimit may go through __synccall). 0 or the negative errno. */
CB_FN long cb_set_soft_limit(int resource, unsigned long soft)
{
    unsigned long limit[2] = { 0, 0 };
    long r = cb_syscall(SYS_prlimit64, 0, resource, 0, (long)limit, 0, 0);
    if (r != 0)
        return r;
    limit[0] = soft;
    return cb_syscall(SYS_prlimit64, 0, resource, (long)limit, 0, 0, 0);
}

/* Sleeps ms milliseconds with the nanosleep system call (musl's nanosleep uses clock_nanosleep). */
CB_FN void cb_sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (cb_syscall(SYS_nanosleep, (long)&ts, (long)&ts, 0, 0, 0, 0) == -EINTR)
        ;
}

/* Monotonic milliseconds (clock_gettime: the vDSO on Linux, syscall 228 elsewhere). */
CB_FN long cb_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Maps n fresh private anonymous read-write pages; NULL (and a FAIL line) on failure. */
CB_FN void *cb_map_private(size_t pages)
{
    void *p = mmap(NULL, pages * CB_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        cb_check(0, "mmap of %zu private pages", pages);
        return NULL;
    }
    return p;
}

/* Maps n pages shared between this process and its future children (MAP_SHARED|MAP_ANONYMOUS). */
CB_FN void *cb_map_shared(size_t pages)
{
    void *p = mmap(NULL, pages * CB_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        cb_check(0, "mmap of %zu shared pages", pages);
        return NULL;
    }
    return p;
}

/* Waits until *flag >= value (another process sets it through shared memory); 0 on timeout. */
CB_FN int cb_wait_flag(volatile int *flag, int value, long timeout_ms)
{
    long deadline = cb_now_ms() + timeout_ms;
    while (__atomic_load_n(flag, __ATOMIC_ACQUIRE) < value) {
        if (cb_now_ms() > deadline)
            return 0;
        sched_yield();
        cb_sleep_ms(1);
    }
    return 1;
}

/* Sets *flag (in shared memory) to value, visible to the other processes. */
CB_FN void cb_set_flag(volatile int *flag, int value)
{
    __atomic_store_n(flag, value, __ATOMIC_RELEASE);
}

/* The 64-bit word a pattern with this seed holds at byte offset off (never 0). */
CB_FN uint64_t cb_pattern(uint64_t seed, uint64_t off)
{
    uint64_t x = (seed + 1) * 0x9E3779B97F4A7C15ULL ^ (off * 0xBF58476D1CE4E5B9ULL);
    x ^= x >> 31;
    return x | 1;
}

/* Fills [p, p+len) with the pattern seed; offsets are relative to base so views can be compared. */
CB_FN void cb_fill(void *p, size_t len, uint64_t seed, size_t base)
{
    uint64_t *w = (uint64_t *)p;
    for (size_t i = 0; i < len / 8; i++)
        w[i] = cb_pattern(seed, base + i * 8);
}

/* Counts words of [p, p+len) that differ from the pattern; *first gets the first bad offset. */
CB_FN size_t cb_verify(const void *p, size_t len, uint64_t seed, size_t base, size_t *first)
{
    const uint64_t *w = (const uint64_t *)p;
    size_t bad = 0;
    for (size_t i = 0; i < len / 8; i++) {
        if (w[i] != cb_pattern(seed, base + i * 8)) {
            if (bad == 0 && first)
                *first = base + i * 8;
            bad++;
        }
    }
    return bad;
}

/* Checks [p, p+len) holds the pattern seed; prints where it first differs on failure. */
CB_FN int cb_check_pattern(const void *p, size_t len, uint64_t seed, size_t base, const char *fmt, ...)
{
    size_t first = 0;
    size_t bad = cb_verify(p, len, seed, base, &first);
    char detail[128];
    snprintf(detail, sizeof detail, "%zu of %zu words differ, first at offset 0x%zx", bad, len / 8, first);
    va_list ap;
    va_start(ap, fmt);
    cb_vcheck(bad == 0, detail, fmt, ap);
    va_end(ap);
    return bad == 0;
}

/* Counts non-zero bytes of [p, p+len). */
CB_FN size_t cb_count_nonzero(const void *p, size_t len)
{
    const unsigned char *b = (const unsigned char *)p;
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += b[i] != 0;
    return n;
}

/* "dir/name" in one of 4 static buffers used in turn, so one call may take up to 4 such paths. */
CB_FN const char *cb_path_in(const char *dir, const char *name)
{
    static char paths[4][320];
    static int next;
    char *p = paths[next++ % 4];
    snprintf(p, sizeof paths[0], "%s/%s", dir, name);
    return p;
}

/* Creates (or empties) the file `path` (mode 0644) holding `text`, with open/write/close.
   Returns the write's result (the length of text), or open's negative errno. */
CB_FN long cb_write_file(const char *path, const char *text)
{
    long fd = cb_syscall(SYS_open, (long)path, O_CREAT | O_WRONLY | O_TRUNC, 0644, 0, 0, 0);
    if (fd < 0)
        return fd;
    long n = cb_syscall(SYS_write, fd, (long)text, (long)strlen(text), 0, 0, 0);
    cb_syscall(SYS_close, fd, 0, 0, 0, 0, 0);
    return n;
}

/* Reads up to size-1 bytes of a file with open/read/close into buf (NUL-terminated). Returns the
   length, or a negative errno. */
CB_FN long cb_read_file(const char *path, char *buf, size_t size)
{
    long fd = cb_syscall(SYS_open, (long)path, O_RDONLY, 0, 0, 0, 0);
    if (fd < 0)
        return fd;
    size_t len = 0;
    while (len + 1 < size) {
        long n = cb_syscall(SYS_read, fd, (long)(buf + len), (long)(size - 1 - len), 0, 0, 0);
        if (n == -EINTR)
            continue;
        if (n < 0) {
            cb_syscall(SYS_close, fd, 0, 0, 0, 0, 0);
            return n;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    buf[len] = 0;
    cb_syscall(SYS_close, fd, 0, 0, 0, 0, 0);
    return (long)len;
}

/* Finds "name" at the start of a line in text followed by ':' or ' ' and a number.
   Returns 1 and stores the number, or 0 if the field is absent. */
CB_FN int cb_find_field(const char *text, const char *name, long *value)
{
    size_t n = strlen(name);
    for (const char *line = text; line && *line; ) {
        if (strncmp(line, name, n) == 0 && (line[n] == ':' || line[n] == ' ')) {
            const char *p = line + n + 1;
            while (*p == ' ' || *p == '\t')
                p++;
            if (*p < '0' || *p > '9')
                return 0;
            long v = 0;
            while (*p >= '0' && *p <= '9')
                v = v * 10 + (*p++ - '0');
            *value = v;
            return 1;
        }
        line = strchr(line, '\n');
        if (line)
            line++;
    }
    return 0;
}

/* Reads one field of /proc/meminfo in kB (MemFree, SwapFree, ...). 0 if absent or unreadable. */
CB_FN int cb_meminfo_kb(const char *name, long *kb)
{
    static char text[8192];
    if (cb_read_file("/proc/meminfo", text, sizeof text) <= 0)
        return 0;
    return cb_find_field(text, name, kb);
}

/* The name Cowbird's /proc/vmstat gives its count of copy-on-write faults. Linux has no such
   counter, so the demos print "n/a" for it there. */
#define CB_VMSTAT_COW_FAULTS "pgcowfault"

/* Reads one counter of /proc/vmstat (pgfault, pswpin, ...). 0 if absent or unreadable. */
CB_FN int cb_vmstat(const char *name, long *value)
{
    static char text[32768];
    if (cb_read_file("/proc/vmstat", text, sizeof text) <= 0)
        return 0;
    return cb_find_field(text, name, value);
}

/* A snapshot of the /proc/vmstat counters the demos show; `have` says which fields exist. */
struct cb_counters {
    long pgfault, cowfault, pswpin, pswpout;
    int have_pgfault, have_cowfault, have_pswpin, have_pswpout;
};

/* Reads the demos' counters from /proc/vmstat. */
CB_FN struct cb_counters cb_read_counters(void)
{
    struct cb_counters c;
    memset(&c, 0, sizeof c);
    c.have_pgfault = cb_vmstat("pgfault", &c.pgfault);
    c.have_cowfault = cb_vmstat(CB_VMSTAT_COW_FAULTS, &c.cowfault);
    c.have_pswpin = cb_vmstat("pswpin", &c.pswpin);
    c.have_pswpout = cb_vmstat("pswpout", &c.pswpout);
    return c;
}

/* Formats after - before of one counter as "+N", or "n/a" when the kernel does not have the field. */
CB_FN const char *cb_delta_text(int have, long before, long after, char *buf, size_t size)
{
    if (!have)
        snprintf(buf, size, "n/a");
    else
        snprintf(buf, size, "%+ld", after - before);
    return buf;
}

/* Formats a /proc/meminfo value as "N kB", or "n/a" when the kernel does not have the field. */
CB_FN const char *cb_kb_text(int have, long kb, char *buf, size_t size)
{
    if (!have)
        snprintf(buf, size, "n/a");
    else
        snprintf(buf, size, "%ld kB", kb);
    return buf;
}

/* Prints one line with the growth of every demo counter between two snapshots. */
CB_FN void cb_print_counter_deltas(const char *label, struct cb_counters a, struct cb_counters b)
{
    char f[24], c[24], i[24], o[24];
    cb_print("%s: pgfault %s, %s %s, pswpin %s, pswpout %s", label,
             cb_delta_text(a.have_pgfault && b.have_pgfault, a.pgfault, b.pgfault, f, sizeof f),
             CB_VMSTAT_COW_FAULTS, cb_delta_text(a.have_cowfault && b.have_cowfault, a.cowfault, b.cowfault, c, sizeof c),
             cb_delta_text(a.have_pswpin && b.have_pswpin, a.pswpin, b.pswpin, i, sizeof i),
             cb_delta_text(a.have_pswpout && b.have_pswpout, a.pswpout, b.pswpout, o, sizeof o));
}

/* Prints MemFree and SwapFree from /proc/meminfo ("n/a" for an absent field). */
CB_FN void cb_print_meminfo(const char *label)
{
    long total = 0, free_kb = 0, swap_total = 0, swap_free = 0;
    char t[24], f[24], st[24], sf[24];
    int ht = cb_meminfo_kb("MemTotal", &total), hf = cb_meminfo_kb("MemFree", &free_kb);
    int hst = cb_meminfo_kb("SwapTotal", &swap_total), hsf = cb_meminfo_kb("SwapFree", &swap_free);
    cb_print("%s: MemTotal %s, MemFree %s, SwapTotal %s, SwapFree %s", label,
             cb_kb_text(ht, total, t, sizeof t), cb_kb_text(hf, free_kb, f, sizeof f),
             cb_kb_text(hst, swap_total, st, sizeof st), cb_kb_text(hsf, swap_free, sf, sizeof sf));
}

/* The /proc/self/maps line (VMA) containing addr: its bounds and its "rwxp" flags. */
struct cb_vma {
    unsigned long start, end;
    char perms[5];
};

/* Parses a hexadecimal number at *p, advancing *p. */
CB_FN unsigned long cb_parse_hex(const char **p)
{
    unsigned long v = 0;
    for (;; (*p)++) {
        char c = **p;
        if (c >= '0' && c <= '9') v = v * 16 + (unsigned long)(c - '0');
        else if (c >= 'a' && c <= 'f') v = v * 16 + (unsigned long)(c - 'a' + 10);
        else return v;
    }
}

/* Finds the VMA of /proc/self/maps that contains addr. Returns 1 and fills *vma, or 0. */
CB_FN int cb_find_vma(const void *addr, struct cb_vma *vma)
{
    static char text[65536];
    if (cb_read_file("/proc/self/maps", text, sizeof text) <= 0)
        return 0;
    for (const char *line = text; line && *line; ) {
        const char *p = line;
        unsigned long start = cb_parse_hex(&p);
        if (*p++ != '-')
            return 0;
        unsigned long end = cb_parse_hex(&p);
        if (*p++ != ' ')
            return 0;
        if ((unsigned long)addr >= start && (unsigned long)addr < end) {
            vma->start = start;
            vma->end = end;
            memcpy(vma->perms, p, 4);
            vma->perms[4] = 0;
            return 1;
        }
        line = strchr(line, '\n');
        if (line)
            line++;
    }
    return 0;
}

/* Checks that the VMA of /proc/self/maps containing addr has the given "rwxp" flags and begins
   at start and ends at end (NULL = that bound is not checked: a VMA may merge with a neighbour). */
CB_FN int cb_check_vma(const void *addr, const void *start, const void *end, const char *perms, const char *what)
{
    struct cb_vma vma = { 0, 0, "" };
    char detail[128];
    int found = cb_find_vma(addr, &vma);
    if (!found)
        snprintf(detail, sizeof detail, "no line of /proc/self/maps contains it");
    else
        snprintf(detail, sizeof detail, "found %s from %+ld to %+ld bytes around it", vma.perms,
                 (long)(vma.start - (unsigned long)addr), (long)(vma.end - (unsigned long)addr));
    int ok = found && strcmp(vma.perms, perms) == 0 &&
             (!start || vma.start == (unsigned long)start) && (!end || vma.end == (unsigned long)end);
    return cb_check_detail(ok, detail, "/proc/self/maps: %s is a %s VMA with the expected bounds", what, perms);
}

/* Checks that no VMA of /proc/self/maps contains addr. */
CB_FN int cb_check_no_vma(const void *addr, const char *what)
{
    struct cb_vma vma;
    return cb_check(!cb_find_vma(addr, &vma), "/proc/self/maps: no VMA covers %s", what);
}

#endif
