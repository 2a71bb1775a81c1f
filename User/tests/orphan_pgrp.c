/*
 * orphan_pgrp: a process group that an exit orphans while one of its members is stopped gets
 * SIGHUP, then SIGCONT (POSIX; Linux's kill_orphaned_pgrp in kernel/exit.c). A group is
 * orphaned when no member has a parent in another group of the same session: no job-control
 * shell is left that could continue the stopped member, so it is woken and told its session
 * is gone.
 *   - parent exits: a stopped child in a group of its own, whose parent was the group's only
 *     link to the session, is continued with both signals pending and goes on. Linux sets up
 *     the SIGHUP handler's frame first (the lowest number) and the SIGCONT handler's frame on
 *     top of it, so the SIGCONT handler runs first and returns into the SIGHUP handler;
 *   - own group: the exiting process shared the group with its stopped child, and the exiting
 *     process's parent (in another group of the session) was the link: the child is hung up;
 *   - default action: without handlers, that SIGHUP kills the stopped member;
 *   - still linked: while another member has its parent in another group of the session, the
 *     parent's exit sends nothing; the exit of that last link hangs the group up.
 * The stopped member reports what it sees through a pipe: H for SIGHUP, C for SIGCONT, E when
 * it goes on after the stop (so "CHE" for a hang-up). Every check runs in a child that first calls setsid(), so the new
 * session holds only the test's processes, whatever the caller's session and pid.
 */
#include "cbtest.h"

static int report_fd = -1;

static void on_hangup(int sig) { (void)sig; write(report_fd, "H", 1); }
static void on_continue(int sig) { (void)sig; write(report_fd, "C", 1); }

/* The stopped member: handlers (when `handlers`), a stop, then E and exit. Never returns. */
static void __attribute__((noreturn)) stopped_member(int handlers)
{
    if (handlers) {
        signal(SIGHUP, on_hangup);
        signal(SIGCONT, on_continue);
    }
    raise(SIGSTOP);
    write(report_fd, "E", 1);
    _exit(0);
}

/* Where the middle process puts the stopped member: in a new group of the member's own, or
   in a new group the middle process leads and shares with it. */
enum grouping { MEMBER_ALONE, SHARED_WITH_MIDDLE };

/* The middle process: forks the stopped member (grouped as `grouping` says), sends its pid on
   `pid_fd` when >= 0, waits until it is stopped, waits for a byte on `go_fd` when >= 0, and
   exits. Never returns. */
static void __attribute__((noreturn)) middle(enum grouping grouping, int handlers, int pid_fd, int go_fd)
{
    if (grouping == SHARED_WITH_MIDDLE)
        setpgid(0, 0);
    pid_t member = fork();
    if (member == 0) {
        if (grouping == MEMBER_ALONE)
            setpgid(0, 0);
        stopped_member(handlers);
    }
    if (member < 0)
        _exit(2);
    if (grouping == MEMBER_ALONE)
        setpgid(member, member);
    if (pid_fd >= 0 && write(pid_fd, &member, sizeof member) != sizeof member)
        _exit(3);
    int status = 0;
    if (waitpid(member, &status, WUNTRACED) != member || !WIFSTOPPED(status))
        _exit(4);
    char go;
    if (go_fd >= 0 && read(go_fd, &go, 1) != 1)
        _exit(5);
    _exit(0);
}

/* Everything the pipe's read end `fd` gives until every writer has closed it. */
static void read_all(int fd, char *buf, size_t size)
{
    size_t used = 0;
    while (used + 1 < size) {
        ssize_t n = read(fd, buf + used, size - 1 - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        used += (size_t)n;
    }
    buf[used] = '\0';
}

/* The middle process exits once the member is stopped; returns what the member reported. */
static void run_middle(enum grouping grouping, int handlers, char *seen, size_t size)
{
    int fds[2];
    if (pipe(fds) != 0) {
        snprintf(seen, size, "pipe failed");
        return;
    }
    report_fd = fds[1];
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        middle(grouping, handlers, -1, -1);
    }
    close(fds[1]);
    cb_expect_exit(pid, 0, "the middle process saw its child stop and exited");
    read_all(fds[0], seen, size);
    close(fds[0]);
}

