/*
 * proc_files: more of /proc in Linux's formats. /proc/self/comm is the program's name and a
 * newline, and follows prctl(PR_SET_NAME); /proc/self/environ is the environment strings
 * exactly as execve placed them; /proc/self/limits is a header and sixteen rows printed as
 * "%-25s %-20s %-20s %-10s\n" (values from getrlimit, "unlimited", no unit for the priority
 * rows), and follows setrlimit; /proc/<child>/environ shows the child's own environment after
 * its execve; /proc/version starts "Linux version <release> (" and ends with uname's version;
 * /proc/filesystems lists proc and tmpfs as "nodev" types; /proc/cpuinfo has a block per CPU
 * in Linux's layout (MHz, bogomips, address sizes, the flags every x86-64 CPU has); /proc
 * lists the new files.
 * The links: /proc/self names the reader's pid; /proc/self/exe (size 0) leads to the program
 * file; /proc/self/cwd reads as getcwd, also after chdir; /proc/self/fd (mode 0500) lists
 * exactly the open descriptors, each a link (mode r-x, -wx or rwx for the owner by the access
 * mode) to the file's path, " (deleted)" once unlinked, a directory's path, or "pipe:[ino]"
 * with the pipe's st_ino; a closed descriptor and "01" are ENOENT.
 */
#include "cbtest.h"
#include <dirent.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>

extern char **environ;

static char text[65536];

/* Reads `path` whole into text (NUL-terminated): its length, or -errno. */
static long slurp(const char *path)
{
    return cb_read_file(path, text, sizeof text);
}

static void check_comm(const char *argv0)
{
    const char *base = strrchr(argv0, '/') ? strrchr(argv0, '/') + 1 : argv0;
    char want[32];
    snprintf(want, sizeof want, "%.15s\n", base);
    slurp("/proc/self/comm");
    CHECK(strcmp(text, want) == 0, "comm: the program's name and a newline");
    prctl(PR_SET_NAME, "renamed-by-me", 0, 0, 0);
    slurp("/proc/self/comm");
    CHECK(strcmp(text, "renamed-by-me\n") == 0, "comm follows prctl(PR_SET_NAME)");
    prctl(PR_SET_NAME, base, 0, 0, 0);
}

/* The environment strings as execve lays them out: each string and its NUL, in order (0 bytes
   for an empty environment, or one larger than `size`). */
static size_t environment_bytes(char **env, char *out, size_t size)
{
    size_t n = 0;
    for (char **e = env; *e; e++) {
        size_t len = strlen(*e) + 1;
        if (n + len > size)
            return 0;
        memcpy(out + n, *e, len);
        n += len;
    }
    return n;
}

static void check_environ(void)
{
    static char want[65536];
    size_t n = environment_bytes(environ, want, sizeof want);
    long got = slurp("/proc/self/environ");
    CHECK(got == (long)n && memcmp(text, want, n) == 0, "environ: the environment strings, each NUL-terminated");
}

/* One row of limits as Linux prints it. */
static int limit_row(char *out, size_t size, const char *name, rlim_t soft, rlim_t hard, const char *unit)
{
    char s[24], h[24];
    if (soft == RLIM_INFINITY)
        snprintf(s, sizeof s, "unlimited");
    else
        snprintf(s, sizeof s, "%lu", (unsigned long)soft);
    if (hard == RLIM_INFINITY)
        snprintf(h, sizeof h, "unlimited");
    else
        snprintf(h, sizeof h, "%lu", (unsigned long)hard);
    if (unit)
        return snprintf(out, size, "%-25s %-20s %-20s %-10s\n", name, s, h, unit);
    return snprintf(out, size, "%-25s %-20s %-20s \n", name, s, h);
}

