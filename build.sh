#!/usr/bin/env bash
# Cowbird's single entry point on Linux. `./build.sh --help` lists the verbs.
# Every verb first makes sure the machine has what it needs (Debian packages,
# NuGet packages), so a fresh clone on a fresh Debian 12 machine just works.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

# Debian packages the build and the tests need.
DEB_PACKAGES=(qemu-system-x86 grub-pc-bin grub-common grub-efi-amd64-bin xorriso mtools musl-tools ovmf binutils gdb strace util-linux cpio)

# Test projects run by `./build.sh test`, fastest first.
TEST_PROJECTS=(Tests.Host Tests.Boot Tests.User)

usage() {
  cat <<'EOF'
Usage: ./build.sh <verb> [options]

Verbs:
  run [CMDLINE]    build the kernel and boot it in QEMU, serial console on this
                   terminal (Ctrl-A X leaves QEMU); CMDLINE is the kernel command
                   line, e.g. ./build.sh run selftest=runtime
  test             host tests + boot tests; ends with one line "N passed, N failed"
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
    33) log "kernel reported success"; return 0 ;;
    35) log "kernel reported failure"; return 1 ;;
    37) log "kernel panicked"; return 1 ;;
    *)  log "QEMU exited with status $1"; return 1 ;;
  esac
}

run_kernel() {
  build_kernel
  log "booting iso/kernel.elf (Ctrl-A X leaves QEMU)"
  local status=0
  qemu-system-x86_64 "${QEMU_MACHINE[@]}" -kernel iso/kernel.elf -append "$*" \
    -serial mon:stdio -display none || status=$?
  report_kernel_exit "$status"
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
      # Tests.Boot also builds the kernel; building it here first shows its errors plainly.
      build_kernel || log "kernel build failed: the boot tests will fail"
      test_all ;;
    iso) setup; build_kernel; log "built iso/kernel.elf and iso/cowbird.iso" ;;
    run) setup; run_kernel "$@" ;;
    debug) setup; debug_kernel "$@" ;;
    *) echo "unknown verb: $verb" >&2; usage >&2; exit 2 ;;
  esac
}

main "$@"
