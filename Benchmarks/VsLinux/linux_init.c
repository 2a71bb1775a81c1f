/*
 * linux_init: /init of the initramfs with which `./build.sh bench` boots Debian's Linux in
 * QEMU beside Cowbird. It sets Linux up the way a user would for the same figures (a swap
 * disk on virtio-blk), runs /bin/vmbench with the arguments given after `--` on the kernel
 * command line, and powers the machine off so that QEMU exits.
 *
 * Its first line, "vmbench-init: start", marks the end of Linux's boot for the driver (the
 * boot figure); its last, "vmbench-init: end status=N", carries vmbench's exit status.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Debian builds virtio-blk as modules; this is their dependency order. */
static const char *const modules[] = {
    "virtio_ring", "virtio", "virtio_pci_legacy_dev", "virtio_pci_modern_dev", "virtio_pci", "virtio_blk",
};

/* Loads /lib/modules/NAME.ko with finit_module; a module already present is fine. */
static void load_module(const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "/lib/modules/%s.ko", name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        printf("vmbench-init: %s: %s\n", path, strerror(errno));
        return;
    }
    if (syscall(SYS_finit_module, fd, "", 0) != 0 && errno != EEXIST)
        printf("vmbench-init: finit_module %s: %s\n", name, strerror(errno));
    close(fd);
}

/* Waits up to five seconds for the swap disk's device node, then enables swap on it. */
static void enable_swap(const char *device)
{
    struct timespec tick = { 0, 50 * 1000 * 1000 };
    for (int i = 0; i < 100 && access(device, F_OK) != 0; i++)
        nanosleep(&tick, NULL);
    if (swapon(device, 0) != 0)
        printf("vmbench-init: swapon %s: %s (the swap figures will fail)\n", device, strerror(errno));
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("vmbench-init: start\n");
    mount("proc", "/proc", "proc", 0, NULL);
    mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
    for (size_t i = 0; i < sizeof modules / sizeof modules[0]; i++)
        load_module(modules[i]);
    enable_swap("/dev/vda");

    int status = 0;
    pid_t pid = fork();
    if (pid == 0) {
        argv[0] = "vmbench";
        execv("/bin/vmbench", argv);
        printf("vmbench-init: execv /bin/vmbench: %s\n", strerror(errno));
        _exit(127);
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        status = 255 << 8;
    printf("vmbench-init: end status=%d\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    (void)argc;
    sync();
    reboot(RB_POWER_OFF);
    return 0;
}
