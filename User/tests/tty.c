/*
 * tty: process groups, sessions and the terminal ioctls, as Linux has them (kernel/sys.c,
 * kernel/exit.c, drivers/tty/tty_io.c).
 *   - setsid makes the caller the leader of a new session and group; a second setsid and a
 *     session leader's setpgid are EPERM; a negative pgid is EINVAL.
 *   - fork copies the group and the session; a parent moves its child between groups of its
 *     session; ESRCH for a process that is neither the caller nor its child, EPERM for a
 *     child in another session or a group that does not exist, EACCES after the child's execve.
 *   - wait4(0) waits only for children of the caller's group, wait4(-pgid) for that group.
 *   - kill(0) signals the caller's group (not children in other groups), kill(-pgid) a
 *     group, ESRCH for an empty one.
 *   - Where stdin is a terminal: TCGETS/TCSETS and TIOCGWINSZ/TIOCSWINSZ round trips, ENOTTY for
 *     TIOCGPGRP/TIOCGSID of a terminal that is not the caller's controlling terminal.
 *     Elsewhere the terminal ioctls give ENOTTY.
 * The checks run in a child that first calls setsid(), so they depend neither on the caller's
 * session nor on being pid 1.
 *
 * Modes for the interactive boot tests, which run them from the shell on the console:
 *   tty --sleep     says "sleeping", then sleeps until a signal ends it (Ctrl-C, Ctrl-Z);
 *   tty --no-echo   reads a line with ECHO off and prints it back ("got: LINE");
 *   tty --key       reads one key without ICANON (VMIN 1, VTIME 0) and prints its code;
 *   tty --jobs      job control, run in the terminal's foreground group: a child in a
 *                   background group of the session that reads gets SIGTTIN (EIO when it
 *                   ignores SIGTTIN), that writes with TOSTOP or changes the settings or the
 *                   foreground group gets SIGTTOU (goes on when it ignores SIGTTOU); tcsetpgrp's
 *                   EINVAL, ESRCH and EPERM.
 */
#include "cbtest.h"

#define EXEC_MARK "--tty-exec-child"
#define TCGETS_REQ 0x5401
#define TCSETS_REQ 0x5402
#define TIOCGPGRP_REQ 0x540F
#define TIOCSPGRP_REQ 0x5410
#define TIOCGWINSZ_REQ 0x5413
#define TIOCSWINSZ_REQ 0x5414
#define TIOCGSID_REQ 0x5429
#define ICANON_FLAG 0x2
#define ECHO_FLAG 0x8
#define TOSTOP_FLAG 0x100
#define VMIN_INDEX 6
#define VTIME_INDEX 5
/* How long a check waits for a child to reach a state: long, so a slow machine still passes. */
#define PATIENCE_MS 60000

/* The kernel's struct termios (what TCGETS and TCSETS move), not libc's larger one. */
struct kernel_termios {
    unsigned int c_iflag, c_oflag, c_cflag, c_lflag;
    unsigned char c_line;
    unsigned char c_cc[19];
};

struct window_size {
    unsigned short rows, cols, xpixel, ypixel;
};

static char self[256];
static volatile sig_atomic_t usr1_seen;

static long result(long r)
{
    return r < 0 ? -errno : r;
}

static void on_usr1(int signal)
{
    (void)signal;
    usr1_seen = 1;
}

/* A child that sleeps until it is killed. */
static pid_t sleeper(void)
{
    pid_t pid = cb_fork("a sleeping child");
    if (pid == 0) {
        for (;;)
            cb_sleep_ms(1000);
    }
    return pid;
}

/* The pid of a child that existed and was reaped: no process and no group has it now. */
static pid_t gone_pid(void)
{
    pid_t pid = cb_fork("a child that exits");
    if (pid == 0)
        _exit(0);
    int status;
    cb_wait(pid, &status);
    return pid;
}

/* Waits until `probe(pid)` equals `want` (a child's own setpgid or setsid took effect). */
static int wait_until(long (*probe)(pid_t), pid_t pid, long want)
{
    for (long waited = 0; waited < PATIENCE_MS; waited += 10) {
        if (probe(pid) == want)
            return 1;
        cb_sleep_ms(10);
    }
    return 0;
}

