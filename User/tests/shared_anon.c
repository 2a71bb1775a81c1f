/*
 * shared_anon: MAP_SHARED|MAP_ANONYMOUS memory is one set of pages for a parent and all its
 * descendants, unlike MAP_PRIVATE memory next to it. Four children each write their own slot and
 * read the others'; a grandchild writes too; the parent sees everything. A shared mapping
 * created after the fork is not shared, and mprotect / munmap in one process do not change the
 * pages the others see.
 */
#include "cbtest.h"

#define CHILDREN 4
#define PAGES 8

int main(void)
{
    cb_begin("shared_anon");
    char *shared = cb_map_shared(PAGES);
    char *priv = cb_map_private(1);
    if (!shared || !priv)
        return cb_end();
    volatile int *counter = (volatile int *)(shared + (PAGES - 1) * CB_PAGE);
    cb_fill(shared, CB_PAGE, 1, 0);
    priv[0] = 'P';

    pid_t pids[CHILDREN];
    for (int k = 0; k < CHILDREN; k++) {
        pids[k] = cb_fork("a child");
        if (pids[k] == 0) {
            cb_child_begin("child", k);
            cb_check_pattern(shared, CB_PAGE, 1, 0, "the parent's pre-fork data");
            cb_fill(shared + (1 + k) * CB_PAGE, CB_PAGE, 10 + k, 0);   /* own slot */
            priv[0] = (char)('a' + k);                                 /* private: not visible */
            __atomic_add_fetch(counter, 1, __ATOMIC_ACQ_REL);
            /* wait until all siblings wrote, then read their slots */
            cb_check(cb_wait_flag(counter, CHILDREN, 30000), "all siblings wrote");
            for (int j = 0; j < CHILDREN; j++)
                cb_check_pattern(shared + (1 + j) * CB_PAGE, CB_PAGE, 10 + j, 0, "sibling %d's slot", j);
            cb_child_exit();
        }
    }
    for (int k = 0; k < CHILDREN; k++)
        if (pids[k] > 0)
            cb_expect_exit(pids[k], 0, "child %d saw the parent's data and every sibling's slot", k);
    for (int k = 0; k < CHILDREN; k++)
        cb_check_pattern(shared + (1 + k) * CB_PAGE, CB_PAGE, 10 + k, 0, "the parent sees child %d's slot", k);
    CHECK(*counter == CHILDREN, "an atomic counter incremented by each child reads %d", CHILDREN);
    CHECK(priv[0] == 'P', "the private page next to it was not shared");

    /* A grandchild's write reaches the grandparent; a mapping made after fork is not shared. */
    pid_t pid = cb_fork("the grandchild test");
    if (pid == 0) {
        cb_child_begin("child", 9);
        char *late = cb_map_shared(1);
        pid_t g = fork();
        if (g == 0) {
            shared[5 * CB_PAGE] = 'G';
            late[0] = 'L';
            _exit(0);
        }
        cb_expect_exit(g, 0, "grandchild");
        CHECK(late && late[0] == 'L', "a shared mapping made by the child is shared with its child");
        cb_child_exit();
    }
    if (pid > 0)
        cb_expect_exit(pid, 0, "a child shares its own MAP_SHARED mapping with its child");
    CHECK(shared[5 * CB_PAGE] == 'G', "the parent sees its grandchild's write");

    /* One process dropping its mapping or its write permission does not change the pages. */
    pid = cb_fork("the munmap test");
    if (pid == 0) {
        cb_child_begin("child", 10);
        CHECK(mprotect(shared, PAGES * CB_PAGE, PROT_READ) == 0, "mprotect read-only in the child");
        CHECK(munmap(shared + CB_PAGE, CB_PAGE) == 0, "munmap one page in the child");
        cb_child_exit();
    }
    if (pid > 0)
        cb_expect_exit(pid, 0, "a child made the mapping read-only and unmapped a page");
    cb_check_pattern(shared + CB_PAGE, CB_PAGE, 10, 0, "the parent still reads the page the child unmapped");
    shared[6 * CB_PAGE] = 'W';
    CHECK(shared[6 * CB_PAGE] == 'W', "the parent can still write after the child's mprotect");
    return cb_end();
}
