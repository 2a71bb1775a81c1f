/*
 * brk: the program break grows and shrinks; memory given back and taken again reads zeros.
 * Uses the raw brk system call (musl's brk()/sbrk() refuse to move the break). Also: brk below
 * the start of the heap is refused (the break stays), a child touching memory above a shrunk
 * break dies of SIGSEGV, and a child's heap is its own (COW on heap pages, its own break).
 */
#include "cbtest.h"

#define GROW (64 * 1024)

static long sys_brk(unsigned long addr) { return cb_syscall(SYS_brk, (long)addr, 0, 0, 0, 0, 0); }

int main(void)
{
    cb_begin("brk");
    unsigned long start = (unsigned long)sys_brk(0);
    CHECK(start != 0 && start < 0x800000000000UL, "brk(0) returns the current break");
    cb_print("INFO initial break 0x%lx", start);
    unsigned long base = (start + CB_PAGE - 1) & ~(CB_PAGE - 1);
    cb_check_ret(sys_brk(base), (long)base, "brk up to the next page boundary");
    char *heap = (char *)base;

    cb_check_ret(sys_brk(base + GROW + 100), (long)(base + GROW + 100), "brk grows by 64 KiB + 100 bytes");
    CHECK(cb_count_nonzero(heap, GROW + 100) == 0, "new heap memory reads zeros");
    cb_fill(heap, GROW, 1, 0);
    heap[GROW + 99] = 'e';
    cb_check_pattern(heap, GROW, 1, 0, "new heap memory is writable");

    cb_check_ret(sys_brk(1), (long)(base + GROW + 100), "brk below the heap start is refused, the break stays");

    /* COW: the child changes the heap and moves its own break; the parent's stays. */
    pid_t pid = cb_fork("the heap child");
    if (pid == 0) {
        cb_child_begin("child", 0);
        cb_check_pattern(heap, GROW, 1, 0, "the parent's heap data");
        cb_fill(heap, GROW, 2, 0);
        cb_check_ret(sys_brk(base + 4 * GROW), (long)(base + 4 * GROW), "the child grows its break");
        cb_fill(heap + GROW + CB_PAGE, 3 * GROW - CB_PAGE, 3, 0);
        cb_child_exit();
    }
    if (pid > 0)
        cb_expect_exit(pid, 0, "a child rewrote the heap and grew its own break");
    cb_check_ret(sys_brk(0), (long)(base + GROW + 100), "the parent's break is unchanged by the child's");
    cb_check_pattern(heap, GROW, 1, 0, "the parent's heap is unchanged by the child's writes");

    cb_check_ret(sys_brk(base), (long)base, "brk shrinks back to the page boundary");
    pid = cb_fork("touching above the break");
    if (pid == 0) {
        ((volatile char *)heap)[CB_PAGE] = 1;
        _exit(0);
    }
    if (pid > 0)
        cb_expect_signal(pid, SIGSEGV, "a child writing above the shrunk break is killed by SIGSEGV");

    cb_check_ret(sys_brk(base + 2 * GROW), (long)(base + 2 * GROW), "brk grows again, twice as far");
    CHECK(cb_count_nonzero(heap, 2 * GROW) == 0, "re-grown heap reads zeros, old data and the child's are gone");

    /* A big grow touching one byte per page, then a full shrink. */
    unsigned long big = 16UL << 20;
    cb_check_ret(sys_brk(base + big), (long)(base + big), "brk grows by 16 MiB");
    for (unsigned long off = 0; off < big; off += CB_PAGE)
        heap[off] = (char)(off >> 12 | 1);
    int bad = 0;
    for (unsigned long off = 0; off < big; off += CB_PAGE)
        bad += heap[off] != (char)(off >> 12 | 1);
    CHECK(bad == 0, "one byte written and read back in each of its 4096 pages");
    cb_check_ret(sys_brk(base), (long)base, "brk shrinks by 16 MiB");
    cb_check_ret(sys_brk(base + CB_PAGE), (long)(base + CB_PAGE), "brk grows by one page");
    CHECK(cb_count_nonzero(heap, CB_PAGE) == 0, "the page reads zeros again");
    return cb_end();
}