static long group_of(pid_t pid) { return result(getpgid(pid)); }
static long session_of(pid_t pid) { return result(getsid(pid)); }

static void kill_and_reap(pid_t pid)
{
    int status;
    kill(pid, SIGKILL);
    cb_wait(pid, &status);
}

static void new_session(pid_t me)
{
    cb_check_ret(session_of(0), me, "after setsid: getsid(0) is the caller's pid");
    cb_check_ret(result(getpgrp()), me, "after setsid: getpgrp() is the caller's pid");
    cb_check_ret(group_of(0), me, "after setsid: getpgid(0) is the caller's pid");
    cb_check_ret(result(setsid()), -EPERM, "setsid by a group leader: EPERM");
    cb_check_ret(result(setpgid(0, 0)), -EPERM, "setpgid(0, 0) by a session leader: EPERM");
    cb_check_ret(result(setpgid(0, -1)), -EINVAL, "setpgid(0, -1): EINVAL");
    pid_t gone = gone_pid();
    cb_check_ret(group_of(gone), -ESRCH, "getpgid of a reaped pid: ESRCH");
    cb_check_ret(session_of(gone), -ESRCH, "getsid of a reaped pid: ESRCH");
    cb_check_ret(result(setpgid(gone, 0)), -ESRCH, "setpgid of a reaped pid: ESRCH");
    cb_check_ret(result(setpgid(getppid(), 0)), -ESRCH, "setpgid of the parent (not a child): ESRCH");
}

static void moving_a_child(pid_t me)
{
    pid_t child = sleeper();
    cb_check_ret(group_of(child), me, "a forked child is in its parent's group");
    cb_check_ret(session_of(child), me, "and in its parent's session");
    cb_check_ret(result(setpgid(child, child)), 0, "setpgid(child, child): 0");
    cb_check_ret(group_of(child), child, "the child leads its own group");
    cb_check_ret(session_of(child), me, "still in the parent's session");
    cb_check_ret(result(setpgid(child, me)), 0, "setpgid(child, parent's group): back, 0");
    cb_check_ret(group_of(child), me, "the child is in the parent's group again");
    cb_check_ret(result(setpgid(child, gone_pid())), -EPERM, "setpgid(child, a group that does not exist): EPERM");
    kill_and_reap(child);
}

/* A child that calls setsid() and sleeps until killed; returns once its session exists. */
static pid_t session_child(void)
{
    pid_t child = cb_fork("a child making a session");
    if (child == 0) {
        setsid();
        for (;;)
            cb_sleep_ms(1000);
    }
    CHECK(wait_until(session_of, child, child), "a child's setsid makes a session named by its pid");
    return child;
}

/* A child that made its own session: its parent can no longer move it. */
static void child_in_other_session(pid_t me)
{
    pid_t child = session_child();
    cb_check_ret(result(setpgid(child, child)), -EPERM, "setpgid of a child in another session: EPERM");
    cb_check_ret(result(setpgid(child, me)), -EPERM, "setpgid of that child into the parent's group: EPERM");
    cb_check_ret(result(kill(-child, 0)), 0, "kill(-pgid, 0) of a group in another session: 0");
    kill_and_reap(child);
}

/* A child that called execve: setpgid on it is EACCES. The new image makes its own group
   (allowed: it is the caller), which tells the parent that execve happened. */
static void child_after_exec(pid_t me)
{
    pid_t child = cb_fork("a child that execs");
    if (child == 0) {
        char *argv[] = { self, EXEC_MARK, 0 };
        execve(self, argv, 0);
        _exit(127);
    }
    CHECK(wait_until(group_of, child, child), "the exec'ed child moved itself to its own group");
    cb_check_ret(result(setpgid(child, me)), -EACCES, "setpgid of a child after its execve: EACCES");
    kill_and_reap(child);
}

