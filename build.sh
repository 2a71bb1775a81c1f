#!/usr/bin/env bash
# Cowbird's single entry point on Linux. `./build.sh --help` lists the verbs.
# Every verb first makes sure the machine has what it needs (Debian packages,
# NuGet packages), so a fresh clone on a fresh Debian 12 machine just works.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Where the caller was: relative host paths on the command line (PROGRAM, a blkdebug rule
# file) are theirs, not the repository's.
CALLER_DIR="$PWD"
cd "$ROOT"

# A host path given by the caller, made absolute from the caller's directory.
from_caller() {
  case "$1" in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s\n' "$CALLER_DIR/$1" ;;
  esac
}

# Debian packages the build and the tests need.
DEB_PACKAGES=(qemu-system-x86 grub-pc-bin grub-common grub-efi-amd64-bin xorriso mtools musl-tools ovmf binutils gdb strace util-linux cpio console-setup-linux python3)

# Test projects run by `./build.sh test`, fastest first.
TEST_PROJECTS=(Tests.Host Tests.Boot Tests.User)

usage() {
  cat <<'EOF'
Usage: ./build.sh <verb> [options]

Verbs:
  run [--mem MB] [--swap MB] [--swap-bus ahci|ide] [--rmap NAME] [--rmap-offsets MODE] [--rmap-reuse 0|1] [--timeout SECONDS] [--verbose] [--window] [--] [PROGRAM [ARGS...]]
                   PROGRAM (a static x86-64 ELF on this machine) runs on Cowbird as
                   pid 1 (/bin/<name>, argv = name ARGS); stdout gets exactly its bytes,
                   the exit status is its own (128+N killed by signal N, 125 kernel
                   panic, 124 timeout, default 120 s); the kernel log goes to a file
                   named on stderr at the end (--verbose: to stderr). --mem: guest RAM
                   (default 128); --swap: attach a fresh mkswap'ed disk of MB, on
                   an AHCI (SATA) controller, or on IDE with --swap-bus ide;
                   --rmap: the reverse-mapping design (kernel command line rmap=NAME:
                   anon_vma_chain, the default, scan, pte_chain, anon_vma_2004 or
                   object_tree, or the short forms anonvma, ptechain, anonvma2004,
                   objtree; docs/rmap-designs.md);
                   --rmap-offsets: anonymous page offsets (rmap_offsets=MODE: linear,
                   the default, or reserve, under the anon_vma designs);
                   --rmap-reuse 0: anon_vma_chain without Linux's 2015 reuse of idle
                   ancestor anon_vmas (rmap_reuse=0).
                   Without PROGRAM: the interactive default system (busybox ash on the
                   serial console, Debian's busybox fetched once into out/busybox/ with
                   its applets linked in /bin beside the User/ programs; Ctrl-A X leaves
                   QEMU).
                   --window: open QEMU's window (the VGA screen, with the keyboard
                   as a console input) instead of running without a display.
  run KEY=VALUE... boot with that kernel command line, e.g. ./build.sh run selftest=runtime
  test             host tests + boot tests; ends with one line "N passed, N failed"
  fuzz [--seed S | --seeds A-B] [--calls N] [--timeout SECONDS] [--mem MB]
                   runs User/tests/syscall_fuzz on Cowbird once per seed (default seed 1,
                   200000 calls, 600 s each) and prints a line per seed and a summary:
                   seeds run, passed, failed, hung, panicked. Not part of `test`.
  bench [--quick] [--rounds N] [--mem MB] [--no-docs]
                   Cowbird against Linux in the same QEMU: boots Debian's linux-image-amd64
                   (fetched once with apt-get download into out/vs-linux/) and Cowbird
                   alternately, N rounds (default 5; --quick: one short round), both
                   running User/out/vmbench with the same RAM (default 128) and a swap
                   disk; prints the medians and the median Cowbird/Linux ratio of each
                   figure and writes the table into docs/benchmarks.md. Not part of `test`.
  trace-fault read|write|cow [--top N]
                   one page fault of that kind (User/demos/faultprobe) single-stepped under
                   gdb: prints the kernel's instructions from the fault's entry to the return
                   to ring 3, per function (the N largest, default 25). Not part of `test`.
  iso              build iso/kernel.elf and iso/cowbird.iso only
  debug [CMDLINE]  boot QEMU paused with a gdb stub (port 1234, or $GDB_PORT) and attach
                   gdb to iso/kernel.elf (serial output goes to iso/serial.log); prints how C# method
                   names are mangled, e.g. break kernel_Cowbird_Kernel_KernelMain__Start
  setup            install what is missing (Debian packages, NuGet packages) and stop
  --help           this text
