/*
 * sh: Cowbird's tiny interactive shell, on stdin/stdout.
 * Reads a line, splits it on spaces and tabs, and runs /bin/<first word> with the words as
 * arguments (fork + execve + wait4); prints how the program ended if that was not "exit 0".
 * A pipeline `a | b | c` (the `|` a word of its own) runs each command in its own process, the
 * stdout of one piped into the stdin of the next; the shell waits for all of them and reports
 * how the last one ended.
 * Builtins: `help` (the programs it knows, compiled in from User/build.sh's list), `exit [N]`,
 * and with job control `jobs`, `fg [N]`, `bg [N]`.
 * Job control, when stdin is the shell's controlling terminal and the shell's group is in its
 * foreground: each command line (a pipeline: all its processes) runs in a process group of its
 * own, which is the terminal's foreground group (tcsetpgrp) until it exits or stops. The shell
 * itself ignores SIGQUIT, SIGTSTP, SIGTTIN and SIGTTOU, and takes SIGINT only to drop the line
 * being typed, so Ctrl-C, Ctrl-\ and Ctrl-Z reach the command and not the shell. A stopped
 * command (Ctrl-Z) becomes a job that `fg` continues in the foreground and `bg` in the background.
 * Options:
 *   -d DIR   run programs from DIR instead of /bin (to try the shell on Linux: -d User/out)
 *   -e       echo typed characters and handle backspace itself (a raw console without line
 *            discipline); without it the terminal is assumed to echo.
 * End of input ends the shell with status 0.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "programs.h"

#define LINE_MAX_LEN 256
#define MAX_ARGS 32
#define MAX_COMMANDS 16

extern char **environ;
static const char *program_dir = "/bin";
static int echo_input;
static int job_control;

/* A command stopped by a signal, or continued in the background by `bg`. */
#define MAX_JOBS 8
struct job {
    pid_t pgid;                 /* 0: a free slot */
    int stopped;
    char name[32];
};
static struct job jobs[MAX_JOBS];

/* The signals the shell keeps away from itself under job control (SIGINT has a handler). */
static const int job_signals[] = { SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU };
#define JOB_SIGNAL_COUNT 4

/* printf to stdout as one write() (nothing stays buffered across fork). */
static void say(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof buf - 1)
        n = (int)sizeof buf - 1;
    if (n > 0)
        write(1, buf, (size_t)n);
}

/* Reads one line into line (without its newline). Returns 0 at end of input, -1 when Ctrl-C
   dropped the line (SIGINT interrupted the read), 1 otherwise. With -e, echoes what is typed
   and lets backspace erase. */
static int read_line(char *line, size_t size)
{
    size_t len = 0;
    for (;;) {
        char c;
        long n = read(0, &c, 1);
        if (n < 0 && errno == EINTR) {
            if (!job_control)
                continue;
            write(1, "\n", 1);
            return -1;
        }
        if (n <= 0) {
            line[len] = 0;
            return len > 0;
        }
        if (c == '\n' || c == '\r') {
            if (echo_input)
                write(1, "\n", 1);
            line[len] = 0;
            return 1;
        }
        if (c == 0x7f || c == '\b') {
            if (len > 0) {
                len--;
                if (echo_input)
                    write(1, "\b \b", 3);
            }
            continue;
        }
        if (len + 1 < size) {
            line[len++] = c;
            if (echo_input)
                write(1, &c, 1);
        }
    }
}

/* Splits line in place on spaces and tabs; returns the number of words (at most max - 1). */
static int split(char *line, char **argv, int max)
{
    int argc = 0;
    char *p = line;
    while (*p && argc < max - 1) {
        while (*p == ' ' || *p == '\t')
            *p++ = 0;
        if (!*p)
            break;
        argv[argc++] = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
    }
    argv[argc] = 0;
    return argc;
}

/* The `help` builtin: the builtins and every program the shell knows, HELP_COLUMNS names
 * to a line, so the list fits on an 80x25 screen. */
#define HELP_COLUMNS 4
#define HELP_WIDTH 18
static void help(void)
{
    say("Cowbird sh. Builtins: help, exit [N]%s. Programs in %s:\n", job_control ? ", jobs, fg [N], bg [N]" : "", program_dir);
    for (int i = 0; known_programs[i]; i++) {
        int last_in_line = (i + 1) % HELP_COLUMNS == 0 || !known_programs[i + 1];
        if (last_in_line)
            say("  %s\n", known_programs[i]);
        else
            say("  %-*s", HELP_WIDTH, known_programs[i]);
    }
    say("Run one with its arguments, e.g.: swapdemo 96\n");
}

