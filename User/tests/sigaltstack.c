/*
 * sigaltstack: the alternate signal stack as Linux 6.1 keeps it.
 * sigaltstack's checks: SS_DISABLE at start, MINSIGSTKSZ (2048) or ENOMEM, EINVAL for unknown
 * modes, SS_DISABLE dropping base and size, SS_AUTODISARM read back, EFAULT for bad pointers
 * (a bad old_ss after the change). SA_ONSTACK handlers run on it with uc_stack holding it as
 * set, others on the normal stack; inside, sigaltstack reads SS_ONSTACK and a change is EPERM;
 * a nested SA_ONSTACK handler runs lower on the same stack. SS_AUTODISARM disarms it for the
 * handler and rt_sigreturn rearms it. fork inherits it, execve disables it. A SIGSEGV handler
 * on the alternate stack catches unbounded recursion; without one the process dies.
 */
#include "cbtest.h"
#include <ucontext.h>

#define SS_AUTODISARM_FLAG (1U << 31)
#define ALT_SIZE 65536

static char alt[ALT_SIZE] __attribute__((aligned(16)));

static long altstack(const stack_t *ss, stack_t *old)
{
    return cb_syscall(SYS_sigaltstack, (long)ss, (long)old, 0, 0, 0, 0);
}

static long set_altstack(void *sp, int flags, size_t size)
{
    stack_t ss = { .ss_sp = sp, .ss_flags = flags, .ss_size = size };
    return altstack(&ss, 0);
}

static stack_t read_altstack(void)
{
    stack_t old;
    memset(&old, 0x55, sizeof old);
    altstack(0, &old);
    return old;
}

/* kill(getpid()): the signal acts before the call returns, on Linux as on Cowbird. */
static void send_self(int sig)
{
    cb_syscall(SYS_kill, cb_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0), sig, 0, 0, 0, 0);
}

static int on_alt(unsigned long sp) { return sp > (unsigned long)alt && sp <= (unsigned long)alt + ALT_SIZE; }

static void check_calls(void)
{
    stack_t s = read_altstack();
    CHECK(s.ss_sp == 0 && s.ss_flags == SS_DISABLE && s.ss_size == 0, "a new program has no alternate stack (SS_DISABLE, NULL, 0)");
    cb_check_ret(set_altstack(alt, 0, 2047), -ENOMEM, "a stack of MINSIGSTKSZ - 1 bytes is ENOMEM");
    cb_check_ret(set_altstack(alt, 0, 2048), 0, "a stack of MINSIGSTKSZ (2048) bytes is accepted");
    cb_check_ret(set_altstack(alt, 4, ALT_SIZE), -EINVAL, "ss_flags 4 is EINVAL");
    cb_check_ret(set_altstack(alt, -1, ALT_SIZE), -EINVAL, "ss_flags -1 is EINVAL");
    cb_check_ret(set_altstack(alt, (int)(SS_AUTODISARM_FLAG | 4), ALT_SIZE), -EINVAL, "SS_AUTODISARM | 4 is EINVAL");
    cb_check_ret(set_altstack(alt, SS_ONSTACK, ALT_SIZE), 0, "SS_ONSTACK sets a stack");
    s = read_altstack();
    CHECK(s.ss_sp == alt && s.ss_flags == 0 && s.ss_size == ALT_SIZE, "it reads back with ss_flags 0 off the stack");
    cb_check_ret(set_altstack(alt, SS_DISABLE, 5), 0, "SS_DISABLE with any size is accepted");
    s = read_altstack();
    CHECK(s.ss_sp == 0 && s.ss_flags == SS_DISABLE && s.ss_size == 0, "SS_DISABLE drops base and size");
    cb_check_ret(set_altstack(alt, (int)(SS_DISABLE | SS_AUTODISARM_FLAG), 0), 0, "SS_DISABLE | SS_AUTODISARM is accepted");
    s = read_altstack();
    CHECK(s.ss_flags == (int)(SS_DISABLE | SS_AUTODISARM_FLAG), "SS_AUTODISARM reads back next to SS_DISABLE");
    cb_check_ret(altstack((stack_t *)1, 0), -EFAULT, "a bad ss is EFAULT");
    cb_check_ret(altstack(0, (stack_t *)1), -EFAULT, "a bad old_ss is EFAULT");
    stack_t ss = { .ss_sp = alt, .ss_flags = (int)(SS_ONSTACK | SS_AUTODISARM_FLAG), .ss_size = ALT_SIZE };
    cb_check_ret(altstack(&ss, (stack_t *)1), -EFAULT, "a bad old_ss with a new stack is EFAULT");
    s = read_altstack();
    CHECK(s.ss_sp == alt && s.ss_flags == (int)SS_AUTODISARM_FLAG && s.ss_size == ALT_SIZE,
          "the new stack is set all the same (EFAULT comes last)");
}

static volatile unsigned long handler_sp, nested_sp;
static volatile long inner_result;
static volatile int inner_flags, nested;
static stack_t seen_uc_stack, inner_old;

static void on_usr1(int sig, siginfo_t *info, void *context)
{
    (void)sig;
    (void)info;
    char here;
    handler_sp = (unsigned long)&here;
    seen_uc_stack = ((ucontext_t *)context)->uc_stack;
    stack_t now = read_altstack();
    inner_flags = now.ss_flags;
    stack_t other = { .ss_sp = alt, .ss_flags = 0, .ss_size = 8192 };
    inner_result = altstack(&other, &inner_old);
    if (nested) {
        nested = 0;
        send_self(SIGUSR2);
    }
}

static void on_usr2(int sig)
{
    (void)sig;
    char here;
    nested_sp = (unsigned long)&here;
}

