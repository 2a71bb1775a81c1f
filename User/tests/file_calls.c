/*
 * file_calls: the file calls busybox and glibc use beyond open/read/write, as Linux
 * (fs/read_write.c, fs/stat.c, fs/utimes.c, fs/open.c, fs/statfs.c, fs/namei.c, mm/shmem.c)
 * has them. Everything happens in a fresh directory under /tmp (mkdtemp), removed at the end.
 * - sendfile: file to file, to a pipe and to fd 1 (the console on Cowbird, a pipe on Linux),
 *   with an offset pointer (the file's own offset stays) and without (it moves); end of file;
 *   EFAULT, EBADF, ESPIPE, EINVAL (O_APPEND output, a directory as input, a negative offset).
 * - statx: STATX_BASIC_STATS filled and agreeing with stat, AT_SYMLINK_NOFOLLOW,
 *   AT_EMPTY_PATH, EINVAL for STATX__RESERVED and both AT_STATX_SYNC bits, ENOENT, EFAULT.
 * - utimensat/futimesat/utimes/utime: explicit times, UTIME_NOW, UTIME_OMIT, NULL (now),
 *   ctime moves, a write moves mtime, a read moves atime once (relatime), EINVAL/EBADF/EFAULT.
 * - chown/fchown/lchown/fchownat: owner 0 kept, -1 leaves it, set-user-ID and set-group-ID
 *   cleared on files (set-group-ID only with group execute), not on directories, ctime moves.
 * - statfs/fstatfs: block size, name length, sizes; /proc's and pipes' magic numbers.
 * - open O_CREAT through a dangling symlink creates its target; O_EXCL on a symlink is EEXIST.
 * - renameat2 RENAME_EXCHANGE of two files and of a file and a directory in other
 *   directories (link counts, ".."), ENOENT, EINVAL for flag mixes and a move into itself.
 * - lseek SEEK_DATA/SEEK_HOLE on a file with a hole, ENXIO at and past the end; a write
 *   1 TiB into a file (a sparse file: the kernel must not index every page up to there).
 * - getdents64 in small pieces while the names read are removed lists every name once.
 * The checks avoid what differs between a host file system and Cowbird's RAM file system
 * (file system magic and sizes, owners other than 0, which a user namespace cannot map).
 */
#include "cbtest.h"
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE 2
#endif
#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#endif
#ifndef RENAME_WHITEOUT
#define RENAME_WHITEOUT 4
#endif
#ifndef UTIME_NOW
#define UTIME_NOW ((1l << 30) - 1l)
#define UTIME_OMIT ((1l << 30) - 2l)
#endif
#define STATX_BASIC 0x7ffu
#define STATX_UNASKED (STATX_BASIC & ~0xc0u)
#define STATX_RESERVED 0x80000000u
#define AT_STATX_FORCE 0x2000
#define AT_STATX_DONT 0x4000
#define PROC_MAGIC 0x9fa0
#define PIPE_MAGIC 0x50495045

/* struct statx, as the kernel writes it (musl's headers may lack it). */
struct cb_statx_time { int64_t sec; uint32_t nsec; int32_t pad; };
struct cb_statx {
    uint32_t mask, blksize;
    uint64_t attributes;
    uint32_t nlink, uid, gid;
    uint16_t mode, pad1;
    uint64_t ino, size, blocks, attributes_mask;
    struct cb_statx_time atime, btime, ctime, mtime;
    uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
    uint64_t spare[14];
};

static char top[64];

static long sys_open(const char *p, long flags, long mode) { return cb_syscall(SYS_open, (long)p, flags, mode, 0, 0, 0); }
static long sys_close(long fd) { return cb_syscall(SYS_close, fd, 0, 0, 0, 0, 0); }
static long sys_read(long fd, void *b, long n) { return cb_syscall(SYS_read, fd, (long)b, n, 0, 0, 0); }
static long sys_write(long fd, const void *b, long n) { return cb_syscall(SYS_write, fd, (long)b, n, 0, 0, 0); }
static long sys_pwrite(long fd, const void *b, long n, long off) { return cb_syscall(SYS_pwrite64, fd, (long)b, n, off, 0, 0); }
static long sys_lseek(long fd, long off, long whence) { return cb_syscall(SYS_lseek, fd, off, whence, 0, 0, 0); }
static long sys_stat(const char *p, struct stat *st) { return cb_syscall(SYS_stat, (long)p, (long)st, 0, 0, 0, 0); }
static long sys_lstat(const char *p, struct stat *st) { return cb_syscall(SYS_lstat, (long)p, (long)st, 0, 0, 0, 0); }
static long sys_fstat(long fd, struct stat *st) { return cb_syscall(SYS_fstat, fd, (long)st, 0, 0, 0, 0); }
static long sys_unlink(const char *p) { return cb_syscall(SYS_unlink, (long)p, 0, 0, 0, 0, 0); }
static long sys_mkdir(const char *p, long mode) { return cb_syscall(SYS_mkdir, (long)p, mode, 0, 0, 0, 0); }
static long sys_rmdir(const char *p) { return cb_syscall(SYS_rmdir, (long)p, 0, 0, 0, 0, 0); }
static long sys_symlink(const char *a, const char *b) { return cb_syscall(SYS_symlink, (long)a, (long)b, 0, 0, 0, 0); }
static long sys_chmod(const char *p, long mode) { return cb_syscall(SYS_chmod, (long)p, mode, 0, 0, 0, 0); }
static long sys_sendfile(long out, long in, long *off, long n) { return cb_syscall(SYS_sendfile, out, in, (long)off, n, 0, 0); }
static long sys_statx(long dfd, const char *p, long flags, long mask, void *b) { return cb_syscall(SYS_statx, dfd, (long)p, flags, mask, (long)b, 0); }
static long sys_utimensat(long dfd, const char *p, const struct timespec *t, long flags) { return cb_syscall(SYS_utimensat, dfd, (long)p, (long)t, flags, 0, 0); }
static long sys_chown(const char *p, long u, long g) { return cb_syscall(SYS_chown, (long)p, u, g, 0, 0, 0); }
static long sys_renameat2(const char *a, const char *b, long flags) { return cb_syscall(SYS_renameat2, AT_FDCWD, (long)a, AT_FDCWD, (long)b, flags, 0); }

