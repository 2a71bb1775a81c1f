/*
 * files: the file system tree and the file system calls, as Linux (fs/namei.c, fs/open.c,
 * fs/read_write.c, fs/stat.c, fs/readdir.c, mm/shmem.c) has them. Everything happens in a
 * fresh directory under /tmp (mkdtemp), removed at the end.
 * - open/openat/creat: O_CREAT, O_EXCL (EEXIST), O_TRUNC, O_APPEND, O_DIRECTORY (ENOTDIR),
 *   O_NOFOLLOW (ELOOP), a directory for writing or with O_CREAT (EISDIR), mode & ~umask;
 *   dirfd EBADF/ENOTDIR; EFAULT; ENAMETOOLONG for a 256-byte name and a 4096-byte path.
 * - read/write/pread64/pwrite64/lseek: offsets, SEEK_SET/CUR/END, EINVAL for a negative
 *   result or unknown whence, ESPIPE on a pipe, EBADF for the wrong access mode, EISDIR for a
 *   directory, holes read as zeros, a file kept while open after unlink.
 * - fstat/stat/lstat/newfstatat: types (regular, directory, symlink, FIFO, character device
 *   with st_rdev), sizes, link counts, inode numbers, AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW.
 * - mkdir/rmdir/unlink/unlinkat: EEXIST, ENOENT, ENOTDIR, ENOTEMPTY, EISDIR, EINVAL for ".".
 * - getdents64: the names of a directory with their d_type, EINVAL for a small buffer,
 *   ENOTDIR for a file; /proc lists meminfo.
 * - getcwd/chdir/fchdir: relative paths, "..", ERANGE; a child's chdir leaves the parent's cwd.
 * - symlink/readlink/link/rename/renameat2: targets, loops (ELOOP), trailing slashes, hard link
 *   counts, replacing, EINVAL/ENOTEMPTY/EISDIR/ENOTDIR/EEXIST/EPERM.
 * - access/chmod/fchmod/umask/truncate/ftruncate/fsync.
 * - /dev/null, /dev/zero, /dev/full; execve through a symlink, EACCES, ENOEXEC, ENOENT, and
 *   of a "#!" script (interpreter, its argument, the script's path, the rest of argv).
 * - 300 files of 64 KiB created and deleted: with --assert-memfree (Cowbird) MemFree must be
 *   exactly what it was, and meminfo's Shmem must have held the open file's pages.
 */
#include "cbtest.h"
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#define MEM_CYCLES 300
#define MEM_FILE_BYTES (64 * 1024)

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#endif

static char top[64];

static long sys_open(const char *p, long flags, long mode) { return cb_syscall(SYS_open, (long)p, flags, mode, 0, 0, 0); }
static long sys_openat(long dfd, const char *p, long flags, long mode) { return cb_syscall(SYS_openat, dfd, (long)p, flags, mode, 0, 0); }
static long sys_read(long fd, void *b, long n) { return cb_syscall(SYS_read, fd, (long)b, n, 0, 0, 0); }
static long sys_write(long fd, const void *b, long n) { return cb_syscall(SYS_write, fd, (long)b, n, 0, 0, 0); }
static long sys_pread(long fd, void *b, long n, long off) { return cb_syscall(SYS_pread64, fd, (long)b, n, off, 0, 0); }
static long sys_pwrite(long fd, const void *b, long n, long off) { return cb_syscall(SYS_pwrite64, fd, (long)b, n, off, 0, 0); }
static long sys_lseek(long fd, long off, long whence) { return cb_syscall(SYS_lseek, fd, off, whence, 0, 0, 0); }
static long sys_close(long fd) { return cb_syscall(SYS_close, fd, 0, 0, 0, 0, 0); }
static long sys_stat(const char *p, struct stat *st) { return cb_syscall(SYS_stat, (long)p, (long)st, 0, 0, 0, 0); }
static long sys_lstat(const char *p, struct stat *st) { return cb_syscall(SYS_lstat, (long)p, (long)st, 0, 0, 0, 0); }
static long sys_fstat(long fd, struct stat *st) { return cb_syscall(SYS_fstat, fd, (long)st, 0, 0, 0, 0); }
static long sys_fstatat(long dfd, const char *p, struct stat *st, long flags) { return cb_syscall(SYS_newfstatat, dfd, (long)p, (long)st, flags, 0, 0); }
static long sys_mkdir(const char *p, long mode) { return cb_syscall(SYS_mkdir, (long)p, mode, 0, 0, 0, 0); }
static long sys_rmdir(const char *p) { return cb_syscall(SYS_rmdir, (long)p, 0, 0, 0, 0, 0); }
static long sys_unlink(const char *p) { return cb_syscall(SYS_unlink, (long)p, 0, 0, 0, 0, 0); }
static long sys_unlinkat(long dfd, const char *p, long flags) { return cb_syscall(SYS_unlinkat, dfd, (long)p, flags, 0, 0, 0); }
static long sys_rename(const char *a, const char *b) { return cb_syscall(SYS_rename, (long)a, (long)b, 0, 0, 0, 0); }
static long sys_renameat2(const char *a, const char *b, long flags) { return cb_syscall(SYS_renameat2, AT_FDCWD, (long)a, AT_FDCWD, (long)b, flags, 0); }
static long sys_link(const char *a, const char *b) { return cb_syscall(SYS_link, (long)a, (long)b, 0, 0, 0, 0); }
static long sys_symlink(const char *a, const char *b) { return cb_syscall(SYS_symlink, (long)a, (long)b, 0, 0, 0, 0); }
static long sys_readlink(const char *p, char *b, long n) { return cb_syscall(SYS_readlink, (long)p, (long)b, n, 0, 0, 0); }
static long sys_getcwd(char *b, long n) { return cb_syscall(SYS_getcwd, (long)b, n, 0, 0, 0, 0); }
static long sys_chdir(const char *p) { return cb_syscall(SYS_chdir, (long)p, 0, 0, 0, 0, 0); }
static long sys_fchdir(long fd) { return cb_syscall(SYS_fchdir, fd, 0, 0, 0, 0, 0); }
static long sys_access(const char *p, long mode) { return cb_syscall(SYS_access, (long)p, mode, 0, 0, 0, 0); }
static long sys_chmod(const char *p, long mode) { return cb_syscall(SYS_chmod, (long)p, mode, 0, 0, 0, 0); }
static long sys_fchmod(long fd, long mode) { return cb_syscall(SYS_fchmod, fd, mode, 0, 0, 0, 0); }
static long sys_umask(long mask) { return cb_syscall(SYS_umask, mask, 0, 0, 0, 0, 0); }
static long sys_truncate(const char *p, long len) { return cb_syscall(SYS_truncate, (long)p, len, 0, 0, 0, 0); }
static long sys_ftruncate(long fd, long len) { return cb_syscall(SYS_ftruncate, fd, len, 0, 0, 0, 0); }
static long sys_getdents64(long fd, void *b, long n) { return cb_syscall(SYS_getdents64, fd, (long)b, n, 0, 0, 0); }

