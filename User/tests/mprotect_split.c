/*
 * mprotect_split: mprotect on the middle page of a 3-page region splits it into 3 VMAs.
 * Reading every page still works; writing the outer pages works; a child writing the read-only
 * middle page is killed by SIGSEGV (seen through wait4 as WIFSIGNALED, WTERMSIG == 11), and so is a
 * child reading a PROT_NONE page; restoring PROT_READ|PROT_WRITE makes the page writable again,
 * with its contents intact. The same is checked on COW-shared memory: the child that dies must
 * not have changed the parent's copy.
 */
#include "cbtest.h"

int main(void)
{
    cb_begin("mprotect_split");
    char *r = cb_map_private(3);
    if (!r)
        return cb_end();
    char *mid = r + CB_PAGE, *last = r + 2 * CB_PAGE;
    cb_fill(r, 3 * CB_PAGE, 1, 0);

    cb_check_ret(mprotect(mid, CB_PAGE, PROT_READ), 0, "mprotect(middle page, PROT_READ)");
    cb_check_vma(r, NULL, mid, "rw-p", "the first page");
    cb_check_vma(mid, mid, last, "r--p", "the middle page");
    cb_check_vma(last, last, NULL, "rw-p", "the last page");
    cb_check_pattern(r, 3 * CB_PAGE, 1, 0, "all three pages readable after the split");
    /* raw syscall: musl's mprotect() rounds the address down to a page boundary itself */
    cb_check_ret(cb_syscall(SYS_mprotect, (long)(mid + 1), CB_PAGE, PROT_READ, 0, 0, 0), -EINVAL,
                 "mprotect with an unaligned address fails with EINVAL");

    pid_t pid = cb_fork("writing the outer pages");
    if (pid == 0) {
        cb_child_begin("outer writer", 0);
        r[0] = 'x';
        last[CB_PAGE - 1] = 'y';
        CHECK(r[0] == 'x' && last[CB_PAGE - 1] == 'y', "writes to the outer pages");
        cb_child_exit();
    }
    if (pid > 0)
        cb_expect_exit(pid, 0, "a child writes the outer read-write pages of COW-shared memory");

    pid = cb_fork("writing the read-only page");
    if (pid == 0) {
        r[8] = 'z';                         /* breaks COW on the first page first */
        ((volatile char *)mid)[16] = 'z';   /* must kill this child */
        _exit(0);
    }
    if (pid > 0)
        cb_expect_signal(pid, SIGSEGV, "a child writing the read-only middle page is killed by SIGSEGV");
    cb_check_pattern(r, 3 * CB_PAGE, 1, 0, "the parent's pages are unchanged by the killed child");

    cb_check_ret(mprotect(mid, CB_PAGE, PROT_NONE), 0, "mprotect(middle page, PROT_NONE)");
    cb_check_vma(mid, mid, last, "---p", "the middle page");
    pid = cb_fork("reading the PROT_NONE page");
    if (pid == 0) {
        volatile char c = ((volatile char *)mid)[0];
        (void)c;
        _exit(0);
    }
    if (pid > 0)
        cb_expect_signal(pid, SIGSEGV, "a child reading the PROT_NONE middle page is killed by SIGSEGV");

    cb_check_ret(mprotect(r, 3 * CB_PAGE, PROT_READ | PROT_WRITE), 0, "mprotect(whole region, read-write)");
    cb_check_vma(mid, NULL, NULL, "rw-p", "the whole region again");
    {
        struct cb_vma v;
        CHECK(cb_find_vma(mid, &v) && v.start <= (unsigned long)r && v.end >= (unsigned long)(r + 3 * CB_PAGE),
              "/proc/self/maps: the three pieces merged back into one VMA");
    }
    cb_check_pattern(r, 3 * CB_PAGE, 1, 0, "contents survived PROT_READ and PROT_NONE");
    cb_fill(mid, CB_PAGE, 2, CB_PAGE);
    cb_check_pattern(mid, CB_PAGE, 2, CB_PAGE, "the middle page is writable again");

    cb_check_ret(mprotect(r, CB_PAGE, PROT_READ), 0, "mprotect(first page, PROT_READ) after a fork");
    pid = cb_fork("writing after the parent's mprotect");
    if (pid == 0) {
        ((volatile char *)r)[0] = 1;
        _exit(0);
    }
    if (pid > 0)
        cb_expect_signal(pid, SIGSEGV, "a child inherits the read-only protection");
    return cb_end();
}
