/*
 * proc_pid: /proc/<pid>/ and the system-wide /proc files in Linux's formats, as ps, top,
 * free and uptime read them. /proc/self/stat has 52 fields whose pid, (comm), state, ppid,
 * pgrp, session and num_threads are the caller's, whose vsize equals statm's size in bytes;
 * prctl(PR_SET_NAME) shows in stat and status; a sleeping child is 'S' with the caller as
 * parent, a zombie 'Z' with an empty cmdline and no Vm lines in status; /proc/self/cmdline is
 * argv, NUL-terminated; status shows blocked, ignored and caught signals as masks;
 * /proc/uptime, /proc/loadavg and /proc/stat have Linux's fields; pids that are not
 * processes (0, 01, a huge one) and unknown names are ENOENT; execve of /proc/self/exe
 * runs the program again. No check depends on the host's other processes.
 */
#include "cbtest.h"
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/prctl.h>

static char text[8192];

/* Reads `path` whole into text (NUL-terminated): its length, or -errno. */
static long slurp(const char *path)
{
    long fd = cb_syscall(SYS_open, (long)path, O_RDONLY, 0, 0, 0, 0);
    if (fd < 0)
        return fd;
    long total = 0, n;
    while ((n = cb_syscall(SYS_read, fd, (long)text + total, (long)sizeof text - 1 - total, 0, 0, 0)) > 0)
        total += n;
    cb_syscall(SYS_close, fd, 0, 0, 0, 0, 0);
    text[total] = 0;
    return n < 0 ? n : total;
}

/* Field n (1-based) of a stat line, after the ")" of the comm; fields 1 and 2 are pid and comm. */
static const char *stat_field(const char *line, int n, char *out, size_t size)
{
    const char *p = strrchr(line, ')');
    if (!p || n < 3)
        return NULL;
    p += 2;
    for (int i = 3; i < n && p; i++) {
        p = strchr(p, ' ');
        if (p)
            p++;
    }
    if (!p)
        return NULL;
    size_t len = strcspn(p, " \n");
    if (len >= size)
        len = size - 1;
    memcpy(out, p, len);
    out[len] = 0;
    return out;
}

static long stat_number(const char *line, int n)
{
    char field[32];
    return stat_field(line, n, field, sizeof field) ? strtol(field, NULL, 10) : -99999;
}

static int count_fields(const char *line)
{
    const char *p = strrchr(line, ')');
    int fields = 2;
    for (p = p ? p + 1 : line; *p && *p != '\n'; p++)
        if (*p == ' ')
            fields++;
    return fields;
}

static char *status_line(const char *name)
{
    static char line[256];
    char key[64];
    snprintf(key, sizeof key, "\n%s:\t", name);
    const char *p = strncmp(text, key + 1, strlen(key) - 1) == 0 ? text - 1 : strstr(text, key);
    if (!p)
        return NULL;
    p += strlen(key);
    size_t len = strcspn(p, "\n");
    if (len >= sizeof line)
        len = sizeof line - 1;
    memcpy(line, p, len);
    line[len] = 0;
    return line;
}

static void check_self_stat(void)
{
    char path[64], field[32];
    CHECK(slurp("/proc/self/stat") > 0, "read /proc/self/stat");
    CHECK(count_fields(text) == 52, "/proc/self/stat has 52 fields");
    CHECK(strtol(text, NULL, 10) == getpid(), "stat: field 1 is the pid");
    CHECK(strstr(text, " (proc_pid) ") != NULL, "stat: field 2 is (proc_pid)");
    CHECK(stat_field(text, 3, field, sizeof field) && strcmp(field, "R") == 0, "stat: the reader is running (R)");
    CHECK(stat_number(text, 4) == getppid(), "stat: ppid");
    CHECK(stat_number(text, 5) == getpgrp(), "stat: process group");
    CHECK(stat_number(text, 6) == getsid(0), "stat: session");
    CHECK(stat_number(text, 20) == 1, "stat: one thread");
    /* rss may lag on Linux (per-thread counters folded in every 64 faults): only its sign. */
    long vsize = stat_number(text, 23), rss = stat_number(text, 24);
    CHECK(vsize > 0 && rss >= 0, "stat: vsize is positive, rss not negative");
    snprintf(path, sizeof path, "/proc/%d/stat", getpid());
    CHECK(slurp(path) > 0 && strtol(text, NULL, 10) == getpid(), "/proc/<own pid>/stat is the same process");

    CHECK(slurp("/proc/self/statm") > 0, "read /proc/self/statm");
    long size = -1, resident = -1, shared = -1, textp = -1, lib = -1, data = -1, dt = -1;
    int n = sscanf(text, "%ld %ld %ld %ld %ld %ld %ld", &size, &resident, &shared, &textp, &lib, &data, &dt);
    CHECK(n == 7, "statm has 7 fields");
    CHECK(size * (long)CB_PAGE == vsize, "statm size in pages is stat's vsize");
    CHECK(resident >= 0 && resident <= size && textp > 0 && data > 0 && lib == 0 && dt == 0,
          "statm: 0 <= resident <= size, text and data > 0, lib and dt 0");

    cb_syscall(SYS_prctl, PR_SET_NAME, (long)"renamed", 0, 0, 0, 0);
    CHECK(slurp("/proc/self/stat") > 0 && strstr(text, " (renamed) ") != NULL, "stat shows the PR_SET_NAME name");
    CHECK(slurp("/proc/self/status") > 0 && strncmp(text, "Name:\trenamed\n", 14) == 0, "status starts Name:\\trenamed");
    cb_syscall(SYS_prctl, PR_SET_NAME, (long)"proc_pid", 0, 0, 0, 0);
}

