/*
 * kwrite_swap: kernel writes into COW-shared memory while it is being swapped out.
 * A 64 MiB region is filled and shared copy-on-write with 8 children. With little RAM (Cowbird
 * runs it in 40 MiB with swap), most of it lives in swap. Each child, many times over, picks a
 * random page and either writes it (and the 31 after it) itself or makes the kernel write into it (clock_gettime, a
 * read of /proc/vmstat), then checks the page: the kernel's bytes or its own where it wrote, the
 * parent's pattern everywhere else. A kernel write into a page that reclaim is racing for must
 * land (or fail with an errno), never take the kernel down. The parent's copy stays unchanged.
 * With this little memory the 8 copies do not all fit: the OOM killer may kill some children.
 */
#define _GNU_SOURCE
#include "cbtest.h"

#define REGION_MB 64UL
#define PAGES (REGION_MB * 1024 * 1024 / CB_PAGE)
#define CHILDREN 8
#define ROUNDS 700

static uint64_t next_random(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

/* Page `i` outside the three places anybody writes (the /proc text at 0, the timespec at 2048,
   the child's own word at the end) must still hold the parent's pattern. */
static int page_is_parents(const char *r, size_t i)
{
    size_t base = i * CB_PAGE;
    return cb_verify(r + base + 64, 2048 - 64, 1, base + 64, NULL) == 0 &&
           cb_verify(r + base + 2048 + 16, CB_PAGE - 8 - 2048 - 16, 1, base + 2048 + 16, NULL) == 0;
}

static void child(char *r, int index)
{
    cb_child_begin("child", index);
    uint64_t state = 0x9e3779b97f4a7c15ULL * (uint64_t)(index + 1);
    int bad = 0;
    for (int round = 0; round < ROUNDS && !bad; round++) {
        size_t i = next_random(&state) % PAGES;
        char *page = r + i * CB_PAGE;
        switch (next_random(&state) % 3) {
        case 0: {   /* the kernel writes a timespec into the middle of the page */
            struct timespec *ts = (struct timespec *)(page + 2048);
            long e = cb_syscall(SYS_clock_gettime, CLOCK_MONOTONIC, (long)ts, 0, 0, 0, 0);
            bad |= !CHECK(e == 0 || e == -ENOMEM, "clock_gettime into page %zu returned %ld", i, e);
            bad |= !CHECK(page_is_parents(r, i), "page %zu around the kernel's timespec is unchanged", i);
            break;
        }
        case 1: {   /* the kernel writes /proc/vmstat text at the start of the page */
            long fd = cb_syscall(SYS_open, (long)"/proc/vmstat", O_RDONLY, 0, 0, 0, 0);
            long n = fd < 0 ? fd : cb_syscall(SYS_read, fd, (long)page, 64, 0, 0, 0);
            if (fd >= 0)
                cb_syscall(SYS_close, fd, 0, 0, 0, 0, 0);
            bad |= !CHECK(n == 64 || n == -ENOMEM, "read of /proc/vmstat into page %zu returned %ld", i, n);
            if (n == 64)
                bad |= !CHECK(memcmp(page, "nr_free_pages ", 14) == 0, "page %zu holds the kernel's text", i);
            bad |= !CHECK(page_is_parents(r, i), "page %zu after the kernel's text is unchanged", i);
            break;
        }
        default:    /* the child writes the last word of this page and the next 31 itself */
            for (size_t k = i; k < i + 32 && k < PAGES; k++)
                *(volatile uint64_t *)(r + k * CB_PAGE + CB_PAGE - 8) = (uint64_t)round;
            bad |= !CHECK(page_is_parents(r, i), "page %zu below the child's own write is unchanged", i);
            break;
        }
    }
    cb_child_exit();
}

int main(void)
{
    cb_begin("kwrite_swap");
    char *r = cb_map_private(PAGES);
    if (!r)
        return cb_end();
    cb_fill(r, PAGES * CB_PAGE, 1, 0);
    pid_t pids[CHILDREN];
    for (int c = 0; c < CHILDREN; c++) {
        pids[c] = cb_fork("a writer child");
        if (pids[c] == 0)
            child(r, c);
    }
    /* Where memory runs out (Cowbird runs this with little RAM and swap on purpose), the OOM
       killer may end a child with SIGKILL: that is the kernel coping. Any other end is not. */
    int clean = 0, killed = 0, other = 0;
    for (int c = 0; c < CHILDREN; c++) {
        int status = 0;
        if (pids[c] <= 0 || cb_wait(pids[c], &status) != pids[c])
            other++;
        else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
            clean++;
        else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
            killed++;
        else
            other++;
    }
    cb_print("INFO %d writer children finished clean, %d were OOM-killed", clean, killed);
    CHECK(other == 0, "every writer child saw only its own and the kernel's writes (or was OOM-killed)");
    CHECK(clean > 0, "at least one writer child finished");
    cb_check_pattern(r, PAGES * CB_PAGE, 1, 0, "the parent's 64 MiB are unchanged");
    return cb_end();
}
