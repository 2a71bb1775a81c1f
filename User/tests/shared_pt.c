/*
 * shared_pt: fork of a process with 16 MiB written, then every kind of change to that
 * memory in the child and in the parent, each in its own 2 MiB (its own last-level page
 * table, which a kernel that shares page tables on fork must unshare first): a write, munmap
 * of a page, mprotect read-only, mremap of two pages elsewhere, MADV_DONTNEED, MADV_FREE,
 * MADV_COLD and MADV_PAGEOUT, a kernel write by read(), a read of a never-written page, then
 * 24 MiB more touched (memory pressure: with little RAM and swap, reclaim swaps shared pages
 * out). Every byte is checked in both processes. A child that exits without touching
 * anything, and a chain where the middle process exits first, leave the others' data alone.
 * With --cowbird, /proc/vmstat must show tables shared at fork and unshared by a copy.
 */
#define _GNU_SOURCE
#include "cbtest.h"

#define MIB (1024UL * 1024)
#define TABLE (2 * MIB)
#define WRITTEN (16 * MIB)
#define SIZE (WRITTEN + TABLE) /* the last 2 MiB are never written before the fork */
#define PRESSURE (24 * MIB)

/* Where each change happens: one 2 MiB table each. */
#define AT_WRITE (0 * TABLE)
#define AT_MUNMAP (1 * TABLE + 2 * CB_PAGE)
#define AT_MPROTECT (2 * TABLE + CB_PAGE)
#define AT_MREMAP (3 * TABLE + 5 * CB_PAGE)
#define AT_DONTNEED (4 * TABLE)
#define AT_FREE (5 * TABLE)
#define AT_COLD (6 * TABLE)
#define AT_KWRITE (7 * TABLE + 100)
#define KWRITE_LEN 300

/* True when [p, p+len) holds the pattern `seed` (offsets from `base`) or only zeros: what a
   MADV_FREE page may read until it is written again. */
static int pattern_or_zero(const char *p, size_t len, uint64_t seed, size_t base)
{
    return cb_verify(p, len, seed, base, NULL) == 0 || cb_count_nonzero(p, len) == 0;
}

/* Makes one change of each kind to `r`, in its own table, and checks each right away.
   Returns the moved pages' new address. */