/* `name` inside the test directory. */
static const char *at(const char *name) { return cb_path_in(top, name); }

/* Creates (or empties) `name` in the test directory holding `text`. */
static long make_file(const char *name, const char *text) { return cb_write_file(at(name), text); }

/* The contents of `name` as a string (at most size - 1 bytes). */
static const char *contents(const char *name, char *buf, size_t size)
{
    long n = cb_read_file(at(name), buf, size);
    buf[n > 0 ? n : 0] = 0;
    return buf;
}

static long now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ts.tv_sec;
}

static void sendfile_checks(void)
{
    char buf[128];
    make_file("src", "hello sendfile world");
    long in = sys_open(at("src"), O_RDONLY, 0);
    long out = sys_open(at("dst"), O_CREAT | O_WRONLY | O_TRUNC, 0644);
    cb_check_ret(sys_sendfile(out, in, NULL, 5), 5, "sendfile of 5 bytes without an offset");
    cb_check_ret(sys_lseek(in, 0, SEEK_CUR), 5, "it moved the input's offset");
    cb_check_ret(sys_lseek(out, 0, SEEK_CUR), 5, "and the output's");
    long off = 5;
    cb_check_ret(sys_sendfile(out, in, &off, 100), 15, "sendfile from an offset pointer stops at the end");
    cb_check_ret(off, 20, "the offset pointer moved to the end");
    cb_check_ret(sys_lseek(in, 0, SEEK_CUR), 5, "the input's own offset stayed");
    cb_check_ret(sys_sendfile(out, in, &off, 100), 0, "sendfile at the end of the input gives 0");
    cb_check_ret(sys_sendfile(out, in, NULL, 0), 0, "a count of 0 gives 0");
    cb_check_ret(sys_sendfile(out, in, NULL, 1 << 30), 15, "a huge count sends what is left");
    CHECK(strcmp(contents("dst", buf, sizeof buf), "hello sendfile world sendfile world") == 0, "the output holds the bytes in order");
    off = -1;
    cb_check_ret(sys_sendfile(out, in, &off, 1), -EINVAL, "a negative offset is EINVAL");
    cb_check_ret(sys_sendfile(out, in, (long *)8, 1), -EFAULT, "a bad offset pointer is EFAULT");
    cb_check_ret(sys_sendfile(999, 998, (long *)8, 1), -EFAULT, "the offset pointer is read before the fds are looked at");
    cb_check_ret(sys_sendfile(out, 999, NULL, 1), -EBADF, "a closed input is EBADF");
    cb_check_ret(sys_sendfile(999, in, NULL, 1), -EBADF, "a closed output is EBADF");
    cb_check_ret(sys_sendfile(in, out, NULL, 1), -EBADF, "an input open only for writing is EBADF");
    sys_lseek(in, 0, SEEK_SET);
    cb_check_ret(sys_sendfile(in, in, NULL, 1), -EBADF, "an output open only for reading is EBADF");
    sys_close(out);

    out = sys_open(at("dst"), O_WRONLY | O_APPEND, 0);
    cb_check_ret(sys_sendfile(out, in, NULL, 1), -EINVAL, "an O_APPEND output is EINVAL");
    sys_close(out);
    out = sys_open(at("dst"), O_WRONLY, 0);
    long dir = sys_open(top, O_RDONLY | O_DIRECTORY, 0);
    cb_check_ret(sys_sendfile(out, dir, NULL, 1), -EINVAL, "a directory as input is EINVAL");
    sys_close(dir);

    int fds[2];
    cb_check_ret(pipe(fds), 0, "pipe");
    off = 0;
    cb_check_ret(sys_sendfile(out, fds[0], &off, 1), -ESPIPE, "an offset pointer with a pipe as input is ESPIPE");
    cb_check_ret(sys_sendfile(fds[1], in, &off, 100), 20, "sendfile of a file into a pipe");
    cb_check_ret(off, 20, "the offset pointer moved");
    memset(buf, 0, sizeof buf);
    cb_check_ret(sys_read(fds[0], buf, sizeof buf), 20, "the pipe holds the file");
    CHECK(strcmp(buf, "hello sendfile world") == 0, "the pipe's bytes are the file's");
    sys_close(fds[0]);
    sys_close(fds[1]);
    sys_close(out);
    sys_close(in);

    /* To fd 1: the line arrives among this program's output (an INFO line, outside the counts). */
    const char *line = "INFO sendfile wrote this line to fd 1\n";
    make_file("line", line);
    in = sys_open(at("line"), O_RDONLY, 0);
    cb_check_ret(sys_sendfile(1, in, NULL, 4096), (long)strlen(line), "sendfile to fd 1 sends the whole line");
    sys_close(in);

    /* A file of several pages with a hole, copied whole. */
    static char big[3 * 4096 + 100];
    memset(big, 'b', sizeof big);
    memset(big + 4096, 0, 4096);
    in = sys_open(at("big"), O_CREAT | O_RDWR | O_TRUNC, 0644);
    sys_pwrite(in, big, 4096, 0);
    sys_pwrite(in, big + 8192, sizeof big - 8192, 8192);
    out = sys_open(at("bigcopy"), O_CREAT | O_RDWR | O_TRUNC, 0644);
    cb_check_ret(sys_sendfile(out, in, NULL, sizeof big + 10), (long)sizeof big, "sendfile of 3 pages and a bit, one of them a hole");
    static char back[sizeof big];
    cb_check_ret(cb_syscall(SYS_pread64, out, (long)back, sizeof back, 0, 0, 0), (long)sizeof back, "read the copy back");
    CHECK(memcmp(big, back, sizeof big) == 0, "the copy has the file's bytes, zeros for the hole");
    sys_close(out);
    sys_close(in);
}