static void check_status(void)
{
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, NULL);
    signal(SIGUSR2, SIG_IGN);
    signal(SIGURG, (void (*)(int))check_status);
    CHECK(slurp("/proc/self/status") > 0, "read /proc/self/status");
    char expect[32];
    char *line = status_line("State");
    CHECK(line && strcmp(line, "R (running)") == 0, "status: State:\\tR (running)");
    line = status_line("Pid");
    snprintf(expect, sizeof expect, "%d", getpid());
    CHECK(line && strcmp(line, expect) == 0, "status: Pid");
    line = status_line("PPid");
    snprintf(expect, sizeof expect, "%d", getppid());
    CHECK(line && strcmp(line, expect) == 0, "status: PPid");
    line = status_line("Threads");
    CHECK(line && strcmp(line, "1") == 0, "status: Threads:\\t1");
    line = status_line("VmRSS");
    CHECK(line && strlen(line) == 11 && strcmp(line + 8, " kB") == 0 && strtol(line, NULL, 10) >= 0,
          "status: VmRSS right-aligned in 8 columns, in kB");
    line = status_line("SigBlk");
    CHECK(line && strlen(line) == 16 && (strtoull(line, NULL, 16) & (1UL << (SIGUSR1 - 1))), "status: SigBlk has SIGUSR1");
    line = status_line("SigIgn");
    CHECK(line && (strtoull(line, NULL, 16) & (1UL << (SIGUSR2 - 1))), "status: SigIgn has SIGUSR2");
    line = status_line("SigCgt");
    CHECK(line && (strtoull(line, NULL, 16) & (1UL << (SIGURG - 1))), "status: SigCgt has SIGURG");
    signal(SIGURG, SIG_DFL);
    signal(SIGUSR2, SIG_DFL);
    sigprocmask(SIG_UNBLOCK, &block, NULL);
}

/* Reads the stat file `path` until its state is `state`, yielding the CPU in between (no
   sleep: a SIGCHLD would interrupt it, which strace shows as restart_syscall). Gives up after
   many tries; the caller's check then fails on the last text read. */
static void wait_for_state(const char *path, const char *state)
{
    char field[32];
    for (int i = 0; i < 200000; i++) {
        if (slurp(path) > 0 && stat_field(text, 3, field, sizeof field) && strcmp(field, state) == 0)
            return;
        sched_yield();
    }
}

static void check_children(const char *argv0)
{
    char path[64], field[32];
    int pipefd[2];
    pipe(pipefd);
    pid_t child = cb_fork("a sleeping child");
    if (child == 0) {
        char byte;
        cb_syscall(SYS_close, pipefd[1], 0, 0, 0, 0, 0);
        cb_syscall(SYS_read, pipefd[0], (long)&byte, 1, 0, 0, 0);
        _exit(0);
    }
    cb_syscall(SYS_close, pipefd[0], 0, 0, 0, 0, 0);
    snprintf(path, sizeof path, "/proc/%d/stat", child);
    wait_for_state(path, "S");
    CHECK(stat_field(text, 3, field, sizeof field) && strcmp(field, "S") == 0, "a child blocked in read is S");
    CHECK(stat_number(text, 4) == getpid(), "the child's ppid is the caller");
    snprintf(path, sizeof path, "/proc/%d/cmdline", child);
    long n = slurp(path);
    CHECK(n == (long)strlen(argv0) + 1 && strcmp(text, argv0) == 0, "a forked child's cmdline is its parent's argv");
    cb_syscall(SYS_close, pipefd[1], 0, 0, 0, 0, 0);

    snprintf(path, sizeof path, "/proc/%d/stat", child);
    wait_for_state(path, "Z");
    CHECK(stat_field(text, 3, field, sizeof field) && strcmp(field, "Z") == 0, "an exited, unreaped child is Z");
    snprintf(path, sizeof path, "/proc/%d/cmdline", child);
    cb_check_ret(slurp(path), 0, "a zombie's cmdline is empty");
    snprintf(path, sizeof path, "/proc/%d/status", child);
    CHECK(slurp(path) > 0 && strstr(text, "State:\tZ (zombie)\n") && !strstr(text, "VmSize"), "a zombie's status: Z (zombie), no Vm lines");
    int status;
    cb_wait(child, &status);
    snprintf(path, sizeof path, "/proc/%d/stat", child);
    cb_check_ret(slurp(path), -ENOENT, "a reaped child's /proc/<pid>/stat: ENOENT");
}

