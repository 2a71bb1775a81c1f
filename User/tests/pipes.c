/*
 * pipes: pipe, pipe2, fcntl, dup2/dup3 and close-on-exec, as Linux (fs/pipe.c, fs/fcntl.c,
 * fs/file.c) has them.
 * - Data: bytes come out in order; a read returns what is there, up to its count; a read of an
 *   empty pipe waits for a writer (in another process); readv and writev fill and take their
 *   pieces in order (readv does not wait once it has bytes); 0 (end of file) once the last
 *   writer is closed, also when the writing process exits.
 * - No reader: the write raises SIGPIPE (its default action kills: wait status SIGPIPE); with
 *   SIGPIPE ignored or caught the write returns EPIPE.
 * - 200,000 bytes written in pieces of many sizes by a child, read in other pieces by the parent,
 *   every byte checked; writes of PIPE_BUF (4096) bytes from two children never interleave.
 * - O_NONBLOCK: EAGAIN from an empty pipe, and from a full one (16 page slots: 65536 bytes;
 *   a slot partly read is still in use); a large write stops at the room there is.
 * - Signals: a blocked read ends with EINTR, a blocked write returns the count written so far;
 *   with SA_RESTART the read goes on and gets the data.
 * - pipe2: O_CLOEXEC and O_NONBLOCK, EINVAL for other flags, EFAULT for a bad pointer without a
 *   descriptor left behind, EMFILE at RLIMIT_NOFILE.
 * - fcntl: F_DUPFD/F_DUPFD_CLOEXEC (lowest at or above arg, EINVAL at the limit), F_GETFD/F_SETFD,
 *   F_GETFL (access mode of each end) and F_SETFL (O_NONBLOCK, O_APPEND; shared by duplicates),
 *   F_GETPIPE_SZ, EBADF and EINVAL; dup2/dup3 semantics and errors.
 * - execve closes exactly the close-on-exec descriptors: the program runs itself with
 *   "--exec-check" and the descriptors to look at.
 * - 500 pipes created, filled and closed give every frame back: with --assert-memfree (Cowbird)
 *   MemFree must be exactly what it was; on Linux it is only printed.
 */
#include "cbtest.h"
#include <stdlib.h>
#include <sys/uio.h>
#include <sys/resource.h>

#ifndef F_GETPIPE_SZ
#define F_GETPIPE_SZ 1032
#endif

#define BIG_TRANSFER 200000
#define LEAK_CYCLES 500

static char self[256];

/* The path this program was started from (as exec_args finds it). */
static void find_self(const char *argv0)
{
    if (strchr(argv0, '/'))
        snprintf(self, sizeof self, "%s", argv0);
    else
        snprintf(self, sizeof self, "/bin/%s", argv0);
}

static long sys_pipe2(int *fds, long flags) { return cb_syscall(SYS_pipe2, (long)fds, flags, 0, 0, 0, 0); }
static long sys_read(int fd, void *buf, long n) { return cb_syscall(SYS_read, fd, (long)buf, n, 0, 0, 0); }
static long sys_write(int fd, const void *buf, long n) { return cb_syscall(SYS_write, fd, (long)buf, n, 0, 0, 0); }
static long sys_close(int fd) { return cb_syscall(SYS_close, fd, 0, 0, 0, 0, 0); }
static long sys_fcntl(int fd, long cmd, long arg) { return cb_syscall(SYS_fcntl, fd, cmd, arg, 0, 0, 0); }
static long sys_dup3(long oldfd, long newfd, long flags) { return cb_syscall(SYS_dup3, oldfd, newfd, flags, 0, 0, 0); }

/* A pipe, or a FAIL line and 0. */
static int make_pipe(int fds[2], long flags)
{
    long r = sys_pipe2(fds, flags);
    return cb_check_ret(r, 0, "pipe2(flags %#lx) makes a pipe", flags);
}

/* The lowest free descriptor (what the next open or dup would get). */
static int lowest_free(void)
{
    long fd = cb_syscall(SYS_dup, 0, 0, 0, 0, 0, 0);
    if (fd >= 0)
        sys_close((int)fd);
    return (int)fd;
}

/* Reads exactly n bytes (less at end of file); the count read, or a negative errno. */
static long read_full(int fd, char *buf, long n)
{
    long done = 0;
    while (done < n) {
        long r = sys_read(fd, buf + done, n - done);
        if (r <= 0)
            return done > 0 ? done : r;
        done += r;
    }
    return done;
}

static volatile int handled;

static void count_signal(int sig) { (void)sig; handled++; }

