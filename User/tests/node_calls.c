/*
 * node_calls: file system nodes that are not plain files or directories, and the calls
 * around them, as Linux (fs/namei.c, fs/pipe.c, fs/sync.c, fs/readdir.c) has them.
 * Everything happens in a fresh directory under /tmp (mkdtemp), removed at the end.
 * - mknod/mknodat: FIFOs, regular files (type 0 too), character and block device nodes
 *   with their st_rdev, sockets; the mode's permission bits & ~umask; a mode's bits above
 *   16 ignored (umode_t); EPERM for a directory and EINVAL for other types, before the
 *   path's EFAULT; EEXIST (also for "." and a name ending in "/"), ENOENT, ENOTDIR, EBADF;
 *   d_type of each in getdents64; opening a device node without a driver or a socket is
 *   ENXIO, while a node of /dev/null's number (1:3) works as /dev/null.
 * - FIFOs: O_RDONLY|O_NONBLOCK opens at once and reads end of file, O_WRONLY|O_NONBLOCK
 *   without a reader is ENXIO, O_RDWR never waits; bytes go through in order; fstat is
 *   S_IFIFO with the node's inode number; lseek/pread ESPIPE, fsync and ftruncate EINVAL,
 *   F_GETPIPE_SZ 65536; end of file when the last writer closes, EPIPE without a reader;
 *   poll's POLLHUP only once a writer has come to a reader that opened without one;
 *   unread bytes are gone once every end is closed; a blocking O_RDONLY open waits for a
 *   writer in another process (and O_WRONLY for a reader); a handled signal ends a waiting
 *   open with EINTR (the end it took given back), and SA_RESTART restarts it.
 * - flock: shared and exclusive locks of open files (shared by dup and fork), EWOULDBLOCK
 *   with LOCK_NB, a conversion that fails has dropped the old lock, released by LOCK_UN and
 *   by the last close, on files, pipes and FIFOs; a blocking lock waits for another
 *   process's to go, a handled signal ends the wait (EINTR); EINVAL before EBADF, LOCK_MAND
 *   ignored.
 * - fadvise64: advice 0-5 accepted and ignored, EINVAL, EBADF, ESPIPE on pipes and FIFOs.
 * - fallocate on a tmpfs file (in /dev/shm on a host whose /tmp is a disk): frames for the
 *   range (st_blocks), the size grown unless FALLOC_KEEP_SIZE, pages past the size given
 *   back by ftruncate, PUNCH_HOLE zeroing bytes and freeing whole pages, and the errors in
 *   Linux's order (EBADF, EINVAL, EOPNOTSUPP, EFBIG, ESPIPE, ENODEV).
 * - sync, syncfs (EBADF for a bad fd, 0 on a file and a pipe).
 * - getdents (the old call): struct linux_dirent with d_type in the record's last byte,
 *   records of ALIGN(18 + name + 2, 8) bytes, the same names, inode numbers and types as
 *   getdents64, d_off of the last record the directory's offset, EINVAL for a buffer too
 *   small, ENOTDIR, EBADF, EFAULT.
 */
#include "cbtest.h"
#include <dirent.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#define FIFO_SIZE 65536
#define PIPE_MAGIC 0x50495045
#define TMPFS_MAGIC 0x01021994
/* fallocate's modes (linux/falloc.h, which musl's headers lack). */
#define FALLOC_KEEP_SIZE 0x01
#define FALLOC_PUNCH_HOLE 0x02
#define FALLOC_NO_HIDE_STALE 0x04
#define FALLOC_COLLAPSE_RANGE 0x08
#define FALLOC_ZERO_RANGE 0x10
#define FALLOC_UNSHARE_RANGE 0x40
#define KERNEL_O_LARGEFILE 0x8000
#define F_GETPIPE_SZ_CMD 1032

static char top[64];

static long sys_open(const char *p, long flags) { return cb_syscall(SYS_open, (long)p, flags, 0, 0, 0, 0); }
static long sys_close(long fd) { return cb_syscall(SYS_close, fd, 0, 0, 0, 0, 0); }
static long sys_read(long fd, void *b, long n) { return cb_syscall(SYS_read, fd, (long)b, n, 0, 0, 0); }
static long sys_write(long fd, const void *b, long n) { return cb_syscall(SYS_write, fd, (long)b, n, 0, 0, 0); }
static long sys_stat(const char *p, struct stat *st) { return cb_syscall(SYS_stat, (long)p, (long)st, 0, 0, 0, 0); }
static long sys_fstat(long fd, struct stat *st) { return cb_syscall(SYS_fstat, fd, (long)st, 0, 0, 0, 0); }
static long sys_unlink(const char *p) { return cb_syscall(SYS_unlink, (long)p, 0, 0, 0, 0, 0); }
static long sys_rmdir(const char *p) { return cb_syscall(SYS_rmdir, (long)p, 0, 0, 0, 0, 0); }
static long sys_mkdir(const char *p, long mode) { return cb_syscall(SYS_mkdir, (long)p, mode, 0, 0, 0, 0); }
static long sys_umask(long mask) { return cb_syscall(SYS_umask, mask, 0, 0, 0, 0, 0); }
static long sys_mknod(const char *p, long mode, long dev) { return cb_syscall(SYS_mknod, (long)p, mode, dev, 0, 0, 0); }
static long sys_mknodat(long dfd, const char *p, long mode, long dev) { return cb_syscall(SYS_mknodat, dfd, (long)p, mode, dev, 0, 0); }
static long sys_fcntl(long fd, long cmd, long arg) { return cb_syscall(SYS_fcntl, fd, cmd, arg, 0, 0, 0); }
static long sys_getdents(long fd, void *b, long n) { return cb_syscall(SYS_getdents, fd, (long)b, n, 0, 0, 0); }
static long sys_getdents64(long fd, void *b, long n) { return cb_syscall(SYS_getdents64, fd, (long)b, n, 0, 0, 0); }

/* `name` inside the test directory. */
static const char *at(const char *name) { return cb_path_in(top, name); }

/* The st_mode of `name` in the test directory, or 0 when stat fails. */
static unsigned mode_of(const char *name)
{
    struct stat st;
    return sys_stat(at(name), &st) == 0 ? st.st_mode : 0;
}

