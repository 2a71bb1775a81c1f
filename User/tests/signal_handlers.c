/*
 * signal_handlers: user signal handlers as Linux x86-64 runs them (rt_sigframe with siginfo
 * and ucontext, rt_sigreturn).
 *   - A SA_SIGINFO handler for SIGUSR1 sent by kill() to the process itself gets signo, SI_USER
 *     and the sender's pid (SI_TKILL from tkill and tgkill), and a ucontext whose saved mask is the one before the handler.
 *   - The handler runs with the signal and sa_mask blocked (not the signal with SA_NODEFER);
 *     the mask comes back after it returns. SA_RESETHAND resets the action to SIG_DFL.
 *   - Registers (rbx, rdx, r8-r10, r12-r15) and the SSE control register survive a handler that
 *     clobbers them; the handler starts with the default MXCSR.
 *   - A SIGSEGV handler catches a write to a PROT_NONE page (si_code SEGV_ACCERR, si_addr the
 *     address), makes the page writable and returns: the write is retried and lands. A second
 *     fault inside the handler (SIGSEGV blocked) kills with SIGSEGV.
 *   - A caught signal ends nanosleep and wait4 with EINTR; with SA_RESTART wait4 runs again
 *     (nanosleep never does).
 *   - A handler without SA_RESTORER cannot return on x86-64: the process dies of SIGSEGV.
 *   - A SIGCHLD handler runs for a child's exit (si_pid the child) while wait4 still reaps it.
 *   - rt_sigreturn called with a forged frame (non-canonical rip) or none: SIGSEGV.
 */
#include "cbtest.h"
#include <ucontext.h>

static volatile int hits, seen_signo, seen_code, seen_pid;
static volatile uint64_t mask_in_handler, mask_in_uc;
static volatile unsigned int mxcsr_in_handler;
static volatile void *seen_addr;
static char *guard_page;

static uint64_t bit(int signal) { return 1ULL << (signal - 1); }

static uint64_t current_mask(void)
{
    uint64_t mask = 0;
    cb_syscall(SYS_rt_sigprocmask, SIG_BLOCK, 0, (long)&mask, 8, 0, 0);
    return mask;
}

static void info_handler(int signo, siginfo_t *info, void *context)
{
    ucontext_t *uc = context;
    hits++;
    seen_signo = signo;
    seen_code = info->si_code;
    seen_pid = info->si_pid;
    mask_in_handler = current_mask();
    memcpy((void *)&mask_in_uc, &uc->uc_sigmask, 8);
    unsigned int mxcsr;
    __asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
    mxcsr_in_handler = mxcsr;
    /* Clobber what the interrupted code must get back. */
    __asm__ volatile("xor %%ebx, %%ebx\n\txor %%r12d, %%r12d\n\txor %%r13d, %%r13d\n\txor %%r14d, %%r14d\n\t"
                     "xor %%r15d, %%r15d\n\txor %%r8d, %%r8d\n\txor %%r9d, %%r9d\n\txor %%r10d, %%r10d\n\t"
                     "xor %%r11d, %%r11d"
                     : : : "rbx", "r12", "r13", "r14", "r15", "r8", "r9", "r10", "r11");
    unsigned int zero_rounding = 0x1f80 | 0x6000;
    __asm__ volatile("ldmxcsr %0" : : "m"(zero_rounding));
}

static void install(int signal, void (*fn)(int, siginfo_t *, void *), int flags, uint64_t extra_mask)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO | flags;
    memcpy(&sa.sa_mask, &extra_mask, 8);
    sigaction(signal, &sa, 0);
}