static void set_action(int sig, void (*fn)(int), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sa.sa_flags = flags;
    sigaction(sig, &sa, 0);
}

static void basic_data(void)
{
    int p[2];
    if (!make_pipe(p, 0))
        return;
    char buf[64] = { 0 };
    cb_check_ret(sys_write(p[1], "hello", 5), 5, "write of 5 bytes into a pipe");
    cb_check_ret(sys_write(p[1], " world", 6), 6, "a second write of 6 bytes");
    cb_check_ret(sys_read(p[0], buf, 3), 3, "read of 3 takes 3");
    cb_check_ret(sys_read(p[0], buf + 3, sizeof buf), 8, "read of 64 returns the 8 that are there");
    CHECK(memcmp(buf, "hello world", 11) == 0, "the bytes come out in order");
    cb_check_ret(sys_write(p[1], buf, 0), 0, "write of 0 bytes returns 0");
    struct iovec iov[3] = { { "ab", 2 }, { "", 0 }, { "cde", 3 } };
    cb_check_ret(cb_syscall(SYS_writev, p[1], (long)iov, 3, 0, 0, 0), 5, "writev of 2 + 0 + 3 bytes");
    memset(buf, 0, sizeof buf);
    cb_check_ret(sys_read(p[0], buf, sizeof buf), 5, "read gets writev's 5 bytes");
    CHECK(memcmp(buf, "abcde", 5) == 0, "writev's pieces in order");
    sys_write(p[1], "abcdef", 6);
    char head[3], tail[10];
    struct iovec rv[2] = { { head, 3 }, { tail, 10 } };
    cb_check_ret(cb_syscall(SYS_readv, p[0], (long)rv, 2, 0, 0, 0), 6, "readv into 3 + 10 bytes gets the 6 there, without waiting");
    CHECK(memcmp(head, "abc", 3) == 0 && memcmp(tail, "def", 3) == 0, "readv fills its pieces in order");
    sys_write(p[1], "gh", 2);
    struct iovec rv0[2] = { { head, 0 }, { tail, 10 } };
    cb_check_ret(cb_syscall(SYS_readv, p[0], (long)rv0, 2, 0, 0, 0), 2, "readv with an empty first piece reads into the second");
    cb_check_ret(cb_syscall(SYS_readv, p[1], (long)rv, 2, 0, 0, 0), -EBADF, "readv of the writing end: EBADF");
    cb_check_ret(cb_syscall(SYS_readv, p[0], (long)rv, 1025, 0, 0, 0), -EINVAL, "readv of 1025 pieces: EINVAL");
    cb_check_ret(cb_syscall(SYS_readv, p[0], 8, 1, 0, 0, 0), -EFAULT, "readv with a bad iovec pointer: EFAULT");
    cb_check_ret(sys_read(p[1], buf, 1), -EBADF, "read from the writing end: EBADF");
    cb_check_ret(sys_write(p[0], buf, 1), -EBADF, "write to the reading end: EBADF");
    sys_write(p[1], "z", 1);
    cb_check_ret(sys_read(p[0], (void *)8, 1), -EFAULT, "read into a bad buffer: EFAULT");
    cb_check_ret(sys_write(p[1], (void *)8, 1), -EFAULT, "write from a bad buffer: EFAULT");
    cb_check_ret(sys_read(p[0], buf, sizeof buf), 1, "the byte the bad read could not take is still there");
    sys_write(p[1], "xy", 2);
    sys_close(p[1]);
    cb_check_ret(sys_read(p[0], buf, sizeof buf), 2, "after the writer closes, what is left is read");
    cb_check_ret(sys_read(p[0], buf, sizeof buf), 0, "then read returns 0 (end of file)");
    cb_check_ret(sys_read(p[0], buf, sizeof buf), 0, "and again 0");
    sys_close(p[0]);
}

/* A child writes after a pause; the parent's read waits for it. The child exits holding the
   only writing end: then the parent sees end of file. */
static void blocking_read_and_exit_eof(void)
{
    int p[2];
    if (!make_pipe(p, 0))
        return;
    pid_t pid = cb_fork("writer child");
    if (pid == 0) {
        sys_close(p[0]);
        cb_sleep_ms(50);
        sys_write(p[1], "late", 4);
        _exit(0);
    }
    sys_close(p[1]);
    char buf[16] = { 0 };
    cb_check_ret(sys_read(p[0], buf, sizeof buf), 4, "a read of an empty pipe waits for the child's write");
    CHECK(memcmp(buf, "late", 4) == 0, "and returns its bytes");
    cb_check_ret(sys_read(p[0], buf, sizeof buf), 0, "end of file once the writing child exited");
    cb_expect_exit(pid, 0, "the writer child exits 0");
    sys_close(p[0]);
}