/* The revents poll gives `fd` asked for `events`, at once (timeout 0); -errno on failure. */
static long poll_events(long fd, short events)
{
    struct pollfd p = { (int)fd, events, 0 };
    long n = cb_syscall(SYS_poll, (long)&p, 1, 0, 0, 0, 0);
    return n < 0 ? n : p.revents;
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

static void mknod_checks(void)
{
    struct stat st;
    sys_umask(027);
    cb_check_ret(sys_mknod(at("fifo"), S_IFIFO | 0666, 0), 0, "mknod of a FIFO");
    cb_check_ret(mode_of("fifo"), S_IFIFO | 0640, "it is S_IFIFO with mode 0666 & ~umask 027");
    CHECK(sys_stat(at("fifo"), &st) == 0 && st.st_size == 0 && st.st_nlink == 1 && st.st_rdev == 0,
          "size 0, one link, no device number");
    cb_check_ret(sys_mknod(at("reg"), S_IFREG | 0604, 0), 0, "mknod of a regular file");
    cb_check_ret(mode_of("reg"), S_IFREG | 0600, "it is S_IFREG with mode 0604 & ~027");
    cb_check_ret(sys_mknod(at("reg0"), 0644, 0), 0, "mknod with type 0");
    cb_check_ret(mode_of("reg0"), S_IFREG | 0640, "makes a regular file");
    cb_check_ret(sys_mknod(at("chr"), S_IFCHR | 0600, makedev(60, 1)), 0, "mknod of a character device 60:1");
    CHECK(sys_stat(at("chr"), &st) == 0 && st.st_mode == (S_IFCHR | 0600) && st.st_rdev == makedev(60, 1),
          "it is S_IFCHR with st_rdev 60:1");
    cb_check_ret(sys_mknod(at("blk"), S_IFBLK | 0660, makedev(60, 2)), 0, "mknod of a block device 60:2");
    CHECK(sys_stat(at("blk"), &st) == 0 && st.st_mode == (S_IFBLK | 0640) && st.st_rdev == makedev(60, 2),
          "it is S_IFBLK with st_rdev 60:2");
    cb_check_ret(sys_mknod(at("sock"), S_IFSOCK | 0777, 0), 0, "mknod of a socket");
    cb_check_ret(mode_of("sock"), S_IFSOCK | 0750, "it is S_IFSOCK");
    cb_check_ret(sys_mknod(at("null"), S_IFCHR | 0666, makedev(1, 3)), 0, "mknod of 1:3");
    cb_check_ret(sys_mknod(at("wide"), 0x10000 | S_IFIFO | 0600, 0), 0, "a mode bit above 16 is ignored (umode_t)");
    cb_check_ret(mode_of("wide"), S_IFIFO | 0600, "the node is a FIFO");
    sys_umask(022);

    cb_check_ret(sys_mknod(at("dir"), S_IFDIR | 0755, 0), -EPERM, "mknod of a directory: EPERM");
    cb_check_ret(sys_mknod(at("lnk"), S_IFLNK | 0777, 0), -EINVAL, "mknod of a symlink: EINVAL");
    cb_check_ret(sys_mknod(at("odd"), 0x3000 | 0644, 0), -EINVAL, "mknod of type 0x3000: EINVAL");
    cb_check_ret(sys_mknod((const char *)1, S_IFLNK | 0777, 0), -EINVAL, "a bad type comes before a bad path");
    cb_check_ret(sys_mknod((const char *)1, S_IFIFO | 0644, 0), -EFAULT, "a bad path: EFAULT");
    cb_check_ret(sys_mknod(at("fifo"), S_IFIFO | 0644, 0), -EEXIST, "an existing name: EEXIST");
    cb_check_ret(sys_mknod(at("reg"), S_IFREG | 0644, 0), -EEXIST, "an existing file with S_IFREG: EEXIST");
    cb_check_ret(sys_mknod(at("fifo/"), S_IFIFO | 0644, 0), -EEXIST, "an existing name with a slash: EEXIST");
    cb_check_ret(sys_mknod(at("new/"), S_IFIFO | 0644, 0), -ENOENT, "a missing name with a slash: ENOENT");
    cb_check_ret(sys_mknod(at("."), S_IFIFO | 0644, 0), -EEXIST, "\".\": EEXIST");
    cb_check_ret(sys_mknod(at("no/fifo"), S_IFIFO | 0644, 0), -ENOENT, "a missing directory: ENOENT");
    cb_check_ret(sys_mknod(at("reg/fifo"), S_IFIFO | 0644, 0), -ENOTDIR, "a file as directory: ENOTDIR");
    cb_check_ret(sys_mknod("", S_IFIFO | 0644, 0), -ENOENT, "an empty path: ENOENT");

    long dir = sys_open(top, O_RDONLY | O_DIRECTORY);
    long file = sys_open(at("reg"), O_RDONLY);
    cb_check_ret(sys_mknodat(dir, "fifo2", S_IFIFO | 0600, 0), 0, "mknodat relative to a directory fd");
    cb_check_ret(mode_of("fifo2"), S_IFIFO | 0600, "made there");
    cb_check_ret(sys_mknodat(file, "x", S_IFIFO | 0600, 0), -ENOTDIR, "mknodat relative to a file: ENOTDIR");
    cb_check_ret(sys_mknodat(99, "x", S_IFIFO | 0600, 0), -EBADF, "mknodat relative to a closed fd: EBADF");
    cb_check_ret(sys_mknodat(99, at("fifo3"), S_IFIFO | 0600, 0), 0, "mknodat of an absolute path ignores the fd");
    sys_close(dir);
    sys_close(file);

    cb_check_ret(sys_open(at("chr"), O_RDONLY), -ENXIO, "opening a character device without a driver: ENXIO");
    cb_check_ret(sys_open(at("chr"), O_WRONLY | O_NONBLOCK), -ENXIO, "for writing too");
    cb_check_ret(sys_open(at("blk"), O_RDONLY), -ENXIO, "opening a block device without a disk: ENXIO");
    cb_check_ret(sys_open(at("sock"), O_RDONLY), -ENXIO, "opening a socket node: ENXIO");
    cb_check_ret(sys_open(at("chr"), O_RDONLY | O_DIRECTORY), -ENOTDIR, "O_DIRECTORY on a device node: ENOTDIR");
    long null = sys_open(at("null"), O_RDWR);
    CHECK(null >= 0, "a node of 1:3 opens");
    char buf[8];
    cb_check_ret(sys_write(null, "gone", 4), 4, "writes to it vanish");
    cb_check_ret(sys_read(null, buf, sizeof buf), 0, "it reads end of file");
    cb_check_ret(cb_syscall(SYS_fsync, null, 0, 0, 0, 0, 0), -EINVAL, "fsync of it: EINVAL (no fsync method)");
    sys_close(null);
    null = sys_open("/dev/null", O_WRONLY);
    cb_check_ret(cb_syscall(SYS_fsync, null, 0, 0, 0, 0, 0), -EINVAL, "fsync of /dev/null: EINVAL");
    sys_close(null);
    long fd = sys_open("/proc/meminfo", O_RDONLY);
    cb_check_ret(cb_syscall(SYS_fdatasync, fd, 0, 0, 0, 0, 0), -EINVAL, "fdatasync of a /proc file: EINVAL");
    sys_close(fd);
    fd = sys_open("/proc", O_RDONLY | O_DIRECTORY);
    cb_check_ret(cb_syscall(SYS_fsync, fd, 0, 0, 0, 0, 0), -EINVAL, "fsync of /proc: EINVAL");
    sys_close(fd);
    fd = sys_open(top, O_RDONLY | O_DIRECTORY);
    cb_check_ret(cb_syscall(SYS_fsync, fd, 0, 0, 0, 0, 0), 0, "fsync of a directory: 0");
    sys_close(fd);
    long reg = sys_open(at("reg"), O_RDWR);
    cb_check_ret(sys_write(reg, "abc", 3), 3, "a regular file made by mknod takes bytes");
    sys_close(reg);
}

/* The d_type getdents64 gives `name` in the test directory, or -1. */
static int dtype64_of(const char *name)
{
    static char buf[8192];
    long dir = sys_open(top, O_RDONLY | O_DIRECTORY);
    long n = sys_getdents64(dir, buf, sizeof buf);
    sys_close(dir);
    for (long off = 0; off < n;) {
        unsigned short reclen = *(unsigned short *)(buf + off + 16);
        if (strcmp(buf + off + 19, name) == 0)
            return (unsigned char)buf[off + 18];
        off += reclen;
    }
    return -1;
}

static void dtype_checks(void)
{
    cb_check_ret(dtype64_of("fifo"), DT_FIFO, "getdents64 d_type of the FIFO");
    cb_check_ret(dtype64_of("chr"), DT_CHR, "of the character device");
    cb_check_ret(dtype64_of("blk"), DT_BLK, "of the block device");
    cb_check_ret(dtype64_of("sock"), DT_SOCK, "of the socket");
    cb_check_ret(dtype64_of("reg0"), DT_REG, "of the file of type 0");
}

static void fifo_nonblocking_checks(void)
{
    struct stat st, fst;
    char buf[16];
    const char *fifo = at("fifo");
    cb_check_ret(sys_open(fifo, O_WRONLY | O_NONBLOCK), -ENXIO, "O_WRONLY|O_NONBLOCK without a reader: ENXIO");
    long r = sys_open(fifo, O_RDONLY | O_NONBLOCK);
    CHECK(r >= 0, "O_RDONLY|O_NONBLOCK without a writer opens at once");
    cb_check_ret(sys_fcntl(r, F_GETFL, 0), O_NONBLOCK | KERNEL_O_LARGEFILE, "F_GETFL: O_RDONLY|O_NONBLOCK|O_LARGEFILE");
    cb_check_ret(sys_read(r, buf, sizeof buf), 0, "it reads end of file: no writer");
    cb_check_ret(poll_events(r, POLLIN), 0, "poll: no POLLHUP before a writer has come");
    long w = sys_open(fifo, O_WRONLY | O_NONBLOCK);
    CHECK(w >= 0, "O_WRONLY|O_NONBLOCK with a reader opens");
    cb_check_ret(sys_fcntl(w, F_GETFL, 0), O_WRONLY | O_NONBLOCK | KERNEL_O_LARGEFILE, "F_GETFL: O_WRONLY|O_NONBLOCK|O_LARGEFILE");
    cb_check_ret(sys_read(r, buf, sizeof buf), -EAGAIN, "an empty FIFO with a writer: EAGAIN");
    cb_check_ret(sys_write(w, "hello", 5), 5, "write 5 bytes");
    cb_check_ret(sys_write(w, " fifo", 5), 5, "and 5 more");
    memset(buf, 0, sizeof buf);
    cb_check_ret(sys_read(r, buf, sizeof buf), 10, "the reader gets all 10");
    CHECK(strcmp(buf, "hello fifo") == 0, "in order");
    CHECK(sys_fstat(r, &fst) == 0 && sys_stat(fifo, &st) == 0 && S_ISFIFO(fst.st_mode) && fst.st_ino == st.st_ino
          && fst.st_dev == st.st_dev, "fstat shows S_IFIFO with the node's inode number");
    cb_check_ret(cb_syscall(SYS_lseek, r, 0, SEEK_SET, 0, 0, 0), -ESPIPE, "lseek: ESPIPE");
    cb_check_ret(cb_syscall(SYS_pread64, r, (long)buf, 1, 0, 0, 0), -ESPIPE, "pread64: ESPIPE");
    cb_check_ret(cb_syscall(SYS_fsync, w, 0, 0, 0, 0, 0), -EINVAL, "fsync: EINVAL");
    cb_check_ret(cb_syscall(SYS_ftruncate, w, 0, 0, 0, 0, 0), -EINVAL, "ftruncate: EINVAL");
    cb_check_ret(cb_syscall(SYS_truncate, (long)fifo, 0, 0, 0, 0, 0), -EINVAL, "truncate by path: EINVAL");
    cb_check_ret(sys_fcntl(r, F_GETPIPE_SZ_CMD, 0), FIFO_SIZE, "F_GETPIPE_SZ: 65536");
    cb_check_ret(cb_syscall(SYS_getdents64, r, (long)buf, sizeof buf, 0, 0, 0), -ENOTDIR, "getdents64: ENOTDIR");
    struct statfs_words { long type, rest[15]; } sfs;
    CHECK(cb_syscall(SYS_fstatfs, r, (long)&sfs, 0, 0, 0, 0) == 0 && sfs.type != PIPE_MAGIC,
          "fstatfs names the FIFO's file system, not pipefs");
    sys_close(w);
    cb_check_ret(sys_read(r, buf, sizeof buf), 0, "end of file once the writer closed");
    cb_check_ret(poll_events(r, POLLIN), POLLHUP, "poll: POLLHUP once a writer came and went");
    long w2 = sys_open(fifo, O_WRONLY | O_NONBLOCK | O_TRUNC);
    CHECK(w2 >= 0, "a second writer opens (O_TRUNC ignored)");
    sys_close(r);
    set_action(SIGPIPE, SIG_IGN, 0);
    cb_check_ret(sys_write(w2, "x", 1), -EPIPE, "no reader left: EPIPE (SIGPIPE ignored)");
    set_action(SIGPIPE, SIG_DFL, 0);
    sys_close(w2);

    long rw = sys_open(fifo, O_RDWR);
    CHECK(rw >= 0, "O_RDWR opens without a partner, never waiting");
    cb_check_ret(sys_fcntl(rw, F_GETFL, 0), O_RDWR | KERNEL_O_LARGEFILE, "F_GETFL: O_RDWR|O_LARGEFILE");
    cb_check_ret(sys_write(rw, "self", 4), 4, "it writes");
    memset(buf, 0, sizeof buf);
    cb_check_ret(sys_read(rw, buf, sizeof buf), 4, "and reads back its own bytes");
    CHECK(strcmp(buf, "self") == 0, "the same bytes");
    long w3 = sys_open(fifo, O_WRONLY | O_NONBLOCK);
    CHECK(w3 >= 0, "O_WRONLY|O_NONBLOCK opens: the O_RDWR file is a reader");
    cb_check_ret(sys_write(w3, "left", 4), 4, "bytes written and never read");
    sys_close(w3);
    sys_close(rw);
    rw = sys_open(fifo, O_RDWR | O_NONBLOCK);
    cb_check_ret(sys_read(rw, buf, sizeof buf), -EAGAIN, "after every end closed the unread bytes are gone");
    cb_check_ret(poll_events(rw, POLLIN | POLLOUT), POLLOUT, "poll of an empty O_RDWR FIFO: POLLOUT");
    sys_close(rw);
    cb_check_ret(sys_open(fifo, 3), -EINVAL, "access mode 3 on a FIFO: EINVAL");
    cb_check_ret(sys_open(fifo, O_RDONLY | O_DIRECTORY), -ENOTDIR, "O_DIRECTORY on a FIFO: ENOTDIR");
}

/* A child that waits `ms`, opens the FIFO with `flags` and, as a writer, writes `text`
   then exits; as a reader it reads and checks `text`. */
static pid_t partner(const char *fifo, long flags, const char *text, long ms)
{
    pid_t pid = cb_fork("FIFO partner");
    if (pid == 0) {
        cb_child_begin("partner", 0);
        cb_sleep_ms(ms);
        long fd = sys_open(fifo, flags);
        CHECK(fd >= 0, "the partner opens the FIFO");
        char buf[32] = { 0 };
        if ((flags & 3) == O_WRONLY)
            cb_check_ret(sys_write(fd, text, (long)strlen(text)), (long)strlen(text), "the partner writes");
        else
            CHECK(sys_read(fd, buf, sizeof buf - 1) == (long)strlen(text) && strcmp(buf, text) == 0, "the partner reads");
        sys_close(fd);
        cb_child_exit();
    }
    return pid;
}

/* The parent blocks in open while a child sends SIGUSR1 until the parent is done. */
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

static void fifo_blocking_checks(void)
{
    const char *fifo = at("fifo2");
    char buf[32] = { 0 };
    pid_t pid = partner(fifo, O_WRONLY, "from the writer", 50);
    long r = sys_open(fifo, O_RDONLY);
    CHECK(r >= 0, "a blocking O_RDONLY open returns once a writer opened");
    long got = 0, n;
    while ((n = sys_read(r, buf + got, sizeof buf - 1 - got)) > 0)
        got += n;
    CHECK(n == 0 && strcmp(buf, "from the writer") == 0, "it reads the writer's bytes, then end of file when it exits");
    cb_check_ret(poll_events(r, POLLIN), POLLHUP, "poll of the blocking reader: POLLHUP");
    sys_close(r);
    cb_expect_exit(pid, 0, "the writer exits 0");

    pid = partner(fifo, O_RDONLY, "to the reader", 50);
    long w = sys_open(fifo, O_WRONLY);
    CHECK(w >= 0, "a blocking O_WRONLY open returns once a reader opened");
    cb_check_ret(sys_write(w, "to the reader", 13), 13, "it writes");
    sys_close(w);
    cb_expect_exit(pid, 0, "the reader exits 0");

    interrupt_done = cb_map_shared(1);
    if (!interrupt_done)
        return;
    set_action(SIGUSR1, count_signal, 0);
    pid = start_interrupter(getpid());
    cb_check_ret(sys_open(fifo, O_RDONLY), -EINTR, "a handled signal ends a waiting O_RDONLY open: EINTR");
    cb_set_flag(interrupt_done, 1);
    cb_expect_exit(pid, 0, "the interrupter exits 0");
    cb_check_ret(sys_open(fifo, O_WRONLY | O_NONBLOCK), -ENXIO, "the interrupted open left no reader: ENXIO");
    pid = start_interrupter(getpid());
    cb_check_ret(sys_open(fifo, O_WRONLY), -EINTR, "and a waiting O_WRONLY open: EINTR");
    cb_set_flag(interrupt_done, 1);
    cb_expect_exit(pid, 0, "the interrupter exits 0");
    r = sys_open(fifo, O_RDONLY | O_NONBLOCK);
    cb_check_ret(sys_read(r, buf, sizeof buf), 0, "the interrupted writer left no writer: end of file");
    sys_close(r);

    set_action(SIGUSR1, count_signal, SA_RESTART);
    handled = 0;
    pid_t parent = getpid();
    pid = cb_fork("restart writer");
    if (pid == 0) {
        for (int i = 0; i < 3; i++) {
            cb_sleep_ms(20);
            kill(parent, SIGUSR1);
        }
        cb_sleep_ms(20);
        long fd = sys_open(fifo, O_WRONLY);
        sys_write(fd, "r", 1);
        _exit(0);
    }
    r = sys_open(fifo, O_RDONLY);
    CHECK(r >= 0, "with SA_RESTART the open goes on through the signals");
    buf[0] = 0;
    cb_check_ret(sys_read(r, buf, 1), 1, "and reads the byte of the writer that came");
    CHECK(buf[0] == 'r' && handled == 3, "after 3 handled signals");
    sys_close(r);
    cb_expect_exit(pid, 0, "the restart writer exits 0");
    set_action(SIGUSR1, SIG_DFL, 0);
}

static long sys_flock(long fd, long op) { return cb_syscall(SYS_flock, fd, op, 0, 0, 0, 0); }

static void flock_checks(void)
{
    const char *path = at("reg");
    long a = sys_open(path, O_RDONLY), b = sys_open(path, O_RDWR), c = sys_open(path, O_WRONLY);
    cb_check_ret(sys_flock(a, LOCK_EX), 0, "flock LOCK_EX");
    cb_check_ret(sys_flock(a, LOCK_EX), 0, "again: the lock it holds");
    cb_check_ret(sys_flock(b, LOCK_EX | LOCK_NB), -EWOULDBLOCK, "another open file: LOCK_EX|LOCK_NB is EWOULDBLOCK");
    cb_check_ret(sys_flock(b, LOCK_SH | LOCK_NB), -EWOULDBLOCK, "and LOCK_SH|LOCK_NB too");
    long d = cb_syscall(SYS_dup, a, 0, 0, 0, 0, 0);
    cb_check_ret(sys_flock(d, LOCK_EX | LOCK_NB), 0, "a dup shares the open file and its lock");
    pid_t pid = cb_fork("lock sharer");
    if (pid == 0) {
        cb_child_begin("sharer", 0);
        cb_check_ret(sys_flock(a, LOCK_EX | LOCK_NB), 0, "a forked child shares the lock");
        cb_check_ret(sys_flock(b, LOCK_SH | LOCK_NB), -EWOULDBLOCK, "and meets the conflict as its parent does");
        cb_child_exit();
    }
    cb_expect_exit(pid, 0, "the child shares the parent's lock");
    cb_check_ret(sys_flock(a, LOCK_UN), 0, "LOCK_UN");
    cb_check_ret(sys_flock(a, LOCK_UN), 0, "LOCK_UN without a lock: 0");
    cb_check_ret(sys_flock(b, LOCK_SH | LOCK_NB), 0, "once unlocked another open file takes LOCK_SH");
    cb_check_ret(sys_flock(c, LOCK_SH | LOCK_NB), 0, "and a third one LOCK_SH too");
    cb_check_ret(sys_flock(a, LOCK_EX | LOCK_NB), -EWOULDBLOCK, "LOCK_EX against two shared locks: EWOULDBLOCK");
    cb_check_ret(sys_flock(b, LOCK_EX | LOCK_NB), -EWOULDBLOCK, "a conversion to LOCK_EX against a shared lock fails");
    cb_check_ret(sys_flock(c, LOCK_EX | LOCK_NB), 0, "and dropped the old lock: the other converts");
    cb_check_ret(sys_flock(b, LOCK_SH | LOCK_NB), -EWOULDBLOCK, "now holding LOCK_EX alone");
    long c2 = cb_syscall(SYS_dup, c, 0, 0, 0, 0, 0);
    sys_close(c);
    cb_check_ret(sys_flock(b, LOCK_SH | LOCK_NB), -EWOULDBLOCK, "closing one of two fds of the open file keeps the lock");
    sys_close(c2);
    cb_check_ret(sys_flock(b, LOCK_EX | LOCK_NB), 0, "closing the last releases it");
    sys_flock(b, LOCK_UN);

    cb_check_ret(sys_flock(99, LOCK_SH), -EBADF, "a closed fd: EBADF");
    cb_check_ret(sys_flock(99, 0), -EINVAL, "no operation: EINVAL, before EBADF");
    cb_check_ret(sys_flock(a, LOCK_NB), -EINVAL, "LOCK_NB alone: EINVAL");
    cb_check_ret(sys_flock(a, LOCK_SH | LOCK_EX), -EINVAL, "LOCK_SH|LOCK_EX: EINVAL");
    cb_check_ret(sys_flock(a, LOCK_UN | LOCK_SH), -EINVAL, "LOCK_UN|LOCK_SH: EINVAL");
    cb_check_ret(sys_flock(99, 32 | LOCK_EX), 0, "LOCK_MAND is ignored: 0, whatever the fd");

    int p[2];
    if (cb_syscall(SYS_pipe, (long)p, 0, 0, 0, 0, 0) == 0) {
        cb_check_ret(sys_flock(p[0], LOCK_EX), 0, "flock on a pipe's reading end");
        cb_check_ret(sys_flock(p[1], LOCK_EX | LOCK_NB), -EWOULDBLOCK, "its writing end is the same pipe: EWOULDBLOCK");
        sys_close(p[0]);
        sys_close(p[1]);
    }
    long f1 = sys_open(at("fifo"), O_RDWR), f2 = sys_open(at("fifo"), O_RDWR);
    cb_check_ret(sys_flock(f1, LOCK_SH), 0, "flock on a FIFO");
    cb_check_ret(sys_flock(f2, LOCK_EX | LOCK_NB), -EWOULDBLOCK, "another open of it conflicts");
    sys_close(f1);
    sys_close(f2);

    /* A child holds LOCK_EX a while; the parent's blocking LOCK_EX waits for its exit. */
    volatile int *locked = cb_map_shared(1);
    if (!locked)
        return;
    *locked = 0;
    pid = cb_fork("lock holder");
    if (pid == 0) {
        long fd = sys_open(path, O_RDONLY);
        sys_flock(fd, LOCK_EX);
        cb_set_flag(locked, 1);
        cb_sleep_ms(100);
        _exit(0);
    }
    cb_wait_flag(locked, 1, 5000);
    cb_check_ret(sys_flock(a, LOCK_EX | LOCK_NB), -EWOULDBLOCK, "a child's lock on its own open file conflicts");
    cb_check_ret(sys_flock(a, LOCK_EX), 0, "a blocking LOCK_EX waits until the child's exit lets go");
    cb_expect_exit(pid, 0, "the lock holder exits 0");

    interrupt_done = cb_map_shared(1);
    if (!interrupt_done)
        return;
    set_action(SIGUSR1, count_signal, 0);
    pid = start_interrupter(getpid());
    cb_check_ret(sys_flock(b, LOCK_SH), -EINTR, "a handled signal ends a waiting flock: EINTR");
    cb_set_flag(interrupt_done, 1);
    cb_expect_exit(pid, 0, "the interrupter exits 0");
    set_action(SIGUSR1, SIG_DFL, 0);
    sys_close(a);
    sys_close(d);
    cb_check_ret(sys_flock(b, LOCK_SH | LOCK_NB), 0, "the lock goes with the close of its file's last fd");
    sys_close(b);
}

static long sys_fallocate(long fd, long mode, long off, long len) { return cb_syscall(SYS_fallocate, fd, mode, off, len, 0, 0); }
static long sys_fadvise(long fd, long off, long len, long advice) { return cb_syscall(SYS_fadvise64, fd, off, len, advice, 0, 0); }

static long blocks_of(long fd)
{
    struct stat st;
    return sys_fstat(fd, &st) == 0 ? st.st_blocks : -1;
}

static long size_of(long fd)
{
    struct stat st;
    return sys_fstat(fd, &st) == 0 ? st.st_size : -1;
}

/* A fresh directory on a tmpfs (/dev/shm where /tmp is a disk, as on most hosts; /tmp on
   Cowbird), so that fallocate meets the same file system on both. 1 when made. */
static int make_tmpfs_dir(char *dir, size_t size)
{
    const char *bases[] = { "/dev/shm", "/tmp", 0 };
    for (int i = 0; bases[i]; i++) {
        struct { long type, rest[15]; } sfs;
        if (cb_syscall(SYS_statfs, (long)bases[i], (long)&sfs, 0, 0, 0, 0) != 0 || sfs.type != TMPFS_MAGIC)
            continue;
        snprintf(dir, size, "%s/cbnodes.XXXXXX", bases[i]);
        return mkdtemp(dir) != 0;
    }
    return 0;
}

static void fadvise_checks(long fd)
{
    int p[2], all = 1;
    for (long advice = 0; advice <= 5; advice++)
        all &= sys_fadvise(fd, 0, 4096, advice) == 0;
    CHECK(all, "fadvise64 advice 0-5 (NORMAL to NOREUSE): 0");
    cb_check_ret(sys_fadvise(fd, 0, 0, 6), -EINVAL, "fadvise64 advice 6: EINVAL");
    cb_check_ret(sys_fadvise(fd, 0, 0, -1), -EINVAL, "advice -1: EINVAL");
    cb_check_ret(sys_fadvise(fd, 0, -1, 0), -EINVAL, "a length above 2^63: EINVAL");
    cb_check_ret(sys_fadvise(fd, -4096, 4096, 0), 0, "a negative offset is not checked");
    cb_check_ret(sys_fadvise(99, 0, 0, 0), -EBADF, "a closed fd: EBADF");
    long dir = sys_open("/", O_RDONLY | O_DIRECTORY);
    cb_check_ret(sys_fadvise(dir, 0, 0, 4), 0, "a directory: 0");
    sys_close(dir);
    if (cb_syscall(SYS_pipe, (long)p, 0, 0, 0, 0, 0) == 0) {
        cb_check_ret(sys_fadvise(p[0], 0, 0, 99), -ESPIPE, "a pipe: ESPIPE, before a bad advice");
        sys_close(p[0]);
        sys_close(p[1]);
    }
    long fifo = sys_open(at("fifo"), O_RDWR);
    cb_check_ret(sys_fadvise(fifo, 0, 0, 0), -ESPIPE, "a FIFO: ESPIPE");
    sys_close(fifo);
}

static void fallocate_checks(void)
{
    char dir[64], buf[16];
    int p[2];
    if (!make_tmpfs_dir(dir, sizeof dir)) {
        cb_print("FAIL no tmpfs directory for fallocate");
        cb_failed++;
        return;
    }
    const char *path = cb_path_in(dir, "falloc");
    long fd = cb_syscall(SYS_open, (long)path, O_RDWR | O_CREAT, 0644, 0, 0, 0);
    fadvise_checks(fd);
    cb_check_ret(sys_fallocate(fd, 0, 0, 3 * 4096 + 1), 0, "fallocate of 3 pages and a byte");
    cb_check_ret(size_of(fd), 3 * 4096 + 1, "the size grows to the range's end");
    cb_check_ret(blocks_of(fd), 32, "4 pages held: 32 blocks");
    memset(buf, 1, sizeof buf);
    CHECK(cb_syscall(SYS_pread64, fd, (long)buf, 16, 4096, 0, 0) == 16 && cb_count_nonzero(buf, 16) == 0, "it reads zeros");
    cb_check_ret(sys_fallocate(fd, FALLOC_KEEP_SIZE, 1 << 20, 4096), 0, "FALLOC_KEEP_SIZE past the end");
    cb_check_ret(size_of(fd), 3 * 4096 + 1, "keeps the size");
    cb_check_ret(blocks_of(fd), 40, "and holds one page more");
    cb_check_ret(cb_syscall(SYS_ftruncate, fd, 3 * 4096 + 1, 0, 0, 0, 0), 0, "ftruncate to the same size");
    cb_check_ret(blocks_of(fd), 32, "gives back the page past the end");
    cb_syscall(SYS_pwrite64, fd, (long)"abcdefgh", 8, 4090, 0, 0);
    cb_check_ret(sys_fallocate(fd, 0, 0, 8192), 0, "fallocate over written bytes");
    memset(buf, 0, sizeof buf);
    cb_syscall(SYS_pread64, fd, (long)buf, 8, 4090, 0, 0);
    CHECK(memcmp(buf, "abcdefgh", 8) == 0, "keeps them");
    cb_check_ret(sys_fallocate(fd, FALLOC_PUNCH_HOLE | FALLOC_KEEP_SIZE, 4094, 4100), 0,
                 "FALLOC_PUNCH_HOLE of [4094, 8194)");
    memset(buf, 1, sizeof buf);
    cb_syscall(SYS_pread64, fd, (long)buf, 8, 4090, 0, 0);
    CHECK(memcmp(buf, "abcd\0\0\0\0", 8) == 0, "the bytes in the hole read zeros, those before stay");
    cb_check_ret(blocks_of(fd), 24, "the page wholly inside is given back");
    cb_check_ret(size_of(fd), 3 * 4096 + 1, "the size stays");
    cb_syscall(SYS_pwrite64, fd, (long)"xyz", 3, 100, 0, 0);
    cb_check_ret(sys_fallocate(fd, FALLOC_PUNCH_HOLE | FALLOC_KEEP_SIZE, 101, 1), 0, "a hole of one byte");
    cb_syscall(SYS_pread64, fd, (long)buf, 3, 100, 0, 0);
    CHECK(memcmp(buf, "x\0z", 3) == 0, "zeroes that byte");
    cb_check_ret(blocks_of(fd), 24, "and keeps the page");

    cb_check_ret(sys_fallocate(fd, FALLOC_PUNCH_HOLE, 0, 1), -EOPNOTSUPP, "PUNCH_HOLE without KEEP_SIZE: EOPNOTSUPP");
    cb_check_ret(sys_fallocate(fd, FALLOC_PUNCH_HOLE | FALLOC_ZERO_RANGE | FALLOC_KEEP_SIZE, 0, 1), -EOPNOTSUPP,
                 "PUNCH_HOLE with ZERO_RANGE: EOPNOTSUPP");
    cb_check_ret(sys_fallocate(fd, 0x100, 0, 1), -EOPNOTSUPP, "an unknown mode bit: EOPNOTSUPP");
    cb_check_ret(sys_fallocate(fd, FALLOC_NO_HIDE_STALE, 0, 1), -EOPNOTSUPP, "NO_HIDE_STALE: EOPNOTSUPP");
    cb_check_ret(sys_fallocate(fd, FALLOC_ZERO_RANGE, 0, 4096), -EOPNOTSUPP, "ZERO_RANGE on tmpfs: EOPNOTSUPP");
    cb_check_ret(sys_fallocate(fd, FALLOC_COLLAPSE_RANGE, 0, 4096), -EOPNOTSUPP, "COLLAPSE_RANGE on tmpfs: EOPNOTSUPP");
    cb_check_ret(sys_fallocate(fd, FALLOC_UNSHARE_RANGE | FALLOC_KEEP_SIZE, 0, 4096), -EOPNOTSUPP,
                 "UNSHARE_RANGE on tmpfs: EOPNOTSUPP");
    cb_check_ret(sys_fallocate(fd, 0, -1, 1), -EINVAL, "a negative offset: EINVAL");
    cb_check_ret(sys_fallocate(fd, 0, 0, 0), -EINVAL, "a length of 0: EINVAL");
    cb_check_ret(sys_fallocate(fd, 0x100, 0, -1), -EINVAL, "a negative length: EINVAL, before a bad mode");
    cb_check_ret(sys_fallocate(fd, 0, 0x7fffffffffffff00L, 0x1000), -EFBIG, "past the largest file size: EFBIG");
    cb_check_ret(sys_fallocate(99, 0x100, 0, 0), -EBADF, "a closed fd: EBADF first");
    long ro = sys_open(path, O_RDONLY);
    cb_check_ret(sys_fallocate(ro, 0, 0, 1), -EBADF, "an fd open only for reading: EBADF");
    cb_check_ret(sys_fallocate(ro, 0x100, 0, 1), -EOPNOTSUPP, "after the mode's checks");
    sys_close(ro);
    long d = sys_open(dir, O_RDONLY | O_DIRECTORY);
    cb_check_ret(sys_fallocate(d, 0, 0, 1), -EBADF, "a directory (open for reading): EBADF");
    sys_close(d);
    long null = sys_open("/dev/null", O_WRONLY);
    cb_check_ret(sys_fallocate(null, 0, 0, 1), -ENODEV, "a character device: ENODEV");
    sys_close(null);
    if (cb_syscall(SYS_pipe, (long)p, 0, 0, 0, 0, 0) == 0) {
        cb_check_ret(sys_fallocate(p[1], 0, 0, 1), -ESPIPE, "a pipe's writing end: ESPIPE");
        cb_check_ret(sys_fallocate(p[0], 0, 0, 1), -EBADF, "its reading end: EBADF");
        sys_close(p[0]);
        sys_close(p[1]);
    }
    long fifo = sys_open(at("fifo"), O_RDWR);
    cb_check_ret(sys_fallocate(fifo, 0, 0, 1), -ESPIPE, "a FIFO: ESPIPE");
    sys_close(fifo);
    sys_close(fd);
    CHECK(sys_unlink(path) == 0 && sys_rmdir(dir) == 0, "the tmpfs directory is removed");
}

static void sync_checks(void)
{
    int p[2];
    cb_check_ret(cb_syscall(SYS_sync, 0, 0, 0, 0, 0, 0), 0, "sync: 0");
    cb_check_ret(cb_syscall(SYS_syncfs, 99, 0, 0, 0, 0, 0), -EBADF, "syncfs of a closed fd: EBADF");
    cb_check_ret(cb_syscall(SYS_syncfs, -1, 0, 0, 0, 0, 0), -EBADF, "syncfs of -1: EBADF");
    long fd = sys_open(at("reg"), O_RDONLY);
    cb_check_ret(cb_syscall(SYS_syncfs, fd, 0, 0, 0, 0, 0), 0, "syncfs of a file: 0");
    sys_close(fd);
    if (cb_syscall(SYS_pipe, (long)p, 0, 0, 0, 0, 0) == 0) {
        cb_check_ret(cb_syscall(SYS_syncfs, p[0], 0, 0, 0, 0, 0), 0, "syncfs of a pipe: 0");
        sys_close(p[0]);
        sys_close(p[1]);
    }
}

/* One directory entry as either getdents call gave it. */
struct entry { char name[64]; unsigned long ino; int type; };

/* Lists the directory `path` with getdents (old) or getdents64 in one call into `out`
   (at most `max`); the count, or the call's negative errno. With `old`, checks each
   record's layout; *last_off gets the last record's d_off. */
static int list(const char *path, int old, struct entry *out, int max, long *last_off)
{
    static char buf[8192];
    long dir = sys_open(path, O_RDONLY | O_DIRECTORY);
    long n = old ? sys_getdents(dir, buf, sizeof buf) : sys_getdents64(dir, buf, sizeof buf);
    int count = 0, layout = 1;
    for (long off = 0; off < n && count < max; count++) {
        unsigned short reclen = *(unsigned short *)(buf + off + 16);
        const char *name = buf + off + (old ? 18 : 19);
        size_t len = strlen(name);
        strncpy(out[count].name, name, sizeof out[count].name - 1);
        out[count].ino = *(unsigned long *)(buf + off);
        out[count].type = (unsigned char)(old ? buf[off + reclen - 1] : buf[off + 18]);
        *last_off = *(long *)(buf + off + 8);
        if (old && reclen != ((18 + len + 2 + 7) & ~7UL))
            layout = 0;
        off += reclen;
    }
    if (old)
        CHECK(layout, "every getdents record is ALIGN(18 + name + 2, 8) bytes");
    if (old)
        cb_check_ret(*last_off, cb_syscall(SYS_lseek, dir, 0, SEEK_CUR, 0, 0, 0), "the last d_off is the directory's offset");
    sys_close(dir);
    return n < 0 ? (int)n : count;
}

/* Whether `list` of `count` entries holds `e` with the same inode number and type. */
static int holds(const struct entry *list, int count, const struct entry *e)
{
    for (int i = 0; i < count; i++)
        if (strcmp(list[i].name, e->name) == 0)
            return list[i].ino == e->ino && list[i].type == e->type;
    return 0;
}

static void getdents_checks(void)
{
    struct entry old[32], wide[32];
    long off;
    sys_mkdir(at("list"), 0755);
    cb_write_file(at("list/a"), "a");
    cb_write_file(at("list/a-longer-name-of-21"), "b");
    sys_mkdir(at("list/sub"), 0755);
    sys_mknod(at("list/p"), S_IFIFO | 0644, 0);
    cb_syscall(SYS_symlink, (long)"a", (long)at("list/ln"), 0, 0, 0, 0);
    int n_old = list(at("list"), 1, old, 32, &off);
    int n_wide = list(at("list"), 0, wide, 32, &off);
    cb_check_ret(n_old, 7, "getdents lists 7 entries: . .. and 5 names");
    cb_check_ret(n_wide, 7, "as getdents64 does");
    int same = n_old == n_wide;
    for (int i = 0; i < n_old && same; i++)
        same = holds(wide, n_wide, &old[i]);
    CHECK(same, "with the same names, inode numbers and d_type (in the record's last byte)");
    struct stat st;
    struct entry want = { "p", 0, DT_FIFO };
    if (sys_stat(at("list/p"), &st) == 0)
        want.ino = st.st_ino;
    CHECK(holds(old, n_old, &want), "the FIFO: its st_ino and DT_FIFO");
    struct entry link = { "ln", 0, DT_LNK };
    if (cb_syscall(SYS_lstat, (long)at("list/ln"), (long)&st, 0, 0, 0, 0) == 0)
        link.ino = st.st_ino;
    CHECK(holds(old, n_old, &link), "the symlink: DT_LNK");

    char small[64];
    long dir = sys_open(at("list"), O_RDONLY | O_DIRECTORY);
    cb_check_ret(sys_getdents(dir, small, 1), -EINVAL, "a buffer of 1 byte: EINVAL");
    cb_check_ret(sys_getdents(dir, small, 0), -EINVAL, "a buffer of 0 bytes: EINVAL");
    cb_check_ret(sys_getdents(dir, (void *)1, 64), -EFAULT, "a bad buffer: EFAULT");
    long total = 0, n;
    while ((n = sys_getdents(dir, small, sizeof small)) > 0)
        total++;
    CHECK(n == 0 && total >= 3, "read in 64-byte pieces, the listing ends with 0");
    sys_close(dir);
    long file = sys_open(at("list/a"), O_RDONLY);
    cb_check_ret(sys_getdents(file, small, sizeof small), -ENOTDIR, "getdents of a file: ENOTDIR");
    sys_close(file);
    cb_check_ret(sys_getdents(99, small, sizeof small), -EBADF, "getdents of a closed fd: EBADF");

    const char *names[] = { "list/a", "list/a-longer-name-of-21", "list/p", "list/ln", 0 };
    for (int i = 0; names[i]; i++)
        sys_unlink(at(names[i]));
    sys_rmdir(at("list/sub"));
    sys_rmdir(at("list"));
}

int main(void)
{
    cb_begin("node_calls");
    snprintf(top, sizeof top, "/tmp/cbnodes.XXXXXX");
    if (!mkdtemp(top)) {
        cb_print("FAIL mkdtemp under /tmp");
        return 1;
    }
    mknod_checks();
    dtype_checks();
    fifo_nonblocking_checks();
    fifo_blocking_checks();
    flock_checks();
    fallocate_checks();
    sync_checks();
    getdents_checks();

    const char *files[] = { "fifo", "reg", "reg0", "chr", "blk", "sock", "null", "wide", "fifo2", "fifo3", 0 };
    int clean = 1;
    for (int i = 0; files[i]; i++)
        clean &= sys_unlink(at(files[i])) == 0;
    clean &= sys_rmdir(top) == 0;
    CHECK(clean, "the test directory is removed");
    return cb_end();
}
