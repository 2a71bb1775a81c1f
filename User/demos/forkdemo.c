/*
 * forkdemo: fork at work. The parent forks three children; each prints who it is and who its
 * parent is, touches some memory and exits with its own code; the parent reaps them with wait4
 * and prints how each ended, then the page faults the whole thing cost (from /proc/vmstat).
 */
#include "cbtest.h"

#define CHILDREN 3

int main(void)
{
    struct cb_counters before = cb_read_counters();
    cb_print("forkdemo: I am pid %d, my parent is pid %d", getpid(), getppid());
    static char data[16 * CB_PAGE];
    memset(data, 1, sizeof data);

    pid_t pids[CHILDREN];
    for (int k = 0; k < CHILDREN; k++) {
        pids[k] = fork();
        if (pids[k] == 0) {
            for (int p = 0; p <= 4 * k; p++)
                data[p * CB_PAGE] = (char)(k + 2);     /* child k copies 4k+1 pages */
            cb_print("  child %d: pid %d, parent %d, wrote to %d page%s (a copy-on-write fault each)",
                     k, getpid(), getppid(), 4 * k + 1, k ? "s" : "");
            _exit(10 + k);
        }
        if (pids[k] < 0)
            cb_print("  fork failed: errno %d", errno);
    }
    int failed = 0;
    for (int k = 0; k < CHILDREN; k++) {
        int status = 0;
        char text[48];
        if (pids[k] > 0 && cb_wait(pids[k], &status) == pids[k]) {
            cb_print("  reaped child %d (pid %d): %s", k, pids[k], cb_status_text(status, text, sizeof text));
            failed += !(WIFEXITED(status) && WEXITSTATUS(status) == 10 + k);
        } else {
            failed++;
        }
    }
    int intact = 1;
    for (size_t i = 0; i < sizeof data; i++)
        intact &= data[i] == 1;
    cb_print("  the parent's copy of the data is %s", intact ? "untouched by the children" : "CHANGED (a bug)");
    cb_print_counter_deltas("forkdemo: counters", before, cb_read_counters());
    return failed || !intact;
}