EOF
}

log() { printf '[build] %s\n' "$*" >&2; }

missing_debian_packages() {
  local p missing=()
  for p in "${DEB_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  echo "${missing[@]:-}"
}

# Installs missing Debian packages when root; otherwise prints the exact command and stops.
ensure_debian_packages() {
  local missing
  missing="$(missing_debian_packages)"
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" -eq 0 ]; then
    log "installing Debian packages: $missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  else
    echo "Cowbird needs these Debian packages: $missing" >&2
    echo "Install them with:" >&2
    echo "  sudo apt-get install -y $missing" >&2
    exit 1
  fi
}

ensure_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "Cowbird needs the .NET SDK 10 (dotnet on PATH). Install it with:" >&2
    echo "  curl -sSL https://dot.net/v1/dotnet-install.sh | bash -s -- --channel 10.0 && export PATH=\$HOME/.dotnet:\$PATH" >&2
    exit 1
  fi
}

setup() {
  ensure_debian_packages
  ensure_dotnet
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
}

# QEMU machine for the kernel: TCG (KVM fails on this kernel's SSE code here),
# a CPU model new enough for .NET's baseline, and the exit-status device.
QEMU_MACHINE=(-cpu max -accel tcg -m 512M -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04)

# Builds iso/kernel.elf and iso/cowbird.iso (csc -> ilc -> as -> ld -> grub-mkrescue, see Kernel/Kernel.csproj).
build_kernel() {
  log "building the kernel"
  dotnet build Kernel/Kernel.csproj -c Release --nologo -v quiet
}

# Explains QEMU's exit status: the kernel's isa-debug-exit codes, or 0 when the user quit QEMU.
report_kernel_exit() {
  case "$1" in
    0)  return 0 ;;
    33) log "kernel powered off normally (a self-test passed, or init ended as the log shows)"; return 0 ;;
    35) log "kernel reported failure"; return 1 ;;
    37) log "kernel panicked"; return 1 ;;
    39) log "too little RAM for the kernel (the log names the minimum)"; return 1 ;;
    *)  log "QEMU exited with status $1"; return 1 ;;
  esac
}

# Builds the kernel, showing the compiler's output only when the build fails (the runner
# keeps stderr for the kernel's and its own messages). Runners started in parallel (the
# test suites) take turns: two builds writing the same outputs break each other.
build_kernel_quietly() {
  local output
  mkdir -p iso
  if ! output="$(flock iso/.build-lock dotnet build Kernel/Kernel.csproj -c Release --nologo -v quiet 2>&1)"; then
    echo "$output" >&2
    log "kernel build failed"
    exit 2
  fi
}

# Boots with a kernel command line (self-tests): ./build.sh run selftest=runtime
run_kernel_cmdline() {
  build_kernel >&2
  log "booting iso/kernel.elf (Ctrl-A X leaves QEMU)"
  local status=0
  qemu-system-x86_64 "${QEMU_MACHINE[@]}" -kernel iso/kernel.elf -append "$*" \
    -serial mon:stdio -display none || status=$?
  report_kernel_exit "$status"
}

# The User/ programs (built if needed), for the initrd's /bin.
bundled_programs() {
  Kernel/Build/user-programs.sh
}

