/* The floating-point registers belong to each process: the x87 and SSE control words,
 * the x87 stack and the xmm registers survive system calls, page faults, timer
 * interrupts while another process computes with different values, fork (the child
 * starts with the parent's state), a signal handler that changes them (sigreturn brings
 * them back), and exec (a new program starts from the reset values).
 * One line per case; the same lines on Linux. */
#define _GNU_SOURCE
#include "cbtest.h"
#include <fenv.h>
#include <sched.h>

static unsigned short x87_control(void)
{
    unsigned short cw;
    __asm__ volatile("fnstcw %0" : "=m"(cw));
    return cw;
}

static unsigned int sse_control(void)
{
    unsigned int mxcsr;
    __asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
    return mxcsr;
}

/* Loads `pattern` into xmm8..xmm15 and 3.25 onto the x87 stack, makes system call
 * `number` (getpid or sched_yield), then reports whether every register still holds it. */
static int registers_survive_syscall(long number, unsigned long pattern)
{
    unsigned long out[16];
    long double top;
    __asm__ volatile(
        "movq %[p], %%xmm8\n\tmovq %[p], %%xmm9\n\tmovq %[p], %%xmm10\n\tmovq %[p], %%xmm11\n\t"
        "movq %[p], %%xmm12\n\tmovq %[p], %%xmm13\n\tmovq %[p], %%xmm14\n\tmovq %[p], %%xmm15\n\t"
        "syscall\n\t"
        "movq %%xmm8, 0(%[o])\n\tmovq %%xmm9, 8(%[o])\n\tmovq %%xmm10, 16(%[o])\n\tmovq %%xmm11, 24(%[o])\n\t"
        "movq %%xmm12, 32(%[o])\n\tmovq %%xmm13, 40(%[o])\n\tmovq %%xmm14, 48(%[o])\n\tmovq %%xmm15, 56(%[o])\n\t"
        : "+a"(number)
        : [p] "r"(pattern), [o] "r"(out)
        : "rcx", "r11", "memory", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
    __asm__ volatile("fldl %1\n\tmovq $24, %%rax\n\tsyscall\n\tfstpt %0" : "=m"(top) : "m"((double){3.25}) : "rax", "rcx", "r11", "memory");
    for (int i = 0; i < 8; i++)
        if (out[i] != pattern)
            return 0;
    return top == 3.25L;
}

/* 1/3 rounded by the current mode, in long double (x87) and double (SSE). */
static long double third_x87(void) { volatile long double one = 1, three = 3; return one / three; }
static double third_sse(void) { volatile double one = 1, three = 3; return one / three; }

/* Computes under rounding mode `mode` while another process computes under the opposite
 * one, yielding and faulting pages in between; 1 when every result and control word
 * stayed this process's own. */
static int compute_under(int mode, int rounds)
{
    fesetround(mode);
    long double x = third_x87();
    double s = third_sse();
    unsigned short cw = x87_control();
    unsigned int mxcsr = sse_control();
    char *pages = mmap(0, (size_t)rounds * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (pages == MAP_FAILED)
        return 0;
    int ok = 1;
    for (int i = 0; i < rounds; i++) {
        pages[(size_t)i * 4096] = 1;
        if (i % 8 == 0)
            sched_yield();
        for (volatile int spin = 0; spin < 500; spin++)
            ;
        ok &= third_x87() == x && third_sse() == s && x87_control() == cw && sse_control() == mxcsr
            && fegetround() == mode;
    }
    munmap(pages, (size_t)rounds * 4096);
    return ok;
}

static volatile int handler_saw_reset;

static void change_everything(int sig)
{
    (void)sig;
    /* The handler starts from the reset values, whatever the interrupted code had. */
    handler_saw_reset = x87_control() == 0x37f && (sse_control() & 0xffc0) == 0x1f80;
    fesetround(FE_TOWARDZERO);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--exec-child") == 0) {
        return x87_control() == 0x37f && (sse_control() & 0xffc0) == 0x1f80 && fegetround() == FE_TONEAREST ? 0 : 1;
    }
    cb_begin("fpu_state");
    CHECK(x87_control() == 0x37f && (sse_control() & 0xffc0) == 0x1f80, "a program starts with x87 control 0x37f and MXCSR 0x1f80");
    CHECK(registers_survive_syscall(39, 0x0123456789abcdefUL), "xmm8-15 and st0 across getpid");
    CHECK(registers_survive_syscall(24, 0xfedcba9876543210UL), "xmm8-15 and st0 across sched_yield");

    pid_t other = fork();
    if (other == 0)
        _exit(compute_under(FE_UPWARD, 160) ? 0 : 1);
    int mine = compute_under(FE_DOWNWARD, 160);
    int status;
    waitpid(other, &status, 0);
    CHECK(mine, "rounding down beside a process rounding up");
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "rounding up beside a process rounding down");

    fesetround(FE_UPWARD);
    long double up = third_x87();
    pid_t child = fork();
    if (child == 0)
        _exit(fegetround() == FE_UPWARD && x87_control() == (0x37f | 0x800) && third_x87() == up ? 0 : 1);
    waitpid(child, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "a fork child inherits the rounding mode");

    signal(SIGUSR1, change_everything);
    unsigned short cw = x87_control();
    unsigned int mxcsr = sse_control();
    kill(getpid(), SIGUSR1);
    CHECK(handler_saw_reset, "the handler starts from the reset values");
    CHECK(x87_control() == cw && sse_control() == mxcsr, "sigreturn restores the x87 and SSE control words");
    CHECK(fegetround() == FE_UPWARD && third_x87() == up, "sigreturn restores the rounding mode");

    child = fork();
    if (child == 0) {
        execl("/proc/self/exe", argv[0], "--exec-child", (char *)NULL);
        _exit(127);
    }
    waitpid(child, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "after exec the reset values again: x87 control 0x37f, MXCSR 0x1f80, rounding to nearest");
    return cb_end();
}
