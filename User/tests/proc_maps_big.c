/*
 * proc_maps_big: /proc/self/maps of a process with 25,000 VMAs (every other page of a region made
 * read-only), about 2 MB of text. The kernel must produce it page by page as it is read: read in
 * 4 KiB, 1000-byte and 1 MiB pieces, the file describes every VMA of the region exactly once, in
 * order, with the right permissions. Also reads after the region changed between two reads.
 */
#define _GNU_SOURCE
#include "cbtest.h"

#define VMAS 25000UL
#define BIG (3UL << 20)

static char text[BIG];

/* Reads /proc/self/maps with reads of `piece` bytes into `text`. Returns its length or -errno. */
static long read_maps(size_t piece)
{
    long fd = cb_syscall(SYS_open, (long)"/proc/self/maps", O_RDONLY, 0, 0, 0, 0);
    if (fd < 0)
        return fd;
    size_t len = 0;
    for (;;) {
        size_t want = piece < BIG - 1 - len ? piece : BIG - 1 - len;
        if (want == 0)
            break;
        long n = cb_syscall(SYS_read, fd, (long)(text + len), (long)want, 0, 0, 0);
        if (n < 0) {
            cb_syscall(SYS_close, fd, 0, 0, 0, 0, 0);
            return n;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    text[len] = 0;
    cb_syscall(SYS_close, fd, 0, 0, 0, 0, 0);
    return (long)len;
}

/* Counts the lines of `text` that describe the region's VMAs, and checks they cover it page by
   page in order, alternating rw-p / r--p from `first_perms`. Returns the count, -1 if out of order. */
static long region_lines(unsigned long base, const char *first_perms)
{
    long count = 0;
    unsigned long expect = base;
    for (const char *line = text; line && *line; ) {
        const char *p = line;
        unsigned long start = cb_parse_hex(&p);
        p++;
        unsigned long end = cb_parse_hex(&p);
        p++;
        if (start >= base && start < base + VMAS * CB_PAGE) {
            const char *want = (count % 2 == 0) ? first_perms : (first_perms[1] == 'w' ? "r--p" : "rw-p");
            if (start != expect || end != start + CB_PAGE || strncmp(p, want, 4) != 0)
                return -1;
            expect = end;
            count++;
        }
        line = strchr(line, '\n');
        if (line)
            line++;
    }
    return count;
}

int main(void)
{
    cb_begin("proc_maps_big");
    size_t pages = VMAS;
    /* A fixed place with nothing around it, so the region's ends merge with nothing. */
    char *r = mmap((void *)0x600000000UL, pages * CB_PAGE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (!CHECK(r != MAP_FAILED, "mmap of %zu pages", pages))
        return cb_end();
    int ok = 1;
    for (size_t i = 1; i < pages && ok; i += 2)
        ok = mprotect(r + i * CB_PAGE, CB_PAGE, PROT_READ) == 0;
    if (!CHECK(ok, "mprotect of every other page (%lu VMAs)", VMAS))
        return cb_end();

    const size_t pieces[] = { 4096, 1000, 1UL << 20 };
    for (unsigned i = 0; i < 3; i++) {
        long len = read_maps(pieces[i]);
        CHECK(len > (long)(VMAS * 40), "/proc/self/maps read in %zu-byte pieces is over %lu bytes", pieces[i], VMAS * 40);
        long lines = region_lines((unsigned long)r, "rw-p");
        cb_check_ret(lines, (long)VMAS, "it lists each of the region's %lu VMAs once, in order (%zu-byte pieces)", VMAS, pieces[i]);
    }

    /* A change between two reads shows in what is read after it. */
    long fd = cb_syscall(SYS_open, (long)"/proc/self/maps", O_RDONLY, 0, 0, 0, 0);
    long first = cb_syscall(SYS_read, fd, (long)text, 4096, 0, 0, 0);
    CHECK(first > 0 && first <= 4096, "a first 4 KiB read");
    CHECK(mprotect(r, pages * CB_PAGE, PROT_READ) == 0, "mprotect of the whole region merges it into one VMA");
    long rest = 0, n;
    while ((n = cb_syscall(SYS_read, fd, (long)(text + rest), 65536, 0, 0, 0)) > 0)
        rest += n;
    cb_syscall(SYS_close, fd, 0, 0, 0, 0, 0);
    CHECK(rest < 65536, "the rest of the file is short now that the region is one VMA");
    long len = read_maps(4096);
    CHECK(len > 0 && len < 65536, "a new read describes the merged region");
    CHECK(munmap(r, pages * CB_PAGE) == 0, "munmap of the region");
    return cb_end();
}