# The runner. A contract other tools script against:
#   COM1 carries only the programs' bytes (kernel command line console=raw), unchanged,
#   to this script's stdout; COM2 carries the kernel log, into a file. pid 1's end is the
#   kernel log's last line, `COWBIRD-EXIT status=N` or `COWBIRD-EXIT signal=N`, before
#   the kernel powers off through isa-debug-exit.
# COWBIRD_KERNEL_ARGS (environment) is appended to the kernel command line (tests use it
# to make the kernel panic, e.g. COWBIRD_KERNEL_ARGS=selftest=nullderef, or to set a sysctl
# at boot, e.g. COWBIRD_KERNEL_ARGS=sysctl.vm.overcommit_memory=2 for strict overcommit).
# COWBIRD_SWAP_BLKDEBUG (environment, with --swap) names a QEMU blkdebug rule file put in
# front of the swap disk, to make chosen sectors fail (tests of swap read errors).
# COWBIRD_SWAP_IOPS (environment, with --swap) limits the swap disk to that many commands a
# second (QEMU's throttling), so every command takes milliseconds on any host (tests of
# what runs while a process waits for the disk).
run_program() {
  local mem=128 swap=0 swap_bus=ahci timeout_s=120 verbose=0
  # QEMU's display: none by default (the serial line is the console); --window shows the screen.
  local display=(-display none)
  while [ $# -gt 0 ]; do
    case "$1" in
      --mem) mem="$2"; shift 2 ;;
      --swap) swap="$2"; shift 2 ;;
      --swap-bus)
        [[ "${2:-}" =~ ^(ahci|ide)$ ]] || { echo "run: --swap-bus needs ahci or ide" >&2; exit 2; }
        swap_bus="$2"; shift 2 ;;
      --rmap)
        [[ "${2:-}" =~ ^[a-z0-9_]+$ ]] || { echo "run: --rmap needs a design name" >&2; exit 2; }
        COWBIRD_KERNEL_ARGS="rmap=$2${COWBIRD_KERNEL_ARGS:+ $COWBIRD_KERNEL_ARGS}"; shift 2 ;;
      --rmap-offsets)
        [[ "${2:-}" =~ ^[a-z]+$ ]] || { echo "run: --rmap-offsets needs linear or reserve" >&2; exit 2; }
        COWBIRD_KERNEL_ARGS="rmap_offsets=$2${COWBIRD_KERNEL_ARGS:+ $COWBIRD_KERNEL_ARGS}"; shift 2 ;;
      --rmap-reuse)
        [[ "${2:-}" =~ ^[01]$ ]] || { echo "run: --rmap-reuse needs 0 or 1" >&2; exit 2; }
        COWBIRD_KERNEL_ARGS="rmap_reuse=$2${COWBIRD_KERNEL_ARGS:+ $COWBIRD_KERNEL_ARGS}"; shift 2 ;;
      --timeout) timeout_s="$2"; shift 2 ;;
      --verbose) verbose=1; shift ;;
      --window) display=(); shift ;;
      --) shift; break ;;
      -*) echo "run: unknown option $1" >&2; usage >&2; exit 2 ;;
      *) break ;;
    esac
  done
  for n in "$mem" "$swap" "$timeout_s" ${COWBIRD_SWAP_IOPS:+"$COWBIRD_SWAP_IOPS"}; do
    [[ "$n" =~ ^[0-9]+$ ]] || { echo "run: not a number: $n" >&2; exit 2; }
  done
  if [ -n "${COWBIRD_SWAP_BLKDEBUG:-}" ]; then
    COWBIRD_SWAP_BLKDEBUG="$(from_caller "$COWBIRD_SWAP_BLKDEBUG")"
  fi
  if [ $# -eq 0 ]; then
    run_default_system "$mem" "$swap" "$swap_bus" "${display[@]}"
    return
  fi
  local given="$1" program
  program="$(from_caller "$1")"
  shift
  [ -f "$program" ] || { echo "run: no such program: $given (looked for $program)" >&2; exit 2; }
  build_kernel_quietly
  local work name
  work="$(mktemp -d "${TMPDIR:-/tmp}/cowbird-run.XXXXXX")"
  name="$(basename "$program")"
  local programs=() list
  list="$(bundled_programs)" || { log "building the User/ programs failed"; exit 2; }
  mapfile -t programs <<<"$list"
  Kernel/Build/mkinitrd.sh "$work/initrd.cpio" --init "$name" "$@" -- "${programs[@]}" "$program"
  local log="$work/kernel.log"
  : >"$log"
  local disk=()
  if [ "$swap" -gt 0 ]; then
    make_swap_disk "$work/swap.img" "$swap"
    mapfile -t disk < <(swap_disk_arguments "$work/swap.img" "$swap_bus")
  fi
  local tail_pid=""
  if [ "$verbose" -eq 1 ]; then
    tail -n +1 -F "$log" >&2 2>/dev/null &
    tail_pid=$!
  fi
  local status=0
  timeout --foreground "$timeout_s" qemu-system-x86_64 -cpu max -accel tcg -m "${mem}M" -no-reboot "${display[@]}" \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 -monitor none \
    -kernel iso/kernel.elf -initrd "$work/initrd.cpio" -append "console=raw${COWBIRD_KERNEL_ARGS:+ $COWBIRD_KERNEL_ARGS}" \
    -chardev stdio,id=console,signal=off -serial chardev:console \
    -chardev file,id=kernellog,path="$log" -serial chardev:kernellog \
    "${disk[@]}" || status=$?
  if [ -n "$tail_pid" ]; then sleep 0.2; kill "$tail_pid" 2>/dev/null || true; wait "$tail_pid" 2>/dev/null || true; fi
  rm -f "$work/initrd.cpio" "$work/swap.img"
  local result
  result="$(decode_run_result "$status" "$log")" || true
  [ "$verbose" -eq 1 ] || log "kernel log: $log"
  exit "$result"
}

