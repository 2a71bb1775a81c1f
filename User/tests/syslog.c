/*
 * syslog: the kernel's message buffer through syslog(2) (glibc's klogctl, busybox dmesg), as
 * Linux 6.1 answers root. READ_ALL gives whole lines "<level>[seconds.micros] text", the newest
 * that fit in the buffer (none when even the newest is longer); a NULL buffer or a negative
 * length is EINVAL, checked before a zero length gives 0; an unwritable buffer is EFAULT;
 * unknown types and console levels outside 1..8 are EINVAL; OPEN, CLOSE and CONSOLE_ON (with
 * no level saved) do nothing; SIZE_BUFFER and SIZE_UNREAD are sizes. Nothing here clears the
 * buffer or changes the console level, so the program can run on any machine.
 */
#include "cbtest.h"

#define SYSLOG_CLOSE 0
#define SYSLOG_OPEN 1
#define SYSLOG_READ_ALL 3
#define SYSLOG_CONSOLE_ON 7
#define SYSLOG_CONSOLE_LEVEL 8
#define SYSLOG_SIZE_UNREAD 9
#define SYSLOG_SIZE_BUFFER 10

static long klog(long type, void *buf, long len)
{
    return cb_syscall(SYS_syslog, type, (long)buf, len, 0, 0, 0);
}

/* True when every line of text[0..n) looks like "<d>[ddddd.dddddd] ...", and n > 0. */
static int lines_have_level_and_time(const char *text, long n)
{
    long i = 0;
    if (n <= 0)
        return 0;
    while (i < n) {
        const char *line = text + i;
        if (!(line[0] == '<' && line[1] >= '0' && line[1] <= '7' && line[2] == '>' && line[3] == '['))
            return 0;
        const char *close = memchr(line, ']', (size_t)(n - i));
        const char *dot = memchr(line, '.', (size_t)(n - i));
        if (!close || !dot || dot > close || close - dot != 7 || close[1] != ' ')
            return 0;
        const char *end = memchr(line, '\n', (size_t)(n - i));
        if (!end)
            return 0;
        i = end - text + 1;
    }
    return 1;
}

int main(void)
{
    static char text[16384];
    cb_begin("syslog");
    long size = klog(SYSLOG_SIZE_BUFFER, NULL, 0);
    CHECK(size >= 4096, "SIZE_BUFFER: the buffer holds at least 4 KiB");
    CHECK(klog(SYSLOG_SIZE_UNREAD, NULL, 0) >= 0, "SIZE_UNREAD: a byte count");
    long n = klog(SYSLOG_READ_ALL, text, sizeof text);
    CHECK(n > 0 && n <= (long)sizeof text, "READ_ALL: some bytes, no more than asked");
    CHECK(lines_have_level_and_time(text, n), "READ_ALL: whole lines, each \"<level>[seconds.micros] \"");
    cb_check_ret(klog(SYSLOG_READ_ALL, text, 8), 0, "READ_ALL into 8 bytes: no line fits, 0");
    cb_check_ret(klog(SYSLOG_READ_ALL, text, 0), 0, "READ_ALL of 0 bytes: 0");
    cb_check_ret(klog(SYSLOG_READ_ALL, NULL, 0), -EINVAL, "READ_ALL into NULL, 0 bytes: EINVAL (the buffer first)");
    cb_check_ret(klog(SYSLOG_READ_ALL, text, -1), -EINVAL, "READ_ALL of -1 bytes: EINVAL");
    cb_check_ret(klog(SYSLOG_READ_ALL, (void *)1, 4096), -EFAULT, "READ_ALL into address 1: EFAULT");
    cb_check_ret(klog(11, text, sizeof text), -EINVAL, "type 11: EINVAL");
    cb_check_ret(klog(-1, text, sizeof text), -EINVAL, "type -1: EINVAL");
    cb_check_ret(klog(SYSLOG_CONSOLE_LEVEL, NULL, 0), -EINVAL, "CONSOLE_LEVEL 0: EINVAL");
    cb_check_ret(klog(SYSLOG_CONSOLE_LEVEL, NULL, 9), -EINVAL, "CONSOLE_LEVEL 9: EINVAL");
    cb_check_ret(klog(SYSLOG_OPEN, NULL, 0), 0, "OPEN: 0");
    cb_check_ret(klog(SYSLOG_CLOSE, NULL, 0), 0, "CLOSE: 0");
    cb_check_ret(klog(SYSLOG_CONSOLE_ON, NULL, 0), 0, "CONSOLE_ON with no level saved: 0");
    return cb_end();
}
