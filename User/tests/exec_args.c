/*
 * exec_args: execve's argument limits and path errors, as Linux (fs/exec.c) has them.
 * - One string may be MAX_ARG_STRLEN (32 pages = 131072 bytes) long with its NUL; one byte more is
 *   E2BIG.
 * - All strings together (the file name, envp, argv, each with its NUL) may fill a quarter of the
 *   soft RLIMIT_STACK (at most 6 MiB, at least 128 KiB) minus 8 bytes per argv and envp pointer;
 *   with an 8 MiB stack that is 2 MiB, and one byte more is E2BIG. A 1 MiB stack allows 256 KiB.
 * - 100,000 short arguments work; 262,144 pointers alone fill the 2 MiB: E2BIG.
 * - A NULL argv starts the program with argc 1 and argv[0] = "" (Linux 5.18 and later); a NULL
 *   envp with an empty environment.
 * - A directory is EACCES, a file without execute permission (/proc/meminfo) EACCES, a regular
 *   file followed by "/" ENOTDIR, a missing file ENOENT.
 * Each execve runs in a forked child: the new image checks its argc and the total size of its
 * arguments (given in the environment variable CB_EXEC_CHILD) and exits 0 when both match; a
 * failed execve exits with 64 + errno.
 */
#include "cbtest.h"
#include <stdlib.h>
#include <sys/resource.h>

#define MAX_ARG_STRLEN (32 * 4096L)
#define CHILD_MISMATCH 3
#define EXEC_FAILED 64

extern char **environ;

static char self[256];


/* The exec'ed image: argc and the argument bytes must be what CB_EXEC_CHILD says. */
static int child_main(int argc, char **argv, const char *expect)
{
    long want_argc = 0, want_bytes = 0, bytes = 0;
    char *colon;
    want_argc = strtol(expect, &colon, 10);
    want_bytes = *colon == ':' ? strtol(colon + 1, NULL, 10) : -1;
    for (int i = 0; i < argc; i++)
        bytes += (long)strlen(argv[i]) + 1;
    return argc == want_argc && bytes == want_bytes && argv[argc] == NULL ? 0 : CHILD_MISMATCH;
}

/* execve(path, argv, envp) in a forked child, with the soft stack limit `stack` (0: as is);
   the child's exit code (0 = the new image saw what it expected, 64 + errno = execve failed). */