# A fresh swap disk image of MB megabytes at PATH, with mkswap's header.
make_swap_disk() {
  truncate -s "$2M" "$1"
  mkswap -q "$1" >&2
}

# QEMU's arguments for the swap disk image PATH on BUS, one per line: ahci (a SATA disk
# on port 0 of an AHCI controller, what q35 and VMware give) or ide (the primary master).
# COWBIRD_SWAP_BLKDEBUG puts a blkdebug rule file in front of the image, COWBIRD_SWAP_IOPS
# throttles it.
swap_disk_arguments() {
  local file="${COWBIRD_SWAP_BLKDEBUG:+blkdebug:$COWBIRD_SWAP_BLKDEBUG:}$1"
  local throttle="${COWBIRD_SWAP_IOPS:+,throttling.iops-total=$COWBIRD_SWAP_IOPS}"
  if [ "$2" = ide ]; then
    printf '%s\n' -drive "file=$file,format=raw,if=ide,index=0,media=disk$throttle"
  else
    printf '%s\n' -device ahci,id=ahci -drive "id=swap,file=$file,if=none,format=raw$throttle" -device ide-hd,drive=swap,bus=ahci.0
  fi
}

# Maps how QEMU ended (and the kernel log) to the runner's exit status; prints it.
decode_run_result() {
  local status="$1" log="$2" line
  if [ "$status" -eq 124 ]; then
    log "timeout: the program did not end in time"
    echo 124; return
  fi
  line="$(grep -a -o 'COWBIRD-EXIT [a-z]*=[0-9]*' "$log" | tail -n 1 || true)"
  case "$line" in
    "COWBIRD-EXIT status="*) echo "${line#COWBIRD-EXIT status=}"; return ;;
    "COWBIRD-EXIT signal="*) echo $((128 + ${line#COWBIRD-EXIT signal=})); return ;;
  esac
  if [ "$status" -eq 39 ]; then
    grep -a 'Cowbird needs at least' "$log" | tr -d '\r' >&2
  elif grep -a -q 'PANIC' "$log"; then
    sed -n '/PANIC/,$p' "$log" | tr -d '\r' >&2
  else
    log "the kernel stopped without reporting how pid 1 ended (QEMU status $status)"
    tail -n 20 "$log" | tr -d '\r' >&2
  fi
  echo 125
}

# No PROGRAM: the interactive default system, busybox ash on the serial console (kernel log mixed in)
# and on the screen; the arguments after MEM, SWAP and SWAP_BUS are QEMU's display options.
run_default_system() {
  local mem="$1" swap="$2" swap_bus="$3"
  shift 3
  local display=("$@")
  build_kernel_quietly
  local work
  work="$(mktemp -d "${TMPDIR:-/tmp}/cowbird-run.XXXXXX")"
  # The ISO's initrd (Kernel/Build/iso-initrd.sh): busybox and its applet links, the User/
  # programs, /etc. A runner's initrd holds only the User/ programs and PROGRAM: busybox's
  # 2 MB would not fit the smallest guests the tests boot.
  Kernel/Build/iso-initrd.sh "$work/initrd.cpio" || { log "building the User/ programs or fetching busybox failed"; exit 2; }
  local disk=()
  if [ "$swap" -gt 0 ]; then
    make_swap_disk "$work/swap.img" "$swap"
    mapfile -t disk < <(swap_disk_arguments "$work/swap.img" "$swap_bus")
  fi
  log "booting the default system: busybox ash on the serial console (Ctrl-A X leaves QEMU)"
  local status=0
  qemu-system-x86_64 -cpu max -accel tcg -m "${mem}M" -no-reboot "${display[@]}" \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -kernel iso/kernel.elf -initrd "$work/initrd.cpio" -append "${COWBIRD_KERNEL_ARGS:-}" \
    -serial mon:stdio "${disk[@]}" || status=$?
  rm -rf "$work"
  report_kernel_exit "$status"
}

run_kernel() {
  # Compatibility: `./build.sh run selftest=banner` boots with that command line.
  if [ $# -gt 0 ] && [[ "$1" == *=* ]] && [ ! -e "$1" ]; then
    run_kernel_cmdline "$@"
  else
    run_program "$@"
  fi
}

# How ILC names C# methods in the ELF symbol table, for `break` in gdb.
print_gdb_hint() {
  cat >&2 <<'EOF'
[build] gdb: C# methods have ILC's mangled names:
          <assembly>_<namespace, '.' as '_'>_<Type>__<Method>   (assembly = kernel)
        e.g. Cowbird.Kernel.KernelMain.Start  ->  kernel_Cowbird_Kernel_KernelMain__Start
             constructor .ctor -> ___ctor, overloads get _0, _1, ...; nested types: Outer_Inner
          (gdb) break kernel_Cowbird_Kernel_SelfTests_NullDereferenceSelfTest__ReadValue
          (gdb) info functions NullDereference     find the mangled name
          (gdb) break KernelMain.cs:25             file:line works too (DWARF from ilc -g)
          (gdb) break trap_dispatch                every interrupt and exception
        gdb starts stopped at kmain; `continue` runs on, Ctrl-C stops, `bt` shows C# frames.
EOF
}

# QEMU waits for gdb (-S) on port $GDB_PORT (default 1234); gdb loads the symbols and stops at kmain.
debug_kernel() {
  build_kernel
  local port="${GDB_PORT:-1234}"
  log "QEMU paused with a gdb stub on localhost:$port (GDB_PORT=... to change); serial output goes to iso/serial.log"
  print_gdb_hint
  qemu-system-x86_64 "${QEMU_MACHINE[@]}" -kernel iso/kernel.elf -append "$*" \
    -serial file:iso/serial.log -display none -gdb "tcp:127.0.0.1:$port" -S &
  local qemu_pid=$!
  sleep 0.5
  if ! kill -0 "$qemu_pid" 2>/dev/null; then
    log "QEMU did not start (port $port busy? try GDB_PORT=1235 ./build.sh debug)"
    return 1
  fi
  gdb -q iso/kernel.elf -ex "target remote 127.0.0.1:$port" -ex 'break kmain' -ex 'continue' || true
  kill "$qemu_pid" 2>/dev/null || true
  wait "$qemu_pid" 2>/dev/null || true
}

# The syscall fuzzer on Cowbird, one runner per seed. A seed's verdict is the runner's status:
# 0 passed, 124 hung (timeout), 125 the kernel panicked, anything else a failed check or pid 1
# killed. The runner's stderr (kernel log path, panic report) is kept for the seeds that fail.
fuzz_kernel() {
  local first=1 last=1 calls=200000 timeout_s=600 mem=128
  while [ $# -gt 0 ]; do
    case "$1" in
      --seed) first="$2"; last="$2"; shift 2 ;;
      --seeds) first="${2%-*}"; last="${2#*-}"; shift 2 ;;
      --calls) calls="$2"; shift 2 ;;
      --timeout) timeout_s="$2"; shift 2 ;;
      --mem) mem="$2"; shift 2 ;;
      *) echo "fuzz: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
  done
  for n in "$first" "$last" "$calls" "$timeout_s" "$mem"; do
    [[ "$n" =~ ^[0-9]+$ ]] || { echo "fuzz: not a number: $n" >&2; exit 2; }
  done
  [ "$first" -le "$last" ] || { echo "fuzz: empty seed range $first-$last" >&2; exit 2; }
  mkdir -p User/out
  flock User/out/.build-lock User/build.sh >/dev/null || { log "building the User/ programs failed"; exit 2; }
  local work seed status run=0 passed=0 failed=0 hung=0 panicked=0 verdict
  work="$(mktemp -d "${TMPDIR:-/tmp}/cowbird-fuzz.XXXXXX")"
  for ((seed = first; seed <= last; seed++)); do
    status=0
    "$ROOT/build.sh" run --mem "$mem" --timeout "$timeout_s" -- User/out/syscall_fuzz \
      --seed "$seed" --calls "$calls" >"$work/seed$seed.out" 2>"$work/seed$seed.err" || status=$?
    run=$((run + 1))
    case "$status" in
      0) passed=$((passed + 1)); verdict="passed" ;;
      124) hung=$((hung + 1)); verdict="HUNG (no end in ${timeout_s} s)" ;;
      125) panicked=$((panicked + 1)); verdict="PANICKED" ;;
      *) failed=$((failed + 1)); verdict="FAILED (status $status)" ;;
    esac
    echo "seed $seed, $calls calls: $verdict"
    if [ "$status" -ne 0 ]; then
      grep -a '^FAIL' "$work/seed$seed.out" | sed 's/^/  /' || true
      sed 's/^/  /' "$work/seed$seed.err"
      echo "  replay: ./build.sh run --timeout $timeout_s -- User/out/syscall_fuzz --seed $seed --calls $calls"
    fi
  done
  echo "fuzz: $run seeds run, $passed passed, $failed failed, $hung hung, $panicked panicked (output in $work)"
  [ "$passed" -eq "$run" ]
}