static char *change_everything(char *r, int pipefd[2], const char *who)
{
    cb_fill(r + AT_WRITE, CB_PAGE, 2, AT_WRITE);
    cb_check_pattern(r + AT_WRITE, CB_PAGE, 2, AT_WRITE, "%s: a written page holds the new data", who);

    cb_check_ret(munmap(r + AT_MUNMAP, CB_PAGE), 0, "%s: munmap of one page", who);
    cb_check_ret(mprotect(r + AT_MPROTECT, CB_PAGE, PROT_READ), 0, "%s: mprotect of one page read-only", who);
    cb_check_pattern(r + AT_MPROTECT, CB_PAGE, 1, AT_MPROTECT, "%s: the read-only page keeps its data", who);

    char *target = mmap(NULL, 2 * CB_PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *moved = mremap(r + AT_MREMAP, 2 * CB_PAGE, 2 * CB_PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, target);
    CHECK(target != MAP_FAILED && moved == target, "%s: mremap of two pages to another address", who);
    if (moved != target)
        moved = NULL;

    cb_check_ret(madvise(r + AT_DONTNEED, CB_PAGE, MADV_DONTNEED), 0, "%s: MADV_DONTNEED of one page", who);
    cb_check_ret(madvise(r + AT_FREE, CB_PAGE, MADV_FREE), 0, "%s: MADV_FREE of one page", who);
    cb_check_ret(madvise(r + AT_COLD, 8 * CB_PAGE, MADV_COLD), 0, "%s: MADV_COLD of 8 pages", who);
    cb_check_ret(madvise(r + AT_COLD + 8 * CB_PAGE, 8 * CB_PAGE, MADV_PAGEOUT), 0, "%s: MADV_PAGEOUT of 8 pages", who);

    char bytes[KWRITE_LEN];
    cb_fill(bytes, KWRITE_LEN, 3, 0);
    cb_check_ret(write(pipefd[1], bytes, KWRITE_LEN), KWRITE_LEN, "%s: write to a pipe", who);
    cb_check_ret(read(pipefd[0], r + AT_KWRITE, KWRITE_LEN), KWRITE_LEN, "%s: read() into the region (a kernel write)", who);

    CHECK(cb_count_nonzero(r + WRITTEN, TABLE) == 0, "%s: the never-written 2 MiB read zeros", who);
    return moved;
}

/* Checks every byte of `r` after change_everything (`moved` the moved pages). */
static void check_changed(const char *r, const char *moved, const char *who)
{
    cb_check_pattern(r, AT_WRITE + CB_PAGE, 2, 0, "%s: the written page", who);
    cb_check_pattern(r + CB_PAGE, AT_MUNMAP - CB_PAGE, 1, CB_PAGE, "%s: the data up to the unmapped page", who);
    cb_check_no_vma(r + AT_MUNMAP, "the unmapped page");
    cb_check_pattern(r + AT_MUNMAP + CB_PAGE, AT_MREMAP - AT_MUNMAP - CB_PAGE, 1, AT_MUNMAP + CB_PAGE,
                     "%s: the data up to the moved pages (the read-only page among it)", who);
    cb_check_no_vma(r + AT_MREMAP, "the moved pages' old place");
    if (moved)
        cb_check_pattern(moved, 2 * CB_PAGE, 1, AT_MREMAP, "%s: the moved pages keep their data", who);
    cb_check_pattern(r + AT_MREMAP + 2 * CB_PAGE, AT_DONTNEED - AT_MREMAP - 2 * CB_PAGE, 1, AT_MREMAP + 2 * CB_PAGE,
                     "%s: the data up to the dropped page", who);
    CHECK(cb_count_nonzero(r + AT_DONTNEED, CB_PAGE) == 0, "%s: the MADV_DONTNEED page reads zeros", who);
    cb_check_pattern(r + AT_DONTNEED + CB_PAGE, AT_FREE - AT_DONTNEED - CB_PAGE, 1, AT_DONTNEED + CB_PAGE,
                     "%s: the data up to the freed page", who);
    CHECK(pattern_or_zero(r + AT_FREE, CB_PAGE, 1, AT_FREE), "%s: the MADV_FREE page reads its data or zeros", who);
    cb_check_pattern(r + AT_FREE + CB_PAGE, AT_KWRITE - AT_FREE - CB_PAGE, 1, AT_FREE + CB_PAGE,
                     "%s: the data up to the kernel's write (the cold and paged-out pages among it)", who);
    cb_check_pattern(r + AT_KWRITE, KWRITE_LEN, 3, 0, "%s: the kernel's write", who);
    cb_check_pattern(r + AT_KWRITE + KWRITE_LEN, WRITTEN - AT_KWRITE - KWRITE_LEN, 1, AT_KWRITE + KWRITE_LEN,
                     "%s: the data after the kernel's write", who);
    CHECK(cb_count_nonzero(r + WRITTEN, TABLE) == 0, "%s: the never-written 2 MiB still read zeros", who);
}

/* Touches PRESSURE bytes of new memory and checks them. */
static void press(const char *who)
{
    char *more = cb_map_private(PRESSURE / CB_PAGE);
    if (!more)
        return;
    cb_fill(more, PRESSURE, 4, 0);
    cb_check_pattern(more, PRESSURE, 4, 0, "%s: 24 MiB more written and read back", who);
    munmap(more, PRESSURE);
}

/* The changing child: changes everything while the parent waits, checks, presses, checks. */
static void changing_child(char *r, int pipefd[2])
{
    cb_child_begin("changer", 0);
    char *moved = change_everything(r, pipefd, "child");
    check_changed(r, moved, "child");
    press("child");
    check_changed(r, moved, "child after the pressure");
    cb_child_exit();
}

/* A child that only reads and exits while it shares every table. */
static void reading_child(const char *r, const char *moved)
{
    cb_child_begin("reader", 0);
    check_changed(r, moved, "reader");
    cb_child_exit();
}

/* The middle of a chain: forks the grandchild and exits first; the grandchild then checks
   and writes its copy and reports through *sync (3: all passed, 4: a check failed), since
   an orphan is nobody's child to wait for. */
static void chain_child(char *r, const char *moved, volatile int *sync)
{
    cb_child_begin("middle", 0);
    pid_t pid = fork();
    if (pid == 0) {
        cb_child_begin("grandchild", 0);
        cb_check(cb_wait_flag(sync, 1, 60000), "the middle process exited");
        check_changed(r, moved, "grandchild");
        cb_fill(r, AT_MUNMAP - 2 * CB_PAGE, 5, 0);
        cb_check_pattern(r, AT_MUNMAP - 2 * CB_PAGE, 5, 0, "grandchild: its own writes");
        cb_set_flag(sync, cb_failed == 0 ? 3 : 4);
        cb_child_exit();
    }
    CHECK(pid > 0, "fork of the grandchild");
    cb_child_exit();
}

int main(int argc, char **argv)
{
    cb_begin("shared_pt");
    int cowbird = argc > 1 && strcmp(argv[1], "--cowbird") == 0;
    long shared_before = 0, copied_before = 0;
    if (cowbird) {
        CHECK(cb_vmstat("pt_share", &shared_before), "/proc/vmstat has pt_share");
        CHECK(cb_vmstat("pt_unshare_copy", &copied_before), "/proc/vmstat has pt_unshare_copy");
    }
    char *r = cb_map_private(SIZE / CB_PAGE);
    volatile int *sync = cb_map_shared(1);
    int pipefd[2];
    if (!r || !sync || !CHECK(pipe(pipefd) == 0, "pipe"))
        return cb_end();
    cb_fill(r, WRITTEN, 1, 0);

    /* 1. The child changes everything; the parent keeps all its data. */
    pid_t pid = cb_fork("the changing child");
    if (pid == 0)
        changing_child(r, pipefd);
    if (pid > 0)
        cb_expect_exit(pid, 0, "the child changed and checked every kind of change");
    cb_check_pattern(r, WRITTEN, 1, 0, "parent: all 16 MiB keep the pre-fork data after the child's changes");
    CHECK(cb_count_nonzero(r + WRITTEN, TABLE) == 0, "parent: the never-written 2 MiB read zeros");

    /* 2. The same changes in the parent, while a second child shares its tables. */
    pid = cb_fork("the reading child");
    if (pid == 0) {
        cb_child_begin("sharer", 0);
        cb_check(cb_wait_flag(sync, 2, 60000), "the parent made its changes");
        cb_check_pattern(r, WRITTEN, 1, 0, "sharer: the parent's changes are invisible");
        CHECK(cb_count_nonzero(r + WRITTEN, TABLE) == 0, "sharer: the never-written 2 MiB read zeros");
        cb_child_exit();
    }
    char *moved = change_everything(r, pipefd, "parent");
    check_changed(r, moved, "parent");
    cb_set_flag(sync, 2);
    if (pid > 0)
        cb_expect_exit(pid, 0, "a child sharing the parent's tables saw none of its changes");
    press("parent");
    check_changed(r, moved, "parent after the pressure");

    /* 3. A child that exits while it still shares every table. */
    pid = cb_fork("the reading child");
    if (pid == 0)
        reading_child(r, moved);
    if (pid > 0)
        cb_expect_exit(pid, 0, "a child that only read exited");
    check_changed(r, moved, "parent after the reader exited");

    /* 4. A chain whose middle process exits first. */
    cb_set_flag(sync, 0);
    pid = cb_fork("the middle of a chain");
    if (pid == 0)
        chain_child(r, moved, sync);
    if (pid > 0)
        cb_expect_exit(pid, 0, "the middle process forked and exited");
    cb_set_flag(sync, 1);
    cb_check(cb_wait_flag(sync, 3, 60000) && *sync == 3, "the grandchild saw the data after the middle process exited");
    check_changed(r, moved, "parent after the chain");
    cb_fill(r + AT_WRITE, CB_PAGE, 6, AT_WRITE);
    cb_check_pattern(r + AT_WRITE, CB_PAGE, 6, AT_WRITE, "parent: writes its first page again");

    if (cowbird) {
        long shared = 0, copied = 0;
        cb_vmstat("pt_share", &shared);
        cb_vmstat("pt_unshare_copy", &copied);
        CHECK(shared - shared_before >= 8, "/proc/vmstat pt_share: fork shared at least 8 tables");
        CHECK(copied - copied_before >= 8, "/proc/vmstat pt_unshare_copy: the changes copied at least 8 tables");
    }
    return cb_end();
}