static void expected_limits(char *out, size_t size)
{
    static const char *const names[] = {
        "Max cpu time", "Max file size", "Max data size", "Max stack size", "Max core file size",
        "Max resident set", "Max processes", "Max open files", "Max locked memory", "Max address space",
        "Max file locks", "Max pending signals", "Max msgqueue size", "Max nice priority",
        "Max realtime priority", "Max realtime timeout",
    };
    static const char *const units[] = {
        "seconds", "bytes", "bytes", "bytes", "bytes", "bytes", "processes", "files", "bytes", "bytes",
        "locks", "signals", "bytes", 0, 0, "us",
    };
    size_t n = (size_t)snprintf(out, size, "%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit", "Hard Limit", "Units");
    for (int i = 0; i < 16 && n < size; i++) {
        struct rlimit r;
        getrlimit(i, &r);
        n += (size_t)limit_row(out + n, size - n, names[i], r.rlim_cur, r.rlim_max, units[i]);
    }
}

static void check_limits(void)
{
    static char want[4096];
    expected_limits(want, sizeof want);
    slurp("/proc/self/limits");
    CHECK(strcmp(text, want) == 0, "limits: Linux's header and sixteen rows, the values getrlimit gives");
    struct rlimit files;
    getrlimit(RLIMIT_NOFILE, &files);
    struct rlimit lower = { 100, files.rlim_max };
    setrlimit(RLIMIT_NOFILE, &lower);
    expected_limits(want, sizeof want);
    slurp("/proc/self/limits");
    CHECK(strcmp(text, want) == 0 && strstr(text, "Max open files            100 "), "limits follows setrlimit (open files 100)");
    setrlimit(RLIMIT_NOFILE, &files);
}

/* A child that execs itself with a one-string environment; the parent reads its environ. */
static void check_child_environ(const char *argv0)
{
    int ready[2];
    if (pipe(ready) != 0) {
        CHECK(0, "pipe");
        return;
    }
    pid_t pid = cb_fork("an exec'ing child");
    if (pid == 0) {
        close(ready[0]);
        char fd[16];
        snprintf(fd, sizeof fd, "%d", ready[1]);
        char self[256];
        cb_self_path(argv0, self, sizeof self);
        char *args[] = { (char *)argv0, "--child", fd, 0 };
        char *env[] = { "ONLY=this", 0 };
        execve(self, args, env);
        _exit(0x7e);
    }
    close(ready[1]);
    char byte;
    long got = read(ready[0], &byte, 1);
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/environ", (int)pid);
    long n = slurp(path);
    CHECK(got == 1 && n == 10 && memcmp(text, "ONLY=this", 10) == 0, "/proc/<child>/environ after its execve: \"ONLY=this\\0\"");
    kill(pid, SIGKILL);
    int status;
    cb_wait(pid, &status);
    close(ready[0]);
}

static void check_system_files(void)
{
    struct utsname u;
    uname(&u);
    char start[128];
    snprintf(start, sizeof start, "Linux version %s (", u.release);
    long n = slurp("/proc/version");
    size_t vlen = strlen(u.version);
    CHECK(n > 0 && strncmp(text, start, strlen(start)) == 0, "version starts \"Linux version <release> (\"");
    CHECK(n > (long)vlen && text[n - 1] == '\n' && strncmp(text + n - 1 - vlen, u.version, vlen) == 0,
          "version ends with uname's version and a newline");
    slurp("/proc/filesystems");
    CHECK(strstr(text, "nodev\tproc\n") && strstr(text, "nodev\ttmpfs\n"), "filesystems: proc and tmpfs, each \"nodev\\t<type>\"");
    int seen = 0;
    DIR *d = opendir("/proc");
    for (struct dirent *e; d && (e = readdir(d));)
        seen += strcmp(e->d_name, "version") == 0 || strcmp(e->d_name, "filesystems") == 0;
    if (d)
        closedir(d);
    cb_check_ret(seen, 2, "/proc lists version and filesystems");
    seen = 0;
    d = opendir("/proc/self");
    for (struct dirent *e; d && (e = readdir(d));)
        seen += strcmp(e->d_name, "comm") == 0 || strcmp(e->d_name, "environ") == 0 || strcmp(e->d_name, "limits") == 0
            || strcmp(e->d_name, "cwd") == 0 || strcmp(e->d_name, "exe") == 0 || strcmp(e->d_name, "fd") == 0;
    if (d)
        closedir(d);
    cb_check_ret(seen, 6, "/proc/self lists comm, cwd, environ, exe, fd and limits");
}

