/*
 * munmap_hole: munmap of the middle of a region leaves a hole between two VMAs.
 * The pages around the hole keep their data; touching the hole kills a child with SIGSEGV; the
 * hole can be refilled with MAP_FIXED and reads zeros. Memory that is COW-shared with a child
 * when the parent punches the hole stays intact in the child.
 */
#include "cbtest.h"

#define PAGES 5

int main(void)
{
    cb_begin("munmap_hole");
    char *r = cb_map_private(PAGES);
    volatile int *sync = cb_map_shared(1);
    if (!r || !sync)
        return cb_end();
    char *hole = r + 2 * CB_PAGE;
    cb_fill(r, PAGES * CB_PAGE, 1, 0);

    /* A child holding the region COW-shared while the parent punches the hole. */
    pid_t sharer = cb_fork("the COW sharer");
    if (sharer == 0) {
        cb_child_begin("sharer", 0);
        cb_check(cb_wait_flag(sync, 1, 30000), "parent punched the hole");
        cb_check_pattern(r, PAGES * CB_PAGE, 1, 0, "all pages intact, including the parent's hole");
        cb_fill(hole, CB_PAGE, 2, 2 * CB_PAGE);
        cb_check_pattern(hole, CB_PAGE, 2, 2 * CB_PAGE, "the child can still write its page in the hole");
        cb_child_exit();
    }

    cb_check_ret(munmap(hole, CB_PAGE), 0, "munmap(middle page)");
    cb_set_flag(sync, 1);
    cb_check_vma(r, NULL, hole, "rw-p", "the part below the hole");
    cb_check_no_vma(hole, "the hole");
    cb_check_vma(hole + CB_PAGE, hole + CB_PAGE, NULL, "rw-p", "the part above the hole");
    cb_check_pattern(r, 2 * CB_PAGE, 1, 0, "the pages below the hole are intact");
    cb_check_pattern(hole + CB_PAGE, 2 * CB_PAGE, 1, 3 * CB_PAGE, "the pages above the hole are intact");
    if (sharer > 0)
        cb_expect_exit(sharer, 0, "the COW-sharing child kept its whole region");

    pid_t pid = cb_fork("reading the hole");
    if (pid == 0) {
        volatile char c = ((volatile char *)hole)[100];
        (void)c;
        _exit(0);
    }
    if (pid > 0)
        cb_expect_signal(pid, SIGSEGV, "a child reading the hole is killed by SIGSEGV");
    pid = cb_fork("writing the hole");
    if (pid == 0) {
        ((volatile char *)hole)[100] = 1;
        _exit(0);
    }
    if (pid > 0)
        cb_expect_signal(pid, SIGSEGV, "a child writing the hole is killed by SIGSEGV");

    cb_check_ret(munmap(hole, CB_PAGE), 0, "munmap of the already unmapped hole succeeds");
    cb_check_ret(cb_syscall(SYS_munmap, (long)(r + 1), CB_PAGE, 0, 0, 0, 0), -EINVAL,
                 "munmap with an unaligned address fails with EINVAL");
    cb_check_ret(cb_syscall(SYS_munmap, (long)r, 0, 0, 0, 0, 0), -EINVAL, "munmap of length 0 fails with EINVAL");

    void *again = mmap(hole, CB_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    CHECK(again == hole, "mmap(MAP_FIXED) refills the hole");
    CHECK(again == hole && cb_count_nonzero(hole, CB_PAGE) == 0, "the refilled hole reads zeros");
    cb_check_pattern(r, 2 * CB_PAGE, 1, 0, "the pages below the refilled hole are intact");
    cb_check_pattern(hole + CB_PAGE, 2 * CB_PAGE, 1, 3 * CB_PAGE, "the pages above the refilled hole are intact");

    /* Unmapping a range that spans the hole's edges removes parts of two VMAs at once. */
    cb_check_ret(munmap(r + CB_PAGE, 3 * CB_PAGE), 0, "munmap of pages 1..3 across three VMAs");
    cb_check_pattern(r, CB_PAGE, 1, 0, "page 0 is intact");
    cb_check_pattern(r + 4 * CB_PAGE, CB_PAGE, 1, 4 * CB_PAGE, "page 4 is intact");
    cb_check_no_vma(r + CB_PAGE, "page 1");
    cb_check_no_vma(r + 3 * CB_PAGE, "page 3");
    cb_check_ret(munmap(r, PAGES * CB_PAGE), 0, "munmap of the whole range, holes included");
    cb_check_no_vma(r, "page 0 after the last munmap");
    return cb_end();
}