/* SIGINT while the shell reads: the read returns EINTR and the shell prompts again. */
static void on_interrupt(int signal)
{
    (void)signal;
}

/* Turns job control on when stdin is the controlling terminal with the shell's group in
   the foreground. */
static void start_job_control(void)
{
    if (tcgetpgrp(0) != getpgrp())
        return;
    job_control = 1;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_interrupt;
    sigaction(SIGINT, &action, 0);
    for (int i = 0; i < JOB_SIGNAL_COUNT; i++)
        signal(job_signals[i], SIG_IGN);
}

/* In a forked child: joins process group `group` (0: a new one led by itself) and puts it in
   the terminal's foreground (SIGTTOU is still ignored, so a child of a background group may do
   that), then takes the default signal actions back. */
static void enter_group(pid_t group)
{
    setpgid(0, group);
    tcsetpgrp(0, group ? group : getpid());
    for (int i = 0; i < JOB_SIGNAL_COUNT; i++)
        signal(job_signals[i], SIG_DFL);
}

/* Reports a command's ending if it was not "exit 0" (after Ctrl-C's "^C", on a line of its own). */
static void report(const char *name, int status)
{
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGINT)
        say("\n");
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
        say("[%s: exit %d]\n", name, WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        say("[%s: killed by signal %d%s]\n", name, WTERMSIG(status),
            WTERMSIG(status) == 11 ? ", SIGSEGV" : WTERMSIG(status) == 9 ? ", SIGKILL"
            : WTERMSIG(status) == 2 ? ", SIGINT" : "");
}

/* Remembers the stopped group `pgid` as a job; its number (1..MAX_JOBS), or 0 when full. */
static int add_job(pid_t pgid, const char *name)
{
    for (int i = 0; i < MAX_JOBS; i++) {
        if (jobs[i].pgid == 0) {
            jobs[i].pgid = pgid;
            jobs[i].stopped = 1;
            snprintf(jobs[i].name, sizeof jobs[i].name, "%s", name);
            return i + 1;
        }
    }
    return 0;
}

/* Waits for the `count` processes of the foreground group `group`, in order, until all ended
   or one stopped, then takes the terminal back. Reports how the last one ended; a stopped
   group becomes a job. */
static void wait_foreground(pid_t group, const pid_t *pids, int count, const char *name)
{
    int status = 0;
    for (int i = 0; i < count && !WIFSTOPPED(status); i++)
        while (wait4(pids[i], &status, job_control ? WUNTRACED : 0, 0) < 0 && errno == EINTR)
            ;
    if (job_control)
        tcsetpgrp(0, getpgrp());
    if (WIFSTOPPED(status)) {
        int number = add_job(group, name);
        say("\n[%d]+ Stopped  %s\n", number, name);
        if (number == 0)
            kill(-group, SIGKILL);
        return;
    }
    report(name, status);
}

/* In a forked child: runs program argv[0] from program_dir (or the path given). Never returns. */
static void exec_program(char **argv)
{
    char path[LINE_MAX_LEN + 64];
    if (strchr(argv[0], '/'))
        snprintf(path, sizeof path, "%s", argv[0]);
    else
        snprintf(path, sizeof path, "%s/%s", program_dir, argv[0]);
    execve(path, argv, environ);
    say("sh: %s: %s\n", argv[0], errno == ENOENT ? "not found (try help)" : strerror(errno));
    _exit(127);
}

/* Splits words (NULL-terminated) at each "|" into commands (NULL-terminated in place);
   returns their number, or 0 when a command is empty or there are too many. */
static int split_pipeline(char **words, char ***commands)
{
    int count = 0;
    commands[count++] = words;
    for (char **w = words; *w; w++) {
        if (strcmp(*w, "|") != 0)
            continue;
        *w = 0;
        if (count == MAX_COMMANDS)
            return 0;
        commands[count++] = w + 1;
    }
    for (int i = 0; i < count; i++)
        if (!commands[i][0])
            return 0;
    return count;
}

/* Runs the pipeline in words: each command in its own process, reading the previous one's
   output from a pipe (the first reads the shell's stdin, the last writes its stdout). The
   shell closes its copies of every pipe end, so each reader sees end of file when its writer
   exits, then waits for every process and reports how the last one ended. With job control
   the processes form one group, led by the first, in the terminal's foreground. */
