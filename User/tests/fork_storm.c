/*
 * fork_storm: 3 waves of 200 children alive at the same time.
 * In each wave the parent forks 200 children; each child checks the data it inherited, announces
 * itself in shared memory and waits until the parent has seen all 200 alive, then exits with a
 * code derived from its index. The parent reaps them all with wait4(-1), checking that every pid
 * is reaped exactly once with its own exit code; afterwards wait4 reports ECHILD.
 */
#include "cbtest.h"

#define WAVES 3
#define CHILDREN 200

struct gate {
    int alive;      /* children that have started in this wave */
    int release;    /* wave number the children may exit in */
};

static long inherited[512];

static int exit_code(int wave, int i) { return (wave * 37 + i) & 0xff; }

/* One child: check inherited data, announce, wait for the release, exit with its code. */
static void __attribute__((noreturn)) child(struct gate *g, int wave, int i)
{
    int ok = inherited[i] == wave * 1000 + i;
    __atomic_add_fetch(&g->alive, 1, __ATOMIC_ACQ_REL);
    if (!cb_wait_flag(&g->release, wave + 1, 60000))
        _exit(254);
    _exit(ok ? exit_code(wave, i) : 253);
}

/* One wave: fork all children, wait until all are alive, release them, reap and check them. */
static void wave(struct gate *g, int w)
{
    pid_t pids[CHILDREN];
    int forked = 0;
    __atomic_store_n(&g->alive, 0, __ATOMIC_RELEASE);
    for (int i = 0; i < CHILDREN; i++)
        inherited[i] = w * 1000 + i;
    for (int i = 0; i < CHILDREN; i++) {
        pids[i] = fork();
        if (pids[i] == 0)
            child(g, w, i);
        if (pids[i] > 0)
            forked++;
    }
    cb_check_ret(forked, CHILDREN, "wave %d: fork succeeded %d times", w, CHILDREN);
    cb_check(cb_wait_flag(&g->alive, forked, 60000), "wave %d: all %d children alive at once", w, forked);
    cb_set_flag(&g->release, w + 1);

    int reaped = 0, wrong_code = 0, unknown = 0;
    for (int n = 0; n < forked; n++) {
        int status = 0;
        long pid = cb_wait(-1, &status);
        if (pid < 0)
            break;
        reaped++;
        int i = 0;
        while (i < CHILDREN && pids[i] != pid)
            i++;
        if (i == CHILDREN) {
            unknown++;
            continue;
        }
        pids[i] = -1;   /* a pid reaped twice would now be unknown */
        if (!WIFEXITED(status) || WEXITSTATUS(status) != exit_code(w, i))
            wrong_code++;
    }
    cb_check_ret(reaped, forked, "wave %d: wait4(-1) reaped every child", w);
    cb_check_ret(unknown, 0, "wave %d: each pid reaped once, none unknown", w);
    cb_check_ret(wrong_code, 0, "wave %d: every child exited with its own code", w);
}

int main(void)
{
    cb_begin("fork_storm");
    struct gate *g = cb_map_shared(1);
    if (!g)
        return cb_end();
    for (int w = 0; w < WAVES; w++)
        wave(g, w);
    int status;
    cb_check_ret(cb_syscall(SYS_wait4, -1, (long)&status, 0, 0, 0, 0), -ECHILD, "wait4(-1) with no children left: ECHILD");
    return cb_end();
}
