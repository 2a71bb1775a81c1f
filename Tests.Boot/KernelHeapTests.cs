using System;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Cowbird.Tests.Boot
{
    // The kernel heap at its limits, seen from user programs: kernel objects (VMAs, anon_vma
    // chains) that cannot be had give the system call ENOMEM (or the OOM killer runs), never a
    // panic; with swap the heap grows by reclaiming user pages; after a child with tens of
    // thousands of VMAs exits, the heap gives its memory back (MemFree returns) and the next
    // program runs.
    public sealed class KernelHeapTests
    {
        private static readonly string[] NoArgs = Array.Empty<string>();
        private static readonly TimeSpan HostLimit = TimeSpan.FromMinutes(11);

        private readonly ITestOutputHelper log;

        public KernelHeapTests(ITestOutputHelper log) => this.log = log;

        // C shared by both programs. scenario(f) runs f in a child and prints how the child
        // ended, whether MemFree came back to its value before the child, and how a later
        // child that maps, touches and splits memory ended. split(n, &region) makes n
        // one-page mprotect calls on every other page of an untouched region (each call adds
        // two VMAs); it returns the number that succeeded and leaves errno set by the first
        // failure. memfree_kb() reads /proc/meminfo.
        private const string Common = @"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
static long memfree_kb(void) {
    static char text[4096]; long value = -1;
    int fd = open(""/proc/meminfo"", O_RDONLY);
    if (fd < 0) return -1;
    long n = read(fd, text, sizeof text - 1); close(fd);
    text[n > 0 ? n : 0] = 0;
    char *p = strstr(text, ""MemFree:"");
    if (p) sscanf(p + 8, "" %ld"", &value);
    return value;
}
static long split(long calls, char **region) {
    char *r = mmap(0, (size_t)calls * 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (r == MAP_FAILED) return -1;
    *region = r;
    for (long i = 0; i < calls; i++)
        if (mprotect(r + i * 8192, 4096, PROT_READ) != 0) return i;
    return calls;
}
static void run_child(const char *what, int (*body)(void)) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) exit(body());
    int status = 0;
    waitpid(pid, &status, 0);
    printf(""%s %s %d\n"", what, WIFSIGNALED(status) ? ""killed by signal"" : ""exited"",
           WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
}
static int later_program(void) {
    char *p = mmap(0, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return 1;
    for (int i = 0; i < (1 << 20); i += 4096) p[i] = 1;
    char *r;
    return split(100, &r) == 100 ? 0 : 2;
}
static int scenario(int (*child)(void)) {
    long before = memfree_kb();
    run_child(""child"", child);
    long after = memfree_kb();
    printf(""INFO MemFree before %ld kB, after %ld kB\n"", before, after);
    printf(""MemFree %s\n"", after >= before - 1024 ? ""back"" : ""LOW"");
    run_child(""later child"", later_program);
    return 0;
}";

        // Compiles `name` (Common + `childSource`, whose child body is `child`) and runs it
        // with the runner `options`; the kernel must survive (status 0, not 125).
        private ProcessTestHarness.Run RunScenario(string name, string childSource, string child, params string[] options)
        {
            string program = ProcessTestHarness.Compile(name, Common + childSource + "int main(void) { return scenario(" + child + "); }\n");
            ProcessTestHarness.Run run = ProcessTestHarness.RunOnCowbird(
                options.Concat(new[] { "--timeout", "600" }), program, NoArgs, hostLimit: HostLimit);
            log.WriteLine(run.Describe());
            Assert.True(run.ExitCode == 0, run.Describe());
            return run;
        }

        // No swap: the child touches memory until less than 1 MiB is free, then splits VMAs.
        // The kernel heap soon needs more memory than is free and nothing can be reclaimed,
        // so mprotect fails with ENOMEM, well before the 65530 map-count limit (each call
        // adds two VMAs; 30,000 calls would be near that limit). munmap may use half of the
        // heap's reserve, so one-page munmaps that split the rest of the region go on a
        // while, then fail with ENOMEM instead of emptying the reserve. fork, whose headroom
        // grows with the VMA count, fails with ENOMEM too. Writing a page never touched (its fault
        // needs an anon_vma and a frame) brings the OOM killer, which kills the child, the
        // biggest process.
        [Fact]
        public void WithRamFullSplitsMunmapAndForkGiveEnomemAndAFaultBringsTheOomKiller()
        {
            ProcessTestHarness.Run run = RunScenario("heapfull", @"
static int fill_then_split(void) {
    while (memfree_kb() > 1024) {
        char *p = mmap(0, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) return 6;
        for (int i = 0; i < (1 << 20); i += 4096) p[i] = 1;
    }
    char *r;
    long done = split(200000, &r);
    int error = errno;
    printf(""INFO %ld mprotect calls succeeded\n"", done);
    printf(""mprotect: %s\n"", done == 200000 ? ""no error"" : done >= 30000 ? ""failed late"" : strerror(error));
    fflush(stdout);
    long k = 0;
    while (k < 50000 && munmap(r + (done + 10 + 2 * k) * 8192, 4096) == 0)
        k++;
    printf(""munmap: %s\n"", k == 50000 ? ""no error"" : strerror(errno));
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) _exit(0);
    printf(""fork: %s\n"", pid > 0 ? ""succeeded"" : strerror(errno));
    fflush(stdout);
    r[4096] = 1;
    return 0;
}
", "fill_then_split", "--mem", "64");
            Assert.Matches(@"^INFO \d+ mprotect calls succeeded\nmprotect: Out of memory\nmunmap: Out of memory\nfork: Out of memory\n" +
                @"child killed by signal 9\nINFO MemFree [^\n]*\nMemFree back\nlater child exited 0\n$", run.StdoutText);
            Assert.Matches(@"Out of memory: Killed process 2 \(heapfull\)", run.KernelLog);
        }

        // Swap pressure first (96 MiB touched in 64 MiB of RAM), then 30,000 one-page mprotect
        // calls (60,000 VMAs' worth of kernel objects, just under vm.max_map_count, some
        // 12 MiB of heap): the heap grows by reclaiming user pages, so every call succeeds
        // and the touched data survives.
        // After the child exits, its kernel objects' memory goes back to the frame allocator.
        [Fact]
        public void SixtyThousandVmasUnderSwapPressureSucceedAndTheHeapShrinksAfterExit()
        {
            ProcessTestHarness.Run run = RunScenario("heapswap", @"
static int pressure_then_split(void) {
    long bytes = 96L << 20;
    char *p = mmap(0, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return 6;
    for (long i = 0; i < bytes; i += 4096) p[i] = (char)(i >> 12);
    char *r;
    long done = split(30000, &r);
    if (done != 30000) { printf(""split stopped after %ld calls: %s\n"", done, strerror(errno)); return 3; }
    for (long i = 0; i < bytes; i += 4096)
        if (p[i] != (char)(i >> 12)) return 4;
    return 0;
}
", "pressure_then_split", "--mem", "64", "--swap", "256");
            Assert.Matches(@"^child exited 0\nINFO MemFree [^\n]*\nMemFree back\nlater child exited 0\n$", run.StdoutText);
        }
    }
}
