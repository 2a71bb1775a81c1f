/*
 * madvise_dontneed: MADV_DONTNEED throws away private anonymous pages; the next read gives zeros.
 * Pages outside the range keep their data. After fork, a child's MADV_DONTNEED drops only its own
 * view (the parent keeps its data). On MAP_SHARED anonymous memory the data stays (Linux keeps it
 * in the shared object). Unaligned addresses are refused with EINVAL, unmapped ranges with ENOMEM.
 */
#include "cbtest.h"

#define PAGES 8

int main(void)
{
    cb_begin("madvise_dontneed");
    char *r = cb_map_private(PAGES);
    if (!r)
        return cb_end();
    cb_fill(r, PAGES * CB_PAGE, 1, 0);

    cb_check_ret(madvise(r + 2 * CB_PAGE, 3 * CB_PAGE, MADV_DONTNEED), 0, "madvise(pages 2..4, MADV_DONTNEED)");
    CHECK(cb_count_nonzero(r + 2 * CB_PAGE, 3 * CB_PAGE) == 0, "pages 2..4 read zeros");
    cb_check_pattern(r, 2 * CB_PAGE, 1, 0, "pages 0..1 keep their data");
    cb_check_pattern(r + 5 * CB_PAGE, 3 * CB_PAGE, 1, 5 * CB_PAGE, "pages 5..7 keep their data");
    cb_check_vma(r + 3 * CB_PAGE, NULL, NULL, "rw-p", "the advised range");
    cb_fill(r + 2 * CB_PAGE, CB_PAGE, 2, 0);
    cb_check_pattern(r + 2 * CB_PAGE, CB_PAGE, 2, 0, "a dropped page is writable again");

    /* COW-shared: the child drops its view, the parent keeps its data. */
    cb_fill(r, PAGES * CB_PAGE, 3, 0);
    pid_t pid = cb_fork("the madvise child");
    if (pid == 0) {
        cb_child_begin("child", 0);
        CHECK(madvise(r, PAGES * CB_PAGE, MADV_DONTNEED) == 0, "madvise of the COW-shared region");
        CHECK(cb_count_nonzero(r, PAGES * CB_PAGE) == 0, "the child reads zeros");
        cb_fill(r, CB_PAGE, 4, 0);
        cb_child_exit();
    }
    if (pid > 0)
        cb_expect_exit(pid, 0, "a child dropped its view of COW-shared pages and read zeros");
    cb_check_pattern(r, PAGES * CB_PAGE, 3, 0, "the parent keeps its data");

    pid = cb_fork("the parent-drops test");
    if (pid == 0) {
        cb_child_begin("child", 1);
        cb_check_pattern(r, PAGES * CB_PAGE, 3, 0, "the child's data before the parent's madvise");
        cb_child_exit();
    }
    cb_check_ret(madvise(r, PAGES * CB_PAGE, MADV_DONTNEED), 0, "the parent drops its view of COW-shared pages");
    CHECK(cb_count_nonzero(r, PAGES * CB_PAGE) == 0, "the parent reads zeros");
    if (pid > 0)
        cb_expect_exit(pid, 0, "the child still read its data");

    char *s = cb_map_shared(2);
    if (s) {
        cb_fill(s, 2 * CB_PAGE, 5, 0);
        cb_check_ret(madvise(s, 2 * CB_PAGE, MADV_DONTNEED), 0, "madvise(MAP_SHARED anonymous, MADV_DONTNEED)");
        cb_check_pattern(s, 2 * CB_PAGE, 5, 0, "shared anonymous memory keeps its data");
    }

    cb_check_ret(cb_syscall(SYS_madvise, (long)(r + 1), CB_PAGE, MADV_DONTNEED, 0, 0, 0), -EINVAL,
                 "madvise of an unaligned address fails with EINVAL");
    char *gap = cb_map_private(3);
    if (gap) {
        munmap(gap + CB_PAGE, CB_PAGE);
        cb_check_ret(cb_syscall(SYS_madvise, (long)gap, 3 * CB_PAGE, MADV_DONTNEED, 0, 0, 0), -ENOMEM,
                     "madvise over an unmapped page fails with ENOMEM");
    }
    return cb_end();
}