# One page fault of KIND (read, write or cow) traced instruction by instruction: QEMU runs
# User/demos/faultprobe as pid 1 behind a paused gdb stub, and Benchmarks/FaultTrace/
# trace_fault.py counts the kernel's instructions per function from the fault's entry to the
# return to ring 3. COWBIRD_KERNEL_ARGS is appended to the kernel command line (rmap=..., mm.zero_page=0).
trace_fault() {
  local kind="${1:-}" top=25
  [[ "$kind" =~ ^(read|write|cow)$ ]] || { echo "trace-fault: KIND is read, write or cow" >&2; exit 2; }
  shift
  while [ $# -gt 0 ]; do
    case "$1" in
      --top) top="$2"; shift 2 ;;
      *) echo "trace-fault: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
  done
  [[ "$top" =~ ^[0-9]+$ ]] || { echo "trace-fault: not a number: $top" >&2; exit 2; }
  local programs=() list work port="${GDB_PORT:-1234}"
  list="$(bundled_programs)" || { log "building the User/ programs failed"; exit 2; }
  mapfile -t programs <<<"$list"
  work="$(mktemp -d "${TMPDIR:-/tmp}/cowbird-trace.XXXXXX")"
  Kernel/Build/mkinitrd.sh "$work/initrd.cpio" --init faultprobe "$kind" -- "${programs[@]}"
  qemu-system-x86_64 -cpu max -accel tcg -m 128M -no-reboot -display none \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 -monitor none \
    -kernel iso/kernel.elf -initrd "$work/initrd.cpio" -append "console=raw${COWBIRD_KERNEL_ARGS:+ $COWBIRD_KERNEL_ARGS}" \
    -serial "file:$work/console.log" -serial "file:$work/kernel.log" \
    -gdb "tcp:127.0.0.1:$port" -S &
  local qemu_pid=$! status=0
  sleep 0.5
  if ! kill -0 "$qemu_pid" 2>/dev/null; then
    log "QEMU did not start (port $port busy? try GDB_PORT=1235 ./build.sh trace-fault $kind)"
    exit 2
  fi
  COWBIRD_TRACE_ELF=iso/kernel.elf COWBIRD_TRACE_PORT="$port" COWBIRD_TRACE_KIND="$kind" COWBIRD_TRACE_TOP="$top" \
    COWBIRD_TRACE_OUT="$work/trace.txt" gdb -q -nx -batch iso/kernel.elf -x Benchmarks/FaultTrace/trace_fault.py \
    >"$work/gdb.log" 2>&1 || status=$?
  [ "$status" -eq 0 ] && cat "$work/trace.txt"
  kill "$qemu_pid" 2>/dev/null || true
  wait "$qemu_pid" 2>/dev/null || true
  [ "$status" -eq 0 ] || { tail -n 5 "$work/gdb.log" >&2; log "the trace failed; gdb's output and the kernel log are in $work"; }
  [ "$status" -ne 0 ] || rm -rf "$work"
  return "$status"
}

