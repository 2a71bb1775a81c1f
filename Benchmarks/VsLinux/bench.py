#!/usr/bin/env python3
"""Cowbird against Linux, side by side in the same QEMU: the driver of `./build.sh bench`.

Each round boots Cowbird and Debian's Linux 6.1 one after the other (the order alternates from
round to round) under the same QEMU: TCG, one vCPU, the same CPU model, the same RAM and a fresh
swap disk of the same size (on Cowbird a SATA disk on AHCI, on Linux virtio-blk: what a user
would give each). Both run the same static program, User/out/vmbench, which prints
its figures ("vmbench: NAME VALUE UNIT (DETAIL)"). The driver adds one figure of its own, the
boot: host seconds from QEMU's start to the first line of init (vmbench itself on Cowbird,
Benchmarks/VsLinux/linux_init on Linux).

For every figure it prints the median on each kernel and the median of the pairwise ratios
Cowbird/Linux (round i of Cowbird over round i of Linux), says whether the issue's target is
met, and writes the table into docs/benchmarks.md between the vs-linux markers. Figures are
printed, never asserted: this machine is shared and noisy, which is why only ratios of
alternating runs are reported.

Usage (normally through ./build.sh bench, which builds the kernel and the programs first):
    Benchmarks/VsLinux/bench.py [--quick] [--rounds N] [--mem MB] [--no-docs]
"""
import argparse
import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORK = os.path.join(REPO, "out", "vs-linux")          # downloads and build products (git-ignored)
VMBENCH = os.path.join(REPO, "User", "out", "vmbench")
LINUX_INIT_SOURCE = os.path.join(REPO, "Benchmarks", "VsLinux", "linux_init.c")
DOC = os.path.join(REPO, "docs", "benchmarks.md")
DOC_BEGIN, DOC_END = "<!-- vs-linux:begin -->", "<!-- vs-linux:end -->"

# The virtio-blk modules Linux needs for its swap disk, in load order (linux_init.c loads them).
LINUX_MODULES = ["virtio_ring", "virtio", "virtio_pci_legacy_dev", "virtio_pci_modern_dev", "virtio_pci", "virtio_blk"]

# QEMU settings both kernels share: the comparison is only fair in the same emulator.
QEMU_COMMON = ["qemu-system-x86_64", "-cpu", "max", "-accel", "tcg", "-smp", "1", "-no-reboot",
               "-display", "none", "-monitor", "none"]

FIGURE = re.compile(r"vmbench: ([a-z0-9_]+) ([0-9.]+) (\S+) \((.*)\)")
BOOT_MARK = re.compile(r"vmbench(-init)?: start")
END_MARK = re.compile(r"vmbench(-init)?: end")

# Targets: (figure, ratio Cowbird/Linux that meets it, True when a lower ratio is better).
TARGETS = {
    "fork_exit_wait_0mib": (1.0, True),
    "fork_exit_wait_1mib": (1.0, True),
    "fork_exit_wait_64mib": (0.2, True),
    "cow_fault": (1.0, True),
    "write_fault": (1.0, True),
    "read_fault": (1.0, True),
    "swap_fill": (1.0, False),
    "swap_readback": (1.5, False),
    "swap_rewrite": (1.0, False),
}
BOOT_TARGET_S = 1.0