static void statx_checks(void)
{
    struct cb_statx sx;
    struct stat st;
    make_file("sx", "twelve bytes");
    memset(&sx, 0xff, sizeof sx);
    cb_check_ret(sys_statx(AT_FDCWD, at("sx"), 0, STATX_BASIC, &sx), 0, "statx of a file");
    cb_check_ret(sx.mask & STATX_BASIC, STATX_BASIC, "stx_mask has STATX_BASIC_STATS");
    sys_stat(at("sx"), &st);
    CHECK(sx.ino == st.st_ino && sx.mode == st.st_mode && sx.nlink == st.st_nlink && sx.size == 12
          && sx.uid == st.st_uid && sx.gid == st.st_gid && sx.blocks == (uint64_t)st.st_blocks && sx.blksize == st.st_blksize,
          "statx agrees with stat (ino, mode, nlink, size, uid, gid, blocks, blksize)");
    CHECK(sx.mtime.sec == st.st_mtim.tv_sec && sx.mtime.nsec == st.st_mtim.tv_nsec && sx.ctime.sec == st.st_ctim.tv_sec
          && sx.atime.sec == st.st_atim.tv_sec, "statx's times are stat's");
    CHECK(makedev(sx.dev_major, sx.dev_minor) == st.st_dev, "stx_dev is st_dev");
    cb_check_ret(sys_statx(AT_FDCWD, at("sx"), 0, 0, &sx), 0, "statx with an empty mask");
    /* Linux 6.13 and later leave mtime and ctime out unless asked (multigrain timestamps). */
    cb_check_ret(sx.mask & STATX_UNASKED, STATX_UNASKED, "still fills the basic stats but the times");

    sys_symlink("sx", at("sxlink"));
    cb_check_ret(sys_statx(AT_FDCWD, at("sxlink"), AT_SYMLINK_NOFOLLOW, STATX_BASIC, &sx), 0, "statx AT_SYMLINK_NOFOLLOW");
    CHECK(S_ISLNK(sx.mode) && sx.size == 2, "the link itself: a symlink of 2 bytes");
    cb_check_ret(sys_statx(AT_FDCWD, at("sxlink"), 0, STATX_BASIC, &sx), 0, "statx through the link");
    CHECK(S_ISREG(sx.mode) && sx.size == 12, "the file behind it");
    long fd = sys_open(at("sx"), O_RDONLY, 0);
    cb_check_ret(sys_statx(fd, "", AT_EMPTY_PATH, STATX_BASIC, &sx), 0, "statx AT_EMPTY_PATH of an fd");
    CHECK(sx.ino == st.st_ino, "the fd's file");
    cb_check_ret(sys_statx(fd, "", 0, STATX_BASIC, &sx), -ENOENT, "an empty path without AT_EMPTY_PATH is ENOENT");
    sys_close(fd);
    int fds[2];
    pipe(fds);
    cb_check_ret(sys_statx(fds[0], "", AT_EMPTY_PATH, STATX_BASIC, &sx), 0, "statx of a pipe");
    CHECK(S_ISFIFO(sx.mode), "a pipe is a FIFO");
    sys_close(fds[0]);
    sys_close(fds[1]);
    cb_check_ret(sys_statx(AT_FDCWD, top, 0, STATX_BASIC, &sx), 0, "statx of a directory");
    CHECK(S_ISDIR(sx.mode), "a directory");
    cb_check_ret(sys_statx(AT_FDCWD, at("sx"), 0, STATX_BASIC | STATX_RESERVED, &sx), -EINVAL, "STATX__RESERVED is EINVAL");
    cb_check_ret(sys_statx(AT_FDCWD, at("sx"), AT_STATX_FORCE | AT_STATX_DONT, STATX_BASIC, &sx), -EINVAL, "both AT_STATX_SYNC bits are EINVAL");
    cb_check_ret(sys_statx(AT_FDCWD, at("sx"), AT_STATX_FORCE, STATX_BASIC, &sx), 0, "AT_STATX_FORCE_SYNC alone is fine");
    cb_check_ret(sys_statx(AT_FDCWD, at("sx"), 0x10000000, STATX_BASIC, &sx), -EINVAL, "an unknown flag is EINVAL");
    cb_check_ret(sys_statx(AT_FDCWD, at("none"), 0, STATX_BASIC, &sx), -ENOENT, "statx of a missing file is ENOENT");
    cb_check_ret(sys_statx(AT_FDCWD, at("sx"), 0, STATX_BASIC, (void *)8), -EFAULT, "a bad buffer is EFAULT");
}

