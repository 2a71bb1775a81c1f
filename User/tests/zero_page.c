/*
 * zero_page: reading fresh private anonymous memory gives zeros, and the page read stays
 * private to whoever writes it later. Linux (and Cowbird) map one shared read-only zero page
 * for such reads; this checks that no write ever reaches it: after writes to some pages of a
 * 64 MiB region read first, by the process, by a forked child, after mprotect, after mremap and
 * by the kernel (read() into the buffer), every page nobody wrote still reads zeros, in this
 * region and in a fresh one. A read-only mapping that was read still refuses writes (SIGSEGV),
 * and MADV_DONTNEED of a read page reads zeros again.
 */
#define _GNU_SOURCE
#include "cbtest.h"

#define BIG_PAGES (64 * 256)       /* 64 MiB */
#define STRIDE 61                  /* pages written, prime so they fall on every PTE slot */

/* Reads one word of every page, so each page takes its read fault. */
static unsigned long read_every_page(const char *p, size_t pages)
{
    unsigned long sum = 0;
    for (size_t i = 0; i < pages; i++)
        sum |= *(volatile const unsigned long *)(p + i * CB_PAGE + (i % 512) * 8);
    return sum;
}

/* Counts the pages of `p` that hold a non-zero byte, skipping the pages a multiple of `stride`
 * from the start (stride 0: skips none). */
static size_t dirty_pages_outside(const char *p, size_t pages, size_t stride)
{
    size_t dirty = 0;
    for (size_t i = 0; i < pages; i++)
        if ((stride == 0 || i % stride != 0) && cb_count_nonzero(p + i * CB_PAGE, CB_PAGE) != 0)
            dirty++;
    return dirty;
}

int main(void)
{
    cb_begin("zero_page");
    char *big = cb_map_private(BIG_PAGES);
    if (!big)
        return cb_end();
    CHECK(read_every_page(big, BIG_PAGES) == 0, "every page of a fresh 64 MiB region reads zero");
    for (size_t i = 0; i < BIG_PAGES; i += STRIDE)
        big[i * CB_PAGE + (i % CB_PAGE)] = (char)(1 + i % 251);
    size_t wrong = 0;
    for (size_t i = 0; i < BIG_PAGES; i += STRIDE)
        wrong += big[i * CB_PAGE + (i % CB_PAGE)] != (char)(1 + i % 251);
    CHECK(wrong == 0, "writes after the reads land in every written page");
    CHECK(dirty_pages_outside(big, BIG_PAGES, STRIDE) == 0, "the pages nobody wrote still read zero");

    /* fork: the child writes pages both processes only read; the parent's stay zero. */
    char *r = cb_map_private(16);
    if (r) {
        CHECK(read_every_page(r, 16) == 0, "a fresh 16-page region reads zero");
        pid_t pid = cb_fork("the writing child");
        if (pid == 0) {
            cb_child_begin("child", 0);
            CHECK(read_every_page(r, 16) == 0, "the child reads zeros");
            cb_fill(r + 3 * CB_PAGE, 2 * CB_PAGE, 7, 0);
            cb_check_pattern(r + 3 * CB_PAGE, 2 * CB_PAGE, 7, 0, "the child's writes");
            CHECK(dirty_pages_outside(r, 3, 0) == 0, "the child's unwritten pages read zero");
            cb_child_exit();
        }
        if (pid > 0)
            cb_expect_exit(pid, 0, "a child wrote pages it had only read");
        CHECK(dirty_pages_outside(r, 16, 0) == 0, "the parent's pages still read zero after the child wrote");
    }

    /* mprotect: read-only pages read, then made writable; one is written. */
    char *ro = mmap(NULL, 4 * CB_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(ro != MAP_FAILED, "mmap of 4 read-only pages");
    if (ro != MAP_FAILED) {
        CHECK(read_every_page(ro, 4) == 0, "read-only pages read zero");
        pid_t pid = cb_fork("the read-only writer");
        if (pid == 0) {
            cb_child_begin("child", 1);
            ro[CB_PAGE] = 1;
            cb_child_exit();
        }
        if (pid > 0)
            cb_expect_signal(pid, SIGSEGV, "writing a read-only page that was read is SIGSEGV");
        cb_check_ret(mprotect(ro, 4 * CB_PAGE, PROT_READ | PROT_WRITE), 0, "mprotect of the read pages to read-write");
        ro[CB_PAGE + 9] = 42;
        CHECK(ro[CB_PAGE + 9] == 42, "a page read before mprotect takes a write after it");
        CHECK(dirty_pages_outside(ro, 4, 0) == 1, "only the written page holds data");
    }

    /* mremap: pages read, moved by a grow, then written. */
    char *m = cb_map_private(4);
    if (m) {
        CHECK(read_every_page(m, 4) == 0, "4 pages to move read zero");
        char *moved = mremap(m, 4 * CB_PAGE, 8 * CB_PAGE, MREMAP_MAYMOVE);
        CHECK(moved != MAP_FAILED, "mremap grows the read pages");
        if (moved != MAP_FAILED) {
            CHECK(read_every_page(moved, 8) == 0, "the grown region reads zero");
            moved[2 * CB_PAGE] = 5;
            CHECK(dirty_pages_outside(moved, 8, 0) == 1, "only the page written after the move holds data");
        }
    }

    /* MADV_DONTNEED of pages read and written. */
    char *d = cb_map_private(4);
    if (d) {
        CHECK(read_every_page(d, 4) == 0, "4 pages to drop read zero");
        d[0] = 9;
        cb_check_ret(madvise(d, 4 * CB_PAGE, MADV_DONTNEED), 0, "MADV_DONTNEED of read and written pages");
        CHECK(dirty_pages_outside(d, 4, 0) == 0, "dropped pages read zero");
    }

    /* The kernel writes into a page that was only read: read() of a file. */
    char *k = cb_map_private(3);
    int fd = open("/proc/meminfo", O_RDONLY);
    CHECK(fd >= 0, "open /proc/meminfo");
    if (k && fd >= 0) {
        CHECK(read_every_page(k, 3) == 0, "3 pages for the kernel read zero");
        long got = read(fd, k + CB_PAGE, 64);
        CHECK(got == 64, "read() of 64 bytes into a page that was only read");
        CHECK(k[CB_PAGE] == 'M', "the kernel's write landed");
        CHECK(dirty_pages_outside(k, 3, 0) == 1, "the pages around it still read zero");
        close(fd);
    }

    char *fresh = cb_map_private(64);
    if (fresh)
        CHECK(dirty_pages_outside(fresh, 64, 0) == 0, "a region mapped after all this reads zero");
    return cb_end();
}