/* readlink of `path` into text (NUL-terminated): its length, or -errno. */
static long link_of(const char *path)
{
    long n = cb_syscall(SYS_readlink, (long)path, (long)text, sizeof text - 1, 0, 0, 0);
    text[n > 0 ? n : 0] = 0;
    return n;
}

static void check_self_links(const char *argv0)
{
    char pid[16];
    snprintf(pid, sizeof pid, "%d", (int)getpid());
    link_of("/proc/self");
    CHECK(strcmp(text, pid) == 0, "/proc/self is a link to the reader's pid");
    struct stat link, target, self;
    char path[256];
    cb_self_path(argv0, path, sizeof path);
    CHECK(lstat("/proc/self/exe", &link) == 0 && S_ISLNK(link.st_mode) && link.st_size == 0,
          "/proc/self/exe is a link of size 0");
    CHECK(stat("/proc/self/exe", &target) == 0 && stat(path, &self) == 0 && target.st_ino == self.st_ino
          && link_of("/proc/self/exe") > 0 && text[0] == '/', "/proc/self/exe leads to the program file, by an absolute path");
    char cwd[512];
    getcwd(cwd, sizeof cwd);
    link_of("/proc/self/cwd");
    CHECK(strcmp(text, cwd) == 0, "/proc/self/cwd reads as getcwd");
    if (chdir("/tmp") == 0) {
        link_of("/proc/self/cwd");
        CHECK(strcmp(text, "/tmp") == 0, "/proc/self/cwd after chdir(\"/tmp\") is /tmp");
        chdir(cwd);
    }
}

/* The permission bits of the link /proc/self/fd/<fd>, or -1. */
static int fd_link_mode(int fd)
{
    char path[64];
    struct stat st;
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    return lstat(path, &st) == 0 && S_ISLNK(st.st_mode) ? (int)(st.st_mode & 07777) : -1;
}

static void check_fd_links(void)
{
    char name[64], want[96], path[64];
    snprintf(name, sizeof name, "/tmp/proc_files.%d", (int)getpid());
    int w = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0600), r = open(name, O_RDONLY), rw = open(name, O_RDWR);
    snprintf(path, sizeof path, "/proc/self/fd/%d", w);
    link_of(path);
    CHECK(strcmp(text, name) == 0, "fd link of an open file: its path");
    CHECK(fd_link_mode(r) == 0500 && fd_link_mode(w) == 0300 && fd_link_mode(rw) == 0700,
          "fd links: r-x, -wx and rwx for the owner as the file is open for reading, writing or both");
    unlink(name);
    snprintf(want, sizeof want, "%s (deleted)", name);
    link_of(path);
    CHECK(strcmp(text, want) == 0, "after unlink: the path and \" (deleted)\"");
    int fds[2];
    pipe(fds);
    struct stat st;
    fstat(fds[0], &st);
    snprintf(want, sizeof want, "pipe:[%lu]", (unsigned long)st.st_ino);
    snprintf(path, sizeof path, "/proc/self/fd/%d", fds[1]);
    link_of(path);
    CHECK(strcmp(text, want) == 0, "fd link of a pipe: \"pipe:[<st_ino>]\"");
    int d = open("/tmp", O_RDONLY | O_DIRECTORY);
    snprintf(path, sizeof path, "/proc/self/fd/%d", d);
    link_of(path);
    CHECK(strcmp(text, "/tmp") == 0, "fd link of a directory: its path");
    struct stat dir;
    CHECK(stat("/proc/self/fd", &dir) == 0 && S_ISDIR(dir.st_mode) && (dir.st_mode & 07777) == 0500, "/proc/self/fd is a directory, mode 0500");
    DIR *list = opendir("/proc/self/fd");
    char seen[1024] = { 0 };
    int bad = 0;
    for (struct dirent *e; list && (e = readdir(list));) {
        if (e->d_name[0] == '.')
            continue;
        int fd = atoi(e->d_name);
        if (fd >= 0 && fd < 1024 && e->d_type == DT_LNK)
            seen[fd] = 1;
        else
            bad++;
    }
    int differ = 0;
    for (int fd = 0; fd < 1024; fd++)
        differ += seen[fd] != (fcntl(fd, F_GETFD) >= 0);
    if (list)
        closedir(list);
    CHECK(list && bad == 0 && differ == 0, "/proc/self/fd lists exactly the open descriptors, each a link");
    close(d);
    snprintf(path, sizeof path, "/proc/self/fd/%d", d);
    cb_check_ret(link_of(path), -ENOENT, "a closed descriptor's link: ENOENT");
    cb_check_ret(link_of("/proc/self/fd/01"), -ENOENT, "/proc/self/fd/01 (a leading zero): ENOENT");
    close(w);
    close(r);
    close(rw);
    close(fds[0]);
    close(fds[1]);
}