static void utime_checks(void)
{
    struct stat st;
    make_file("t", "times");
    struct timespec ts[2] = { { 1000000000, 123456789 }, { 1100000000, 5 } };
    long before = now_seconds();
    cb_check_ret(sys_utimensat(AT_FDCWD, at("t"), ts, 0), 0, "utimensat with two times");
    sys_stat(at("t"), &st);
    CHECK(st.st_atim.tv_sec == 1000000000 && st.st_atim.tv_nsec == 123456789, "atime is the first");
    CHECK(st.st_mtim.tv_sec == 1100000000 && st.st_mtim.tv_nsec == 5, "mtime is the second");
    CHECK(st.st_ctim.tv_sec >= before - 1 && st.st_ctim.tv_sec <= now_seconds() + 1, "ctime is now");

    struct timespec omit[2] = { { 5, UTIME_OMIT }, { 0, UTIME_NOW } };
    cb_check_ret(sys_utimensat(AT_FDCWD, at("t"), omit, 0), 0, "utimensat UTIME_OMIT, UTIME_NOW");
    sys_stat(at("t"), &st);
    CHECK(st.st_atim.tv_sec == 1000000000 && st.st_atim.tv_nsec == 123456789, "UTIME_OMIT kept atime");
    CHECK(st.st_mtim.tv_sec >= before - 1 && st.st_mtim.tv_sec <= now_seconds() + 1, "UTIME_NOW set mtime to now");
    struct timespec both[2] = { { 0, UTIME_OMIT }, { 0, UTIME_OMIT } };
    cb_check_ret(sys_utimensat(AT_FDCWD, at("none"), both, 0), 0, "both UTIME_OMIT is 0 even for a missing file");
    cb_check_ret(sys_utimensat(AT_FDCWD, at("t"), NULL, 0), 0, "utimensat NULL");
    sys_stat(at("t"), &st);
    CHECK(st.st_atim.tv_sec >= before - 1 && st.st_mtim.tv_sec >= before - 1, "NULL sets both to now");

    struct timespec bad[2] = { { 0, 1000000000 }, { 0, 0 } };
    cb_check_ret(sys_utimensat(AT_FDCWD, at("t"), bad, 0), -EINVAL, "a nanosecond count of 10^9 is EINVAL");
    cb_check_ret(sys_utimensat(AT_FDCWD, at("t"), ts, 0x8000), -EINVAL, "an unknown flag is EINVAL");
    cb_check_ret(sys_utimensat(AT_FDCWD, at("t"), (void *)8, 0), -EFAULT, "a bad times pointer is EFAULT");
    cb_check_ret(sys_utimensat(AT_FDCWD, at("none"), ts, 0), -ENOENT, "a missing file is ENOENT");
    cb_check_ret(sys_utimensat(999, NULL, ts, 0), -EBADF, "a NULL path names dirfd: EBADF when closed");
    cb_check_ret(sys_utimensat(AT_FDCWD, NULL, ts, 0), -EFAULT, "a NULL path with AT_FDCWD is EFAULT");

    long fd = sys_open(at("t"), O_RDWR, 0);
    cb_check_ret(sys_utimensat(fd, NULL, ts, 0), 0, "futimens (a NULL path and the fd)");
    cb_check_ret(sys_utimensat(fd, NULL, ts, AT_SYMLINK_NOFOLLOW), -EINVAL, "flags with a NULL path are EINVAL");
    cb_check_ret(sys_utimensat(fd, "", ts, AT_EMPTY_PATH), 0, "AT_EMPTY_PATH on the fd");
    sys_fstat(fd, &st);
    CHECK(st.st_mtim.tv_sec == 1100000000, "the fd's file got the times");
    cb_check_ret(sys_write(fd, "x", 1), 1, "write");
    sys_fstat(fd, &st);
    CHECK(st.st_mtim.tv_sec >= before - 1, "a write sets mtime to now");
    CHECK(st.st_atim.tv_sec == 1000000000, "a write leaves atime");
    char c;
    cb_check_ret(sys_read(fd, &c, 1), 1, "read");
    sys_fstat(fd, &st);
    CHECK(st.st_atim.tv_sec >= before - 1, "a read sets an atime older than mtime to now (relatime)");
    struct timespec future[2] = { { 4000000000L, 0 }, { 1100000000, 0 } };
    sys_utimensat(fd, NULL, future, 0);
    sys_lseek(fd, 0, SEEK_SET);
    sys_read(fd, &c, 1);
    sys_fstat(fd, &st);
    CHECK(st.st_atim.tv_sec == 4000000000L, "an atime after mtime and ctime stays on a read (relatime)");
    sys_close(fd);

    sys_symlink("t", at("tlink"));
    cb_check_ret(sys_utimensat(AT_FDCWD, at("tlink"), ts, AT_SYMLINK_NOFOLLOW), 0, "utimensat AT_SYMLINK_NOFOLLOW");
    sys_lstat(at("tlink"), &st);
    CHECK(st.st_mtim.tv_sec == 1100000000, "the link itself got the times");

    struct timeval tv[2] = { { 1200000000, 7 }, { 1300000000, 999999 } };
    cb_check_ret(cb_syscall(SYS_utimes, (long)at("t"), (long)tv, 0, 0, 0, 0), 0, "utimes");
    sys_stat(at("t"), &st);
    CHECK(st.st_atim.tv_sec == 1200000000 && st.st_atim.tv_nsec == 7000 && st.st_mtim.tv_nsec == 999999000,
          "utimes' microseconds become nanoseconds");
    struct timeval badtv[2] = { { 0, 1000000 }, { 0, 0 } };
    cb_check_ret(cb_syscall(SYS_utimes, (long)at("t"), (long)badtv, 0, 0, 0, 0), -EINVAL, "utimes with 10^6 microseconds is EINVAL");
    cb_check_ret(cb_syscall(SYS_futimesat, AT_FDCWD, (long)at("t"), (long)tv, 0, 0, 0), 0, "futimesat");
    long ub[2] = { 1400000000, 1500000000 };
    cb_check_ret(cb_syscall(SYS_utime, (long)at("t"), (long)ub, 0, 0, 0, 0), 0, "utime");
    sys_stat(at("t"), &st);
    CHECK(st.st_atim.tv_sec == 1400000000 && st.st_mtim.tv_sec == 1500000000 && st.st_mtim.tv_nsec == 0, "utime's whole seconds");
}

