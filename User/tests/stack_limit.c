/*
 * stack_limit: the user stack may grow to the soft RLIMIT_STACK, counted from the top of the
 * stack mapping ("[stack]" in /proc/self/maps), and no further: a touch below dies of SIGSEGV,
 * with wait4 status 0xb exactly (no core-dump bit: RLIMIT_CORE is set to 0 first).
 * Checked with the 8 MiB default, with unbounded recursion, and in a program started with a
 * 1 MiB limit (the limit in force at execve sizes the stack). Each probe runs in a child: this
 * program re-executes itself as `stack_limit --probe BYTES`, which writes one byte BYTES below
 * the top of its stack and exits 0.
 */
#include "cbtest.h"
#include <stdlib.h>
#include <sys/resource.h>

#define MIB (1UL << 20)

static char self[256];

/* The end (top) of the mapping named [stack] in /proc/self/maps; 0 if not found. */
static unsigned long stack_top(void)
{
    static char maps[65536];
    if (cb_read_file("/proc/self/maps", maps, sizeof maps) <= 0)
        return 0;
    for (char *line = maps; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        char *eol = strchr(line, '\n');
        char *name = strstr(line, "[stack]");
        if (name && (!eol || name < eol)) {
            char *dash;
            strtoul(line, &dash, 16);
            return *dash == '-' ? strtoul(dash + 1, NULL, 16) : 0;
        }
    }
    return 0;
}

/* The probe: one write `bytes` below the stack's top. */
static int probe(unsigned long bytes)
{
    unsigned long top = stack_top();
    if (top == 0)
        return 2;
    *(volatile char *)(top - bytes) = 1;
    return 0;
}

/* Recursion `depth` frames of 1 KiB deep, each checking its own frame after the deeper ones. */
static int recurse(long depth)
{
    volatile char frame[1024];
    for (int i = 0; i < 1024; i += 64)
        frame[i] = (char)depth;
    int ok = depth > 0 ? recurse(depth - 1) : 1;
    for (int i = 0; i < 1024; i += 64)
        ok &= frame[i] == (char)depth;
    return ok;
}

static volatile int never;    /* always 0: hides from the compiler that forever() has no end */

/* Recursion without end (each frame 1 KiB, used after the call so it is not a tail call). */
static int __attribute__((noinline)) forever(long depth)
{
    volatile char frame[1024];
    frame[0] = (char)depth;
    if (never)
        return 0;
    return forever(depth + 1) + frame[0];
}

/* Runs `stack_limit --probe BYTES` in a child whose soft stack limit is `stack` at the execve. */
static pid_t spawn_probe(unsigned long stack, unsigned long bytes)
{
    pid_t pid = fork();
    if (pid == 0) {
        cb_set_soft_limit(RLIMIT_STACK, stack);
        char number[32];
        snprintf(number, sizeof number, "%lu", bytes);
        char *argv[] = { "stack_limit", "--probe", number, NULL };
        char *envp[] = { NULL };
        execve(self, argv, envp);
        _exit(99);
    }
    return pid;
}

static void check_probes(void)
{
    cb_expect_exit(spawn_probe(8 * MIB, 7 * MIB), 0, "8 MiB limit: a write 7 MiB below the stack top works");
    cb_expect_exit(spawn_probe(8 * MIB, 8 * MIB), 0, "8 MiB limit: a write exactly 8 MiB below the top works");
    cb_expect_status(spawn_probe(8 * MIB, 8 * MIB + 1), SIGSEGV, "8 MiB limit: one byte further is SIGSEGV, status 0xb");
    cb_expect_status(spawn_probe(8 * MIB, 64 * MIB), SIGSEGV, "8 MiB limit: 64 MiB below the top is SIGSEGV");
    cb_expect_exit(spawn_probe(MIB, MIB), 0, "started with a 1 MiB limit: a write 1 MiB below the top works");
    cb_expect_status(spawn_probe(MIB, MIB + 4096), SIGSEGV, "started with a 1 MiB limit: a page further is SIGSEGV");
    cb_expect_status(spawn_probe(MIB, 4 * MIB), SIGSEGV, "started with a 1 MiB limit: 4 MiB below the top is SIGSEGV");
}

static void check_recursion(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        cb_child_begin("deep", 1);
        CHECK(recurse(6 * 1024), "6 MiB of recursion keeps every frame intact");
        cb_child_exit();
    }
    cb_expect_exit(pid, 0, "recursion 6 MiB deep under the 8 MiB limit works");
    pid = fork();
    if (pid == 0)
        _exit(forever(0) == 0 ? 3 : 4);
    cb_expect_status(pid, SIGSEGV, "unbounded recursion dies of SIGSEGV, status 0xb");
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--probe") == 0)
        return probe(strtoul(argv[2], NULL, 10));
    cb_begin("stack_limit");
    if (strchr(argv[0], '/'))
        snprintf(self, sizeof self, "%s", argv[0]);
    else
        snprintf(self, sizeof self, "/bin/%s", argv[0]);
    CHECK(cb_set_soft_limit(RLIMIT_CORE, 0) == 0, "RLIMIT_CORE soft limit 0: no core dumps");
    CHECK(cb_set_soft_limit(RLIMIT_STACK, 8 * MIB) == 0, "soft RLIMIT_STACK 8 MiB");
    CHECK(stack_top() != 0, "/proc/self/maps names the [stack] mapping");
    check_probes();
    check_recursion();
    return cb_end();
}