/* `name` inside the test directory. */
static const char *at(const char *name) { return cb_path_in(top, name); }

/* Creates `name` in the test directory with `text` as contents; the result of the write. */
static long make_file(const char *name, const char *text) { return cb_write_file(at(name), text); }

/* The contents of `path` (up to size - 1 bytes, NUL-terminated), or "" on an error. */
static const char *contents(const char *path, char *buf, size_t size)
{
    if (cb_read_file(path, buf, size) < 0)
        buf[0] = 0;
    return buf;
}

static void open_checks(void)
{
    char buf[64];
    sys_umask(022);
    long fd = sys_open(at("f"), O_CREAT | O_EXCL | O_RDWR, 0666);
    CHECK(fd >= 0, "open O_CREAT|O_EXCL makes a new file");
    cb_check_ret(sys_open(at("f"), O_CREAT | O_EXCL | O_RDWR, 0666), -EEXIST, "O_EXCL on an existing file is EEXIST");
    cb_check_ret(sys_write(fd, "hello world", 11), 11, "write 11 bytes");
    cb_check_ret(sys_lseek(fd, 0, SEEK_CUR), 11, "the offset follows the write");
    cb_check_ret(sys_lseek(fd, 0, SEEK_SET), 0, "lseek SEEK_SET 0");
    memset(buf, 0, sizeof buf);
    cb_check_ret(sys_read(fd, buf, sizeof buf), 11, "read gives the 11 bytes");
    CHECK(memcmp(buf, "hello world", 11) == 0, "read gives what was written");
    cb_check_ret(sys_read(fd, buf, sizeof buf), 0, "read at the end gives 0");
    cb_check_ret(sys_lseek(fd, -5, SEEK_END), 6, "lseek SEEK_END -5");
    cb_check_ret(sys_lseek(fd, -100, SEEK_CUR), -EINVAL, "lseek to a negative offset is EINVAL");
    cb_check_ret(sys_lseek(fd, 0, 7), -EINVAL, "lseek with an unknown whence is EINVAL");
    memset(buf, 0, sizeof buf);
    cb_check_ret(sys_pread(fd, buf, 5, 6), 5, "pread 5 bytes at 6");
    CHECK(memcmp(buf, "world", 5) == 0, "pread reads at its offset");
    cb_check_ret(sys_pwrite(fd, "W", 1, 6), 1, "pwrite 1 byte at 6");
    cb_check_ret(sys_lseek(fd, 0, SEEK_CUR), 6, "pread and pwrite leave the offset");
    cb_check_ret(sys_pread(fd, buf, 1, -1), -EINVAL, "pread at a negative offset is EINVAL");
    struct stat st;
    cb_check_ret(sys_fstat(fd, &st), 0, "fstat of the file");
    CHECK(S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0644, "a new file is regular, mode 0666 & ~022");
    CHECK(st.st_size == 11 && st.st_nlink == 1 && st.st_uid == 0 && st.st_gid == 0, "size 11, one link, root's");
    sys_close(fd);
    CHECK(strcmp(contents(at("f"), buf, sizeof buf), "hello World") == 0, "the file holds the bytes after close");

    fd = sys_open(at("f"), O_RDONLY, 0);
    cb_check_ret(sys_write(fd, "x", 1), -EBADF, "write to an O_RDONLY fd is EBADF");
    cb_check_ret(sys_pwrite(fd, "x", 1, 0), -EBADF, "pwrite to an O_RDONLY fd is EBADF");
    cb_check_ret(sys_ftruncate(fd, 0), -EINVAL, "ftruncate of an O_RDONLY fd is EINVAL");
    sys_close(fd);
    fd = sys_open(at("f"), O_WRONLY | O_APPEND, 0);
    cb_check_ret(sys_read(fd, buf, 1), -EBADF, "read from an O_WRONLY fd is EBADF");
    cb_check_ret(sys_write(fd, "!", 1), 1, "write under O_APPEND");
    sys_close(fd);
    CHECK(strcmp(contents(at("f"), buf, sizeof buf), "hello World!") == 0, "O_APPEND writes at the end");
    fd = sys_open(at("f"), O_RDWR | O_TRUNC, 0);
    cb_check_ret(sys_fstat(fd, &st), 0, "fstat after O_TRUNC");
    cb_check_ret(st.st_size, 0, "O_TRUNC empties the file");
    cb_check_ret(sys_pwrite(fd, "z", 1, 10000), 1, "pwrite past the end");
    cb_check_ret(sys_lseek(fd, 0, SEEK_END), 10001, "the file grew to 10001 bytes");
    char hole[16];
    memset(hole, 1, sizeof hole);
    cb_check_ret(sys_pread(fd, hole, sizeof hole, 5000), (long)sizeof hole, "pread inside the hole");
    CHECK(cb_count_nonzero(hole, sizeof hole) == 0, "a hole reads as zeros");
    cb_check_ret(sys_ftruncate(fd, 3), 0, "ftruncate to 3 bytes");
    cb_check_ret(sys_ftruncate(fd, 9000), 0, "ftruncate back to 9000 bytes");
    memset(hole, 1, sizeof hole);
    cb_check_ret(sys_pread(fd, hole, sizeof hole, 5000), (long)sizeof hole, "pread after shrinking and growing");
    CHECK(cb_count_nonzero(hole, sizeof hole) == 0, "bytes cut by truncate come back as zeros");
    sys_close(fd);
    cb_check_ret(sys_truncate(at("f"), -1), -EINVAL, "truncate to a negative length is EINVAL");
    cb_check_ret(sys_truncate(top, 0), -EISDIR, "truncate of a directory is EISDIR");
    cb_check_ret(sys_truncate(at("f"), 0), 0, "truncate by path");

    cb_check_ret(sys_open(at("f"), O_RDONLY | O_DIRECTORY, 0), -ENOTDIR, "O_DIRECTORY on a file is ENOTDIR");
    cb_check_ret(sys_open(top, O_WRONLY, 0), -EISDIR, "a directory opened for writing is EISDIR");
    cb_check_ret(sys_open(top, O_RDONLY | O_CREAT, 0644), -EISDIR, "O_CREAT on a directory is EISDIR");
    cb_check_ret(sys_open(at("new/"), O_RDWR | O_CREAT, 0644), -EISDIR, "O_CREAT of a name ending in / is EISDIR");
    cb_check_ret(sys_open(at("missing"), O_RDONLY, 0), -ENOENT, "a missing file is ENOENT");
    cb_check_ret(sys_open(at("f/x"), O_RDONLY, 0), -ENOTDIR, "a file used as a directory is ENOTDIR");
    cb_check_ret(sys_open(at("f/"), O_RDONLY, 0), -ENOTDIR, "a file followed by / is ENOTDIR");
    cb_check_ret(sys_open("", O_RDONLY, 0), -ENOENT, "an empty path is ENOENT");
    cb_check_ret(sys_open((const char *)8, O_RDONLY, 0), -EFAULT, "a bad path pointer is EFAULT");
    long dir = sys_open(top, O_RDONLY | O_DIRECTORY, 0);
    CHECK(dir >= 0, "the test directory opens with O_DIRECTORY");
    cb_check_ret(sys_read(dir, buf, 1), -EISDIR, "read of a directory is EISDIR");
    fd = sys_openat(dir, "f", O_RDONLY, 0);
    CHECK(fd >= 0, "openat relative to a directory fd");
    cb_check_ret(sys_openat(fd, "f", O_RDONLY, 0), -ENOTDIR, "openat relative to a file fd is ENOTDIR");
    cb_check_ret(sys_openat(999, "f", O_RDONLY, 0), -EBADF, "openat relative to a closed fd is EBADF");
    long abs = sys_openat(999, at("f"), O_RDONLY, 0);
    CHECK(abs >= 0, "openat of an absolute path ignores the fd");
    cb_check_ret(sys_fstatat(dir, "f", &st, 0x1234), -EINVAL, "newfstatat with unknown flags is EINVAL");
    struct stat by_fd;
    cb_check_ret(sys_fstatat(fd, "", &by_fd, AT_EMPTY_PATH), 0, "newfstatat AT_EMPTY_PATH on a fd");
    cb_check_ret(sys_fstatat(dir, "f", &st, 0), 0, "newfstatat of a name in a directory fd");
    CHECK(st.st_ino == by_fd.st_ino && st.st_dev == by_fd.st_dev, "both name the same inode");
    cb_check_ret(sys_fstatat(dir, "", &st, 0), -ENOENT, "an empty path without AT_EMPTY_PATH is ENOENT");
    cb_check_ret(sys_stat(at("f"), (struct stat *)8), -EFAULT, "stat into a bad buffer is EFAULT");
    sys_close(abs);
    sys_close(fd);
    sys_close(dir);

    char longname[300];
    memset(longname, 'n', 256);
    longname[256] = 0;
    cb_check_ret(sys_open(longname, O_RDONLY | O_CREAT, 0644), -ENAMETOOLONG, "a 256-byte name is ENAMETOOLONG");
    static char longpath[4200];
    memset(longpath, '/', 4096);
    longpath[4096] = 0;
    cb_check_ret(sys_open(longpath, O_RDONLY, 0), -ENAMETOOLONG, "a 4096-byte path is ENAMETOOLONG");
    longpath[4095] = 0;
    long root = sys_open(longpath, O_RDONLY, 0);
    CHECK(root >= 0, "a 4095-byte path of slashes is the root");
    sys_close(root);

    int fds[2];
    if (pipe(fds) == 0) {
        cb_check_ret(sys_lseek(fds[0], 0, SEEK_SET), -ESPIPE, "lseek on a pipe is ESPIPE");
        cb_check_ret(sys_pread(fds[0], buf, 1, 0), -ESPIPE, "pread on a pipe is ESPIPE");
        cb_check_ret(sys_fstat(fds[0], &st), 0, "fstat of a pipe");
        CHECK(S_ISFIFO(st.st_mode), "a pipe is a FIFO");
        sys_close(fds[0]);
        sys_close(fds[1]);
    }
    cb_check_ret(sys_unlink(at("f")), 0, "unlink the file");
}