static void owner_checks(void)
{
    struct stat st;
    make_file("o", "owner");
    cb_check_ret(sys_chmod(at("o"), 06755), 0, "chmod 06755");
    struct timespec old[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
    sys_utimensat(AT_FDCWD, at("o"), old, 0);
    long before = now_seconds();
    cb_check_ret(sys_chown(at("o"), -1, -1), 0, "chown -1 -1");
    sys_stat(at("o"), &st);
    cb_check_ret(st.st_mode & 07777, 0755, "chown clears set-user-ID and (with group execute) set-group-ID");
    CHECK(st.st_ctim.tv_sec >= before - 1, "chown sets ctime to now");
    sys_chmod(at("o"), 06745);
    cb_check_ret(sys_chown(at("o"), 0, 0), 0, "chown 0 0");
    sys_stat(at("o"), &st);
    cb_check_ret(st.st_mode & 07777, 02745, "set-group-ID without group execute stays");
    CHECK(st.st_uid == 0 && st.st_gid == 0, "owner and group 0");
    sys_mkdir(at("od"), 0755);
    sys_chmod(at("od"), 03755);
    cb_check_ret(sys_chown(at("od"), 0, -1), 0, "chown of a directory");
    sys_stat(at("od"), &st);
    cb_check_ret(st.st_mode & 07777, 03755, "a directory keeps its set-group-ID and sticky bits");
    sys_rmdir(at("od"));
    long fd = sys_open(at("o"), O_RDONLY, 0);
    cb_check_ret(cb_syscall(SYS_fchown, fd, 0, 0, 0, 0, 0), 0, "fchown");
    sys_close(fd);
    cb_check_ret(cb_syscall(SYS_fchown, 999, 0, 0, 0, 0, 0), -EBADF, "fchown of a closed fd is EBADF");
    sys_symlink("o", at("olink"));
    cb_check_ret(cb_syscall(SYS_lchown, (long)at("olink"), 0, 0, 0, 0, 0), 0, "lchown of a symlink");
    cb_check_ret(cb_syscall(SYS_lchown, (long)at("none"), 0, 0, 0, 0, 0), -ENOENT, "lchown of a missing file is ENOENT");
    cb_check_ret(cb_syscall(SYS_fchownat, AT_FDCWD, (long)at("olink"), 0, 0, AT_SYMLINK_NOFOLLOW, 0), 0, "fchownat AT_SYMLINK_NOFOLLOW");
    cb_check_ret(cb_syscall(SYS_fchownat, AT_FDCWD, (long)at("o"), 0, 0, 0x8000, 0), -EINVAL, "fchownat with an unknown flag is EINVAL");
    fd = sys_open(at("o"), O_RDONLY, 0);
    cb_check_ret(cb_syscall(SYS_fchownat, fd, (long)"", -1, -1, AT_EMPTY_PATH, 0), 0, "fchownat AT_EMPTY_PATH");
    sys_close(fd);
}

static void statfs_checks(void)
{
    struct statfs sf;
    cb_check_ret(cb_syscall(SYS_statfs, (long)top, (long)&sf, 0, 0, 0, 0), 0, "statfs of the test directory");
    CHECK(sf.f_bsize == 4096 && sf.f_namelen == 255 && sf.f_frsize == 4096, "4 KiB blocks, names up to 255 bytes");
    CHECK(sf.f_blocks > 0 && sf.f_bfree <= sf.f_blocks && sf.f_bavail <= sf.f_bfree, "free blocks within the total");
    long fd = sys_open(at("sx"), O_RDONLY, 0);
    struct statfs sf2;
    cb_check_ret(cb_syscall(SYS_fstatfs, fd, (long)&sf2, 0, 0, 0, 0), 0, "fstatfs of a file");
    CHECK(sf2.f_type == sf.f_type && sf2.f_blocks == sf.f_blocks, "the same file system as its directory");
    cb_check_ret(cb_syscall(SYS_fstatfs, fd, 8, 0, 0, 0, 0), -EFAULT, "a bad buffer is EFAULT");
    sys_close(fd);
    cb_check_ret(cb_syscall(SYS_statfs, (long)"/proc/meminfo", (long)&sf, 0, 0, 0, 0), 0, "statfs of /proc/meminfo");
    cb_check_ret(sf.f_type, PROC_MAGIC, "/proc is PROC_SUPER_MAGIC");
    int fds[2];
    pipe(fds);
    cb_check_ret(cb_syscall(SYS_fstatfs, fds[0], (long)&sf, 0, 0, 0, 0), 0, "fstatfs of a pipe");
    cb_check_ret(sf.f_type, PIPE_MAGIC, "a pipe is PIPEFS_MAGIC");
    sys_close(fds[0]);
    sys_close(fds[1]);
    cb_check_ret(cb_syscall(SYS_statfs, (long)at("none"), (long)&sf, 0, 0, 0, 0), -ENOENT, "statfs of a missing file is ENOENT");
    cb_check_ret(cb_syscall(SYS_fstatfs, 999, (long)&sf, 0, 0, 0, 0), -EBADF, "fstatfs of a closed fd is EBADF");
}

static void create_through_link_checks(void)
{
    struct stat st;
    char buf[32];
    sys_symlink("created", at("dangling"));
    cb_check_ret(sys_open(at("dangling"), O_CREAT | O_EXCL | O_WRONLY, 0644), -EEXIST, "O_CREAT|O_EXCL on a symlink is EEXIST");
    cb_check_ret(sys_open(at("dangling"), O_CREAT | O_NOFOLLOW | O_WRONLY, 0644), -ELOOP, "O_CREAT|O_NOFOLLOW on a symlink is ELOOP");
    long fd = sys_open(at("dangling"), O_CREAT | O_WRONLY, 0640);
    CHECK(fd >= 0, "O_CREAT through a dangling symlink opens");
    sys_write(fd, "via link", 8);
    sys_close(fd);
    cb_check_ret(sys_lstat(at("created"), &st), 0, "the symlink's target was created");
    CHECK(S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0640, "a regular file of the mode asked");
    CHECK(strcmp(contents("created", buf, sizeof buf), "via link") == 0, "holding what was written through the link");
    sys_symlink("dangling", at("chain"));
    sys_unlink(at("created"));
    fd = sys_open(at("chain"), O_CREAT | O_WRONLY, 0644);
    CHECK(fd >= 0 && sys_lstat(at("created"), &st) == 0, "O_CREAT through two links creates the last target");
    sys_close(fd);
    sys_symlink("nodir/x", at("deep"));
    cb_check_ret(sys_open(at("deep"), O_CREAT | O_WRONLY, 0644), -ENOENT, "a target in a missing directory is ENOENT");
    sys_symlink("loop", at("loop"));
    cb_check_ret(sys_open(at("loop"), O_CREAT | O_WRONLY, 0644), -ELOOP, "a symlink to itself is ELOOP");
    sys_symlink("newdir/", at("slash"));
    cb_check_ret(sys_open(at("slash"), O_CREAT | O_WRONLY, 0644), -EISDIR, "a target ending in a slash is EISDIR");
}

static void exchange_checks(void)
{
    struct stat st;
    char buf[16];
    make_file("xa", "A");
    make_file("xb", "B");
    cb_check_ret(sys_renameat2(at("xa"), at("xb"), RENAME_EXCHANGE), 0, "RENAME_EXCHANGE of two files");
    CHECK(strcmp(contents("xa", buf, sizeof buf), "B") == 0 && strcmp(contents("xb", buf, sizeof buf), "A") == 0, "their contents swapped names");
    cb_check_ret(sys_renameat2(at("xa"), at("none"), RENAME_EXCHANGE), -ENOENT, "RENAME_EXCHANGE with a missing target is ENOENT");
    cb_check_ret(sys_renameat2(at("xa"), at("xb"), RENAME_EXCHANGE | RENAME_NOREPLACE), -EINVAL, "EXCHANGE with NOREPLACE is EINVAL");
    cb_check_ret(sys_renameat2(at("xa"), at("xb"), RENAME_EXCHANGE | RENAME_WHITEOUT), -EINVAL, "EXCHANGE with WHITEOUT is EINVAL");
    cb_check_ret(sys_renameat2(at("xa"), at("xb"), 8), -EINVAL, "an unknown flag is EINVAL");

    sys_mkdir(at("p1"), 0755);
    sys_mkdir(at("p2"), 0755);
    sys_mkdir(at("p1/sub"), 0755);
    make_file("p2/file", "F");
    cb_check_ret(sys_renameat2(at("p1/sub"), at("p2/file"), RENAME_EXCHANGE), 0, "RENAME_EXCHANGE of a directory and a file in other directories");
    cb_check_ret(sys_stat(at("p1/sub"), &st), 0, "stat p1/sub");
    CHECK(S_ISREG(st.st_mode), "p1/sub is now the file");
    cb_check_ret(sys_stat(at("p2/file"), &st), 0, "stat p2/file");
    CHECK(S_ISDIR(st.st_mode), "p2/file is now the directory");
    sys_stat(at("p1"), &st);
    cb_check_ret(st.st_nlink, 2, "p1 lost the directory's link");
    sys_stat(at("p2"), &st);
    cb_check_ret(st.st_nlink, 3, "p2 gained it");
    struct stat parent, dotdot;
    sys_stat(at("p2"), &parent);
    sys_stat(at("p2/file/.."), &dotdot);
    CHECK(parent.st_ino == dotdot.st_ino, "the moved directory's .. is its new parent");
    sys_mkdir(at("p2/file/inner"), 0755);
    cb_check_ret(sys_renameat2(at("p2/file"), at("p2/file/inner"), RENAME_EXCHANGE), -EINVAL, "exchanging a directory with its own subdirectory is EINVAL");
    cb_check_ret(sys_renameat2(at("p2/file/inner"), at("p2/file"), RENAME_EXCHANGE), -EINVAL, "and the other way round");
    cb_check_ret(sys_renameat2(at("p1/sub/"), at("p2/file"), RENAME_EXCHANGE), -ENOTDIR, "a trailing slash on a file is ENOTDIR");
    cb_check_ret(sys_rmdir(at("p2/file/inner")), 0, "rmdir inner");
    cb_check_ret(sys_rmdir(at("p2/file")), 0, "rmdir the moved directory");
    cb_check_ret(sys_unlink(at("p1/sub")), 0, "unlink the moved file");
    sys_rmdir(at("p1"));
    sys_rmdir(at("p2"));
}

static void seek_checks(void)
{
    long fd = sys_open(at("sparse"), O_CREAT | O_RDWR | O_TRUNC, 0644);
    sys_pwrite(fd, "d", 1, 0);
    sys_pwrite(fd, "e", 1, 3 * 4096 + 10);
    cb_check_ret(sys_lseek(fd, 0, SEEK_DATA), 0, "SEEK_DATA at 0 of a file starting with data");
    cb_check_ret(sys_lseek(fd, 0, SEEK_HOLE), 4096, "SEEK_HOLE finds the hole after the first page");
    cb_check_ret(sys_lseek(fd, 5000, SEEK_DATA), 3 * 4096, "SEEK_DATA from inside the hole finds the last page");
    cb_check_ret(sys_lseek(fd, 3 * 4096, SEEK_HOLE), 3 * 4096 + 11, "SEEK_HOLE in the last page is the end of the file");
    cb_check_ret(sys_lseek(fd, 0, SEEK_CUR), 3 * 4096 + 11, "the offset moved there");
    cb_check_ret(sys_lseek(fd, 3 * 4096 + 11, SEEK_DATA), -ENXIO, "SEEK_DATA at the end is ENXIO");
    cb_check_ret(sys_lseek(fd, 3 * 4096 + 11, SEEK_HOLE), -ENXIO, "SEEK_HOLE at the end is ENXIO");
    cb_check_ret(sys_lseek(fd, -1, SEEK_DATA), -ENXIO, "SEEK_DATA at a negative offset is ENXIO");
    cb_check_ret(sys_pwrite(fd, "far", 3, 1L << 40), 3, "a write 1 TiB into the file");
    cb_check_ret(sys_lseek(fd, 4 * 4096, SEEK_DATA), 1L << 40, "SEEK_DATA skips the terabyte hole");
    cb_check_ret(sys_lseek(fd, 4 * 4096, SEEK_HOLE), 4 * 4096, "SEEK_HOLE is where it starts");
    char c = 1;
    cb_check_ret(cb_syscall(SYS_pread64, fd, (long)&c, 1, 1L << 39, 0, 0), 1, "a read in the middle of the hole");
    cb_check_ret(c, 0, "reads a zero");
    cb_check_ret(cb_syscall(SYS_ftruncate, fd, 4096, 0, 0, 0, 0), 0, "ftruncate back to one page");
    cb_check_ret(sys_lseek(fd, 0, SEEK_HOLE), 4096, "the far page is gone");
    sys_close(fd);
    make_file("dense", "all data here");
    fd = sys_open(at("dense"), O_RDONLY, 0);
    cb_check_ret(sys_lseek(fd, 3, SEEK_DATA), 3, "a file without holes has data at each offset below its size");
    cb_check_ret(sys_lseek(fd, 3, SEEK_HOLE), 13, "and its only hole at its size");
    sys_close(fd);
    int fds[2];
    pipe(fds);
    cb_check_ret(sys_lseek(fds[0], 0, SEEK_DATA), -ESPIPE, "SEEK_DATA on a pipe is ESPIPE");
    sys_close(fds[0]);
    sys_close(fds[1]);
}

/* A directory read in small pieces while each name read is removed (what rm -r does): every
   name comes once, none is skipped, and the directory ends empty. */
static void listing_checks(void)
{
    enum { NAMES = 40 };
    sys_mkdir(at("many"), 0755);
    char name[64];
    for (int i = 0; i < NAMES; i++) {
        snprintf(name, sizeof name, "many/file-%02d", i);
        make_file(name, "x");
    }
    long fd = sys_open(at("many"), O_RDONLY | O_DIRECTORY, 0);
    int seen[NAMES] = { 0 }, twice = 0, total = 0;
    char dents[200];
    long n;
    while ((n = cb_syscall(SYS_getdents64, fd, (long)dents, sizeof dents, 0, 0, 0)) > 0)
        for (long off = 0; off < n; off += *(unsigned short *)(dents + off + 16)) {
            const char *entry = dents + off + 19;
            int i;
            if (sscanf(entry, "file-%d", &i) != 1 || i < 0 || i >= NAMES)
                continue;
            twice |= seen[i]++;
            total++;
            snprintf(name, sizeof name, "many/%s", entry);
            sys_unlink(at(name));
        }
    sys_close(fd);
    cb_check_ret(total, NAMES, "getdents64 in 200-byte pieces while removing each name read lists all %d", NAMES);
    CHECK(!twice, "no name twice");
    cb_check_ret(sys_rmdir(at("many")), 0, "the directory is empty after");
}

int main(void)
{
    cb_begin("file_calls");
    snprintf(top, sizeof top, "/tmp/cbfcalls.XXXXXX");
    if (!mkdtemp(top)) {
        cb_print("FAIL mkdtemp under /tmp");
        return 1;
    }
    sendfile_checks();
    statx_checks();
    utime_checks();
    owner_checks();
    statfs_checks();
    create_through_link_checks();
    exchange_checks();
    seek_checks();
    listing_checks();

    const char *files[] = { "src", "dst", "line", "big", "bigcopy", "sx", "sxlink", "t", "tlink", "o", "olink", "dangling",
                            "created", "chain", "deep", "loop", "slash", "xa", "xb", "sparse", "dense", 0 };
    int clean = 1;
    for (int i = 0; files[i]; i++)
        clean &= sys_unlink(at(files[i])) == 0;
    clean &= sys_rmdir(top) == 0;
    CHECK(clean, "the test directory is removed");
    return cb_end();
}