static void check_cmdline(int argc, char **argv)
{
    char expect[512];
    size_t len = 0;
    for (int i = 0; i < argc; i++) {
        size_t n = strlen(argv[i]) + 1;
        memcpy(expect + len, argv[i], n);
        len += n;
    }
    long n = slurp("/proc/self/cmdline");
    CHECK(n == (long)len && memcmp(text, expect, len) == 0, "/proc/self/cmdline is argv, each NUL-terminated");
}

static void check_system_files(void)
{
    unsigned long a, b, c, d;
    char tail;
    CHECK(slurp("/proc/uptime") > 0 && sscanf(text, "%lu.%2lu %lu.%2lu%c", &a, &b, &c, &d, &tail) == 5 && tail == '\n'
          && (a > 0 || b > 0), "/proc/uptime: \"S.CC S.CC\\n\", uptime > 0");
    unsigned long running, all, last, l1, l5, l15, f1, f5, f15;
    CHECK(slurp("/proc/loadavg") > 0
          && sscanf(text, "%lu.%2lu %lu.%2lu %lu.%2lu %lu/%lu %lu%c", &l1, &f1, &l5, &f5, &l15, &f15, &running, &all, &last, &tail) == 10
          && tail == '\n', "/proc/loadavg: three averages, running/all, last pid");
    CHECK(running >= 1 && all >= running && last >= (unsigned long)getpid(), "loadavg: at least the reader runs, last pid >= own pid");
    CHECK(slurp("/proc/stat") > 0 && strncmp(text, "cpu  ", 5) == 0, "/proc/stat starts with \"cpu  \"");
    unsigned long cpu[10];
    CHECK(sscanf(text + 5, "%lu %lu %lu %lu %lu %lu %lu %lu %lu %lu", &cpu[0], &cpu[1], &cpu[2], &cpu[3], &cpu[4], &cpu[5],
                 &cpu[6], &cpu[7], &cpu[8], &cpu[9]) == 10, "/proc/stat: the cpu line has 10 figures");
    CHECK(strstr(text, "\ncpu0 ") && strstr(text, "\nctxt ") && strstr(text, "\nbtime ") && strstr(text, "\nprocesses ")
          && strstr(text, "\nprocs_running ") && strstr(text, "\nprocs_blocked "),
          "/proc/stat: cpu0, ctxt, btime, processes, procs_running, procs_blocked");
}

static void check_missing(void)
{
    cb_check_ret(slurp("/proc/0/stat"), -ENOENT, "/proc/0/stat: ENOENT");
    char path[64];
    snprintf(path, sizeof path, "/proc/0%d/stat", getpid());
    cb_check_ret(slurp(path), -ENOENT, "a pid with a leading zero: ENOENT");
    cb_check_ret(slurp("/proc/999999999/stat"), -ENOENT, "/proc/999999999/stat: ENOENT");
    cb_check_ret(slurp("/proc/self/nosuch"), -ENOENT, "/proc/self/nosuch: ENOENT");
}

static void check_exec_self(const char *argv0)
{
    pid_t child = cb_fork("execve of /proc/self/exe");
    if (child == 0) {
        char *args[] = { (char *)argv0, "--exit-7", NULL };
        char *env[] = { NULL };
        cb_syscall(SYS_execve, (long)"/proc/self/exe", (long)args, (long)env, 0, 0, 0);
        _exit(1);
    }
    if (child > 0)
        cb_expect_exit(child, 7, "execve(\"/proc/self/exe\") runs this program again");
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--exit-7") == 0)
        return slurp("/proc/self/stat") > 0 && strstr(text, " (exe) ") ? 7 : 8;
    cb_begin("proc_pid");
    check_self_stat();
    check_status();
    check_children(argv[0]);
    check_cmdline(argc, argv);
    check_system_files();
    check_missing();
    check_exec_self(argv[0]);
    return cb_end();
}
