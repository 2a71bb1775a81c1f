/*
 * int80: `int $0x80` from a 64-bit program runs Linux's 32-bit system call table (IA32
 * emulation, which Debian's kernels have): the number in eax (rax's upper half ignored), the
 * arguments in ebx, ecx, edx, esi, edi and ebp cut to 32 bits, the result in rax, every other
 * register kept. Checked: getpid, the 16- and 32-bit getuid, write of a static buffer (an
 * address with bit 32 set loses it) and of NULL (EFAULT), a number past the table (ENOSYS),
 * sync, getpriority, syslog, personality, flock and prctl as the 64-bit calls answer,
 * lseek's signed offset, readlink's signed size, fork and exit through the gate, and the
 * registers around a call. The program is static and not position-independent, so its data
 * lies below 4 GiB, where a 32-bit pointer reaches it.
 */
#include "cbtest.h"

#define NR32_EXIT 1
#define NR32_FORK 2
#define NR32_WRITE 4
#define NR32_LSEEK 19
#define NR32_GETPID 20
#define NR32_GETUID16 24
#define NR32_READLINK 85
#define NR32_GETUID32 199
#define NR32_PAST_TABLE 1000
#define NR32_SYNC 36
#define NR32_GETPRIORITY 96
#define NR32_SYSLOG 103
#define NR32_PERSONALITY 136
#define NR32_FLOCK 143
#define NR32_PRCTL 172

/* int $0x80 with eax..ebp; the full rax it returns. */
static long int80(unsigned long nr, unsigned long b, unsigned long c, unsigned long d)
{
    long ret;
    __asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(b), "c"(c), "d"(d) : "memory");
    return ret;
}

static char message[] = "through the 32-bit gate\n";
static const char link_path[] = "/proc/self/exe";
static char link_buffer[64];

/* Registers r8..r15, rbx, rsi, rdi and rbp hold known values across a getpid through the gate;
   returns how many came back changed. */
static int registers_changed_by_int80(void)
{
    unsigned long out[12];
    __asm__ volatile(
        "push %%rbp\n\t"
        "mov $0x1111111111111108, %%r8\n\t"
        "mov $0x1111111111111109, %%r9\n\t"
        "mov $0x1111111111111110, %%r10\n\t"
        "mov $0x1111111111111111, %%r11\n\t"
        "mov $0x1111111111111112, %%r12\n\t"
        "mov $0x1111111111111113, %%r13\n\t"
        "mov $0x1111111111111114, %%r14\n\t"
        "mov $0x1111111111111115, %%r15\n\t"
        "mov $0x11111111111111bb, %%rbx\n\t"
        "mov $0x11111111111111a5, %%rsi\n\t"
        "mov $0x11111111111111d1, %%rdi\n\t"
        "mov $0x11111111111111b9, %%rbp\n\t"
        "mov $20, %%eax\n\t"
        "int $0x80\n\t"
        "mov %%r8, 0(%0)\n\t"
        "mov %%r9, 8(%0)\n\t"
        "mov %%r10, 16(%0)\n\t"
        "mov %%r11, 24(%0)\n\t"
        "mov %%r12, 32(%0)\n\t"
        "mov %%r13, 40(%0)\n\t"
        "mov %%r14, 48(%0)\n\t"
        "mov %%r15, 56(%0)\n\t"
        "mov %%rbx, 64(%0)\n\t"
        "mov %%rsi, 72(%0)\n\t"
        "mov %%rdi, 80(%0)\n\t"
        "mov %%rbp, 88(%0)\n\t"
        "pop %%rbp"
        : : "c"(out)
        : "rax", "rbx", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "memory");
    static const unsigned long want[12] = {
        0x1111111111111108, 0x1111111111111109, 0x1111111111111110, 0x1111111111111111,
        0x1111111111111112, 0x1111111111111113, 0x1111111111111114, 0x1111111111111115,
        0x11111111111111bb, 0x11111111111111a5, 0x11111111111111d1, 0x11111111111111b9,
    };
    int changed = 0;
    for (int i = 0; i < 12; i++)
        changed += out[i] != want[i];
    return changed;
}