static void waiting_for_groups(void)
{
    pid_t child = sleeper();
    setpgid(child, child);
    int status = 0;
    cb_check_ret(result(wait4(0, &status, WNOHANG, 0)), -ECHILD,
                 "wait4(0) with the only child in another group: ECHILD");
    cb_check_ret(result(wait4(-child, &status, WNOHANG, 0)), 0, "wait4(-pgid, WNOHANG) of a running group: 0");
    cb_check_ret(result(kill(-child, SIGKILL)), 0, "kill(-pgid, SIGKILL): 0");
    long r;
    do
        r = result(wait4(-child, &status, 0, 0));
    while (r == -EINTR);
    cb_check_ret(r, child, "wait4(-pgid) reaps the group's member");
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "it died of SIGKILL");
    cb_check_ret(result(wait4(-child, &status, WNOHANG, 0)), -ECHILD, "wait4(-pgid) of an empty group: ECHILD");
    cb_check_ret(result(kill(-child, 0)), -ESRCH, "kill(-pgid, 0) of an empty group: ESRCH");
}

/* kill(0, SIGUSR1) reaches the caller and the child of its group (which has the handler), not
   the child in another group (forked before the handler, so SIGUSR1 would kill it). */
static void signalling_my_group(void)
{
    pid_t other = sleeper();
    setpgid(other, other);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_usr1;
    sigaction(SIGUSR1, &action, 0);
    pid_t same = cb_fork("a child in the caller's group");
    if (same == 0) {
        for (long waited = 0; waited < PATIENCE_MS && !usr1_seen; waited += 10)
            cb_sleep_ms(10);
        _exit(usr1_seen ? 0 : 1);
    }
    cb_check_ret(result(kill(0, SIGUSR1)), 0, "kill(0, SIGUSR1): 0");
    CHECK(usr1_seen, "the caller got its own SIGUSR1");
    int status = 0;
    long r;
    do
        r = result(wait4(0, &status, 0, 0));
    while (r == -EINTR);
    cb_check_ret(r, same, "wait4(0) reaps the child of the caller's group");
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "that child's handler saw SIGUSR1");
    kill(other, SIGTERM);
    cb_wait(other, &status);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM,
          "the child in another group did not get it: SIGTERM killed it");
}

static void terminal_ioctls(void)
{
    struct kernel_termios saved, changed, now;
    struct window_size size;
    int pgrp;
    if (!isatty(0)) {
        cb_check_ret(cb_syscall(SYS_ioctl, 0, TCGETS_REQ, (long)&saved, 0, 0, 0), -ENOTTY,
                     "stdin is not a terminal: TCGETS gives ENOTTY");
        cb_check_ret(cb_syscall(SYS_ioctl, 0, TIOCGPGRP_REQ, (long)&pgrp, 0, 0, 0), -ENOTTY,
                     "and TIOCGPGRP gives ENOTTY");
        return;
    }
    cb_check_ret(cb_syscall(SYS_ioctl, 0, TCGETS_REQ, (long)&saved, 0, 0, 0), 0, "TCGETS on the terminal: 0");
    changed = saved;
    changed.c_lflag &= ~ICANON_FLAG;
    changed.c_cc[VMIN_INDEX] = 3;
    changed.c_cc[VTIME_INDEX] = 7;
    cb_check_ret(cb_syscall(SYS_ioctl, 0, TCSETS_REQ, (long)&changed, 0, 0, 0), 0, "TCSETS without ICANON: 0");
    cb_syscall(SYS_ioctl, 0, TCGETS_REQ, (long)&now, 0, 0, 0);
    CHECK((now.c_lflag & ICANON_FLAG) == 0 && now.c_cc[VMIN_INDEX] == 3 && now.c_cc[VTIME_INDEX] == 7,
          "TCGETS reads back ICANON off, VMIN 3, VTIME 7");
    cb_syscall(SYS_ioctl, 0, TCSETS_REQ, (long)&saved, 0, 0, 0);
    cb_syscall(SYS_ioctl, 0, TCGETS_REQ, (long)&now, 0, 0, 0);
    CHECK(memcmp(&now, &saved, sizeof now) == 0, "TCSETS of the saved settings restores them");
    cb_check_ret(cb_syscall(SYS_ioctl, 0, TIOCGWINSZ_REQ, (long)&size, 0, 0, 0), 0, "TIOCGWINSZ: 0");
    struct window_size bigger = size, read_back;
    bigger.rows++;
    bigger.cols += 2;
    cb_check_ret(cb_syscall(SYS_ioctl, 0, TIOCSWINSZ_REQ, (long)&bigger, 0, 0, 0), 0, "TIOCSWINSZ: 0");
    cb_syscall(SYS_ioctl, 0, TIOCGWINSZ_REQ, (long)&read_back, 0, 0, 0);
    CHECK(read_back.rows == size.rows + 1 && read_back.cols == size.cols + 2, "TIOCGWINSZ reads the new size back");
    cb_syscall(SYS_ioctl, 0, TIOCSWINSZ_REQ, (long)&size, 0, 0, 0);
    cb_check_ret(cb_syscall(SYS_ioctl, 0, TCGETS_REQ, 1, 0, 0, 0), -EFAULT, "TCGETS to a bad pointer: EFAULT");
    cb_check_ret(cb_syscall(SYS_ioctl, 0, TIOCGPGRP_REQ, (long)&pgrp, 0, 0, 0), -ENOTTY,
                 "TIOCGPGRP of a terminal that is not the session's: ENOTTY");
    cb_check_ret(cb_syscall(SYS_ioctl, 0, TIOCGSID_REQ, (long)&pgrp, 0, 0, 0), -ENOTTY,
                 "TIOCGSID of a terminal that is not the session's: ENOTTY");
}

