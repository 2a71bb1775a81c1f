/*
 * oom_pagetables: the OOM killer counts page tables, as Linux's oom_badness does (resident pages
 * + swap entries + page-table pages).
 * Everywhere: a child maps 64 GiB with MAP_NORESERVE and writes one byte per GiB (64 pages, but
 * a page table for each), reads them back and exits normally.
 * With --cowbird (run with 64 MiB of RAM and no swap): the parent fills 40% of the free memory,
 * then a child writes one byte per GiB of 64 TiB until memory runs out. Each byte costs the child
 * a page and a page table, so when the OOM killer runs the child holds fewer resident pages than
 * the parent but more pages in all: the child must be the one killed (SIGKILL), and the parent's
 * data must be intact. Counting resident pages alone would kill the parent. The parent of that
 * pair is a child of the program itself: the OOM killer never chooses init (pid 1, which the
 * program is on Cowbird's runner), as on Linux.
 */
#include "cbtest.h"

#define GIB (1UL << 30)

/* Writes one byte per GiB of `gibs` GiB at p, from the start; returns how many were written
   and read back (a killed process never returns). */
static unsigned long touch_per_gib(char *p, unsigned long gibs)
{
    unsigned long n = 0;
    for (unsigned long i = 0; i < gibs; i++)
        p[i * GIB] = (char)(i | 1);
    for (unsigned long i = 0; i < gibs; i++)
        n += p[i * GIB] == (char)(i | 1);
    return n;
}

static void sparse_child_exits(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        long p = cb_syscall(SYS_mmap, 0, 64 * GIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        _exit(p > 0 && touch_per_gib((char *)p, 64) == 64 ? 0 : 1);
    }
    int status = 0;
    CHECK(pid > 0 && cb_wait(pid, &status) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "a child writing one byte per GiB of 64 GiB reads them back and exits normally");
}

static void oom_kills_the_sparse_child(void)
{
    long free_kb = 0;
    if (!CHECK(cb_meminfo_kb("MemFree", &free_kb) && free_kb > 0, "MemFree read from /proc/meminfo"))
        return;
    volatile int *go = (volatile int *)cb_map_shared(1);
    if (!go)
        return;
    pid_t pid = fork();
    if (pid == 0) {
        cb_wait_flag(go, 1, 600000);
        long p = cb_syscall(SYS_mmap, 0, 64UL << 40, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p > 0)
            touch_per_gib((char *)p, 64UL << 10);
        _exit(p > 0 ? 0 : 1);
    }
    unsigned long bytes = (unsigned long)free_kb * 1024 / 10 * 4;
    char *mine = (char *)cb_syscall(SYS_mmap, 0, (long)bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int mapped = (long)mine > 0;
    for (unsigned long off = 0; mapped && off < bytes; off += CB_PAGE)
        mine[off] = (char)(off >> 12 | 1);
    cb_print("INFO parent holds %lu kB of %ld kB free", bytes / 1024, free_kb);
    cb_set_flag(go, 1);
    int status = 0;
    int waited = pid > 0 && cb_wait(pid, &status) == pid;
    char detail[64];
    snprintf(detail, sizeof detail, "status 0x%x", status);
    cb_check_detail(waited && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, detail,
                    "the sparse child was killed by the OOM killer (SIGKILL)");
    unsigned long bad = 0;
    for (unsigned long off = 0; mapped && off < bytes; off += CB_PAGE)
        bad += mine[off] != (char)(off >> 12 | 1);
    CHECK(mapped && bad == 0, "the parent survived with its %s intact", "data");
}

/* Runs the scenario in a child, so that the OOM killer chooses between two ordinary processes. */
static void oom_scenario_in_a_child(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        cb_child_begin("holder", 0);
        oom_kills_the_sparse_child();
        _exit(cb_failed == 0 && cb_passed > 0 ? 0 : 1);
    }
    cb_expect_exit(pid, 0, "the OOM killer chose the sparse child (page tables counted), not the process holding more resident pages, whose data stayed intact");
}

int main(int argc, char **argv)
{
    cb_begin("oom_pagetables");
    sparse_child_exits();
    if (argc > 1 && strcmp(argv[1], "--cowbird") == 0)
        oom_scenario_in_a_child();
    return cb_end();
}