# Runs one test project, writing a TRX file into $2. Returns dotnet test's status.
run_test_project() {
  local proj="$1" results="$2"
  log "testing $proj"
  dotnet test "$proj/$proj.csproj" -c Release --nologo \
    --logger "trx;LogFileName=$proj.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" 2>&1 | grep -E '^\s*(Passed|Failed|Skipped|error|Error) |^(Passed|Failed)!|Total tests|error [A-Z]+[0-9]+' || true
  return "${PIPESTATUS[0]}"
}

# Reads "passed failed" out of a TRX file's Counters element.
trx_counts() {
  local counters
  counters="$(grep -o '<Counters [^>]*>' "$1" | head -n 1)"
  local p f
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  echo "${p:-0} ${f:-0}"
}

test_all() {
  local results passed=0 failed=0 proj p f status
  results="$(mktemp -d)"
  for proj in "${TEST_PROJECTS[@]}"; do
    [ -f "$proj/$proj.csproj" ] || continue
    status=0
    run_test_project "$proj" "$results" || status=$?
    if [ -f "$results/$proj.trx" ]; then
      read -r p f < <(trx_counts "$results/$proj.trx")
      passed=$((passed + p)); failed=$((failed + f))
    fi
    if [ "$status" -ne 0 ] && { [ ! -f "$results/$proj.trx" ] || [ "$f" -eq 0 ]; }; then
      # The project did not build or the runner itself failed: count it as one failure.
      log "$proj: dotnet test failed with status $status before reporting test failures"
      failed=$((failed + 1))
    fi
  done
  log "test results: $results"
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

main() {
  local verb="${1:-}"
  [ $# -gt 0 ] && shift
  case "$verb" in
    -h|--help|help|"") usage ;;
    setup) setup ;;
    test)
      setup
      # The busybox comparison suite runs Debian's busybox: fetch it once, before the suites.
      Kernel/Build/busybox.sh >/dev/null || log "fetching busybox failed: the busybox tests will fail"
      # Tests.Boot also builds the kernel; building it here first shows its errors plainly.
      build_kernel || log "kernel build failed: the boot tests will fail"
      test_all ;;
    iso) setup; build_kernel; log "built iso/kernel.elf and iso/cowbird.iso" ;;
    run) setup; run_kernel "$@" ;;
    debug) setup; debug_kernel "$@" ;;
    fuzz) setup; build_kernel_quietly; fuzz_kernel "$@" ;;
    trace-fault) setup; build_kernel_quietly; trace_fault "$@" ;;
    bench)
      setup; build_kernel_quietly
      bundled_programs >/dev/null || { log "building the User/ programs failed"; exit 2; }
      exec python3 Benchmarks/VsLinux/bench.py "$@" ;;
    *) echo "unknown verb: $verb" >&2; usage >&2; exit 2 ;;
  esac
}

main "$@"
