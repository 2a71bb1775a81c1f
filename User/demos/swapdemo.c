/*
 * swapdemo: swap at work. A region larger than RAM (default 96 MiB, or argument 1 in MiB) is
 * filled with a pattern, then read back and checked. With little RAM (try
 * `./build.sh run --mem 64 --swap 384 -- User/out/swapdemo`) filling pushes older pages out to the
 * swap disk (pswpout) and reading them back brings them in again (pswpin); /proc/meminfo shows
 * swap space being used. When the region is larger than all of RAM (MemTotal) and there is swap,
 * the pages cannot all have stayed resident: the demo then fails unless pswpout grew while filling
 * and pswpin while reading back (on a large host the region fits in RAM and this is not checked).
 * Where /proc/vmstat has Cowbird's swap_write_commands and swap_read_commands (Linux has no such
 * counters), it also prints how many disk commands moved those pages: swap I/O is batched, so a
 * sequential fill and read-back move several pages per command.
 */
#include "cbtest.h"
#include <stdlib.h>

/* "  filling: 24576 pages written in 800 swap commands" when the kernel counts its swap
 * commands (`pages_name` and `commands_name` in /proc/vmstat); nothing otherwise. */
static void print_swap_commands(const char *label, const char *verb, const char *pages_name,
                                const char *commands_name, long pages_before, long commands_before)
{
    long pages, commands;
    if (commands_before >= 0 && cb_vmstat(pages_name, &pages) && cb_vmstat(commands_name, &commands))
        cb_print("%s: %ld pages %s in %ld swap commands", label, pages - pages_before, verb,
                 commands - commands_before);
}

/* The value of vmstat counter `name`, or -1 when the kernel has none. */
static long vmstat_or_none(const char *name)
{
    long value;
    return cb_vmstat(name, &value) ? value : -1;
}

int main(int argc, char **argv)
{
    size_t mib = argc > 1 ? (size_t)atol(argv[1]) : 96;
    size_t size = mib << 20;
    long mem_total_kb = 0, swap_total_kb = 0;
    int must_swap = cb_meminfo_kb("MemTotal", &mem_total_kb) && cb_meminfo_kb("SwapTotal", &swap_total_kb) &&
                    swap_total_kb > 0 && (long)(size >> 10) > mem_total_kb;
    cb_print_meminfo("swapdemo: at start");
    char *r = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (r == MAP_FAILED) {
        cb_print("swapdemo: mmap of %zu MiB failed", mib);
        return 1;
    }
    struct cb_counters c0 = cb_read_counters();
    long writes0 = vmstat_or_none("swap_write_commands");
    cb_fill(r, size, 7, 0);
    struct cb_counters c1 = cb_read_counters();
    long reads1 = vmstat_or_none("swap_read_commands");
    cb_print("swapdemo: filled %zu MiB with a pattern", mib);
    cb_print_counter_deltas("  filling", c0, c1);
    print_swap_commands("  filling", "written", "pswpout", "swap_write_commands", c0.pswpout, writes0);
    cb_print_meminfo("  after filling");

    size_t bad = cb_verify(r, size, 7, 0, NULL);
    struct cb_counters c2 = cb_read_counters();
    cb_print("swapdemo: read back %zu MiB: %s", mib, bad == 0 ? "every word correct" : "WRONG WORDS (a bug)");
    cb_print_counter_deltas("  reading back", c1, c2);
    print_swap_commands("  reading back", "read", "pswpin", "swap_read_commands", c1.pswpin, reads1);
    munmap(r, size);
    cb_print_meminfo("  after munmap");
    int swapped = c1.have_pswpout && c1.pswpout > c0.pswpout && c2.have_pswpin && c2.pswpin > c1.pswpin;
    if (must_swap)
        cb_print("swapdemo: the region exceeds RAM, so pages went to swap and came back: %s",
                 swapped ? "yes (pswpout and pswpin grew)" : "NO (pswpout or pswpin did not grow: a bug)");
    return bad == 0 && (swapped || !must_swap) ? 0 : 1;
}
