/*
 * fork_cow: fork shares memory copy-on-write.
 * A parent fills a 16-page buffer, a global and a stack array, then forks 4 children that run at
 * the same time. Each child checks it sees the parent's data, rewrites its own quarter of the
 * buffer (and the global and stack array), and checks its whole view: its own writes where it
 * wrote, the parent's pre-fork data everywhere else. The parent rewrites a different part after
 * the fork and checks no child's write ever reaches it.
 */
#include "cbtest.h"

#define PAGES 16
#define CHILDREN 4
#define QUARTER (PAGES / CHILDREN * CB_PAGE)

static long global_value = 1234;          /* .data: COW-shared like the heap */
static char bss_page[CB_PAGE];            /* .bss: COW-shared too */

/* One child: verify the pre-fork view, write its own quarter, verify the mixed view. */
static void child(int k, char *buf, uint64_t *stack_words, volatile int *go)
{
    cb_child_begin("child", k);
    /* wait until all children exist, so the copies are broken while the pages have 5 sharers */
    cb_check(cb_wait_flag(go, 1, 30000), "start signal from the parent");
    cb_check_pattern(buf, PAGES * CB_PAGE, 0, 0, "pre-fork buffer visible");
    CHECK(global_value == 1234 && bss_page[100] == 7, "pre-fork .data and .bss visible");
    cb_check_pattern(stack_words, 512 * 8, 0, 0, "pre-fork stack array visible");

    cb_fill(buf + k * QUARTER, QUARTER, 10 + k, k * QUARTER);
    global_value = 5000 + k;
    bss_page[100] = (char)(20 + k);
    cb_fill(stack_words, 512 * 8, 10 + k, 0);
    sched_yield();  /* let the siblings write while this child still holds its copies */

    for (int q = 0; q < CHILDREN; q++) {
        if (q == k)
            cb_check_pattern(buf + q * QUARTER, QUARTER, 10 + k, q * QUARTER, "own quarter %d", q);
        else
            cb_check_pattern(buf + q * QUARTER, QUARTER, 0, q * QUARTER, "pre-fork quarter %d", q);
    }
    CHECK(global_value == 5000 + k && bss_page[100] == 20 + k, "own .data and .bss");
    cb_check_pattern(stack_words, 512 * 8, 10 + k, 0, "own stack array");
    cb_child_exit();
}

int main(void)
{
    cb_begin("fork_cow");
    uint64_t stack_words[512];
    char *buf = cb_map_private(PAGES);
    volatile int *go = cb_map_shared(1);
    if (!buf || !go)
        return cb_end();
    cb_fill(buf, PAGES * CB_PAGE, 0, 0);
    cb_fill(stack_words, sizeof stack_words, 0, 0);
    bss_page[100] = 7;

    pid_t pids[CHILDREN];
    for (int k = 0; k < CHILDREN; k++) {
        pids[k] = cb_fork("a child");
        if (pids[k] == 0)
            child(k, buf, stack_words, go);
    }
    /* The parent writes word 1 of every page while the children write theirs. */
    for (int p = 0; p < PAGES; p++)
        ((uint64_t *)(buf + p * CB_PAGE))[1] = 0xABCDEF;
    global_value = 99;
    cb_set_flag(go, 1);

    for (int k = 0; k < CHILDREN; k++)
        if (pids[k] > 0)
            cb_expect_exit(pids[k], 0, "child %d saw the pre-fork data and only its own writes", k);

    size_t bad = 0;
    for (int p = 0; p < PAGES; p++) {
        uint64_t *w = (uint64_t *)(buf + p * CB_PAGE);
        if (w[1] != 0xABCDEF)
            bad++;
        w[1] = cb_pattern(0, p * CB_PAGE + 8);
    }
    CHECK(bad == 0, "parent's own post-fork writes kept");
    cb_check_pattern(buf, PAGES * CB_PAGE, 0, 0, "parent's buffer untouched by the children");
    CHECK(global_value == 99 && bss_page[100] == 7, "parent's .data and .bss untouched by the children");
    cb_check_pattern(stack_words, sizeof stack_words, 0, 0, "parent's stack untouched by the children");

    /* A second generation: a child of a child after the parent wrote again. */
    cb_fill(buf, CB_PAGE, 3, 0);
    pid_t pid = cb_fork("a second-generation test");
    if (pid == 0) {
        cb_child_begin("child", 9);
        pid_t grandchild = fork();
        if (grandchild == 0) {
            cb_child_begin("grandchild", 9);
            cb_check_pattern(buf, CB_PAGE, 3, 0, "grandchild sees the parent's latest write");
            cb_fill(buf, CB_PAGE, 5, 0);
            cb_child_exit();
        }
        cb_fill(buf, CB_PAGE, 4, 0);
        cb_expect_exit(grandchild, 0, "grandchild");
        cb_check_pattern(buf, CB_PAGE, 4, 0, "child keeps its write after the grandchild's");
        cb_child_exit();
    }
    if (pid > 0)
        cb_expect_exit(pid, 0, "child and grandchild each see their own page");
    cb_check_pattern(buf, CB_PAGE, 3, 0, "parent keeps its page after child and grandchild wrote");
    return cb_end();
}