static void basic_delivery(void)
{
    hits = 0;
    install(SIGUSR1, info_handler, 0, bit(SIGUSR2));
    uint64_t before = current_mask();
    cb_check_ret(kill(getpid(), SIGUSR1), 0, "kill(self, SIGUSR1) with a handler returns 0");
    CHECK(hits == 1, "the handler ran once before kill returned");
    CHECK(seen_signo == SIGUSR1 && seen_code == SI_USER && seen_pid == getpid(),
          "siginfo: si_signo SIGUSR1, si_code SI_USER, si_pid the sender");
    CHECK(mask_in_handler == (before | bit(SIGUSR1) | bit(SIGUSR2)), "in the handler SIGUSR1 and sa_mask (SIGUSR2) are blocked");
    CHECK(mask_in_uc == before, "uc_sigmask is the mask before the handler");
    CHECK(current_mask() == before, "the mask is back after the handler returns");

    cb_check_ret(syscall(SYS_tkill, getpid(), SIGUSR1), 0, "tkill(self, SIGUSR1) with a handler returns 0");
    CHECK(hits == 2 && seen_code == SI_TKILL && seen_pid == getpid(), "tkill's siginfo: si_code SI_TKILL, si_pid the sender");
    cb_check_ret(syscall(SYS_tgkill, getpid(), getpid(), SIGUSR1), 0, "tgkill(self, self, SIGUSR1) with a handler returns 0");
    CHECK(hits == 3 && seen_code == SI_TKILL && seen_pid == getpid(), "tgkill's siginfo: si_code SI_TKILL, si_pid the sender");

    install(SIGUSR1, info_handler, SA_NODEFER, 0);
    kill(getpid(), SIGUSR1);
    CHECK(!(mask_in_handler & bit(SIGUSR1)), "with SA_NODEFER SIGUSR1 is not blocked in its handler");

    install(SIGUSR1, info_handler, SA_RESETHAND, 0);
    hits = 0;
    kill(getpid(), SIGUSR1);
    struct sigaction old;
    sigaction(SIGUSR1, 0, &old);
    CHECK(hits == 1 && old.sa_handler == SIG_DFL, "SA_RESETHAND: the handler ran once, the action is SIG_DFL again");
}

/* Registers set before a kill() of the process itself must come back after its handler. */
static void registers_survive(void)
{
    install(SIGUSR2, info_handler, 0, 0);
    unsigned int custom = 0x1f80 | 0x2000, after_mxcsr = 0;   /* round down */
    uint64_t out[9];
    __asm__ volatile("ldmxcsr %[custom]\n\t"
                     "mov $0x1111, %%rbx\n\tmov $0x2222, %%rdx\n\tmov $0x3333, %%r12\n\tmov $0x4444, %%r13\n\t"
                     "mov $0x5555, %%r14\n\tmov $0x6666, %%r15\n\tmov $0x7777, %%r8\n\tmov $0x8888, %%r9\n\t"
                     "mov $0x9999, %%r10\n\t"
                     "mov $62, %%eax\n\tsyscall\n\t"
                     "mov %%rbx, %[o0]\n\tmov %%rdx, %[o1]\n\tmov %%r12, %[o2]\n\tmov %%r13, %[o3]\n\t"
                     "mov %%r14, %[o4]\n\tmov %%r15, %[o5]\n\tmov %%r8, %[o6]\n\tmov %%r9, %[o7]\n\t"
                     "mov %%r10, %[o8]\n\t"
                     "stmxcsr %[after]"
                     : [after] "=m"(after_mxcsr), [o0] "=m"(out[0]), [o1] "=m"(out[1]), [o2] "=m"(out[2]),
                       [o3] "=m"(out[3]), [o4] "=m"(out[4]), [o5] "=m"(out[5]), [o6] "=m"(out[6]),
                       [o7] "=m"(out[7]), [o8] "=m"(out[8])
                     : [custom] "m"(custom), "S"((long)SIGUSR2), "D"((long)getpid())
                     : "rax", "rbx", "rcx", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "memory");
    unsigned int reset = 0x1f80;
    __asm__ volatile("ldmxcsr %0" : : "m"(reset));
    static const uint64_t want[9] = { 0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0x7777, 0x8888, 0x9999 };
    CHECK(memcmp(out, want, sizeof want) == 0, "rbx, rdx, r8-r10, r12-r15 are intact after a handler that clobbered them");
    CHECK(after_mxcsr == custom, "MXCSR (round down) is intact after a handler that changed it");
    CHECK(mxcsr_in_handler == 0x1f80, "the handler started with the default MXCSR 0x1f80");
}