/* A dup of the writing end keeps the pipe open after the first is closed. */
static void eof_needs_every_writer(void)
{
    int p[2];
    if (!make_pipe(p, O_NONBLOCK))
        return;
    long copy = cb_syscall(SYS_dup, p[1], 0, 0, 0, 0, 0);
    sys_close(p[1]);
    char c;
    cb_check_ret(sys_read(p[0], &c, 1), -EAGAIN, "a dup of the writing end is open: EAGAIN, not end of file");
    sys_close((int)copy);
    cb_check_ret(sys_read(p[0], &c, 1), 0, "its close is the last writer's: end of file (even with O_NONBLOCK)");
    sys_close(p[0]);
}

static void broken_pipe(void)
{
    int p[2];
    if (!make_pipe(p, 0))
        return;
    sys_close(p[0]);
    pid_t pid = cb_fork("SIGPIPE child");
    if (pid == 0) {
        /* SIG_DFL here: an ignored SIGPIPE is inherited across execve (a test host may ignore it). */
        set_action(SIGPIPE, SIG_DFL, 0);
        sys_write(p[1], "x", 1);
        _exit(0);
    }
    cb_expect_signal(pid, SIGPIPE, "a write with no reader left kills the writer with SIGPIPE");

    pid = cb_fork("SIG_IGN child");
    if (pid == 0) {
        cb_child_begin("SIG_IGN", 0);
        set_action(SIGPIPE, SIG_IGN, 0);
        cb_check_ret(sys_write(p[1], "x", 1), -EPIPE, "with SIGPIPE ignored the write returns EPIPE");
        cb_check_ret(sys_write(p[1], "x", 0), 0, "a write of 0 bytes returns 0 even then");
        cb_child_exit();
    }
    cb_expect_exit(pid, 0, "with SIGPIPE ignored: EPIPE, and the writer lives");

    pid = cb_fork("handler child");
    if (pid == 0) {
        cb_child_begin("handler", 0);
        handled = 0;
        set_action(SIGPIPE, count_signal, 0);
        cb_check_ret(sys_write(p[1], "x", 1), -EPIPE, "with a SIGPIPE handler the write returns EPIPE");
        cb_check_ret(handled, 1, "after the handler ran once");
        cb_child_exit();
    }
    cb_expect_exit(pid, 0, "with a SIGPIPE handler: it runs, the write returns EPIPE");
    sys_close(p[1]);
}

/* A child writes BIG_TRANSFER bytes of a pattern in pieces of many sizes; the parent reads them
   in other pieces and checks every byte. */
static void big_transfer(void)
{
    static const long write_sizes[] = { 1, 4095, 4096, 4097, 10000, 65536, 70000, 3, 8191 };
    static const long read_sizes[] = { 7, 4096, 100000, 1, 65536, 12345 };
    char *data = cb_map_private(BIG_TRANSFER / CB_PAGE + 1);
    char *got = cb_map_private(BIG_TRANSFER / CB_PAGE + 1);
    int p[2];
    if (!data || !got || !make_pipe(p, 0))
        return;
    cb_fill(data, BIG_TRANSFER / 8 * 8, 77, 0);
    pid_t pid = cb_fork("big writer");
    if (pid == 0) {
        cb_child_begin("big writer", 0);
        sys_close(p[0]);
        long done = 0;
        for (int i = 0; done < BIG_TRANSFER; i++) {
            long n = write_sizes[i % 9];
            if (n > BIG_TRANSFER - done)
                n = BIG_TRANSFER - done;
            long r = sys_write(p[1], data + done, n);
            if (r <= 0)
                break;
            done += r;
        }
        cb_check_ret(done, BIG_TRANSFER, "the child wrote all %d bytes", BIG_TRANSFER);
        cb_child_exit();
    }
    sys_close(p[1]);
    long done = 0, short_reads = 0;
    for (int i = 0;; i++) {
        long want = read_sizes[i % 6];
        if (want > BIG_TRANSFER + 1 - done)
            want = BIG_TRANSFER + 1 - done;
        long r = sys_read(p[0], got + done, want);
        if (r <= 0)
            break;
        short_reads += r < want;
        done += r;
    }
    cb_check_ret(done, BIG_TRANSFER, "the parent read %d bytes, then end of file", BIG_TRANSFER);
    CHECK(memcmp(data, got, BIG_TRANSFER) == 0, "every byte arrived, in order");
    cb_print("INFO %ld short reads", short_reads);
    cb_expect_exit(pid, 0, "the big writer exits 0");
    sys_close(p[0]);
}