static int session_checks(void)
{
    pid_t me = getpid();
    cb_check_ret(result(setsid()), me, "setsid() in a fresh child: its pid");
    new_session(me);
    moving_a_child(me);
    child_in_other_session(me);
    child_after_exec(me);
    waiting_for_groups();
    signalling_my_group();
    terminal_ioctls();
    return cb_end();
}

/* --no-echo and --key: one read with `clear` taken off c_lflag (and VMIN 1, VTIME 0),
   printed back, the settings restored. */
static int read_with(unsigned int clear, const char *prompt)
{
    struct kernel_termios saved, changed;
    if (cb_syscall(SYS_ioctl, 0, TCGETS_REQ, (long)&saved, 0, 0, 0) != 0)
        return 2;
    changed = saved;
    changed.c_lflag &= ~clear;
    changed.c_cc[VMIN_INDEX] = 1;
    changed.c_cc[VTIME_INDEX] = 0;
    cb_syscall(SYS_ioctl, 0, TCSETS_REQ, (long)&changed, 0, 0, 0);
    cb_write_all(prompt, strlen(prompt));
    char line[128];
    long n = read(0, line, sizeof line - 1);
    cb_syscall(SYS_ioctl, 0, TCSETS_REQ, (long)&saved, 0, 0, 0);
    if (n <= 0)
        return 1;
    if (clear & ICANON_FLAG) {
        cb_print("\nkey: %ld byte(s), first 0x%02x", n, (unsigned char)line[0]);
        return 0;
    }
    line[n] = 0;
    cb_print("got: %s", line);
    return 0;
}

/* What a child in a background group does in --jobs. */
enum background_action { BG_READ, BG_WRITE, BG_SETTINGS, BG_FOREGROUND };

/* A child that moves to a group of its own (a background job of the terminal's session),
   ignores `ignored` (0: nothing), and does `action`. Its wait status: exit code 0 when the
   call succeeded, 64 + errno when it failed; stopped (then killed and reaped) when a signal
   stopped it. */
static int in_background(enum background_action action, int ignored)
{
    pid_t child = cb_fork("a background child");
    if (child == 0) {
        setpgid(0, 0);
        if (ignored)
            signal(ignored, SIG_IGN);
        struct kernel_termios settings;
        char c;
        long r;
        if (action == BG_READ)
            r = read(0, &c, 1);
        else if (action == BG_WRITE)
            r = write(1, "(a background write)\n", 21);
        else if (action == BG_SETTINGS)
            r = cb_syscall(SYS_ioctl, 0, TCGETS_REQ, (long)&settings, 0, 0, 0) == 0
                ? result(cb_syscall(SYS_ioctl, 0, TCSETS_REQ, (long)&settings, 0, 0, 0)) : -ENOTTY;
        else
            r = tcsetpgrp(0, getpgrp());
        _exit(r >= 0 ? 0 : 64 + (r < -1 ? (int)-r : errno));
    }
    setpgid(child, child);
    int status = 0;
    long r;
    do
        r = wait4(child, &status, WUNTRACED, 0);
    while (r < 0 && errno == EINTR);
    if (WIFSTOPPED(status))
        kill_and_reap(child);
    return status;
}

