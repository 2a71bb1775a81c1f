/*
 * dev_random: /dev/random and /dev/urandom as Linux 6.1 has them. Both are character devices
 * 1:8 and 1:9, mode 0666; a read gives exactly the bytes asked for (never blocking), not all
 * zeros, different each time; a read of 0 bytes gives 0; a write is accepted whole; a read into
 * an unmapped buffer is EFAULT, and one that runs into an unmapped page stops there; lseek
 * succeeds (the position means nothing); /dev lists both.
 */
#include "cbtest.h"
#include <dirent.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

static void check_device(const char *path, unsigned minor)
{
    struct stat st;
    int ok = stat(path, &st) == 0;
    CHECK(ok && S_ISCHR(st.st_mode) && (st.st_mode & 07777) == 0666 && major(st.st_rdev) == 1 && minor(st.st_rdev) == minor,
          "%s: character device 1:%u, mode 0666", path, minor);
    int fd = open(path, O_RDWR);
    if (fd < 0) {
        CHECK(0, "%s opens for reading and writing", path);
        return;
    }
    unsigned char a[256], b[256];
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    long ra = read(fd, a, sizeof a), rb = read(fd, b, sizeof b);
    CHECK(ra == (long)sizeof a && rb == (long)sizeof b, "%s: a read of 256 bytes gives 256", path);
    CHECK(cb_count_nonzero(a, sizeof a) > 0 && memcmp(a, b, sizeof a) != 0, "%s: the bytes are not zeros and differ between reads", path);
    cb_check_ret(read(fd, a, 0), 0, "%s: a read of 0 bytes gives 0", path);
    cb_check_ret(write(fd, "seed", 4), 4, "%s: a write of 4 bytes is accepted whole", path);
    cb_check_ret(lseek(fd, 100, SEEK_SET), 0, "%s: lseek succeeds and reports 0", path);
    cb_check_ret(cb_syscall(SYS_read, fd, 0, 16, 0, 0, 0), -EFAULT, "%s: a read into address 0 is EFAULT", path);
    char *pages = cb_map_private(2);
    munmap(pages + CB_PAGE, CB_PAGE);
    cb_check_ret(read(fd, pages + CB_PAGE - 10, 100), 10, "%s: a read running into an unmapped page stops there (10 bytes)", path);
    munmap(pages, CB_PAGE);
    close(fd);
}

int main(void)
{
    cb_begin("dev_random");
    check_device("/dev/random", 8);
    check_device("/dev/urandom", 9);
    int seen = 0;
    DIR *d = opendir("/dev");
    for (struct dirent *e; d && (e = readdir(d));)
        seen += strcmp(e->d_name, "random") == 0 || strcmp(e->d_name, "urandom") == 0;
    if (d)
        closedir(d);
    cb_check_ret(seen, 2, "/dev lists random and urandom");
    return cb_end();
}
