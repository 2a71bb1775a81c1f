/*
 * kwrite_cow: a kernel write into a COW-shared buffer breaks COW first.
 * read() from a file into a buffer that is COW-shared with a child must give the reader the file's
 * bytes and leave the other process's copy untouched (the "Dirty COW" family of bugs). Tried in
 * both directions (parent reads, child reads), on a buffer spanning two pages, and on a page no
 * process has touched since fork. The file is this program itself: argv[0], or /bin/<argv[0]> on
 * Cowbird, where argv[0] is the bare name.
 */
#include "cbtest.h"

#define LEN (2 * CB_PAGE)

static char reference[LEN];

/* Opens this program's own file: argv[0] first, then /bin/<argv[0]>. Returns an fd or -errno. */
static long open_self(const char *argv0)
{
    long fd = cb_syscall(SYS_open, (long)argv0, O_RDONLY, 0, 0, 0, 0);
    if (fd >= 0)
        return fd;
    char path[256];
    snprintf(path, sizeof path, "/bin/%s", argv0);
    return cb_syscall(SYS_open, (long)path, O_RDONLY, 0, 0, 0, 0);
}

/* Reads exactly len bytes of the program file from its start into buf; returns the count read. */
static long read_self(const char *argv0, char *buf, size_t len)
{
    long fd = open_self(argv0);
    if (fd < 0)
        return fd;
    size_t got = 0;
    while (got < len) {
        long n = cb_syscall(SYS_read, fd, (long)(buf + got), (long)(len - got), 0, 0, 0);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    cb_syscall(SYS_close, fd, 0, 0, 0, 0, 0);
    return (long)got;
}

int main(int argc, char **argv)
{
    (void)argc;
    cb_begin("kwrite_cow");
    if (!cb_check_ret(read_self(argv[0], reference, LEN), LEN, "read the program file's first 8 KiB"))
        return cb_end();
    CHECK(memcmp(reference, "\177ELF", 4) == 0, "the file starts with the ELF magic");
    /* the buffer straddles a page boundary: 100 bytes before it to 100 bytes past the next one */
    char *region = cb_map_private(4);
    volatile int *sync = cb_map_shared(1);
    if (!region || !sync)
        return cb_end();
    char *buf = region + CB_PAGE - 100;
    memset(region, 'A', 4 * CB_PAGE);

    /* 1. The parent reads into the shared buffer; the child must keep the 'A's. */
    pid_t pid = cb_fork("the observing child");
    if (pid == 0) {
        cb_child_begin("child", 1);
        cb_check(cb_wait_flag(sync, 1, 30000), "the parent finished its read()");
        size_t bad = 0;
        for (size_t i = 0; i < 4 * CB_PAGE; i++)
            bad += region[i] != 'A';
        CHECK(bad == 0, "the child's copy still holds only 'A's after the parent's read()");
        cb_child_exit();
    }
    cb_check_ret(read_self(argv[0], buf, LEN), LEN, "the parent read()s into the COW-shared buffer");
    cb_set_flag(sync, 1);
    CHECK(memcmp(buf, reference, LEN) == 0, "the parent's buffer holds the file's bytes");
    CHECK(region[CB_PAGE - 101] == 'A' && buf[LEN] == 'A', "the bytes around the buffer are unchanged");
    if (pid > 0)
        cb_expect_exit(pid, 0, "the child did not see the parent's read()");

    /* 2. The child reads into the shared buffer; the parent must keep its contents. */
    memset(region, 'B', 4 * CB_PAGE);
    pid = cb_fork("the reading child");
    if (pid == 0) {
        cb_child_begin("child", 2);
        cb_check_ret(read_self(argv[0], buf, LEN), LEN, "the child read()s into the COW-shared buffer");
        CHECK(memcmp(buf, reference, LEN) == 0, "the child's buffer holds the file's bytes");
        cb_child_exit();
    }
    if (pid > 0)
        cb_expect_exit(pid, 0, "the child read the file into its copy");
    size_t bad = 0;
    for (size_t i = 0; i < 4 * CB_PAGE; i++)
        bad += region[i] != 'B';
    CHECK(bad == 0, "the parent's copy still holds only 'B's after the child's read()");

    /* 3. A page nobody touched since before the fork (never written at all: the zero page). */
    char *fresh = cb_map_private(1);
    if (fresh) {
        volatile char c = fresh[0];   /* mapped for reading only, if the kernel maps a zero page */
        (void)c;
        pid = cb_fork("the zero-page child");
        if (pid == 0) {
            cb_child_begin("child", 3);
            cb_check(cb_wait_flag(sync, 2, 30000), "the parent finished its read()");
            CHECK(cb_count_nonzero(fresh, CB_PAGE) == 0, "the child's untouched page still reads zeros");
            cb_child_exit();
        }
        cb_check_ret(read_self(argv[0], fresh, 64), 64, "read() into a page only ever read");
        cb_set_flag(sync, 2);
        CHECK(memcmp(fresh, reference, 64) == 0, "the page holds the file's bytes");
        if (pid > 0)
            cb_expect_exit(pid, 0, "the child's zero page was not written");
    }
    return cb_end();
}
