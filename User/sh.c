/*
 * sh: Cowbird's tiny interactive shell, on stdin/stdout.
 * Reads a line, splits it on spaces and tabs, and runs /bin/<first word> with the words as
 * arguments (fork + execve + wait4); prints how the program ended if that was not "exit 0".
 * A pipeline `a | b | c` (the `|` a word of its own) runs each command in its own process, the
 * stdout of one piped into the stdin of the next; the shell waits for all of them and reports
 * how the last one ended.
 * Builtins: `help` (the programs it knows, compiled in from User/build.sh's list) and `exit [N]`.
 * Options:
 *   -d DIR   run programs from DIR instead of /bin (to try the shell on Linux: -d User/out)
 *   -e       echo typed characters and handle backspace itself (a raw console without line
 *            discipline); without it the terminal is assumed to echo.
 * End of input ends the shell with status 0. Uses only read, write, fork, execve, wait4, exit,
 * and pipe, dup2 and close for pipelines.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
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

/* Reads one line into line (without its newline). Returns 0 at end of input, 1 otherwise.
   With -e, echoes what is typed and lets backspace erase. */
static int read_line(char *line, size_t size)
{
    size_t len = 0;
    for (;;) {
        char c;
        long n = read(0, &c, 1);
        if (n < 0 && errno == EINTR)
            continue;
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
    say("Cowbird sh. Builtins: help, exit [N]. Programs in %s:\n", program_dir);
    for (int i = 0; known_programs[i]; i++) {
        int last_in_line = (i + 1) % HELP_COLUMNS == 0 || !known_programs[i + 1];
        if (last_in_line)
            say("  %s\n", known_programs[i]);
        else
            say("  %-*s", HELP_WIDTH, known_programs[i]);
    }
    say("Run one with its arguments, e.g.: swapdemo 96\n");
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

/* Reports how program `name` ended, unless it was "exit 0". */
static void report(const char *name, int status)
{
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
        say("[%s: exit %d]\n", name, WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        say("[%s: killed by signal %d%s]\n", name, WTERMSIG(status),
            WTERMSIG(status) == 11 ? ", SIGSEGV" : WTERMSIG(status) == 9 ? ", SIGKILL" : "");
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
   exits, then waits for every process and reports how the last one ended. */
static void run(char **words)
{
    char **commands[MAX_COMMANDS];
    int count = split_pipeline(words, commands);
    if (count == 0) {
        say("sh: syntax error near |\n");
        return;
    }
    pid_t pids[MAX_COMMANDS];
    int started = 0, input = -1;
    for (; started < count; started++) {
        int fds[2] = { -1, -1 };
        if (started + 1 < count && pipe(fds) < 0) {
            say("sh: pipe failed: %s\n", strerror(errno));
            break;
        }
        pid_t pid = fork();
        if (pid == 0) {
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
        pids[started] = pid;
    }
    if (input >= 0)
        close(input);
    for (int i = 0; i < started; i++) {
        int status = 0;
        while (wait4(pids[i], &status, 0, 0) < 0 && errno == EINTR)
            ;
        if (i == count - 1)
            report(commands[i][0], status);
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
    say("Cowbird sh - type help for the programs, exit to leave.\n");
    char line[LINE_MAX_LEN];
    char *words[MAX_ARGS];
    for (;;) {
        say("$ ");
        if (!read_line(line, sizeof line)) {
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
        else
            run(words);
    }
}