def log(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def run(command, **kwargs):
    """Runs a command, failing loudly with its output when it fails."""
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        sys.exit(f"bench: {' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


# ---- Linux: fetched from Debian, never committed ----

def fetch_linux():
    """Downloads Debian's current linux-image-amd64 kernel once; returns (vmlinuz, {module: path})."""
    home = os.path.join(WORK, "linux")
    marker = os.path.join(home, "package")
    if not os.path.exists(marker):
        depends = run(["apt-cache", "depends", "linux-image-amd64"])
        match = re.search(r"Depends: (linux-image-[0-9][^\s]*-amd64)", depends)
        if not match:
            sys.exit("bench: apt-cache does not know linux-image-amd64; run apt-get update")
        package = match.group(1)
        shutil.rmtree(home, ignore_errors=True)
        os.makedirs(home)
        log(f"downloading {package} from Debian (apt-get download)")
        run(["apt-get", "download", package], cwd=home)
        deb = [f for f in os.listdir(home) if f.endswith(".deb")][0]
        wanted = ["./boot/vmlinuz-*"] + [f"*/{m}.ko" for m in LINUX_MODULES]
        tar = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", deb], cwd=home, stdout=subprocess.PIPE)
        run(["tar", "-x", "--wildcards"] + wanted, cwd=home, stdin=tar.stdout)
        tar.wait()
        os.remove(os.path.join(home, deb))
        with open(marker, "w") as f:
            f.write(package + "\n")
    files = {}
    for root, _, names in os.walk(home):
        for name in names:
            files[name] = os.path.join(root, name)
    vmlinuz = next(path for name, path in files.items() if name.startswith("vmlinuz-"))
    modules = {m: files[m + ".ko"] for m in LINUX_MODULES}
    return vmlinuz, modules


def linux_version():
    with open(os.path.join(WORK, "linux", "package")) as f:
        return f.read().strip()


def cpio_newc(entries):
    """A cpio archive in the "newc" format from (path, mode, data, rdev_major, rdev_minor) entries."""
    out = bytearray()

    def add(ino, name, mode, data, major=0, minor=0):
        name_bytes = name.encode() + b"\0"
        fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, major, minor, len(name_bytes), 0]
        out.extend(b"070701" + b"".join(b"%08X" % v for v in fields))
        out.extend(name_bytes)
        out.extend(b"\0" * (-len(out) % 4))
        out.extend(data)
        out.extend(b"\0" * (-len(out) % 4))

    for ino, entry in enumerate(entries, start=1):
        add(ino, *entry)
    add(len(entries) + 1, "TRAILER!!!", 0, b"")
    return bytes(out)


def linux_initramfs(path, modules):
    """Writes Linux's initramfs: /init, /bin/vmbench, the virtio modules, /dev/console, /proc."""
    init = os.path.join(WORK, "linux_init")
    run(["musl-gcc", "-static", "-O2", "-Wall", "-o", init, LINUX_INIT_SOURCE])

    def file(name, source, mode=0o100755):
        with open(source, "rb") as f:
            return (name, mode, f.read())

    entries = [("dev", 0o40755, b""), ("dev/console", 0o20600, b"", 5, 1), ("proc", 0o40755, b""),
               ("bin", 0o40755, b""), ("lib", 0o40755, b""), ("lib/modules", 0o40755, b""),
               file("init", init), file("bin/vmbench", VMBENCH)]
    entries += [file(f"lib/modules/{m}.ko", p, 0o100644) for m, p in modules.items()]
    with open(path, "wb") as f:
        f.write(cpio_newc(entries))


def cowbird_initrd(path, arguments):
    """Writes Cowbird's initrd with vmbench as pid 1 (the packer the runner uses)."""
    run([os.path.join(REPO, "Kernel", "Build", "mkinitrd.sh"), path, "--init", "vmbench"] + arguments
        + ["--", VMBENCH])


def swap_disk(path, mib):
    """A fresh swap disk of `mib` MiB, prepared with mkswap, for one boot."""
    with open(path, "wb") as f:
        f.truncate(mib << 20)
    run(["mkswap", "-q", path])


# ---- one boot ----

class Boot:
    """One kernel's boot and run: the figures it printed and the seconds to init's first line."""

    def __init__(self, kernel, command, timeout_s, kernel_log=None):
        self.kernel = kernel
        self.kernel_log = kernel_log
        self.figures = {}
        self.units = {}
        self.boot_s = None
        self.ended = False
        self.output = []
        start = time.monotonic()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = start + timeout_s
        for raw in process.stdout:
            line = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", raw.decode(errors="replace")).replace("\r", "").rstrip("\n")
            self.output.append(line)
            if self.boot_s is None and BOOT_MARK.search(line):
                self.boot_s = time.monotonic() - start
            match = FIGURE.search(line)
            if match:
                self.figures[match.group(1)] = float(match.group(2))
                self.units[match.group(1)] = match.group(3)
            if END_MARK.search(line):
                self.ended = "ok" in line or "status=0" in line
            if time.monotonic() > deadline:
                process.kill()
                break
        try:
            process.wait(timeout=max(1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if self.boot_s is not None:
            self.figures["boot"] = self.boot_s
            self.units["boot"] = "s"

    def failure(self):
        """None when the run ended well; otherwise the tail of its output."""
        if self.ended and self.boot_s is not None:
            return None
        tail = self.output[-25:]
        if self.kernel_log and os.path.exists(self.kernel_log):
            with open(self.kernel_log, errors="replace") as f:
                tail += ["--- kernel log ---"] + f.read().replace("\r", "").splitlines()[-25:]
        return "\n".join(tail)


def boot_cowbird(directory, mem, arguments, swap_mib, timeout_s):
    initrd = os.path.join(directory, "cowbird.cpio")
    cowbird_initrd(initrd, arguments)
    disk = os.path.join(directory, "swap.img")
    swap_disk(disk, swap_mib)
    kernel_log = os.path.join(directory, "cowbird.log")
    command = QEMU_COMMON + ["-m", f"{mem}M", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                             "-kernel", os.path.join(REPO, "iso", "kernel.elf"), "-initrd", initrd,
                             "-append", "console=raw",
                             "-chardev", "stdio,id=console,signal=off", "-serial", "chardev:console",
                             "-serial", f"file:{kernel_log}",
                             "-device", "ahci,id=ahci", "-drive", f"id=swap,file={disk},if=none,format=raw",
                             "-device", "ide-hd,drive=swap,bus=ahci.0"]
    return Boot("Cowbird", command, timeout_s, kernel_log)


def boot_linux(directory, mem, arguments, swap_mib, timeout_s, vmlinuz, initramfs):
    disk = os.path.join(directory, "swap.img")
    swap_disk(disk, swap_mib)
    command = QEMU_COMMON + ["-m", f"{mem}M", "-kernel", vmlinuz, "-initrd", initramfs,
                             "-append", "console=ttyS0 quiet panic=-1 -- " + " ".join(arguments),
                             "-chardev", "stdio,id=console,signal=off", "-serial", "chardev:console",
                             "-drive", f"file={disk},format=raw,if=virtio"]
    return Boot("Linux", command, timeout_s)


# ---- figures ----

def summarise(rounds):
    """Per figure: (unit, Cowbird median, Linux median, median of the pairwise ratios)."""
    rows = []
    names = []
    for cowbird, linux in rounds:
        for name in list(cowbird.figures) + list(linux.figures):
            if name not in names:
                names.append(name)
    for name in names:
        pairs = [(c.figures[name], l.figures[name]) for c, l in rounds
                 if name in c.figures and name in l.figures and l.figures[name] > 0]
        if not pairs:
            continue
        unit = rounds[0][0].units.get(name) or rounds[0][1].units.get(name)
        rows.append((name, unit, statistics.median(c for c, _ in pairs), statistics.median(l for _, l in pairs),
                     statistics.median(c / l for c, l in pairs), len(pairs)))
    return rows


def verdict(name, ratio, cowbird_value):
    """The issue's target for a figure and whether this run meets it."""
    if name == "boot":
        return f"≤ {BOOT_TARGET_S:.0f} s", "met" if cowbird_value <= BOOT_TARGET_S else "missed"
    if name not in TARGETS:
        return "", ""
    target, lower_is_better = TARGETS[name]
    met = ratio <= target if lower_is_better else ratio >= target
    text = f"ratio ≤ {target}" if lower_is_better else f"ratio ≥ {target}"
    return text, "met" if met else "missed"


def number(value):
    """A figure as a person reads it: whole numbers from 100 up, three significant digits below."""
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"


def table(rows):
    lines = ["| figure | unit | Cowbird (median) | Linux (median) | Cowbird/Linux (median of rounds) | target | |",
             "|---|---|---:|---:|---:|---|---|"]
    for name, unit, c, l, ratio, n in rows:
        target, state = verdict(name, ratio, c)
        lines.append(f"| {name} | {unit} | {number(c)} | {number(l)} | {ratio:.2f} | {target} | {state} |")
    return lines


def machine_text(mem, rounds_done, quick):
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = re.search(r"model name\s*:\s*(.*)", f.read()).group(1)
    except (OSError, AttributeError):
        pass
    qemu = run(["qemu-system-x86_64", "--version"]).splitlines()[0]
    return (f"{datetime.date.today().isoformat()}, {rounds_done} round(s){' (--quick)' if quick else ''}, "
            f"{mem} MiB of guest RAM, TCG, 1 vCPU; host: {cpu}, {os.cpu_count()} cores (shared); "
            f"{qemu}; Linux: Debian {linux_version()}")


def write_doc(lines):
    with open(DOC) as f:
        text = f.read()
    block = DOC_BEGIN + "\n" + "\n".join(lines) + "\n" + DOC_END
    if DOC_BEGIN in text:
        text = re.sub(re.escape(DOC_BEGIN) + ".*?" + re.escape(DOC_END), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    with open(DOC, "w") as f:
        f.write(text)


def main():
    parser = argparse.ArgumentParser(description="Cowbird against Linux in the same QEMU")
    parser.add_argument("--quick", action="store_true", help="one round, fewer repetitions")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--mem", type=int, default=128, help="guest RAM in MiB for both kernels")
    parser.add_argument("--swap-mib", type=int, default=160, help="the swap figures' region")
    parser.add_argument("--no-docs", action="store_true", help="do not rewrite docs/benchmarks.md")
    args = parser.parse_args()
    rounds_wanted = 1 if args.quick else args.rounds
    arguments = (["--quick"] if args.quick else []) + ["--swap-mib", str(args.swap_mib)]
    disk_mib = args.swap_mib + 96
    timeout_s = 900

    os.makedirs(WORK, exist_ok=True)
    vmlinuz, modules = fetch_linux()
    initramfs = os.path.join(WORK, "linux-initramfs.cpio")
    linux_initramfs(initramfs, modules)

    rounds = []
    for i in range(rounds_wanted):
        with tempfile.TemporaryDirectory(prefix="cowbird-bench.") as directory:
            order = ["Cowbird", "Linux"] if i % 2 == 0 else ["Linux", "Cowbird"]
            result = {}
            for kernel in order:
                log(f"round {i + 1}/{rounds_wanted}: {kernel}")
                if kernel == "Cowbird":
                    result[kernel] = boot_cowbird(directory, args.mem, arguments, disk_mib, timeout_s)
                else:
                    result[kernel] = boot_linux(directory, args.mem, arguments, disk_mib, timeout_s, vmlinuz, initramfs)
                failure = result[kernel].failure()
                if failure:
                    log(f"{kernel} did not finish its run; its last lines:\n{failure}")
            if all(r.failure() is None for r in result.values()):
                rounds.append((result["Cowbird"], result["Linux"]))
            else:
                log(f"round {i + 1} dropped: a kernel did not finish")
    if not rounds:
        sys.exit("bench: no round finished on both kernels")

    rows = summarise(rounds)
    heading = machine_text(args.mem, len(rounds), args.quick)
    lines = [heading, ""] + table(rows)
    print("\n".join(lines))
    if not args.no_docs:
        write_doc(lines)
        log(f"wrote the table into {os.path.relpath(DOC, REPO)}")


if __name__ == "__main__":
    main()