static void handle(int sig, int flags, int siginfo)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    if (siginfo)
        sa.sa_sigaction = on_usr1;
    else
        sa.sa_handler = on_usr2;
    sa.sa_flags = flags | (siginfo ? SA_SIGINFO : 0);
    sigaction(sig, &sa, 0);
}

static void check_handlers(void)
{
    set_altstack(alt, SS_ONSTACK, ALT_SIZE);
    handle(SIGUSR1, SA_ONSTACK, 1);
    send_self(SIGUSR1);
    CHECK(on_alt(handler_sp), "an SA_ONSTACK handler runs on the alternate stack");
    CHECK(seen_uc_stack.ss_sp == alt && seen_uc_stack.ss_flags == SS_ONSTACK && seen_uc_stack.ss_size == ALT_SIZE,
          "its uc_stack holds the stack as sigaltstack set it (flags SS_ONSTACK)");
    CHECK(inner_flags == SS_ONSTACK, "sigaltstack in the handler reads SS_ONSTACK");
    cb_check_ret(inner_result, -EPERM, "changing the stack while on it is EPERM");

    handle(SIGUSR1, 0, 1);
    send_self(SIGUSR1);
    CHECK(!on_alt(handler_sp), "a handler without SA_ONSTACK runs on the normal stack");
    CHECK(seen_uc_stack.ss_sp == alt && seen_uc_stack.ss_size == ALT_SIZE, "its uc_stack still shows the alternate stack");
    set_altstack(alt, SS_ONSTACK, ALT_SIZE);

    handle(SIGUSR1, SA_ONSTACK, 1);
    handle(SIGUSR2, SA_ONSTACK, 0);
    nested = 1;
    send_self(SIGUSR1);
    CHECK(on_alt(nested_sp) && nested_sp < handler_sp, "a nested SA_ONSTACK handler runs lower on the same alternate stack");

    set_altstack(alt, (int)SS_AUTODISARM_FLAG, ALT_SIZE);
    send_self(SIGUSR1);
    CHECK(on_alt(handler_sp), "with SS_AUTODISARM the handler still runs on the alternate stack");
    CHECK(seen_uc_stack.ss_flags == (int)SS_AUTODISARM_FLAG && seen_uc_stack.ss_sp == alt, "its uc_stack has SS_AUTODISARM");
    CHECK(inner_flags == (int)(SS_DISABLE), "inside, the stack reads as disarmed (SS_DISABLE)");
    CHECK(inner_result == 0 && inner_old.ss_flags == SS_DISABLE, "and may be changed there");
    stack_t after = read_altstack();
    CHECK(after.ss_sp == alt && after.ss_size == ALT_SIZE && after.ss_flags == (int)SS_AUTODISARM_FLAG,
          "rt_sigreturn rearms it from uc_stack");
    set_altstack(alt, SS_DISABLE, 0);
    signal(SIGUSR1, SIG_DFL);
    signal(SIGUSR2, SIG_DFL);
}

static void check_fork_and_exec(const char *self)
{
    set_altstack(alt, SS_ONSTACK, ALT_SIZE);
    pid_t pid = cb_fork("inherits");
    if (pid == 0) {
        stack_t s = read_altstack();
        _exit(s.ss_sp == alt && s.ss_size == ALT_SIZE && s.ss_flags == 0 ? 0 : 1);
    }
    cb_expect_exit(pid, 0, "a forked child has its parent's alternate stack");
    pid = cb_fork("exec");
    if (pid == 0) {
        char *argv[] = { "sigaltstack", "--after-exec", NULL };
        char *envp[] = { NULL };
        cb_syscall(SYS_execve, (long)self, (long)argv, (long)envp, 0, 0, 0);
        _exit(127);
    }
    cb_expect_exit(pid, 0, "execve disables the alternate stack");
    set_altstack(alt, SS_DISABLE, 0);
}

static volatile int depth_sink;

#pragma GCC diagnostic ignored "-Winfinite-recursion"
static int recurse(int depth)
{
    volatile char pad[512];
    pad[0] = (char)depth;
    depth_sink = pad[0];
    return recurse(depth + 1) + pad[0];
}

static void on_segv(int sig, siginfo_t *info, void *context)
{
    (void)context;
    char here;
    _exit(sig == SIGSEGV && info->si_code == SEGV_MAPERR && on_alt((unsigned long)&here) ? 42 : 1);
}

/* A child that recurses without end with an SA_ONSTACK SIGSEGV handler, and an alternate
   stack when `with_alt_stack`. Returns its pid. */
static pid_t overflowing_child(int with_alt_stack)
{
    pid_t pid = cb_fork("stack overflow");
    if (pid == 0) {
        if (with_alt_stack)
            set_altstack(alt, 0, ALT_SIZE);
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = on_segv;
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
        sigaction(SIGSEGV, &sa, 0);
        recurse(0);
        _exit(2);
    }
    return pid;
}

/* Unbounded recursion: the SIGSEGV handler can run only on the alternate stack. */
static void check_stack_overflow(void)
{
    cb_expect_exit(overflowing_child(1), 42, "a stack overflow's SIGSEGV (SEGV_MAPERR) reaches a handler on the alternate stack");
    cb_expect_signal(overflowing_child(0), SIGSEGV, "without an alternate stack the overflow kills with SIGSEGV");
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--after-exec") == 0) {
        stack_t s = read_altstack();
        return s.ss_sp == 0 && s.ss_size == 0 && s.ss_flags == SS_DISABLE ? 0 : 1;
    }
    cb_begin("sigaltstack");
    char self[256];
    cb_self_path(argv[0], self, sizeof self);
    check_calls();
    check_handlers();
    check_fork_and_exec(self);
    check_stack_overflow();
    return cb_end();
}