/* Two children write 64 blocks of 4096 bytes each (their own byte value); every 4096-byte block
   of the stream must come from one write. */
static void atomic_writes(void)
{
    int p[2];
    if (!make_pipe(p, 0))
        return;
    pid_t pids[2];
    for (int c = 0; c < 2; c++) {
        pids[c] = cb_fork("atomic writer");
        if (pids[c] == 0) {
            char block[4096];
            memset(block, 'a' + c, sizeof block);
            sys_close(p[0]);
            for (int i = 0; i < 64; i++)
                if (sys_write(p[1], block, sizeof block) != (long)sizeof block)
                    _exit(1);
            _exit(0);
        }
    }
    sys_close(p[1]);
    char block[4096];
    int blocks = 0, mixed = 0;
    long r;
    while ((r = read_full(p[0], block, sizeof block)) == (long)sizeof block) {
        blocks++;
        for (int i = 1; i < (int)sizeof block; i++)
            if (block[i] != block[0]) {
                mixed++;
                break;
            }
    }
    cb_check_ret(blocks, 128, "128 blocks of 4096 bytes arrived");
    cb_check_ret(mixed, 0, "no block mixes the two writers' bytes (writes of PIPE_BUF are atomic)");
    cb_expect_exit(pids[0], 0, "the first atomic writer exits 0");
    cb_expect_exit(pids[1], 0, "the second atomic writer exits 0");
    sys_close(p[0]);
}

static void nonblocking(void)
{
    int p[2];
    char *page = cb_map_private(2), c = 0;
    if (!page || !make_pipe(p, O_NONBLOCK))
        return;
    memset(page, 'n', 2 * CB_PAGE);
    cb_check_ret(sys_read(p[0], &c, 1), -EAGAIN, "O_NONBLOCK read of an empty pipe: EAGAIN");
    cb_check_ret(sys_fcntl(p[0], F_GETPIPE_SZ, 0), 65536, "F_GETPIPE_SZ: 65536");
    long total = 0, r;
    while ((r = sys_write(p[1], page, CB_PAGE)) > 0)
        total += r;
    cb_check_ret(r, -EAGAIN, "writes of 4096 bytes until EAGAIN");
    cb_check_ret(total, 65536, "the pipe took 65536 bytes");
    cb_check_ret(sys_write(p[1], page, 1), -EAGAIN, "1 more byte into the full pipe: EAGAIN");
    cb_check_ret(sys_read(p[0], &c, 1), 1, "read of 1 byte");
    cb_check_ret(sys_write(p[1], page, 1), -EAGAIN, "its slot is still in use: a 1-byte write gets EAGAIN");
    cb_check_ret(read_full(p[0], page, 4095), 4095, "the rest of the first page read");
    cb_check_ret(sys_write(p[1], page, 8192), 4096, "8192 bytes with one free page: 4096 written");
    cb_check_ret(sys_write(p[1], page, 100), -EAGAIN, "then full again: EAGAIN");
    total = 0;
    while ((r = sys_read(p[0], page, CB_PAGE)) > 0)
        total += r;
    cb_check_ret(r, -EAGAIN, "draining ends in EAGAIN");
    cb_check_ret(total, 65536, "65536 bytes drained");
    cb_check_ret(sys_write(p[1], page, 10), 10, "10 bytes into the empty pipe");
    cb_check_ret(sys_write(p[1], page, 4000), 4000, "4000 bytes merge into the same page");
    cb_check_ret(sys_write(p[1], page, 100), 100, "100 more start a new page");
    cb_check_ret(sys_read(p[0], page, CB_PAGE), 4096, "a read of 4096 gets 4010 + 86 across the pages");
    sys_close(p[1]);
    cb_check_ret(sys_read(p[0], page, CB_PAGE), 14, "the last 14 bytes");
    sys_close(p[0]);
}

/* The parent blocks in read (or write) while a child sends SIGUSR1 until the parent is done. */
static volatile int *interrupt_done;

static pid_t start_interrupter(pid_t target)
{
    *interrupt_done = 0;
    pid_t pid = cb_fork("interrupter");
    if (pid == 0) {
        while (!*interrupt_done) {
            cb_sleep_ms(20);
            kill(target, SIGUSR1);
        }
        _exit(0);
    }
    return pid;
}