/* The text after "label" up to the line's end, in the first line that starts with it. */
static const char *field(const char *label)
{
    static char value[4096];
    value[0] = 0;
    for (const char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : 0) {
        if (strncmp(line, label, strlen(label)) == 0) {
            const char *end = strchr(line, '\n');
            size_t n = end ? (size_t)(end - line) - strlen(label) : strlen(line) - strlen(label);
            if (n >= sizeof value)
                n = sizeof value - 1;
            memcpy(value, line + strlen(label), n);
            value[n] = 0;
            break;
        }
    }
    return value;
}

static void check_cpuinfo(void)
{
    long n = slurp("/proc/cpuinfo");
    int processors = 0;
    for (const char *at = text; (at = strstr(at, "processor\t: ")) != 0; at++)
        processors++;
    CHECK(n > 0 && processors == (int)sysconf(_SC_NPROCESSORS_ONLN), "cpuinfo: one \"processor\\t: \" block a CPU");
    CHECK(strncmp(text, "processor\t: 0\nvendor_id\t: ", 26) == 0, "cpuinfo starts \"processor\\t: 0\\nvendor_id\\t: \"");
    unsigned mhz, frac;
    char check;
    CHECK(sscanf(field("cpu MHz\t\t: "), "%u.%3u%c", &mhz, &frac, &check) == 2 && mhz > 0, "cpu MHz: <MHz>.<3 digits>");
    CHECK(sscanf(field("bogomips\t: "), "%u.%2u%c", &mhz, &frac, &check) == 2, "bogomips: <n>.<2 digits>");
    unsigned physical, virtual;
    CHECK(sscanf(field("address sizes\t: "), "%u bits physical, %u bits virtual", &physical, &virtual) == 2 && virtual >= 48,
          "address sizes: \"<n> bits physical, <n> bits virtual\"");
    char flags[4096];
    snprintf(flags, sizeof flags, "%s ", field("flags\t\t:"));
    static const char *const always[] = { " fpu ", " tsc ", " cx8 ", " cmov ", " sse ", " sse2 ", " syscall ", " nx ", " lm " };
    int missing = 0;
    for (size_t i = 0; i < sizeof always / sizeof always[0]; i++)
        missing += strstr(flags, always[i]) == 0;
    cb_check_ret(missing, 0, "flags name the features every x86-64 CPU has (fpu tsc cx8 cmov sse sse2 syscall nx lm)");
    CHECK(field("model name\t: ")[0] != 0 && strstr(text, "\nfpu\t\t: yes\n") && strstr(text, "\nwp\t\t: yes\n"),
          "model name, fpu and wp lines");
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--child") == 0) {
        write(atoi(argv[2]), "r", 1);
        pause();
        return 0;
    }
    cb_begin("proc_files");
    check_comm(argv[0]);
    check_environ();
    check_limits();
    check_child_environ(argv[0]);
    check_system_files();
    check_cpuinfo();
    check_self_links(argv[0]);
    check_fd_links();
    return cb_end();
}
