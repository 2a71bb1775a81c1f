/*
 * faultprobe: one page fault of a chosen kind, marked so a debugger can find it.
 *
 *   faultprobe read    first read of fresh anonymous memory (the shared zero page)
 *   faultprobe write   first write of fresh anonymous memory (a new zeroed page)
 *   faultprobe cow     a child's first write of a page its parent wrote (a COW copy)
 *
 * The probed access is the only instruction the program runs with r15 = 0x5eed, so a
 * breakpoint on the page-fault entry with the condition "r15 == 0x5eed" stops at exactly that
 * fault (`./build.sh trace-fault` does this and counts the kernel's instructions until the
 * return to ring 3). A neighbouring page in the same page table is touched first the same way,
 * so the probed fault is the common one: its page table exists already. On its own the program
 * makes the fault, prints the /proc/vmstat counters it moved (pgfault +1), and exits 0, on
 * Linux too.
 */
#include "cbtest.h"

#define PROBE_MARKER 0x5eed

/* Reads the byte at p with r15 = PROBE_MARKER around the load. */
static char probe_read(volatile char *p)
{
    char v;
    __asm__ volatile("mov %2, %%r15\n\t"
                     "movb (%1), %0\n\t"
                     "xor %%r15d, %%r15d"
                     : "=r"(v) : "r"(p), "i"(PROBE_MARKER) : "r15", "memory");
    return v;
}

/* Writes v at p with r15 = PROBE_MARKER around the store. */
static void probe_write(volatile char *p, char v)
{
    __asm__ volatile("mov %2, %%r15\n\t"
                     "movb %1, (%0)\n\t"
                     "xor %%r15d, %%r15d"
                     : : "r"(p), "r"(v), "i"(PROBE_MARKER) : "r15", "memory");
}

static int usage(void)
{
    cb_print("usage: faultprobe read|write|cow");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return usage();
    char *r = mmap(NULL, 4 * CB_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (r == MAP_FAILED) {
        cb_print("faultprobe: mmap failed");
        return 1;
    }
    struct cb_counters before, after;
    if (strcmp(argv[1], "read") == 0) {
        (void)*(volatile char *)r;
        before = cb_read_counters();
        char v = probe_read(r + CB_PAGE);
        after = cb_read_counters();
        cb_print_counter_deltas("faultprobe read", before, after);
        return v == 0 ? 0 : 1;
    }
    if (strcmp(argv[1], "write") == 0) {
        r[0] = 1;
        before = cb_read_counters();
        probe_write(r + CB_PAGE, 1);
        after = cb_read_counters();
        cb_print_counter_deltas("faultprobe write", before, after);
        return 0;
    }
    if (strcmp(argv[1], "cow") != 0)
        return usage();
    r[0] = 'p';
    r[CB_PAGE] = 'p';
    pid_t pid = fork();
    if (pid == 0) {
        r[0] = 'c';
        before = cb_read_counters();
        probe_write(r + CB_PAGE, 'c');
        after = cb_read_counters();
        cb_print_counter_deltas("faultprobe cow (the child)", before, after);
        _exit(0);
    }
    int status = 0;
    cb_wait(pid, &status);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 && r[CB_PAGE] == 'p' ? 0 : 1;
}