static void parent_exit_hangs_up_a_child_group(void)
{
    char seen[16];
    run_middle(MEMBER_ALONE, 1, seen, sizeof seen);
    cb_check_detail(strcmp(seen, "CHE") == 0, seen,
                    "a stopped child in its own group whose parent exits gets SIGHUP, then SIGCONT, and goes on");
}

static void own_group_is_hung_up_when_its_link_exits(void)
{
    /* The group is {the middle process, its stopped child}; its link is this process, the
       middle's parent in another group of the session, until the middle exits. */
    char seen[16];
    run_middle(SHARED_WITH_MIDDLE, 1, seen, sizeof seen);
    cb_check_detail(strcmp(seen, "CHE") == 0, seen,
                    "a group of an exiting process and its stopped child is hung up (SIGHUP, SIGCONT) when the exit orphans it");
}

static void default_hangup_kills_the_stopped_member(void)
{
    char seen[16];
    run_middle(MEMBER_ALONE, 0, seen, sizeof seen);
    cb_check_detail(seen[0] == '\0', seen,
                    "without handlers the SIGHUP kills the stopped member (it never goes on)");
}

static void a_linked_group_is_hung_up_only_when_its_last_link_exits(void)
{
    int fds[2], pid_pipe[2], go_pipe[2];
    if (pipe(fds) != 0 || pipe(pid_pipe) != 0 || pipe(go_pipe) != 0) {
        cb_check(0, "pipes for the linked-group check");
        return;
    }
    report_fd = fds[1];
    pid_t mid = fork();
    if (mid == 0) {
        close(fds[0]);
        close(pid_pipe[0]);
        close(go_pipe[1]);
        middle(MEMBER_ALONE, 1, pid_pipe[1], go_pipe[0]);
    }
    close(pid_pipe[1]);
    close(go_pipe[0]);
    pid_t member = 0;
    if (read(pid_pipe[0], &member, sizeof member) != sizeof member)
        member = 0;
    close(pid_pipe[0]);
    /* A second member of the stopped member's group whose parent is this process, in another
       group of the same session: it keeps the group linked after the middle process exits. */
    pid_t link = fork();
    if (link == 0) {
        close(fds[0]);
        close(fds[1]);
        close(go_pipe[1]);
        setpgid(0, member);
        for (;;)
            pause();
    }
    setpgid(link, member);
    write(go_pipe[1], "g", 1);
    close(go_pipe[1]);
    cb_expect_exit(mid, 0, "the middle process saw its child stop and exited");
    cb_check_ret(getpgid(link), member, "the link is in the stopped member's group");
    cb_sleep_ms(300);
    write(fds[1], "P", 1);
    kill(link, SIGKILL);
    cb_expect_signal(link, SIGKILL, "the link was killed");
    close(fds[1]);
    char seen[16];
    read_all(fds[0], seen, sizeof seen);
    close(fds[0]);
    cb_check_detail(strcmp(seen, "PCHE") == 0, seen,
                    "a group still linked when the middle process exits is hung up only when its last link exits (P marks the middle's exit)");
}

static int session_checks(void)
{
    pid_t me = getpid();
    cb_check_ret(setsid(), me, "setsid() in a fresh child: its pid");
    parent_exit_hangs_up_a_child_group();
    own_group_is_hung_up_when_its_link_exits();
    default_hangup_kills_the_stopped_member();
    a_linked_group_is_hung_up_only_when_its_last_link_exits();
    return cb_end();
}

int main(void)
{
    cb_begin("orphan_pgrp");
    pid_t pid = cb_fork("the session child");
    if (pid == 0)
        _exit(session_checks());
    int status = 0;
    cb_wait(pid, &status);
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    cb_check_detail(0, "killed", "the session child ended by a signal");
    return cb_end();
}
