/*
 * efault: system calls given bad user pointers return -EFAULT and the process goes on.
 * Pointers tried: near-NULL, unmapped, PROT_NONE, read-only (for the kernel writing), the first
 * kernel-half address 0xffff800000000000, the top of the address space and the first
 * non-canonical address. Raw system calls, so the exact -EFAULT is seen.
 * fd 1 must read its buffer (a terminal, pipe or file - not /dev/null, whose write() ignores it).
 */
#include "cbtest.h"
#include <sys/uio.h>

#define KERNEL_HALF 0xffff800000000000L
#define TOP 0xfffffffffffff000L
#define NONCANONICAL 0x0000800000000000L

static long sys3(long nr, long a, long b, long c) { return cb_syscall(nr, a, b, c, 0, 0, 0); }

int main(int argc, char **argv)
{
    (void)argc;
    cb_begin("efault");
    char *none = mmap(NULL, CB_PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *ro = mmap(NULL, CB_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *gone = cb_map_private(1);
    if (none == MAP_FAILED || ro == MAP_FAILED || !gone)
        return cb_end();
    munmap(gone, CB_PAGE);

    /* The kernel reading user memory: write() from bad buffers. */
    cb_check_ret(sys3(SYS_write, 1, 8, 10), -EFAULT, "write(1, (void*)8, 10)");
    cb_check_ret(sys3(SYS_write, 1, 0, 1), -EFAULT, "write(1, NULL, 1)");
    cb_check_ret(sys3(SYS_write, 1, (long)gone, 10), -EFAULT, "write from an unmapped page");
    cb_check_ret(sys3(SYS_write, 1, (long)none, 10), -EFAULT, "write from a PROT_NONE page");
    cb_check_ret(sys3(SYS_write, 1, KERNEL_HALF, 10), -EFAULT, "write from 0xffff800000000000");
    cb_check_ret(sys3(SYS_write, 1, TOP, 10), -EFAULT, "write from 0xfffffffffffff000");
    cb_check_ret(sys3(SYS_write, 1, NONCANONICAL, 10), -EFAULT, "write from non-canonical 0x800000000000");
    cb_check_ret(sys3(SYS_write, 1, (long)ro, 0), 0, "write of 0 bytes from a valid page returns 0");

    /* The kernel writing user memory: read() into bad buffers, from a file that exists. */
    long fd = sys3(SYS_open, (long)"/proc/meminfo", O_RDONLY, 0);
    CHECK(fd >= 0, "open /proc/meminfo");
    if (fd >= 0) {
        cb_check_ret(sys3(SYS_read, fd, KERNEL_HALF, 10), -EFAULT, "read into 0xffff800000000000");
        cb_check_ret(sys3(SYS_read, fd, 16, 10), -EFAULT, "read into (void*)16");
        cb_check_ret(sys3(SYS_read, fd, (long)ro, 10), -EFAULT, "read into a read-only page");
        cb_check_ret(sys3(SYS_read, fd, (long)none, 10), -EFAULT, "read into a PROT_NONE page");
        cb_check_ret(sys3(SYS_read, fd, (long)gone, 10), -EFAULT, "read into an unmapped page");
        char ok[8];
        cb_check_ret(sys3(SYS_read, fd, (long)ok, 4), 4, "read into a valid buffer still works");
        cb_check_ret(sys3(SYS_close, fd, 0, 0), 0, "close");
    }
    CHECK(ro[0] == 0, "the read-only page is unchanged");

    /* Paths, iovecs, time and signal structures. */
    cb_check_ret(sys3(SYS_open, KERNEL_HALF, O_RDONLY, 0), -EFAULT, "open with a kernel-half path");
    cb_check_ret(sys3(SYS_open, (long)gone, O_RDONLY, 0), -EFAULT, "open with an unmapped path");
    struct iovec iov[2] = { { (void *)"", 0 }, { (void *)KERNEL_HALF, 4 } };
    cb_check_ret(sys3(SYS_writev, 1, KERNEL_HALF, 1), -EFAULT, "writev with a kernel-half iovec array");
    cb_check_ret(sys3(SYS_writev, 1, (long)iov, 2), -EFAULT, "writev with a kernel-half buffer in the iovec");
    cb_check_ret(sys3(SYS_clock_gettime, CLOCK_MONOTONIC, KERNEL_HALF, 0), -EFAULT,
                 "clock_gettime into a kernel-half address");
    cb_check_ret(sys3(SYS_clock_gettime, CLOCK_MONOTONIC, (long)ro, 0), -EFAULT, "clock_gettime into a read-only page");
    cb_check_ret(sys3(SYS_nanosleep, (long)none, 0, 0), -EFAULT, "nanosleep reading a PROT_NONE timespec");
    cb_check_ret(cb_syscall(SYS_rt_sigaction, SIGTERM, KERNEL_HALF, 0, 8, 0, 0), -EFAULT, "rt_sigaction with a kernel-half action");
    cb_check_ret(cb_syscall(SYS_rt_sigprocmask, SIG_BLOCK, (long)gone, 0, 8, 0, 0), -EFAULT,
                 "rt_sigprocmask with an unmapped set");
    char *args[] = { argv[0], 0 };
    cb_check_ret(sys3(SYS_execve, (long)gone, (long)args, 0), -EFAULT, "execve with an unmapped path");

    /* A child waited for with a bad status pointer. */
    pid_t pid = fork();
    if (pid == 0)
        _exit(7);
    if (pid > 0) {
        cb_check_ret(cb_syscall(SYS_wait4, pid, KERNEL_HALF, 0, 0, 0, 0), -EFAULT,
                     "wait4 with a kernel-half status pointer");
        int status = 0;
        cb_wait(pid, &status);   /* Linux has reaped it already; a kernel that did not, does now */
    }
    return cb_end();
}
