/*
 * traps: CPU exceptions raised by user code kill the process with Linux's signal
 * (arch/x86/kernel/traps.c), and wait4 reports it exactly as Linux does. No core file is
 * written (Cowbird writes none; the host runs with RLIMIT_CORE 0), so no status has the
 * core-dump bit 0x80.
 *   int3 -> SIGTRAP (the breakpoint gate is callable from ring 3), into (invalid in 64-bit
 *   code) and ud2 -> SIGILL, hlt and `int $0x41` (a DPL 0 gate) from ring 3 -> SIGSEGV,
 *   divide by zero -> SIGFPE, an unmasked x87 exception (#MF, needs CR0.NE) -> SIGFPE.
 *   (`int $0x80` is the 32-bit system call gate: int80.c.)
 * A blocked or ignored SIGTRAP/SIGFPE still kills (Linux forces signals for faults), and a
 * program that unmasks every SSE exception still makes system calls safely.
 * Not compared, because QEMU 7.2's TCG (Cowbird's test machine) does not emulate them: unmasked
 * SSE exceptions (#XM, SIGFPE on Linux; TCG never raises #XM) and icebp (SIGTRAP on Linux; TCG
 * raises #UD).
 */
#include "cbtest.h"

typedef void (*trap_fn)(void);

static void do_int3(void) { __asm__ volatile("int3"); }
static void do_into(void) { __asm__ volatile(".byte 0xce"); }
static void do_ud2(void) { __asm__ volatile("ud2"); }
static void do_hlt(void) { __asm__ volatile("hlt"); }
static void do_int41(void) { __asm__ volatile("int $0x41"); }

static void do_divide(void)
{
    volatile int zero = 0, one = 1;
    volatile int q = one / zero;
    (void)q;
}

/* x87 control word with the zero-divide exception unmasked (reset value 0x37f less ZM). */
static void do_x87(void)
{
    unsigned short cw = 0x37f & ~0x4;
    __asm__ volatile("fninit\n\tfldcw %0\n\tfld1\n\tfldz\n\tfdivrp\n\tfwait" : : "m"(cw) : "memory", "st", "st(1)");
}

/* Forks a child that runs `fn` (after `prepare`, if any) and must die of it; 0x7e otherwise. */
static pid_t trapping_child(trap_fn prepare, trap_fn fn)
{
    pid_t pid = cb_fork("a trapping child");
    if (pid == 0) {
        if (prepare)
            prepare();
        fn();
        _exit(0x7e);
    }
    return pid;
}

static void block_trap_and_fpe(void)
{
    uint64_t set = (1ULL << (SIGTRAP - 1)) | (1ULL << (SIGFPE - 1));
    cb_syscall(SYS_rt_sigprocmask, SIG_BLOCK, (long)&set, 0, 8, 0, 0);
}

static void ignore_trap_and_fpe(void)
{
    uint64_t act[4] = { (uint64_t)SIG_IGN, 0, 0, 0 };
    cb_syscall(SYS_rt_sigaction, SIGTRAP, (long)act, 0, 8, 0, 0);
    cb_syscall(SYS_rt_sigaction, SIGFPE, (long)act, 0, 8, 0, 0);
}

/* Every SSE exception unmasked, then system calls the kernel answers with its own code. */
static void unmask_sse_then_syscalls(void)
{
    unsigned int mxcsr = 0x1f80 & ~0x1f80u;
    struct timespec ts;
    __asm__ volatile("ldmxcsr %0" : : "m"(mxcsr));
    for (int i = 0; i < 100; i++) {
        cb_syscall(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&ts, 0, 0, 0, 0);
        cb_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0);
        sched_yield();
    }
    _exit(0);
}

int main(void)
{
    cb_begin("traps");
    static const struct {
        trap_fn fn;
        int signal;
        const char *what;
    } cases[] = {
        { do_int3, SIGTRAP, "int3 from ring 3: killed by SIGTRAP, status 0x5 (no core-dump bit)" },
        { do_into, SIGILL, "into (invalid opcode in 64-bit mode): killed by SIGILL, status 0x4" },
        { do_ud2, SIGILL, "ud2: killed by SIGILL, status 0x4" },
        { do_hlt, SIGSEGV, "hlt in ring 3 (#GP): killed by SIGSEGV, status 0xb" },
        { do_int41, SIGSEGV, "int $0x41 (a DPL 0 gate): killed by SIGSEGV, status 0xb" },
        { do_divide, SIGFPE, "integer divide by zero (#DE): killed by SIGFPE, status 0x8" },
        { do_x87, SIGFPE, "x87 divide by zero with ZM unmasked (#MF): killed by SIGFPE, status 0x8" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cb_expect_status(trapping_child(0, cases[i].fn), cases[i].signal, "%s", cases[i].what);

    cb_expect_status(trapping_child(block_trap_and_fpe, do_int3), SIGTRAP, "int3 with SIGTRAP blocked: still SIGTRAP");
    cb_expect_status(trapping_child(block_trap_and_fpe, do_x87), SIGFPE, "#MF with SIGFPE blocked: still SIGFPE");
    cb_expect_status(trapping_child(ignore_trap_and_fpe, do_int3), SIGTRAP, "int3 with SIGTRAP ignored: still SIGTRAP");
    cb_expect_status(trapping_child(ignore_trap_and_fpe, do_divide), SIGFPE, "#DE with SIGFPE ignored: still SIGFPE");
    cb_expect_status(trapping_child(0, unmask_sse_then_syscalls), 0,
                     "every SSE exception unmasked: system calls still work, exit 0");

    /* The masked default: the same SSE division gives infinity and no signal. */
    volatile double one = 1.0, zero = 0.0;
    double q = one / zero;
    CHECK(q > 1e308, "SSE divide by zero with the default MXCSR: infinity, no signal");
    return cb_end();
}