static int compare_names(const void *a, const void *b) { return strcmp(a, b); }

static void directory_checks(void)
{
    cb_check_ret(sys_mkdir(at("d"), 0755), 0, "mkdir");
    cb_check_ret(sys_mkdir(at("d"), 0755), -EEXIST, "mkdir of an existing name is EEXIST");
    cb_check_ret(sys_mkdir(at("no/d"), 0755), -ENOENT, "mkdir below a missing directory is ENOENT");
    cb_check_ret(sys_mkdir(at("."), 0755), -EEXIST, "mkdir of . is EEXIST");
    cb_check_ret(sys_mkdir(at("d/sub/"), 0755), 0, "mkdir of a name ending in /");
    make_file("d/a", "a");
    make_file("d/b", "bb");
    cb_check_ret(sys_symlink("a", at("d/ln")), 0, "symlink");
    cb_check_ret(make_file("d/a/x", "x"), -ENOTDIR, "a file below a file is ENOTDIR");
    struct stat st;
    cb_check_ret(sys_stat(at("d"), &st), 0, "stat of the directory");
    CHECK(S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0755, "a directory, mode 0755");
    cb_check_ret(st.st_nlink, 3, "a directory with one subdirectory has 3 links");

    long fd = sys_open(at("d"), O_RDONLY | O_DIRECTORY, 0);
    char seen[16][32];
    int types_ok = 1, count = 0;
    char buf[1024];
    long n;
    while ((n = sys_getdents64(fd, buf, sizeof buf)) > 0) {
        for (long off = 0; off < n; ) {
            struct { uint64_t ino; int64_t off; unsigned short reclen; unsigned char type; char name[]; } *d = (void *)(buf + off);
            const char *name = d->name;
            if (strcmp(name, "sub") == 0 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
                types_ok &= d->type == DT_DIR;
            else if (strcmp(name, "ln") == 0)
                types_ok &= d->type == DT_LNK;
            else
                types_ok &= d->type == DT_REG;
            if (count < 16)
                snprintf(seen[count], sizeof seen[0], "%s", name);
            count++;
            off += d->reclen;
        }
    }
    cb_check_ret(n, 0, "getdents64 ends with 0");
    /* Sorted, so the check does not depend on the directory's order. */
    qsort(seen, (size_t)(count < 16 ? count : 16), sizeof seen[0], compare_names);
    char names[256] = "";
    for (int i = 0; i < count && i < 16; i++) {
        strcat(names, seen[i]);
        strcat(names, " ");
    }
    CHECK(strcmp(names, ". .. a b ln sub ") == 0, "getdents64 lists . .. a b ln sub (seen: %s)", names);
    CHECK(types_ok && count == 6, "each entry has its d_type");
    cb_check_ret(sys_lseek(fd, 0, SEEK_SET), 0, "lseek of a directory back to 0");
    cb_check_ret(sys_getdents64(fd, buf, 8), -EINVAL, "getdents64 into a too small buffer is EINVAL");
    sys_close(fd);
    fd = sys_open(at("d/a"), O_RDONLY, 0);
    cb_check_ret(sys_getdents64(fd, buf, sizeof buf), -ENOTDIR, "getdents64 of a file is ENOTDIR");
    sys_close(fd);

    cb_check_ret(sys_rmdir(at("d")), -ENOTEMPTY, "rmdir of a non-empty directory is ENOTEMPTY");
    cb_check_ret(sys_rmdir(at("d/a")), -ENOTDIR, "rmdir of a file is ENOTDIR");
    cb_check_ret(sys_rmdir(at("d/.")), -EINVAL, "rmdir of . is EINVAL");
    cb_check_ret(sys_rmdir(at("d/..")), -ENOTEMPTY, "rmdir of .. is ENOTEMPTY");
    cb_check_ret(sys_rmdir(at("d/none")), -ENOENT, "rmdir of a missing name is ENOENT");
    cb_check_ret(sys_unlink(at("d/sub")), -EISDIR, "unlink of a directory is EISDIR");
    cb_check_ret(sys_unlink(at("d/none")), -ENOENT, "unlink of a missing name is ENOENT");
    cb_check_ret(sys_unlink(at("d/a/")), -ENOTDIR, "unlink of a file followed by / is ENOTDIR");
    cb_check_ret(sys_unlinkat(AT_FDCWD, at("d/sub"), 0x1), -EINVAL, "unlinkat with unknown flags is EINVAL");
    cb_check_ret(sys_unlinkat(AT_FDCWD, at("d/sub"), AT_REMOVEDIR), 0, "unlinkat AT_REMOVEDIR");
    cb_check_ret(sys_stat(at("d"), &st), 0, "stat after the subdirectory went");
    cb_check_ret(st.st_nlink, 2, "the directory is back to 2 links");
}

static void cwd_checks(void)
{
    char cwd[512], buf[64];
    cb_check_ret(sys_chdir(at("d")), 0, "chdir into the directory");
    long n = sys_getcwd(cwd, sizeof cwd);
    CHECK(n == (long)strlen(at("d")) + 1 && strcmp(cwd, at("d")) == 0, "getcwd names it, with its NUL counted");
    cb_check_ret(sys_getcwd(cwd, 3), -ERANGE, "getcwd into 3 bytes is ERANGE");
    CHECK(strcmp(contents("b", buf, sizeof buf), "bb") == 0, "a relative path starts at the cwd");
    CHECK(strcmp(contents("../d/./a", buf, sizeof buf), "a") == 0, ". and .. in a relative path");
    cb_check_ret(sys_chdir("a"), -ENOTDIR, "chdir to a file is ENOTDIR");
    cb_check_ret(sys_chdir("none"), -ENOENT, "chdir to a missing name is ENOENT");
    pid_t pid = cb_fork("child changes its cwd");
    if (pid == 0) {
        cb_child_begin("cwd", 0);
        char mine[512];
        sys_getcwd(mine, sizeof mine);
        CHECK(strcmp(mine, at("d")) == 0, "the child inherits the cwd");
        CHECK(sys_chdir("/") == 0, "the child goes to /");
        cb_child_exit();
    }
    cb_expect_exit(pid, 0, "the child saw the inherited cwd");
    sys_getcwd(cwd, sizeof cwd);
    CHECK(strcmp(cwd, at("d")) == 0, "the child's chdir leaves the parent's cwd");
    cb_check_ret(sys_chdir(".."), 0, "chdir ..");
    sys_getcwd(cwd, sizeof cwd);
    CHECK(strcmp(cwd, top) == 0, "getcwd after .. names the parent");
    long fd = sys_open("d", O_RDONLY | O_DIRECTORY, 0);
    cb_check_ret(sys_fchdir(fd), 0, "fchdir to a directory fd");
    sys_close(fd);
    CHECK(strcmp(contents("a", buf, sizeof buf), "a") == 0, "fchdir moved the cwd");
    fd = sys_open("a", O_RDONLY, 0);
    cb_check_ret(sys_fchdir(fd), -ENOTDIR, "fchdir to a file fd is ENOTDIR");
    sys_close(fd);
    cb_check_ret(sys_chdir("/"), 0, "chdir /");
}

static void link_checks(void)
{
    char buf[64];
    struct stat st, lst;
    cb_check_ret(sys_readlink(at("d/ln"), buf, sizeof buf), 1, "readlink gives the target's length");
    CHECK(buf[0] == 'a', "readlink gives the target");
    cb_check_ret(sys_readlink(at("d/a"), buf, sizeof buf), -EINVAL, "readlink of a file is EINVAL");
    cb_check_ret(sys_readlink(at("d/ln"), buf, 0), -EINVAL, "readlink with size 0 is EINVAL");
    cb_check_ret(sys_lstat(at("d/ln"), &lst), 0, "lstat of the symlink");
    CHECK(S_ISLNK(lst.st_mode) && lst.st_size == 1, "lstat sees a symlink of size 1");
    cb_check_ret(sys_stat(at("d/ln"), &st), 0, "stat through the symlink");
    CHECK(S_ISREG(st.st_mode) && st.st_size == 1, "stat follows it to the file");
    CHECK(strcmp(contents(at("d/ln"), buf, sizeof buf), "a") == 0, "open follows the symlink");
    cb_check_ret(sys_open(at("d/ln"), O_RDONLY | O_NOFOLLOW, 0), -ELOOP, "O_NOFOLLOW on a symlink is ELOOP");
    cb_check_ret(sys_fstatat(AT_FDCWD, at("d/ln"), &st, AT_SYMLINK_NOFOLLOW), 0, "newfstatat AT_SYMLINK_NOFOLLOW");
    CHECK(S_ISLNK(st.st_mode), "it sees the symlink");
    sys_symlink("l2", at("d/l1"));
    sys_symlink("l1", at("d/l2"));
    cb_check_ret(sys_open(at("d/l1"), O_RDONLY, 0), -ELOOP, "a symlink loop is ELOOP");
    sys_symlink("none", at("d/dangling"));
    cb_check_ret(sys_stat(at("d/dangling"), &st), -ENOENT, "stat of a dangling symlink is ENOENT");
    cb_check_ret(sys_lstat(at("d/dangling"), &st), 0, "lstat of a dangling symlink works");
    cb_check_ret(sys_symlink("x", at("d/a")), -EEXIST, "symlink over an existing name is EEXIST");
    cb_check_ret(sys_symlink("", at("d/empty")), -ENOENT, "symlink to an empty target is ENOENT");
    sys_symlink("..", at("d/up"));
    CHECK(strcmp(contents(at("d/up/d/b"), buf, sizeof buf), "bb") == 0, "a symlink inside a path is followed");

    cb_check_ret(sys_link(at("d/a"), at("d/a2")), 0, "link");
    cb_check_ret(sys_stat(at("d/a2"), &st), 0, "stat of the new link");
    cb_check_ret(sys_stat(at("d/a"), &lst), 0, "stat of the old name");
    CHECK(st.st_ino == lst.st_ino && st.st_nlink == 2, "both names, one inode with 2 links");
    cb_check_ret(sys_link(at("d/a"), at("d/b")), -EEXIST, "link over an existing name is EEXIST");
    cb_check_ret(sys_link(at("d"), at("d/dirlink")), -EPERM, "link of a directory is EPERM");
    cb_check_ret(sys_unlink(at("d/a")), 0, "unlink one name");
    cb_check_ret(sys_stat(at("d/a2"), &st), 0, "the other name stays");
    CHECK(st.st_nlink == 1, "with one link left");
    cb_check_ret(sys_rename(at("d/a2"), at("d/a")), 0, "rename");
    cb_check_ret(sys_stat(at("d/a2"), &st), -ENOENT, "the old name is gone");
    CHECK(strcmp(contents(at("d/a"), buf, sizeof buf), "a") == 0, "the new name has the contents");
    cb_check_ret(sys_rename(at("d/a"), at("d/b")), 0, "rename over an existing file");
    CHECK(strcmp(contents(at("d/b"), buf, sizeof buf), "a") == 0, "the file replaced the other");
    cb_check_ret(sys_rename(at("d/none"), at("d/x")), -ENOENT, "rename of a missing name is ENOENT");
    sys_mkdir(at("d/s1"), 0755);
    sys_mkdir(at("d/s2"), 0755);
    sys_mkdir(at("d/s2/inner"), 0755);
    cb_check_ret(sys_rename(at("d/s1"), at("d/s1/in")), -EINVAL, "rename of a directory into itself is EINVAL");
    cb_check_ret(sys_rename(at("d/s1"), at("d/s2")), -ENOTEMPTY, "rename over a non-empty directory is ENOTEMPTY");
    cb_check_ret(sys_rename(at("d/b"), at("d/s1")), -EISDIR, "rename of a file over a directory is EISDIR");
    cb_check_ret(sys_rename(at("d/s1"), at("d/b")), -ENOTDIR, "rename of a directory over a file is ENOTDIR");
    cb_check_ret(sys_renameat2(at("d/s1"), at("d/b"), RENAME_NOREPLACE), -EEXIST, "RENAME_NOREPLACE over a name is EEXIST");
    cb_check_ret(sys_renameat2(at("d/s1"), at("d/s3"), RENAME_NOREPLACE), 0, "RENAME_NOREPLACE to a free name");
    cb_check_ret(sys_rename(at("d/s3"), at("d/s2/inner")), 0, "rename of a directory over an empty one");
    cb_check_ret(sys_stat(at("d/s2"), &st), 0, "stat of the new parent");
    cb_check_ret(st.st_nlink, 3, "the moved directory counts in its new parent's links");
}

static void attribute_checks(void)
{
    struct stat st;
    make_file("m", "#!/bin/none\n");
    cb_check_ret(sys_access(at("m"), F_OK), 0, "access F_OK of a file");
    cb_check_ret(sys_access(at("none"), F_OK), -ENOENT, "access of a missing file is ENOENT");
    cb_check_ret(sys_access(at("m"), X_OK), -EACCES, "access X_OK of a file without x bits is EACCES");
    cb_check_ret(sys_access(top, X_OK), 0, "access X_OK of a directory");
    cb_check_ret(sys_access(at("m"), 8), -EINVAL, "access with an unknown mode is EINVAL");
    cb_check_ret(sys_chmod(at("m"), 0100), 0, "chmod 0100");
    cb_check_ret(sys_access(at("m"), X_OK), 0, "one x bit lets root execute");
    cb_check_ret(sys_stat(at("m"), &st), 0, "stat after chmod");
    CHECK((st.st_mode & 07777) == 0100 && S_ISREG(st.st_mode), "chmod changed the bits, not the type");
    long fd = sys_open(at("m"), O_RDONLY, 0);
    cb_check_ret(sys_fchmod(fd, 0640), 0, "fchmod");
    sys_close(fd);
    cb_check_ret(sys_stat(at("m"), &st), 0, "stat after fchmod");
    cb_check_ret(st.st_mode & 07777, 0640, "fchmod changed the bits");
    cb_check_ret(sys_umask(077), 022, "umask returns the old mask");
    fd = sys_open(at("u"), O_CREAT | O_RDWR, 0666);
    cb_check_ret(sys_fstat(fd, &st), 0, "fstat of a file made under umask 077");
    cb_check_ret(st.st_mode & 07777, 0600, "the new file's mode is 0666 & ~077");
    cb_check_ret(cb_syscall(SYS_fsync, fd, 0, 0, 0, 0, 0), 0, "fsync");
    cb_check_ret(cb_syscall(SYS_fdatasync, fd, 0, 0, 0, 0, 0), 0, "fdatasync");
    sys_umask(022);
    cb_check_ret(sys_unlink(at("u")), 0, "unlink a file still open");
    cb_check_ret(sys_write(fd, "still", 5), 5, "write to the unlinked file");
    char buf[8] = "";
    cb_check_ret(sys_pread(fd, buf, 5, 0), 5, "read it back");
    CHECK(memcmp(buf, "still", 5) == 0, "an unlinked file keeps its contents while open");
    cb_check_ret(sys_fstat(fd, &st), 0, "fstat of the unlinked file");
    cb_check_ret(st.st_nlink, 0, "it has no links");
    sys_close(fd);
}

static void device_checks(void)
{
    char buf[16];
    struct stat st;
    long fd = sys_open("/dev/null", O_RDWR, 0);
    cb_check_ret(sys_read(fd, buf, sizeof buf), 0, "/dev/null reads end of file");
    cb_check_ret(sys_write(fd, "abc", 3), 3, "/dev/null takes writes");
    cb_check_ret(sys_fstat(fd, &st), 0, "fstat of /dev/null");
    CHECK(S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 && minor(st.st_rdev) == 3, "/dev/null is character device 1:3");
    sys_close(fd);
    fd = sys_open("/dev/zero", O_RDONLY, 0);
    memset(buf, 7, sizeof buf);
    cb_check_ret(sys_read(fd, buf, sizeof buf), (long)sizeof buf, "/dev/zero reads what is asked");
    CHECK(cb_count_nonzero(buf, sizeof buf) == 0, "/dev/zero reads zeros");
    sys_close(fd);
    fd = sys_open("/dev/full", O_WRONLY, 0);
    cb_check_ret(sys_write(fd, "x", 1), -ENOSPC, "/dev/full writes are ENOSPC");
    sys_close(fd);
    cb_check_ret(sys_stat("/dev/zero", &st), 0, "stat /dev/zero");
    CHECK(S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 && minor(st.st_rdev) == 5, "/dev/zero is character device 1:5");

    cb_check_ret(sys_stat("/proc", &st), 0, "stat /proc");
    CHECK(S_ISDIR(st.st_mode), "/proc is a directory");
    fd = sys_open("/proc", O_RDONLY | O_DIRECTORY, 0);
    static char dents[65536];
    int seen = 0;
    long n;
    while ((n = sys_getdents64(fd, dents, sizeof dents)) > 0)
        for (long off = 0; off < n; off += *(unsigned short *)(dents + off + 16))
            seen |= strcmp(dents + off + 19, "meminfo") == 0;
    sys_close(fd);
    CHECK(seen, "/proc lists meminfo");
    static char text[8192];
    CHECK(cb_read_file("/proc/meminfo", text, sizeof text) > 0 && strncmp(text, "MemTotal:", 9) == 0, "/proc/meminfo opens by path");
    fd = sys_open("/proc/sys/../meminfo", O_RDONLY, 0);
    CHECK(fd >= 0, ".. inside /proc");
    sys_close(fd);
}

static void exec_checks(const char *self)
{
    char link[320];
    snprintf(link, sizeof link, "%s", at("self-link"));
    sys_symlink(self, link);
    pid_t pid = cb_fork("exec through a symlink");
    if (pid == 0) {
        char *argv[] = { "files", "--exec-check", 0 };
        execve(link, argv, 0);
        _exit(99);
    }
    cb_expect_exit(pid, 42, "execve through a symlink runs the program");
    char line[440];
    snprintf(line, sizeof line, "#!  %s --script-check  \n", self);
    make_file("script", line);
    sys_chmod(at("script"), 0755);
    pid = cb_fork("exec of a script");
    if (pid == 0) {
        char *args[] = { "script-name", "extra", 0 };
        execve(at("script"), args, 0);
        _exit(99);
    }
    cb_expect_exit(pid, 43, "a #! script runs its interpreter with its argument, its path and the rest of argv");
    make_file("noname", "#!   \n");
    sys_chmod(at("noname"), 0755);
    char *none[] = { "x", 0 };
    cb_check_ret(cb_syscall(SYS_execve, (long)at("noname"), (long)none, 0, 0, 0, 0), -ENOEXEC, "a #! line without an interpreter is ENOEXEC");
    make_file("badinterp", "#!/nonexistent/interpreter\n");
    sys_chmod(at("badinterp"), 0755);
    cb_check_ret(cb_syscall(SYS_execve, (long)at("badinterp"), (long)none, 0, 0, 0, 0), -ENOENT, "a #! script with a missing interpreter is ENOENT");
    char *argv[] = { "x", 0 };
    cb_check_ret(cb_syscall(SYS_execve, (long)top, (long)argv, 0, 0, 0, 0), -EACCES, "execve of a directory is EACCES");
    cb_check_ret(cb_syscall(SYS_execve, (long)at("m"), (long)argv, 0, 0, 0, 0), -EACCES, "execve of a file without x bits is EACCES");
    make_file("junk", "not a program at all, and long enough to be read as a header by the loader......");
    sys_chmod(at("junk"), 0755);
    cb_check_ret(cb_syscall(SYS_execve, (long)at("junk"), (long)argv, 0, 0, 0, 0), -ENOEXEC, "execve of a file that is no program is ENOEXEC");
    cb_check_ret(cb_syscall(SYS_execve, (long)at("none"), (long)argv, 0, 0, 0, 0), -ENOENT, "execve of a missing file is ENOENT");
    cb_check_ret(cb_syscall(SYS_execve, (long)at("m/x"), (long)argv, 0, 0, 0, 0), -ENOTDIR, "execve below a file is ENOTDIR");
}

/* Creates, fills, closes and removes files; on Cowbird MemFree must come back exactly. */
static void memory_checks(int assert_memfree)
{
    static char block[MEM_FILE_BYTES];
    memset(block, 0x5a, sizeof block);
    long before = 0, after = 0, shmem_before = 0, shmem_open = 0;
    int ok = 1;
    for (int round = 0; round < 2; round++) {
        if (round == 1) {
            cb_meminfo_kb("MemFree", &before);
            cb_meminfo_kb("Shmem", &shmem_before);
        }
        for (int i = 0; i < MEM_CYCLES; i++) {
            long fd = sys_open(at("mem"), O_CREAT | O_RDWR | O_TRUNC, 0644);
            ok &= sys_write(fd, block, sizeof block) == (long)sizeof block;
            if (round == 1 && i == 0)
                cb_meminfo_kb("Shmem", &shmem_open);
            sys_close(fd);
            ok &= sys_unlink(at("mem")) == 0;
        }
    }
    cb_meminfo_kb("MemFree", &after);
    CHECK(ok, "%d files of %d KiB written and removed", MEM_CYCLES, MEM_FILE_BYTES / 1024);
    if (assert_memfree) {
        CHECK(shmem_open - shmem_before >= MEM_FILE_BYTES / 1024, "Shmem holds an open file's pages (%ld kB more)", shmem_open - shmem_before);
        cb_check_ret(after, before, "MemFree is back where it was");
    } else {
        cb_print("INFO MemFree %ld kB before, %ld kB after", before, after);
    }
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--exec-check") == 0)
        return 42;
    if (argc > 1 && strcmp(argv[1], "--script-check") == 0)
        return argc == 4 && strstr(argv[2], "/script") && strcmp(argv[3], "extra") == 0 ? 43 : 1;
    cb_begin("files");
    char self[400], relative[256];
    cb_self_path(argv[0], relative, sizeof relative);
    /* The symlink and the script below name it from another directory: make it absolute. */
    if (relative[0] == '/')
        snprintf(self, sizeof self, "%s", relative);
    else {
        char cwd[128] = "";
        sys_getcwd(cwd, sizeof cwd);
        snprintf(self, sizeof self, "%s/%s", cwd, relative);
    }
    snprintf(top, sizeof top, "/tmp/cbfiles.XXXXXX");
    if (!mkdtemp(top)) {
        cb_print("FAIL mkdtemp under /tmp");
        return 1;
    }
    open_checks();
    directory_checks();
    cwd_checks();
    link_checks();
    attribute_checks();
    device_checks();
    exec_checks(self);
    memory_checks(argc > 1 && strcmp(argv[1], "--assert-memfree") == 0);

    const char *files[] = { "d/b", "d/ln", "d/l1", "d/l2", "d/dangling", "d/up", "m", "junk", "self-link", "script", "noname", "badinterp", 0 };
    int clean = 1;
    for (int i = 0; files[i]; i++)
        clean &= sys_unlink(at(files[i])) == 0;
    const char *dirs[] = { "d/s2/inner", "d/s2", "d", 0 };
    for (int i = 0; dirs[i]; i++)
        clean &= sys_rmdir(at(dirs[i])) == 0;
    clean &= sys_rmdir(top) == 0;
    CHECK(clean, "the test directory is removed");
    return cb_end();
}