static void interrupted(void)
{
    interrupt_done = cb_map_shared(1);
    int p[2];
    if (!interrupt_done || !make_pipe(p, 0))
        return;
    set_action(SIGUSR1, count_signal, 0);
    char buf[8];
    pid_t pid = start_interrupter(getpid());
    cb_check_ret(sys_read(p[0], buf, sizeof buf), -EINTR, "a blocked read interrupted by a handled signal: EINTR");
    cb_set_flag(interrupt_done, 1);
    cb_expect_exit(pid, 0, "the interrupter exits 0");

    char *big = cb_map_private(17);
    if (big) {
        pid = start_interrupter(getpid());
        cb_check_ret(sys_write(p[1], big, 17 * CB_PAGE), 16 * (long)CB_PAGE,
                     "a write of 17 pages into an empty pipe nobody reads, interrupted: 16 pages written");
        cb_set_flag(interrupt_done, 1);
        cb_expect_exit(pid, 0, "the interrupter exits 0");
    }
    sys_close(p[0]);
    sys_close(p[1]);

    if (!make_pipe(p, 0))
        return;
    set_action(SIGUSR1, count_signal, SA_RESTART);
    handled = 0;
    *interrupt_done = 0;
    pid_t parent = getpid();
    pid = cb_fork("restart writer");
    if (pid == 0) {
        /* Signals while the parent reads, then the data the restarted read gets. */
        for (int i = 0; i < 5; i++) {
            cb_sleep_ms(20);
            kill(parent, SIGUSR1);
        }
        cb_sleep_ms(20);
        sys_write(p[1], "r", 1);
        _exit(0);
    }
    buf[0] = 0;
    cb_check_ret(sys_read(p[0], buf, sizeof buf), 1, "with SA_RESTART the read goes on through the signals");
    CHECK(buf[0] == 'r' && handled == 5, "and gets the byte written after 5 handled signals");
    cb_expect_exit(pid, 0, "the restart writer exits 0");
    set_action(SIGUSR1, SIG_DFL, 0);
    sys_close(p[0]);
    sys_close(p[1]);
}