static int stopped_by(int status, int signal)
{
    return WIFSTOPPED(status) && WSTOPSIG(status) == signal;
}

static int exited_with(int status, int code)
{
    return WIFEXITED(status) && WEXITSTATUS(status) == code;
}

/* Turns TOSTOP on or off (the caller is in the foreground). */
static void set_tostop(int on)
{
    struct kernel_termios t;
    cb_syscall(SYS_ioctl, 0, TCGETS_REQ, (long)&t, 0, 0, 0);
    t.c_lflag = on ? t.c_lflag | TOSTOP_FLAG : t.c_lflag & ~TOSTOP_FLAG;
    cb_syscall(SYS_ioctl, 0, TCSETS_REQ, (long)&t, 0, 0, 0);
}

static int job_control_checks(void)
{
    cb_begin("tty-jobs");
    int value = 0;
    cb_check_ret(result(tcgetpgrp(0)), getpgrp(), "tcgetpgrp: the caller's group is in the foreground");
    cb_check_ret(cb_syscall(SYS_ioctl, 0, TIOCGSID_REQ, (long)&value, 0, 0, 0), 0, "TIOCGSID: 0");
    cb_check_ret(value, getsid(0), "TIOCGSID is the caller's session");
    CHECK(stopped_by(in_background(BG_READ, 0), SIGTTIN), "a background read stops its group with SIGTTIN");
    CHECK(exited_with(in_background(BG_READ, SIGTTIN), 64 + EIO), "a background read ignoring SIGTTIN: EIO");
    CHECK(exited_with(in_background(BG_WRITE, 0), 0), "a background write without TOSTOP goes out");
    set_tostop(1);
    CHECK(stopped_by(in_background(BG_WRITE, 0), SIGTTOU), "with TOSTOP a background write stops with SIGTTOU");
    CHECK(exited_with(in_background(BG_WRITE, SIGTTOU), 0), "with TOSTOP, ignoring SIGTTOU, the write goes out");
    set_tostop(0);
    CHECK(stopped_by(in_background(BG_SETTINGS, 0), SIGTTOU), "background TCSETS stops with SIGTTOU");
    CHECK(stopped_by(in_background(BG_FOREGROUND, 0), SIGTTOU), "background tcsetpgrp stops with SIGTTOU");
    CHECK(exited_with(in_background(BG_FOREGROUND, SIGTTOU), 0), "background tcsetpgrp ignoring SIGTTOU: 0");
    signal(SIGTTOU, SIG_IGN);
    cb_check_ret(result(tcsetpgrp(0, getpgrp())), 0, "the caller, ignoring SIGTTOU, takes the foreground back");
    signal(SIGTTOU, SIG_DFL);
    cb_check_ret(result(tcgetpgrp(0)), getpgrp(), "tcgetpgrp: the caller's group again");
    cb_check_ret(result(tcsetpgrp(0, -1)), -EINVAL, "tcsetpgrp(-1): EINVAL");
    cb_check_ret(result(tcsetpgrp(0, gone_pid())), -ESRCH, "tcsetpgrp of a group that does not exist: ESRCH");
    pid_t other = session_child();
    cb_check_ret(result(tcsetpgrp(0, other)), -EPERM, "tcsetpgrp to a group of another session: EPERM");
    kill_and_reap(other);
    return cb_end();
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], EXEC_MARK) == 0) {
        setpgid(0, 0);
        for (;;)
            cb_sleep_ms(1000);
    }
    if (argc > 1 && strcmp(argv[1], "--sleep") == 0) {
        cb_print("sleeping");
        for (;;)
            cb_sleep_ms(1000);
    }
    if (argc > 1 && strcmp(argv[1], "--no-echo") == 0)
        return read_with(ECHO_FLAG, "password: ");
    if (argc > 1 && strcmp(argv[1], "--jobs") == 0)
        return job_control_checks();
    if (argc > 1 && strcmp(argv[1], "--key") == 0)
        return read_with(ICANON_FLAG | ECHO_FLAG, "key: ");
    cb_self_path(argv[0], self, sizeof self);
    cb_begin("tty");
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