static void segv_fix_handler(int signo, siginfo_t *info, void *context)
{
    (void)context;
    hits++;
    seen_signo = signo;
    seen_code = info->si_code;
    seen_addr = info->si_addr;
    mprotect(guard_page, CB_PAGE, PROT_READ | PROT_WRITE);
}

static void segv_again_handler(int signo, siginfo_t *info, void *context)
{
    (void)signo, (void)info, (void)context;
    *(volatile char *)guard_page = 2;       /* still PROT_NONE: SIGSEGV while SIGSEGV is blocked */
}

static void catching_faults(void)
{
    guard_page = mmap(0, CB_PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (guard_page == MAP_FAILED)
        return;
    hits = 0;
    install(SIGSEGV, segv_fix_handler, 0, 0);
    guard_page[100] = 42;
    CHECK(hits == 1 && seen_signo == SIGSEGV, "a write to a PROT_NONE page runs the SIGSEGV handler once");
    CHECK(seen_code == SEGV_ACCERR && seen_addr == guard_page + 100, "siginfo: SEGV_ACCERR and si_addr the faulting address");
    CHECK(guard_page[100] == 42, "after the handler made the page writable the write was retried and landed");
    mprotect(guard_page, CB_PAGE, PROT_NONE);
    signal(SIGSEGV, SIG_DFL);

    pid_t pid = cb_fork("a fault in the SIGSEGV handler");
    if (pid == 0) {
        install(SIGSEGV, segv_again_handler, 0, 0);
        *(volatile char *)guard_page = 1;
        _exit(0);
    }
    cb_expect_status(pid, SIGSEGV, "a fault inside the SIGSEGV handler (blocked) kills: status 0xb");
}

static void count_handler(int signo, siginfo_t *info, void *context)
{
    (void)signo, (void)info, (void)context;
    hits++;
}

/* A child sleeps (or waits) with a SIGUSR1 handler; the parent sends SIGUSR1 until it reports.
   Without SA_RESTART both calls return EINTR; with it wait4 runs again and reaps its child, and
   nanosleep still returns EINTR (Linux never restarts it after a handler). */
static void interrupted_calls(volatile int *flag)
{
    static const char *const what[] = {
        "nanosleep interrupted by a caught SIGUSR1 returns EINTR after the handler ran",
        "wait4 interrupted by a caught SIGUSR1 returns EINTR after the handler ran",
        "nanosleep with an SA_RESTART handler still returns EINTR",
        "wait4 with an SA_RESTART handler runs again and reaps its child (exit 3)",
    };
    for (int which = 0; which < 4; which++) {
        *flag = 0;
        pid_t pid = cb_fork("an interrupted sleep");
        if (pid == 0) {
            int restart = which >= 2;
            install(SIGUSR1, count_handler, restart ? SA_RESTART : 0, 0);
            long r;
            int ok;
            if (which % 2 == 0) {
                struct timespec ts = { 30, 0 };
                *flag = 1;
                r = cb_syscall(SYS_nanosleep, (long)&ts, (long)&ts, 0, 0, 0, 0);
                ok = r == -EINTR;
            } else {
                pid_t sleeper = fork();
                if (sleeper == 0) {
                    if (restart)
                        for (int i = 0; i < 100 && *flag != 2; i++)
                            cb_sleep_ms(10);
                    else
                        cb_sleep_ms(30000);
                    _exit(3);
                }
                *flag = 1;
                int status = -1;
                r = cb_syscall(SYS_wait4, sleeper, (long)&status, 0, 0, 0, 0);
                if (restart)
                    ok = r == sleeper && status == 3 << 8;
                else {
                    ok = r == -EINTR;
                    kill(sleeper, SIGKILL);
                    cb_wait(sleeper, &status);
                }
            }
            _exit(ok && hits >= 1 ? 0 : 1);
        }
        cb_wait_flag(flag, 1, 30000);
        int status = -1;
        long r = 0;
        for (int i = 0; i < 3000 && r == 0; i++) {
            kill(pid, SIGUSR1);
            cb_sleep_ms(10);
            if (i == 20)
                *flag = 2;          /* a restarted wait4's child may exit now */
            r = cb_syscall(SYS_wait4, pid, (long)&status, WNOHANG, 0, 0, 0);
        }
        if (r == 0)
            r = cb_wait(pid, &status);
        CHECK(r == pid && status == 0, "%s", what[which]);
    }
}

/* A SIGCHLD handler runs when a child exits; the wait4 the parent sleeps in still reaps it. */
static void sigchld_handler(void)
{
    hits = 0;
    install(SIGCHLD, info_handler, 0, 0);
    pid_t pid = cb_fork("a child for SIGCHLD");
    if (pid == 0) {
        cb_sleep_ms(50);
        _exit(4);
    }
    int status = -1;
    long r = cb_syscall(SYS_wait4, pid, (long)&status, 0, 0, 0, 0);
    CHECK(r == pid && status == 4 << 8, "wait4 interrupted by the SIGCHLD of its own child still reaps it");
    CHECK(hits == 1 && seen_signo == SIGCHLD && seen_pid == pid, "the SIGCHLD handler ran once, si_pid the child");
    signal(SIGCHLD, SIG_DFL);
}

/* rt_sigreturn with rsp at `stack`: the frame is read from stack - 8. Never returns. */
static void __attribute__((noreturn)) sigreturn_at(uint64_t stack)
{
    __asm__ volatile("mov %0, %%rsp\n\tmov $15, %%eax\n\tsyscall\n\tud2" : : "r"(stack) : "memory");
    __builtin_unreachable();
}

/* A child calls rt_sigreturn itself, with a frame whose rip is non-canonical, or none at all. */
static void forged_sigreturns(void)
{
    static uint64_t frame[64] __attribute__((aligned(16)));
    pid_t pid = cb_fork("a forged frame");
    if (pid == 0) {
        memset(frame, 0, sizeof frame);
        frame[(48 + 128) / 8] = 0x8000000000000000ULL;   /* uc_mcontext.rip */
        frame[(48 + 120) / 8] = (uint64_t)&frame[60];     /* uc_mcontext.rsp */
        frame[(48 + 144) / 8] = 0x2b000000000033ULL;      /* cs 0x33, ss 0x2b (Linux's) */
        sigreturn_at((uint64_t)frame + 8);
    }
    cb_expect_status(pid, SIGSEGV, "rt_sigreturn to a non-canonical rip: killed by SIGSEGV");
    pid = cb_fork("no frame");
    if (pid == 0)
        sigreturn_at(0x1000);
    cb_expect_status(pid, SIGSEGV, "rt_sigreturn with an unmapped frame: killed by SIGSEGV");
}

int main(void)
{
    cb_begin("signal_handlers");
    volatile int *flag = cb_map_shared(1);
    if (!flag)
        return cb_end();
    basic_delivery();
    registers_survive();
    catching_faults();
    interrupted_calls(flag);
    forged_sigreturns();
    sigchld_handler();

    pid_t pid = cb_fork("no restorer");
    if (pid == 0) {
        uint64_t act[4] = { (uint64_t)count_handler, SA_SIGINFO, 0, 0 };
        cb_syscall(SYS_rt_sigaction, SIGUSR2, (long)act, 0, 8, 0, 0);
        kill(getpid(), SIGUSR2);
        _exit(0);
    }
    cb_expect_status(pid, SIGSEGV, "a handler without SA_RESTORER: the process dies of SIGSEGV");
    return cb_end();
}
