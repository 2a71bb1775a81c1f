/*
 * enosys: system call numbers the kernel does not implement return -ENOSYS and the process goes on.
 * Always checked (ENOSYS on Linux x86-64 too): 999 and -1 (no such number), and numbers from the
 * syscall table that Linux never implemented on x86-64: 174 create_module, 181 getpmsg,
 * 184 tuxcall, 205 set_thread_area, 236 vserver.
 * With the argument --cowbird, also real Linux system calls outside Cowbird's subset (they work on
 * Linux, so they are only checked on Cowbird): 165 mount, 300 fanotify_init, 321 bpf.
 */
#include "cbtest.h"

struct unsupported { long nr; const char *name; };

static const struct unsupported never_implemented[] = {
    { 999, "999 (no such system call)" }, { -1, "-1 (no such system call)" },
    { 174, "174 create_module" }, { 181, "181 getpmsg" }, { 184, "184 tuxcall" },
    { 205, "205 set_thread_area" }, { 236, "236 vserver" },
};

static const struct unsupported outside_subset[] = {
    { 165, "165 mount" }, { 300, "300 fanotify_init" }, { 321, "321 bpf" },
};

int main(int argc, char **argv)
{
    cb_begin("enosys");
    int cowbird = argc > 1 && strcmp(argv[1], "--cowbird") == 0;
    /* Arguments that are harmless should a kernel implement the call after all. */
    long scratch[4] = { 0 };
    for (size_t i = 0; i < sizeof never_implemented / sizeof never_implemented[0]; i++)
        cb_check_ret(cb_syscall(never_implemented[i].nr, 0, 0, 0, 0, 0, 0), -ENOSYS, "syscall %s",
                     never_implemented[i].name);
    if (cowbird)
        for (size_t i = 0; i < sizeof outside_subset / sizeof outside_subset[0]; i++)
            cb_check_ret(cb_syscall(outside_subset[i].nr, (long)scratch, 0, 0, 0, 0, 0), -ENOSYS,
                         "syscall %s (outside Cowbird's subset)", outside_subset[i].name);
    cb_check_ret(getpid() > 0, 1, "system calls still work afterwards (getpid)");
    return cb_end();
}
