using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace Cowbird.Tests.Boot
{
    // Kernel-level process behaviour seen from user programs run through the runner:
    // exec errors (-EACCES for a file without an execute bit or a directory, -ENOENT, leave
    // the caller intact), an executable that is not an ELF as init (-ENOEXEC), the one log
    // line per unknown syscall, the OOM killer (without swap, and with a swap disk that
    // fills up).
    public sealed class ProcessKernelTests
    {
        private readonly ITestOutputHelper log;

        public ProcessKernelTests(ITestOutputHelper log) => this.log = log;

        [Fact]
        public void ExecErrorsLeaveTheCallerIntactAndExecWorks()
        {
            string program = ProcessTestHarness.Compile("execer", @"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
static int data = 1234;
static void try(const char *path) {
    char *argv[] = { ""x"", 0 };
    long r = syscall(SYS_execve, path, argv, (char *[]){ 0 });
    printf(""%s: %s\n"", path, r == -1 ? strerror(errno) : ""returned"");
}
int main(int argc, char **argv) {
    if (argc == 3) { printf(""new image: argc=%d %s %s data=%d\n"", argc, argv[1], argv[2], data); return 5; }
    data = 99;
    try(""/etc/init.argv"");
    try(""/bin"");
    try(""/no/such/file"");
    printf(""still here: data=%d\n"", data);
    fflush(stdout);
    char *args[] = { ""execer"", ""a"", ""b"", 0 };
    execve(""/bin/execer"", args, (char *[]){ ""HOME=/"", 0 });
    return 1;
}");
            ProcessTestHarness.Run run = ProcessTestHarness.RunOnCowbird(program);
            log.WriteLine(run.Describe());
            Assert.True(run.ExitCode == 5, run.Describe());
            Assert.Equal(
                "/etc/init.argv: Permission denied\n" +
                "/bin: Permission denied\n" +
                "/no/such/file: No such file or directory\n" +
                "still here: data=99\n" +
                "new image: argc=3 a b data=1234\n", run.StdoutText);
        }

        [Fact]
        public void InitThatIsNotAnElfIsReported()
        {
            // Text without a "#!" line: neither an ELF file nor a script, so execve's ENOEXEC.
            string notElf = ProcessTestHarness.WriteFile("notelf.txt", "echo not an ELF file\n");
            // Executable, as a script would be: without an execute bit it is EACCES, not ENOEXEC.
            if (!OperatingSystem.IsWindows())    // the boot tests run on Linux; this satisfies the analyzer
                File.SetUnixFileMode(notElf, File.GetUnixFileMode(notElf) | UnixFileMode.UserExecute);
            ProcessTestHarness.Run run = ProcessTestHarness.RunOnCowbird(notElf);
            Assert.True(run.ExitCode == 127, run.Describe());
            Assert.Contains("init: cannot start /bin/notelf.txt: error 8", run.KernelLog);
        }

        [Fact]
        public void UnknownSyscallGivesEnosysAndOneLogLine()
        {
            string program = ProcessTestHarness.Compile("unknown", @"
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
int main(void) {
    long r = syscall(999, 1, 2, 3);
    printf(""%ld %d\n"", r, errno);
    long f = syscall(202, 0, 0, 0, 0, 0, 0);
    return r == -1 && errno == ENOSYS && f == -1 ? 0 : 1;
}");
            ProcessTestHarness.Run run = ProcessTestHarness.RunOnCowbird(program);
            Assert.True(run.ExitCode == 0, run.Describe());
            Assert.Equal("-1 38\n", run.StdoutText);
            Assert.Single(Regex.Matches(run.KernelLog, @"(?m)^unknown\[1\]: unknown syscall 999 -> ENOSYS$"));
            Assert.Single(Regex.Matches(run.KernelLog, @"(?m)^unknown\[1\]: unknown syscall 202 \(futex\) -> ENOSYS$"));
        }

        // The kernel's messages are kept for syslog(2): a line the kernel logs is in READ_ALL
        // with its level and time, CLEAR hides what came before from READ_ALL, READ gives each
        // byte once (SIZE_UNREAD counts them), and READ_CLEAR reads then clears.
        [Fact]
        public void KernelMessagesAreKeptForDmesg()
        {
            string program = ProcessTestHarness.Compile("dmesgcheck", @"
#include <regex.h>
#include <stdio.h>
#include <string.h>
#include <sys/klog.h>
#include <unistd.h>
static char text[131072];
static int read_all(void) { int n = klogctl(3, text, sizeof text - 1); text[n > 0 ? n : 0] = 0; return n; }
int main(void) {
    syscall(997);
    read_all();
    regex_t line;
    regcomp(&line, ""^<6>\\[ *[0-9]+\\.[0-9]{6}\\] dmesgcheck\\[1\\]: unknown syscall 997 -> ENOSYS$"", REG_EXTENDED | REG_NEWLINE);
    printf(""logged: %s\n"", regexec(&line, text, 0, 0, 0) == 0 ? ""yes"" : ""no"");
    printf(""clear: %d\n"", klogctl(5, 0, 0));
    syscall(998);
    read_all();
    printf(""after clear: 997 %s, 998 %s\n"", strstr(text, ""syscall 997"") ? ""shown"" : ""gone"", strstr(text, ""syscall 998"") ? ""shown"" : ""gone"");
    while (klogctl(9, 0, 0) > 0) klogctl(2, text, sizeof text);
    printf(""unread after reading: %d\n"", klogctl(9, 0, 0));
    syscall(996);
    int unread = klogctl(9, 0, 0);
    int got = klogctl(2, text, sizeof text);
    text[got > 0 ? got : 0] = 0;
    printf(""read gives the new line: %s\n"", got == unread && strstr(text, ""syscall 996"") ? ""yes"" : ""no"");
    int n = klogctl(4, text, sizeof text);
    printf(""read-clear: %s, then %d\n"", n > 0 ? ""bytes"" : ""none"", klogctl(3, text, sizeof text));
    return 0;
}");
            ProcessTestHarness.Run run = ProcessTestHarness.RunOnCowbird(program);
            log.WriteLine(run.Describe());
            Assert.True(run.ExitCode == 0, run.Describe());
            Assert.Equal(
                "logged: yes\n" +
                "clear: 0\n" +
                "after clear: 997 gone, 998 shown\n" +
                "unread after reading: 0\n" +
                "read gives the new line: yes\n" +
                "read-clear: bytes, then 0\n", run.StdoutText);
        }

        // C for the OOM tests: run_hog_child forks a child that maps and touches 1 MiB after
        // 1 MiB until it is killed (or mmap fails: exit status 2), waits for it and prints
        // "child killed by signal N" or "child exited N".
        private const string HogChild = @"
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
static void run_hog_child(void) {
    pid_t pid = fork();
    if (pid == 0) {
        for (;;) {
            char *p = mmap(0, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (p == MAP_FAILED) exit(2);
            for (int i = 0; i < (1 << 20); i += 4096) p[i] = 1;
        }
    }
    int status = 0;
    waitpid(pid, &status, 0);
    printf(""child %s %d\n"", WIFSIGNALED(status) ? ""killed by signal"" : ""exited"",
           WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
}";

        [Fact]
        public void OutOfMemoryKillsTheBiggestProcessAndTheKernelKeepsRunning()
        {
            string program = ProcessTestHarness.Compile("hogparent", HogChild + @"
int main(void) {
    run_hog_child();
    return 0;
}");
            ProcessTestHarness.Run run = ProcessTestHarness.RunOnCowbird(new[] { "--mem", "64" }, program, Array.Empty<string>());
            log.WriteLine(run.Describe());
            Assert.True(run.ExitCode == 0, run.Describe());
            Assert.Equal("child killed by signal 9\n", run.StdoutText);
            Assert.Matches(@"Out of memory: Killed process 2 \(hogparent\)", run.KernelLog);
        }

        // The same with a swap disk too small for the hog: reclaim fills swap first (pswpout
        // grows), then nothing more can be freed and the OOM killer picks the hog. The parent,
        // whose own pages may have been swapped out meanwhile, reads them back intact.
        [Fact]
        public void OutOfMemoryWithSwapFullKillsTheHogAndTheParentKeepsItsData()
        {
            string program = ProcessTestHarness.Compile("swaphog", HogChild + @"
#include <fcntl.h>
#include <string.h>
static long vmstat(const char *name) {
    static char text[8192]; long value = -1, n;
    int fd = open(""/proc/vmstat"", O_RDONLY);
    if (fd < 0) return -1;
    n = read(fd, text, sizeof text - 1); close(fd);
    text[n > 0 ? n : 0] = 0;
    char *p = strstr(text, name);
    if (p) sscanf(p + strlen(name), "" %ld"", &value);
    return value;
}
int main(void) {
    static char mine[8 << 20];
    for (size_t i = 0; i < sizeof mine; i++) mine[i] = (char)(i * 7);
    run_hog_child();
    size_t bad = 0;
    for (size_t i = 0; i < sizeof mine; i++) bad += mine[i] != (char)(i * 7);
    printf(""parent data %s; pswpout %s\n"", bad ? ""CORRUPT"" : ""intact"", vmstat(""pswpout"") > 0 ? ""> 0"" : ""0"");
    return 0;
}");
            ProcessTestHarness.Run run = ProcessTestHarness.RunOnCowbird(new[] { "--mem", "64", "--swap", "16" }, program, Array.Empty<string>());
            log.WriteLine(run.Describe());
            Assert.True(run.ExitCode == 0, run.Describe());
            Assert.Equal("child killed by signal 9\nparent data intact; pswpout > 0\n", run.StdoutText);
            Assert.Matches(@"swap: AHCI port 0 .*: swap on", run.KernelLog);
            Assert.Matches(@"Out of memory: Killed process 2 \(swaphog\)", run.KernelLog);
        }

        // A swap slot that cannot be read back: QEMU's blkdebug fails every read (iotype: the
        // writes succeed) of slots 1..64 of the swap disk (the runner's COWBIRD_SWAP_BLKDEBUG).
        // The first pages swapped out go to those slots (region pages, or code pages not in the
        // fill loop), so the next touch of one of them faults on an unreadable slot: the fault
        // is SIGBUS (runner status 128 + 7) with one "bus error" line, never a kernel panic.
        // The same on both swap buses: each driver logs the failed command its own way.
        [Theory]
        [InlineData("ahci", @"ahci: port 0: command error, status 0x41, error 0x4")]
        [InlineData("ide", @"ata: primary master: read of 8 sectors at LBA \d+ failed")]
        public void UnreadableSwapSlotKillsTheProcessWithSigbus(string bus, string failedRead)
        {
            string program = ProcessTestHarness.Compile("badswap", @"
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>
int main(void) {
    size_t size = 96 << 20;
    char *p = mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return 2;
    for (size_t i = 0; i < size; i += 4096) p[i] = (char)(i >> 12);
    printf(""filled\n"");
    fflush(stdout);
    size_t bad = 0;
    for (size_t i = 0; i < size; i += 4096) bad += p[i] != (char)(i >> 12);
    printf(""read back, %zu bad pages\n"", bad);
    return 0;
}");
            var rules = new StringBuilder();
            for (int slot = 1; slot <= 64; slot++)
                rules.Append($"[inject-error]\nevent = \"read_aio\"\niotype = \"read\"\nerrno = \"5\"\nsector = \"{slot * 8}\"\nonce = \"off\"\n\n");
            string config = ProcessTestHarness.WriteFile("badswap.conf", rules.ToString());
            ProcessTestHarness.Run run = ProcessTestHarness.RunOnCowbird(new[] { "--mem", "64", "--swap", "128", "--swap-bus", bus }, program,
                Array.Empty<string>(), new Dictionary<string, string> { ["COWBIRD_SWAP_BLKDEBUG"] = config });
            log.WriteLine(run.Describe());
            Assert.True(run.ExitCode == 128 + 7, run.Describe());
            Assert.DoesNotContain("read back", run.StdoutText);   // killed before it finished (any page: code or data)
            Assert.Matches(failedRead, run.KernelLog);
            Assert.Matches(@"(?m)^badswap\[1\]: bus error at [0-9a-f]+ ip 0x[0-9a-f]+ sp 0x[0-9a-f]+ error \d+ \(swap read failed\)$", run.KernelLog);
            Assert.Contains("COWBIRD-EXIT signal=7", run.KernelLog);
        }

        // Swap I/O is batched on both buses: a sequential fill of 96 MiB in 64 MiB of RAM and its
        // read-back move at least two pages per disk command on average (reclaim writes runs
        // of up to 32 consecutive slots, read-ahead reads its 8-slot window), as /proc/vmstat's
        // pswpout/swap_write_commands and pswpin/swap_read_commands count them: no timing.
        [Theory]
        [InlineData("ahci")]
        [InlineData("ide")]
        public void SwapIoMovesSeveralPagesPerCommand(string bus)
        {
            string program = ProcessTestHarness.Compile("swapbatch", @"
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
" + VmstatCounter + @"
int main(void) {
    size_t size = 96 << 20;
    char *p = mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return 2;
    long out0 = counter(""pswpout""), writes0 = counter(""swap_write_commands"");
    for (size_t i = 0; i < size; i += 4096) p[i] = (char)(i >> 12);
    long in1 = counter(""pswpin""), reads1 = counter(""swap_read_commands"");
    printf(""written %ld pages in %ld commands\n"", counter(""pswpout"") - out0, counter(""swap_write_commands"") - writes0);
    size_t bad = 0;
    for (size_t i = 0; i < size; i += 4096) bad += p[i] != (char)(i >> 12);
    printf(""read %ld pages in %ld commands\n"", counter(""pswpin"") - in1, counter(""swap_read_commands"") - reads1);
    printf(""%zu bad pages\n"", bad);
    return bad != 0;
}");
            ProcessTestHarness.Run run = ProcessTestHarness.RunOnCowbird(new[] { "--mem", "64", "--swap", "384", "--swap-bus", bus }, program,
                Array.Empty<string>());
            log.WriteLine(run.Describe());
            Assert.True(run.ExitCode == 0, run.Describe());
            Assert.Contains("\n0 bad pages\n", "\n" + run.StdoutText);
            foreach (string verb in new[] { "written", "read" })
            {
                Match line = Regex.Match(run.StdoutText, $@"(?m)^{verb} (\d+) pages in (\d+) commands$");
                Assert.True(line.Success, run.Describe());
                long pages = long.Parse(line.Groups[1].Value), commands = long.Parse(line.Groups[2].Value);
                Assert.True(commands > 0 && pages >= 2 * commands, $"{bus}: {verb} {pages} pages in {commands} commands");
            }
        }

        // A C function for the test programs: counter(""name"") reads one /proc/vmstat figure.
        private const string VmstatCounter = @"
static long counter(const char *name) {
    char line[128]; long value = -1; size_t n = strlen(name);
    FILE *f = fopen(""/proc/vmstat"", ""r"");
    if (!f) return -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, name, n) == 0 && line[n] == ' ') sscanf(line + n, ""%ld"", &value);
    fclose(f);
    return value;
}";

        // A process waiting for swap I/O lets the others run: a child that only computes (no
        // system call, no fault: it counts in a shared page) advances while its parent's page
        // faults wait for swap reads. The disk is throttled to 200 commands a second, so each
        // read takes about 5 ms of the host's time, long enough for the child to be scheduled
        // even when QEMU shares a loaded host. Before each fault the parent yields, so it starts
        // the fault with a fresh time slice (20 ms) and is not preempted at the fault's end:
        // a kernel that busy-waits for the disk shows the counter still across almost every
        // fault, a sleeping one shows it advanced across almost every fault that read swap.
        // Counts, not times: the counter must advance across at least a quarter of the 128
        // faults (a busy-waiting kernel gives almost none), and at least half of them must
        // have read swap.
        [Fact]
        public void ComputingProcessRunsWhileAnotherWaitsForSwap()
        {
            string program = ProcessTestHarness.Compile("swapsleep", @"
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
" + VmstatCounter + @"
int main(void) {
    volatile unsigned long *count = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (count == MAP_FAILED) return 2;
    pid_t child = fork();
    if (child == 0)
        for (;;) (*count)++;
    size_t size = 96 << 20, stride = 64 << 12;
    char *p = mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return 2;
    for (size_t i = 0; i < size; i += 4096) p[i] = (char)(i >> 12);
    long reads0 = counter(""swap_read_commands"");
    int faults = 0, advanced = 0, bad = 0;
    for (size_t i = 0; faults < 128; i += stride, faults++) {
        sched_yield();
        unsigned long before = *count;
        bad += p[i] != (char)(i >> 12);
        advanced += *count != before;
    }
    long reads = counter(""swap_read_commands"") - reads0;
    kill(child, SIGKILL);
    waitpid(child, 0, 0);
    printf(""%d faults, %ld swap reads, counter advanced across %d, %d bad pages\n"", faults, reads, advanced, bad);
    return bad != 0;
}");
            ProcessTestHarness.Run run = ProcessTestHarness.RunOnCowbird(new[] { "--mem", "64", "--swap", "384", "--timeout", "600" }, program,
                Array.Empty<string>(), new Dictionary<string, string> { ["COWBIRD_SWAP_IOPS"] = "200" });
            log.WriteLine(run.Describe());
            Assert.True(run.ExitCode == 0, run.Describe());
            Match line = Regex.Match(run.StdoutText, @"(?m)^(\d+) faults, (\d+) swap reads, counter advanced across (\d+), 0 bad pages$");
            Assert.True(line.Success, run.Describe());
            int faults = int.Parse(line.Groups[1].Value), reads = int.Parse(line.Groups[2].Value), advanced = int.Parse(line.Groups[3].Value);
            Assert.True(reads >= faults / 2, $"only {reads} swap reads in {faults} faults: the memory was not swapped out");
            Assert.True(advanced >= faults / 4, $"the computing process advanced across {advanced} of {faults} faults ({reads} swap reads)");
            Assert.Matches(@"ahci: interrupt line \d+", run.KernelLog);
        }

        // Forking past the process limit (threads-max, sized from RAM) fails with
        // EAGAIN, cleanly: every child forked before is killed and reaped, and pid 1 goes on.
        [Fact]
        public void ForkBeyondTheProcessLimitIsEagain()
        {
            string program = ProcessTestHarness.Compile("many", @"
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <time.h>
#include <sys/syscall.h>
int main(void) {
    static pid_t pids[2000]; int n = 0, err = 0;
    char text[32] = { 0 };
    FILE *f = fopen(""/proc/sys/kernel/threads-max"", ""r"");
    if (f) { fgets(text, sizeof text, f); fclose(f); }
    for (int i = 0; i < 2000; i++) {
        pid_t p = fork();
        if (p == 0) { for (;;) { struct timespec t = {1, 0}; syscall(SYS_nanosleep, &t, 0); } }
        if (p < 0) { err = errno; break; }
        pids[n++] = p;
    }
    printf(""forked %d, then errno %d (%s)\nthreads-max %s"", n, err, strerror(err), text);
    for (int i = 0; i < n; i++) kill(pids[i], SIGKILL);
    int reaped = 0, st;
    while (wait(&st) > 0) reaped++;
    printf(""reaped %d\n"", reaped);
    return 0;
}
");
            ProcessTestHarness.Run run = ProcessTestHarness.RunOnCowbird(program);
            log.WriteLine(run.Describe());
            Assert.True(run.ExitCode == 0, run.Describe());
            Match m = Regex.Match(run.StdoutText, @"^forked (\d+), then errno 11 \(Resource temporarily unavailable\)\nthreads-max (\d+)\nreaped (\d+)\n$");
            Assert.True(m.Success, run.Describe());
            // pid 1 and its children fill the table: threads-max processes (927 with 128 MiB).
            Assert.Equal(int.Parse(m.Groups[2].Value), int.Parse(m.Groups[1].Value) + 1);
            Assert.Equal(m.Groups[1].Value, m.Groups[3].Value);
        }

        // A blocked SIGTERM waits; unblocking it applies the default action (death), and an
        // ignored one is dropped; SIGKILL cannot be blocked.
        [Fact]
        public void BlockedSignalsWaitUntilUnblocked()
        {
            string program = ProcessTestHarness.Compile("blocker", @"
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
int main(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigprocmask(SIG_BLOCK, &set, 0);
    kill(getpid(), SIGTERM);
    printf(""alive while blocked\n"");
    fflush(stdout);
    sigprocmask(SIG_UNBLOCK, &set, 0);
    printf(""not reached\n"");
    return 0;
}");
            ProcessTestHarness.Run run = ProcessTestHarness.RunOnCowbird(program);
            Assert.True(run.ExitCode == 128 + 15, run.Describe());
            Assert.Equal("alive while blocked\n", run.StdoutText);
        }

        // kill(-1) signals every process but pid 1 and the caller; waitpid(0) waits for any
        // child (one process group); kill(-5) names no group: ESRCH. (Runs only on Cowbird:
        // on a host, kill(-1) as root would signal everything.)
        [Fact]
        public void KillMinusOneAndWaitpidZero()
        {
            string program = ProcessTestHarness.Compile("killall", @"
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <sys/syscall.h>
#include <unistd.h>
int main(void) {
    pid_t a = fork();
    if (a == 0) { for (;;) { struct timespec t = {1, 0}; syscall(SYS_nanosleep, &t, 0); } }
    pid_t b = fork();
    if (b == 0) { for (;;) { struct timespec t = {1, 0}; syscall(SYS_nanosleep, &t, 0); } }
    int r = kill(-1, SIGTERM);
    int st1, st2;
    pid_t w1 = waitpid(0, &st1, 0), w2 = waitpid(0, &st2, 0);
    int e = kill(-5, 0) == -1 ? errno : 0;
    int e2 = kill(-1, 0) == -1 ? errno : 0;
    printf(""kill(-1)=%d reaped %d %d sig %d %d; kill(-5): %d; kill(-1) alone: %d\n"", r, w1 == a || w1 == b, w2 == a || w2 == b,
           WTERMSIG(st1), WTERMSIG(st2), e, e2);
    return 0;
}
");
            ProcessTestHarness.Run run = ProcessTestHarness.RunOnCowbird(program);
            Assert.True(run.ExitCode == 0, run.Describe());
            Assert.Equal("kill(-1)=0 reaped 1 1 sig 15 15; kill(-5): 3; kill(-1) alone: 3\n", run.StdoutText);
        }
    }
}
