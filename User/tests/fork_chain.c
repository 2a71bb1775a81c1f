/*
 * fork_chain: a chain of 10 processes, each the child of the previous one.
 * Level k checks that it sees the data of levels 0..k-1 (each wrote one page before forking),
 * that the pages of deeper levels still hold the original fill, and that getppid() is its
 * parent; it then writes its own page, forks level k+1, waits for it, and checks that nothing
 * the descendants wrote reached its own view. Every page ends up shared by up to 10 address
 * spaces, each with its own mix of copies - the case Linux's anon_vma chains were made for.
 * With --assert-rmap (Cowbird): the reverse map's live metadata, /proc/vmstat rmap_objects and
 * rmap_bytes, is exactly back where it started once the whole chain has exited.
 */
#include "cbtest.h"

#define DEPTH 10

static uint64_t level_seed(int level) { return 100 + level; }

/* Checks the view of one level: pages < upto hold their level's data, the rest the original fill. */
static void check_view(char *pages, int upto, const char *when)
{
    int bad_page = -1;
    for (int p = DEPTH - 1; p >= 0; p--) {
        uint64_t seed = p < upto ? level_seed(p) : 0;
        if (cb_verify(pages + p * CB_PAGE, CB_PAGE, seed, p * CB_PAGE, NULL) != 0)
            bad_page = p;
    }
    char detail[64];
    snprintf(detail, sizeof detail, "page %d is wrong", bad_page);
    cb_check_detail(bad_page < 0, detail, "%s: the first %d pages hold their levels' data, the rest the original fill",
                    when, upto);
}

/* Runs level `level` of the chain (level 0 is the original process). Returns its exit status. */
static int run_level(int level, char *pages, pid_t parent)
{
    if (level > 0)
        cb_child_begin("level", level);
    if (level > 0)
        cb_check_ret(getppid(), parent, "getppid is the previous level");
    check_view(pages, level, "before writing");
    cb_fill(pages + level * CB_PAGE, CB_PAGE, level_seed(level), level * CB_PAGE);
    if (level + 1 < DEPTH) {
        pid_t self = getpid();
        pid_t pid = fork();
        if (pid == 0)
            _exit(run_level(level + 1, pages, self));
        if (pid < 0)
            cb_check(0, "fork of level %d", level + 1);
        else
            cb_expect_exit(pid, 0, "levels %d..%d each saw their ancestors' data and only their own writes",
                           level + 1, DEPTH - 1);
    }
    check_view(pages, level + 1, "after the descendants exited");
    return cb_failed == 0 ? 0 : 1;
}

/* The reverse map's live metadata from /proc/vmstat; 0 when the kernel has no such counters. */
static int read_rmap_metadata(long *objects, long *bytes)
{
    return cb_vmstat("rmap_objects", objects) && cb_vmstat("rmap_bytes", bytes);
}

int main(int argc, char **argv)
{
    cb_begin("fork_chain");
    int assert_rmap = argc > 1 && strcmp(argv[1], "--assert-rmap") == 0;
    char *pages = cb_map_private(DEPTH);
    if (!pages)
        return cb_end();
    cb_fill(pages, DEPTH * CB_PAGE, 0, 0);
    long objects_before = 0, bytes_before = 0;
    int have_before = read_rmap_metadata(&objects_before, &bytes_before);
    run_level(0, pages, getppid());
    if (assert_rmap) {
        long objects_after = 0, bytes_after = 0;
        int have_after = read_rmap_metadata(&objects_after, &bytes_after);
        cb_check(have_before && have_after && objects_after == objects_before && bytes_after == bytes_before,
                 "the reverse map's metadata is back where it started once the chain exited "
                 "(rmap_objects %ld -> %ld, rmap_bytes %ld -> %ld)",
                 objects_before, objects_after, bytes_before, bytes_after);
    }
    return cb_end();
}