static void run(char **words)
{
    char **commands[MAX_COMMANDS];
    int count = split_pipeline(words, commands);
    if (count == 0) {
        say("sh: syntax error near |\n");
        return;
    }
    pid_t pids[MAX_COMMANDS];
    pid_t group = 0;
    int started = 0, input = -1;
    for (; started < count; started++) {
        int fds[2] = { -1, -1 };
        if (started + 1 < count && pipe(fds) < 0) {
            say("sh: pipe failed: %s\n", strerror(errno));
            break;
        }
        pid_t pid = fork();
        if (pid == 0) {
            if (job_control)
                enter_group(group);
            if (input >= 0) {
                dup2(input, 0);
                close(input);
            }
            if (fds[1] >= 0) {
                dup2(fds[1], 1);
                close(fds[0]);
                close(fds[1]);
            }
            exec_program(commands[started]);
        }
        if (input >= 0)
            close(input);
        if (fds[1] >= 0)
            close(fds[1]);
        input = fds[0];
        if (pid < 0) {
            say("sh: fork failed: %s\n", strerror(errno));
            break;
        }
        if (job_control) {
            group = group ? group : pid;
            setpgid(pid, group);
        }
        pids[started] = pid;
    }
    if (input >= 0)
        close(input);
    if (job_control && group)
        tcsetpgrp(0, group);
    if (started > 0)
        wait_foreground(group, pids, started, commands[started - 1][0]);
}

/* The job `fg`/`bg` name: word N (1..MAX_JOBS), or the last job when absent; NULL if none. */
static struct job *find_job(int words, char **argv)
{
    if (words > 1) {
        int n = atoi(argv[1][0] == '%' ? argv[1] + 1 : argv[1]);
        return n >= 1 && n <= MAX_JOBS && jobs[n - 1].pgid ? &jobs[n - 1] : NULL;
    }
    for (int i = MAX_JOBS - 1; i >= 0; i--)
        if (jobs[i].pgid)
            return &jobs[i];
    return NULL;
}

/* `jobs`, `fg`, `bg`: 1 when argv[0] was one of them. */
static int job_builtin(int words, char **argv)
{
    if (strcmp(argv[0], "jobs") == 0) {
        for (int i = 0; i < MAX_JOBS; i++)
            if (jobs[i].pgid)
                say("[%d] %s  %s\n", i + 1, jobs[i].stopped ? "Stopped" : "Running", jobs[i].name);
        return 1;
    }
    int foreground = strcmp(argv[0], "fg") == 0;
    if (!foreground && strcmp(argv[0], "bg") != 0)
        return 0;
    struct job *job = find_job(words, argv);
    if (!job) {
        say("sh: %s: no such job\n", argv[0]);
        return 1;
    }
    if (!foreground) {
        say("[%d] %s &\n", (int)(job - jobs) + 1, job->name);
        job->stopped = 0;
        kill(-job->pgid, SIGCONT);
        return 1;
    }
    struct job taken = *job;
    job->pgid = 0;
    tcsetpgrp(0, taken.pgid);
    kill(-taken.pgid, SIGCONT);
    say("%s\n", taken.name);
    wait_foreground(taken.pgid, &taken.pgid, 1, taken.name);
    return 1;
}

/* Reaps background jobs that ended and says so, before the next prompt. */
static void reap_jobs(void)
{
    for (int i = 0; i < MAX_JOBS; i++) {
        int status;
        if (jobs[i].pgid && wait4(jobs[i].pgid, &status, WNOHANG, 0) == jobs[i].pgid) {
            say("[%d] Done  %s\n", i + 1, jobs[i].name);
            jobs[i].pgid = 0;
        }
    }
}

/* Parses -d DIR and -e; returns 0 on a bad option. */
static int parse_options(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-d") == 0 && i + 1 < argc)
            program_dir = argv[++i];
        else if (strcmp(argv[i], "-e") == 0)
            echo_input = 1;
        else
            return 0;
    }
    return 1;
}

int main(int argc, char **argv)
{
    if (!parse_options(argc, argv)) {
        say("usage: sh [-d DIR] [-e]\n");
        return 2;
    }
    start_job_control();
    say("Cowbird sh - type help for the programs, exit to leave.\n");
    char line[LINE_MAX_LEN];
    char *words[MAX_ARGS];
    for (;;) {
        if (job_control)
            reap_jobs();
        say("$ ");
        int got = read_line(line, sizeof line);
        if (got < 0)
            continue;
        if (got == 0) {
            say("\n");
            return 0;
        }
        int n = split(line, words, MAX_ARGS);
        if (n == 0)
            continue;
        if (strcmp(words[0], "exit") == 0) {
            int code = 0;
            if (n > 1)
                sscanf(words[1], "%d", &code);
            return code & 0xff;
        }
        if (strcmp(words[0], "help") == 0)
            help();
        else if (!(job_control && job_builtin(n, words)))
            run(words);
    }
}