static void check_write_through_the_gate(void)
{
    int fds[2];
    if (pipe(fds) != 0) {
        CHECK(0, "pipe for the write checks");
        return;
    }
    unsigned long len = strlen(message);
    unsigned long high = (1UL << 32) | (unsigned long)message;
    cb_check_ret(int80(NR32_WRITE, fds[1], high, len), (long)len,
                 "write(4) of a static buffer, bit 32 of the address set: the upper half is dropped");
    char back[64] = { 0 };
    long got = read(fds[0], back, sizeof back - 1);
    CHECK(got == (long)len && strcmp(back, message) == 0, "the pipe holds what the 32-bit write wrote");
    cb_check_ret(int80(NR32_WRITE, fds[1], 0, 4), -EFAULT, "write(4) from address 0: EFAULT");
    close(fds[0]);
    close(fds[1]);
}

static void check_signed_arguments(void)
{
    char name[32];
    snprintf(name, sizeof name, "int80-lseek.%d", (int)getpid());
    const char *path = cb_path_in("/tmp", name);
    cb_write_file(path, "0123456789");
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        CHECK(0, "open of a 10-byte file in /tmp");
        return;
    }
    cb_check_ret(int80(NR32_LSEEK, fd, (unsigned int)-3, SEEK_END), 7,
                 "lseek(19) by -3 from the end of 10 bytes: the 32-bit offset is signed, 7");
    close(fd);
    unlink(path);
    cb_check_ret(int80(NR32_READLINK, (unsigned long)link_path, (unsigned long)link_buffer, (unsigned int)-1), -EINVAL,
                 "readlink(85) with size -1: the 32-bit size is signed, EINVAL");
}

static void check_fork_and_exit_through_the_gate(void)
{
    long pid = int80(NR32_FORK, 0, 0, 0);
    if (pid == 0) {
        int80(NR32_EXIT, 0x42, 0, 0);
        _exit(0x7e);
    }
    CHECK(pid > 0, "fork(2) through the gate returns the child's pid in the parent");
    if (pid > 0)
        cb_expect_exit((pid_t)pid, 0x42, "the child of fork(2) returns 0, and exit(1) with ebx 0x42 ends it with status 0x42");
}

int main(void)
{
    cb_begin("int80");
    cb_check_ret(int80(NR32_GETPID, 0, 0, 0), getpid(), "getpid(20) through int $0x80 is getpid");
    cb_check_ret(int80((1UL << 32) | NR32_GETPID, 0, 0, 0), getpid(),
                 "rax 0x100000014: the upper half of the number is ignored, getpid");
    cb_check_ret(int80(NR32_GETUID32, 0, 0, 0), getuid(), "getuid32(199) is getuid");
    cb_check_ret(int80(NR32_GETUID16, 0, 0, 0), getuid() > 0xffff ? 65534 : (long)getuid(),
                 "getuid(24), the 16-bit call, is getuid (65534 above 65535)");
    cb_check_ret(int80(NR32_PAST_TABLE, 0, 0, 0), -ENOSYS, "number 1000, past the 32-bit table: ENOSYS");
    cb_check_ret(int80(NR32_SYNC, 0, 0, 0), 0, "sync(36): 0");
    cb_check_ret(int80(NR32_GETPRIORITY, 0, 0, 0), cb_syscall(SYS_getpriority, 0, 0, 0, 0, 0, 0),
                 "getpriority(96) of the caller: the raw 64-bit answer (20 - nice)");
    cb_check_ret(int80(NR32_SYSLOG, 10, 0, 0), cb_syscall(SYS_syslog, 10, 0, 0, 0, 0, 0), "syslog(103) SIZE_BUFFER: the 64-bit answer");
    cb_check_ret(int80(NR32_PERSONALITY, 0xffffffffUL, 0, 0), cb_syscall(SYS_personality, 0xffffffffL, 0, 0, 0, 0, 0),
                 "personality(136) query: the 64-bit answer");
    cb_check_ret(int80(NR32_FLOCK, 0xffffffffUL, 1, 0), -EBADF, "flock(143) of fd -1: EBADF");
    cb_check_ret(int80(NR32_PRCTL, 3, 0, 0), 1, "prctl(172) PR_GET_DUMPABLE: 1");
    check_write_through_the_gate();
    check_signed_arguments();
    check_fork_and_exit_through_the_gate();
    cb_check_ret(registers_changed_by_int80(), 0,
                 "r8-r15, rbx, rsi, rdi and rbp are unchanged by a call through the gate");
    return cb_end();
}