static void pipe2_flags(void)
{
    int p[2];
    if (make_pipe(p, 0)) {
        cb_check_ret(sys_fcntl(p[0], F_GETFD, 0), 0, "pipe2(0): no FD_CLOEXEC");
        cb_check_ret(sys_fcntl(p[0], F_GETFL, 0), O_RDONLY, "pipe2(0): the reading end is O_RDONLY");
        cb_check_ret(sys_fcntl(p[1], F_GETFL, 0), O_WRONLY, "pipe2(0): the writing end is O_WRONLY");
        cb_check_ret(p[1], p[0] + 1, "the two fds are the lowest free ones, in order");
        sys_close(p[0]);
        sys_close(p[1]);
    }
    if (make_pipe(p, O_CLOEXEC | O_NONBLOCK)) {
        cb_check_ret(sys_fcntl(p[0], F_GETFD, 0), FD_CLOEXEC, "pipe2(O_CLOEXEC): the reading end has FD_CLOEXEC");
        cb_check_ret(sys_fcntl(p[1], F_GETFD, 0), FD_CLOEXEC, "pipe2(O_CLOEXEC): the writing end too");
        cb_check_ret(sys_fcntl(p[0], F_GETFL, 0), O_RDONLY | O_NONBLOCK, "pipe2(O_NONBLOCK): O_RDONLY|O_NONBLOCK");
        cb_check_ret(sys_fcntl(p[1], F_GETFL, 0), O_WRONLY | O_NONBLOCK, "pipe2(O_NONBLOCK): O_WRONLY|O_NONBLOCK");
        sys_close(p[0]);
        sys_close(p[1]);
    }
    int before = lowest_free();
    cb_check_ret(sys_pipe2(p, O_APPEND), -EINVAL, "pipe2(O_APPEND): EINVAL");
    cb_check_ret(sys_pipe2(p, 1), -EINVAL, "pipe2(O_WRONLY): EINVAL");
    cb_check_ret(sys_pipe2(p, (long)0x80000000UL), -EINVAL, "pipe2(0x80000000): EINVAL");
    cb_check_ret(sys_pipe2((int *)8, 0), -EFAULT, "pipe2 with a bad pointer: EFAULT");
    cb_check_ret(cb_syscall(SYS_pipe, (long)0xffff800000000000UL, 0, 0, 0, 0, 0), -EFAULT,
                 "pipe with a kernel pointer: EFAULT");
    char *ro = mmap(NULL, CB_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    cb_check_ret(sys_pipe2((int *)ro, 0), -EFAULT, "pipe2 into a read-only page: EFAULT");
    cb_check_ret(sys_pipe2((int *)8, 0x1), -EINVAL, "bad flags and a bad pointer: EINVAL first");
    cb_check_ret(lowest_free(), before, "no descriptor left behind by the failed calls");
    munmap(ro, CB_PAGE);

    pid_t pid = cb_fork("EMFILE child");
    if (pid == 0) {
        cb_child_begin("EMFILE", 0);
        int low = lowest_free();
        cb_set_soft_limit(RLIMIT_NOFILE, (unsigned long)low + 1);
        cb_check_ret(sys_pipe2(p, 0), -EMFILE, "one free fd below RLIMIT_NOFILE: pipe2 gets EMFILE");
        cb_check_ret(sys_pipe2((int *)8, 0), -EMFILE, "EMFILE comes before EFAULT");
        cb_check_ret(lowest_free(), low, "and leaves the free fd free");
        cb_set_soft_limit(RLIMIT_NOFILE, (unsigned long)low + 2);
        cb_check_ret(sys_pipe2(p, 0), 0, "two free fds: pipe2 works");
        cb_check_ret(sys_fcntl(p[0], F_DUPFD, 0), -EMFILE, "then F_DUPFD gets EMFILE");
        cb_check_ret(sys_fcntl(p[0], F_DUPFD, low + 2), -EINVAL, "F_DUPFD from the limit on: EINVAL");
        cb_child_exit();
    }
    cb_expect_exit(pid, 0, "pipe2 at RLIMIT_NOFILE: EMFILE, nothing leaked");
}

static void fcntl_and_dup(void)
{
    int p[2];
    if (!make_pipe(p, 0))
        return;
    long d = sys_fcntl(p[0], F_DUPFD, 100);
    cb_check_ret(d, 100, "F_DUPFD 100: fd 100");
    cb_check_ret(sys_fcntl(p[0], F_DUPFD, 100), 101, "again: fd 101, the lowest free from 100");
    cb_check_ret(sys_fcntl(100, F_GETFD, 0), 0, "F_DUPFD's fd has no FD_CLOEXEC");
    cb_check_ret(sys_fcntl(p[0], F_DUPFD_CLOEXEC, 100), 102, "F_DUPFD_CLOEXEC 100: fd 102");
    cb_check_ret(sys_fcntl(102, F_GETFD, 0), FD_CLOEXEC, "with FD_CLOEXEC");
    cb_check_ret(sys_fcntl(p[0], F_GETFD, 0), 0, "the original keeps its own flag");
    cb_check_ret(sys_fcntl(100, F_SETFD, 3), 0, "F_SETFD 3");
    cb_check_ret(sys_fcntl(100, F_GETFD, 0), FD_CLOEXEC, "F_GETFD: FD_CLOEXEC only");
    cb_check_ret(sys_fcntl(100, F_SETFD, 0), 0, "F_SETFD 0");
    cb_check_ret(sys_fcntl(100, F_GETFD, 0), 0, "F_GETFD: 0");
    struct rlimit files;
    getrlimit(RLIMIT_NOFILE, &files);
    long limit = (long)files.rlim_cur;
    cb_check_ret(sys_fcntl(p[0], F_DUPFD, limit), -EINVAL, "F_DUPFD at RLIMIT_NOFILE: EINVAL");
    cb_check_ret(sys_fcntl(p[0], F_DUPFD, -1), -EINVAL, "F_DUPFD -1: EINVAL");

    cb_check_ret(sys_fcntl(p[0], F_SETFL, O_NONBLOCK), 0, "F_SETFL O_NONBLOCK on the reading end");
    cb_check_ret(sys_fcntl(101, F_GETFL, 0), O_RDONLY | O_NONBLOCK, "a duplicate shares the status flags");
    char c;
    cb_check_ret(sys_read(102, &c, 1), -EAGAIN, "a read through the duplicate: EAGAIN");
    cb_check_ret(sys_fcntl(p[0], F_SETFL, O_RDWR | O_APPEND), 0, "F_SETFL O_RDWR|O_APPEND");
    cb_check_ret(sys_fcntl(p[0], F_GETFL, 0), O_RDONLY | O_APPEND,
                 "the access mode stays, O_APPEND is set, O_NONBLOCK cleared");
    cb_check_ret(sys_fcntl(p[1], F_SETFL, O_NONBLOCK), 0, "F_SETFL O_NONBLOCK on the writing end");
    cb_check_ret(sys_fcntl(p[1], F_GETFL, 0), O_WRONLY | O_NONBLOCK, "F_GETFL: O_WRONLY|O_NONBLOCK");
    cb_check_ret(sys_fcntl(p[1], F_SETFL, 0), 0, "F_SETFL 0");

    cb_check_ret(sys_fcntl(-1, F_GETFD, 0), -EBADF, "fcntl(-1): EBADF");
    cb_check_ret(sys_fcntl(999, F_GETFL, 0), -EBADF, "fcntl of a closed fd: EBADF");
    cb_check_ret(sys_fcntl(999, 9999, 0), -EBADF, "a closed fd and an unknown command: EBADF first");
    cb_check_ret(sys_fcntl(p[0], 9999, 0), -EINVAL, "an unknown command: EINVAL");
    long proc = cb_syscall(SYS_open, (long)"/proc/meminfo", O_RDONLY, 0, 0, 0, 0);
    if (proc >= 0) {
        cb_check_ret(sys_fcntl((int)proc, F_GETPIPE_SZ, 0), -EBADF, "F_GETPIPE_SZ of a file: EBADF");
        cb_check_ret(sys_fcntl((int)proc, F_GETFL, 0) & O_ACCMODE, O_RDONLY, "F_GETFL of a file opened O_RDONLY");
        sys_close((int)proc);
    }

    cb_check_ret(sys_dup3(p[0], p[0], 0), -EINVAL, "dup3(fd, fd): EINVAL");
    cb_check_ret(sys_dup3(p[0], 103, O_APPEND), -EINVAL, "dup3 with a flag other than O_CLOEXEC: EINVAL");
    cb_check_ret(sys_dup3(999, 999, 0x1), -EINVAL, "dup3 flags are checked first");
    cb_check_ret(sys_dup3(999, 103, 0), -EBADF, "dup3 of a closed fd: EBADF");
    cb_check_ret(sys_dup3(p[0], limit, 0), -EBADF, "dup3 to RLIMIT_NOFILE: EBADF");
    cb_check_ret(sys_dup3(p[0], -1, 0), -EBADF, "dup3 to -1: EBADF");
    cb_check_ret(sys_dup3(p[0], 100, O_CLOEXEC), 100, "dup3 onto the open fd 100 with O_CLOEXEC");
    cb_check_ret(sys_fcntl(100, F_GETFD, 0), FD_CLOEXEC, "fd 100 now has FD_CLOEXEC");
    cb_check_ret(cb_syscall(SYS_dup2, p[1], 100, 0, 0, 0, 0), 100, "dup2 the writing end onto fd 100");
    cb_check_ret(sys_fcntl(100, F_GETFD, 0), 0, "dup2 clears FD_CLOEXEC");
    cb_check_ret(sys_fcntl(100, F_GETFL, 0), O_WRONLY, "fd 100 is the writing end now");
    cb_check_ret(cb_syscall(SYS_dup2, 100, 100, 0, 0, 0, 0), 100, "dup2(fd, fd) returns fd");
    cb_check_ret(sys_write(100, "d", 1), 1, "a write through the dup2'd fd");
    sys_close(p[1]);
    cb_check_ret(sys_fcntl(p[0], F_SETFL, O_NONBLOCK), 0, "O_NONBLOCK on the reading end");
    cb_check_ret(sys_read(p[0], &c, 1), 1, "the reader gets the byte");
    cb_check_ret(sys_read(p[0], &c, 1), -EAGAIN, "fd 100 still writes into the pipe: EAGAIN, not end of file");
    sys_close(100);
    cb_check_ret(sys_read(p[0], &c, 1), 0, "closing it leaves no writer: end of file");
    sys_close(101);
    sys_close(102);
    sys_close(p[0]);
}

/* The exec'ed image: argv[2..] are "fd:open" or "fd:closed"; for each open one a byte is written
   into it (the parent reads them). Exit 0 when every fd was as expected. */
static int exec_check(int argc, char **argv)
{
    int bad = 0;
    for (int i = 2; i < argc; i++) {
        int fd = atoi(argv[i]);
        int want_open = strstr(argv[i], ":open") != NULL;
        long r = sys_fcntl(fd, F_GETFD, 0);
        if (want_open ? r != 0 : r != -EBADF)
            bad |= 1 << (i - 2);
        if (want_open && sys_fcntl(fd, F_GETFL, 0) == O_WRONLY)
            sys_write(fd, "e", 1);
    }
    return bad;
}

static void close_on_exec(void)
{
    int a[2], b[2];
    if (!make_pipe(a, O_CLOEXEC) || !make_pipe(b, 0))
        return;
    long kept = sys_dup3(a[1], 110, 0);
    long dropped = sys_dup3(b[1], 111, O_CLOEXEC);
    long cleared = sys_fcntl(a[0], F_DUPFD_CLOEXEC, 112);
    sys_fcntl((int)cleared, F_SETFD, 0);
    long set = sys_fcntl(b[0], F_DUPFD, 113);
    sys_fcntl((int)set, F_SETFD, FD_CLOEXEC);
    char args[8][24];
    snprintf(args[0], 24, "%d:closed", a[0]);
    snprintf(args[1], 24, "%d:closed", a[1]);
    snprintf(args[2], 24, "%d:open", b[0]);
    snprintf(args[3], 24, "%d:open", b[1]);
    snprintf(args[4], 24, "%ld:open", kept);
    snprintf(args[5], 24, "%ld:closed", dropped);
    snprintf(args[6], 24, "%ld:open", cleared);
    snprintf(args[7], 24, "%ld:closed", set);
    pid_t pid = cb_fork("exec child");
    if (pid == 0) {
        char *argv[] = { "pipes", "--exec-check", args[0], args[1], args[2], args[3], args[4], args[5],
                         args[6], args[7], NULL };
        char *envp[] = { NULL };
        cb_syscall(SYS_execve, (long)self, (long)argv, (long)envp, 0, 0, 0);
        _exit(127);
    }
    int status = 0;
    cb_wait(pid, &status);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "execve closes the FD_CLOEXEC fds (pipe2 O_CLOEXEC, dup3 O_CLOEXEC, F_SETFD) and keeps the others (F_DUPFD, dup3 0, F_SETFD 0)");
    sys_close(a[1]);
    sys_close((int)kept);
    sys_close(b[1]);
    sys_close((int)dropped);
    char buf[8];
    cb_check_ret(read_full(a[0], buf, sizeof buf), 1, "the new image wrote once into the kept dup of a close-on-exec pipe");
    cb_check_ret(read_full(b[0], buf, sizeof buf), 1, "and once into the kept writing end of the other pipe");
    sys_close(a[0]);
    sys_close(b[0]);
    sys_close((int)cleared);
    sys_close((int)set);
}

