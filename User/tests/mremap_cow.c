/*
 * mremap_cow: mremap of memory that is COW-shared after fork.
 * Parent and child both hold a 4-page region copy-on-write. The child grows it in place or
 * elsewhere, then moves it to a fixed new address, while the parent moves and shrinks its own
 * copy; each writes its own data through the new address and checks it still sees the pre-fork
 * data where it did not write and zeros in the grown part. Neither ever sees the other's writes.
 */
#define _GNU_SOURCE
#include "cbtest.h"

#define PAGES 4
#define SIZE (PAGES * CB_PAGE)

/* The child: grow (may move), then move to a fixed address, checking data at every step. */
static void child(char *r, volatile int *sync)
{
    cb_child_begin("child", 0);
    char *grown = mremap(r, SIZE, 4 * SIZE, MREMAP_MAYMOVE);
    if (!CHECK(grown != MAP_FAILED, "mremap grow x4 (MAYMOVE)"))
        cb_child_exit();
    cb_check_pattern(grown, SIZE, 1, 0, "the grown region starts with the pre-fork data");
    CHECK(cb_count_nonzero(grown + SIZE, 3 * SIZE) == 0, "the grown part reads zeros");
    cb_fill(grown + SIZE, 3 * SIZE, 3, SIZE);

    /* A fixed target: reserve it with mmap, then move onto it. */
    char *target = mmap(NULL, 4 * SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *moved = mremap(grown, 4 * SIZE, 4 * SIZE, MREMAP_MAYMOVE | MREMAP_FIXED, target);
    if (!CHECK(target != MAP_FAILED && moved == target, "mremap move to a fixed address"))
        cb_child_exit();
    cb_check_no_vma(grown, "the old address after the move");
    {
        struct cb_vma v;
        CHECK(cb_find_vma(moved, &v) && strcmp(v.perms, "rw-p") == 0 && v.start <= (unsigned long)moved &&
                  v.end >= (unsigned long)(moved + 4 * SIZE),
              "/proc/self/maps: the moved region is rw-p and covers all 16 pages");
    }
    cb_check_pattern(moved, SIZE, 1, 0, "pre-fork data moved along");
    cb_check_pattern(moved + SIZE, 3 * SIZE, 3, SIZE, "the child's own data moved along");

    /* Let the parent move and write its copy, then look again. */
    cb_set_flag(sync, 1);
    cb_check(cb_wait_flag(sync, 2, 30000), "the parent wrote its copy");
    cb_check_pattern(moved, SIZE, 1, 0, "the parent's writes after its move are invisible");
    cb_fill(moved, SIZE, 4, 0);
    cb_check_pattern(moved, SIZE, 4, 0, "the child writes the pre-fork pages after the move");
    cb_child_exit();
}

int main(void)
{
    cb_begin("mremap_cow");
    char *r = cb_map_private(PAGES);
    volatile int *sync = cb_map_shared(1);
    if (!r || !sync)
        return cb_end();
    cb_fill(r, SIZE, 1, 0);

    pid_t pid = cb_fork("the mremap child");
    if (pid == 0)
        child(r, sync);
    cb_check(cb_wait_flag(sync, 1, 30000), "the child grew and moved its copy");
    cb_check_pattern(r, SIZE, 1, 0, "the parent's copy is unchanged by the child's mremaps and writes");

    char *moved = mremap(r, SIZE, 2 * SIZE, MREMAP_MAYMOVE);
    CHECK(moved != MAP_FAILED, "the parent grows its still-shared copy");
    if (moved != MAP_FAILED) {
        cb_check_pattern(moved, SIZE, 1, 0, "the parent's grown copy starts with the pre-fork data");
        char *shrunk = mremap(moved, 2 * SIZE, SIZE / 2, 0);
        CHECK(shrunk == moved, "the parent shrinks it in place to 2 pages");
        cb_check_pattern(moved, SIZE / 2, 1, 0, "the parent's 2 pages keep the pre-fork data");
        cb_check_no_vma(moved + SIZE / 2, "the part cut off by the shrink");
        cb_fill(moved, SIZE / 2, 2, 0);
    }
    cb_set_flag(sync, 2);
    if (pid > 0)
        cb_expect_exit(pid, 0, "the child saw only its own data through grow, move and write");
    if (moved != MAP_FAILED)
        cb_check_pattern(moved, SIZE / 2, 2, 0, "the parent's data survived the child's writes");

    cb_check_ret(cb_syscall(SYS_mremap, (long)moved + 1, CB_PAGE, CB_PAGE, 0, 0, 0), -EINVAL,
                 "mremap of an unaligned address fails with EINVAL");
    return cb_end();
}