static int run_exec(const char *path, char **argv, char **envp, unsigned long stack)
{
    pid_t pid = fork();
    if (pid == 0) {
        if (stack && cb_set_soft_limit(RLIMIT_STACK, stack) != 0)
            _exit(2);
        long r = cb_syscall(SYS_execve, (long)path, (long)argv, (long)envp, 0, 0, 0);
        _exit(EXEC_FAILED + (int)-r);
    }
    int status = 0;
    if (pid < 0 || cb_wait(pid, &status) != pid || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

/* An argv of `count` strings: argv[0] = "exec_args", then count-1 copies of `text`. */
static char **make_argv(long count, const char *text)
{
    size_t size = (size_t)(count + 1) * sizeof(char *);
    char **argv = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (argv == MAP_FAILED)
        return NULL;
    argv[0] = "exec_args";
    for (long i = 1; i < count; i++)
        argv[i] = (char *)text;
    argv[count] = NULL;
    return argv;
}

/* A string of `length` 'a's (mapped, so lengths near MAX_ARG_STRLEN need no big stack). */
static char *make_string(long length)
{
    char *s = mmap(NULL, (size_t)length + 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (s == MAP_FAILED)
        return NULL;
    memset(s, 'a', (size_t)length);
    s[length] = 0;
    return s;
}

/* Runs argv with an environment naming what the child must see; returns run_exec's code. */
static int exec_checked(char **argv, unsigned long stack)
{
    long argc = 0, bytes = 0;
    for (; argv[argc]; argc++)
        bytes += (long)strlen(argv[argc]) + 1;
    static char env[64];
    snprintf(env, sizeof env, "CB_EXEC_CHILD=%ld:%ld", argc, bytes);
    char *envp[] = { env, NULL };
    return run_exec(self, argv, envp, stack);
}

static long env_bytes_for(long argc, long bytes)
{
    char env[64];
    return snprintf(env, sizeof env, "CB_EXEC_CHILD=%ld:%ld", argc, bytes) + 1;
}

/* Checks that argument strings filling exactly the limit of `stack` are accepted and one byte
   more is E2BIG: argv[0], then pieces of at most MAX_ARG_STRLEN-1 bytes, the last sized to fit. */
static void check_total_limit(unsigned long stack, long limit, const char *what)
{
    long pieces = 0;
    while (pieces * MAX_ARG_STRLEN < limit)
        pieces++;
    long argc = 1 + pieces;
    long fixed = (long)strlen(self) + 1 + (long)strlen("exec_args") + 1;
    long room = limit - (argc + 1) * 8 - fixed;    /* + 1: the one envp pointer */
    /* The environment string names the argument bytes, which depend on it only by its digits:
       a total just under `limit` has as many digits as `limit`. */
    long strings = room - env_bytes_for(argc, limit);
    long last = strings - (pieces - 1) * MAX_ARG_STRLEN - 1;
    char *full = make_string(MAX_ARG_STRLEN - 1), *tail = make_string(last + 1);
    char **argv = make_argv(argc, full);
    if (!full || !tail || !argv || last < 0) {
        CHECK(0, "%s: building the arguments", what);
        return;
    }
    tail[last] = 0;
    argv[argc - 1] = tail;
    long arg_bytes = fixed - (long)strlen(self) - 1 + (pieces - 1) * MAX_ARG_STRLEN + last + 1;
    CHECK(env_bytes_for(argc, arg_bytes) == env_bytes_for(argc, limit), "%s: the sizes add up", what);
    cb_check_ret(exec_checked(argv, stack), 0, "%s: strings filling the limit exactly are accepted", what);
    tail[last] = 'a';
    cb_check_ret(exec_checked(argv, stack), EXEC_FAILED + E2BIG, "%s: one byte more is E2BIG", what);
}

static void check_lengths(void)
{
    char *args[] = { "exec_args", "a", "bc", NULL };
    cb_check_ret(exec_checked(args, 0), 0, "execve of itself with 3 arguments: the new image sees them");

    char *longest = make_string(MAX_ARG_STRLEN - 1);
    char *one[] = { "exec_args", longest, NULL };
    cb_check_ret(exec_checked(one, 0), 0, "an argument of 131071 bytes + NUL (MAX_ARG_STRLEN) is accepted");
    char *too_long = make_string(MAX_ARG_STRLEN);
    char *two[] = { "exec_args", too_long, NULL };
    cb_check_ret(exec_checked(two, 0), EXEC_FAILED + E2BIG, "an argument of 131072 bytes + NUL: E2BIG");
    char env_name[] = "CB_LONG=";
    memcpy(too_long, env_name, strlen(env_name));
    char *envp[] = { too_long, NULL };
    cb_check_ret(run_exec(self, args, envp, 0), EXEC_FAILED + E2BIG, "an environment string of 131072 bytes + NUL: E2BIG");
}

static void check_counts(void)
{
    char **many = make_argv(100000, "x");
    cb_check_ret(many ? exec_checked(many, 0) : -1, 0, "100,000 short arguments are accepted");
    char **pointers = make_argv(262143, "");
    cb_check_ret(pointers ? exec_checked(pointers, 0) : -1, EXEC_FAILED + E2BIG,
                 "262,143 empty arguments + 1 environment string: the pointers alone fill 2 MiB, E2BIG");
    char env[] = "CB_EXEC_CHILD=1:1";
    char *envp[] = { env, NULL };
    cb_check_ret(run_exec(self, NULL, envp, 0), 0, "a NULL argv: the program starts with argc 1 and argv[0] \"\"");
    char *empty[] = { NULL };
    cb_check_ret(run_exec(self, empty, envp, 0), 0, "an empty argv: argc 1 and argv[0] \"\" as well");
    char *no_env[] = { "exec_args", "--no-env", NULL };
    cb_check_ret(run_exec(self, no_env, NULL, 0), 0, "a NULL envp: the program starts with an empty environment");
}

static void check_paths(void)
{
    char *args[] = { "exec_args", NULL };
    char path[300];
    cb_check_ret(run_exec("/", args, NULL, 0), EXEC_FAILED + EACCES, "execve of the root directory: EACCES");
    cb_check_ret(run_exec("/proc", args, NULL, 0), EXEC_FAILED + EACCES, "execve of the directory /proc: EACCES");
    cb_check_ret(run_exec("/proc/", args, NULL, 0), EXEC_FAILED + EACCES, "execve of \"/proc/\": EACCES");
    cb_check_ret(run_exec("/proc/meminfo", args, NULL, 0), EXEC_FAILED + EACCES,
                 "execve of /proc/meminfo (no execute permission): EACCES");
    snprintf(path, sizeof path, "%s/", self);
    cb_check_ret(run_exec(path, args, NULL, 0), EXEC_FAILED + ENOTDIR, "execve of the program's path + \"/\": ENOTDIR");
    snprintf(path, sizeof path, "%s/x", self);
    cb_check_ret(run_exec(path, args, NULL, 0), EXEC_FAILED + ENOTDIR, "execve of the program's path + \"/x\": ENOTDIR");
    cb_check_ret(run_exec("/bin/cb-no-such-program", args, NULL, 0), EXEC_FAILED + ENOENT, "execve of a missing file: ENOENT");
    cb_check_ret(run_exec("", args, NULL, 0), EXEC_FAILED + ENOENT, "execve of \"\": ENOENT");
}

int main(int argc, char **argv)
{
    const char *expect = getenv("CB_EXEC_CHILD");
    if (expect)
        return child_main(argc, argv, expect);
    if (argc == 2 && strcmp(argv[1], "--no-env") == 0)
        return environ[0] == NULL ? 0 : CHILD_MISMATCH;

    cb_begin("exec_args");
    cb_self_path(argv[0], self, sizeof self);
    CHECK(cb_set_soft_limit(RLIMIT_STACK, 8 << 20) == 0, "soft RLIMIT_STACK set to 8 MiB");
    check_lengths();
    check_total_limit(0, 2 << 20, "8 MiB stack, 2 MiB of strings");
    check_total_limit(1 << 20, 256 << 10, "1 MiB stack, 256 KiB of strings");
    check_counts();
    check_paths();
    return cb_end();
}