/* One pipe filled with `bytes`, half read, closed. */
static int pipe_cycle(long bytes, char *buf)
{
    int p[2];
    if (sys_pipe2(p, O_NONBLOCK) != 0)
        return 0;
    int ok = sys_write(p[1], buf, bytes) == bytes && sys_read(p[0], buf, bytes / 2) == bytes / 2;
    if (bytes % 2)
        sys_close(p[0]), sys_close(p[1]);
    else
        sys_close(p[1]), sys_close(p[0]);
    return ok;
}

static void no_leak(int assert_memfree)
{
    char *buf = cb_map_private(16);
    if (!buf)
        return;
    int ok = 0;
    for (int i = 0; i < 20; i++)
        ok += pipe_cycle(65536, buf);
    long before = 0, after = 0;
    int have_before = cb_meminfo_kb("MemFree", &before);
    for (int i = 0; i < LEAK_CYCLES; i++)
        ok += pipe_cycle(i % 2 ? 65536 : 1 + (i * 977) % 65536, buf);
    int have_after = cb_meminfo_kb("MemFree", &after);
    cb_check_ret(ok, LEAK_CYCLES + 20, "%d pipes created, filled, half read and closed", LEAK_CYCLES + 20);
    CHECK(have_before && have_after && before > 0, "MemFree read from /proc/meminfo");
    cb_print("INFO MemFree before %ld kB, after %ld kB, difference %+ld kB", before, after, after - before);
    if (assert_memfree)
        cb_check_ret(after - before, 0, "MemFree after the pipes exactly as before");
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--exec-check") == 0)
        return exec_check(argc, argv);
    cb_begin("pipes");
    find_self(argv[0]);
    int assert_memfree = argc > 1 && strcmp(argv[1], "--assert-memfree") == 0;
    basic_data();
    blocking_read_and_exit_eof();
    eof_needs_every_writer();
    broken_pipe();
    big_transfer();
    atomic_writes();
    nonblocking();
    interrupted();
    pipe2_flags();
    fcntl_and_dup();
    close_on_exec();
    no_leak(assert_memfree);
    return cb_end();
}
