#!/usr/bin/env bash
# Checks that Cowbird's user programs stay inside the kernel's Linux syscall subset (README's runner section and User/README.md):
# runs each program under `strace -f -c` on the host's Linux and fails if the program or any of
# its children made a system call outside the subset, or if the program did not exit with 0.
# Usage: User/check-syscalls.sh [NAME...]   (default: every program User/build.sh builds, and sh)
# Run User/build.sh first. Needs strace (apt-get install -y strace).
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${CB_USER_OUT:-$HERE/out}"   # CB_USER_OUT: check programs in another folder

# The subset, by strace's names for the x86-64 system calls.
SUBSET="read write open close mmap mprotect munmap brk rt_sigaction rt_sigprocmask rt_sigreturn ioctl readv writev
pipe sched_yield mremap msync mincore madvise mlock mlock2 munlock mlockall munlockall dup dup2 nanosleep getpid fork execve exit wait4 kill fcntl getrlimit getppid
setrlimit arch_prctl gettid set_tid_address clock_gettime clock_getres exit_group dup3 pipe2 prlimit64
setpgid getpgid getpgrp setsid getsid pause rt_sigsuspend tkill tgkill gettimeofday getrusage times sigaltstack time
clock_nanosleep waitid
stat fstat lstat lseek pread64 pwrite64 access fsync fdatasync truncate ftruncate getcwd chdir fchdir rename mkdir rmdir
creat link unlink symlink readlink chmod fchmod umask getdents64 openat mkdirat newfstatat unlinkat renameat linkat
symlinkat readlinkat fchmodat faccessat renameat2 faccessat2
sendfile statx utimensat futimesat utimes utime chown fchown lchown fchownat statfs fstatfs
mknod mknodat sync syncfs getdents flock fadvise64 fallocate
clone vfork uname sysinfo getuid getgid
setuid setgid geteuid getegid getgroups getresuid getresgid prctl sched_getaffinity set_robust_list getrandom poll
syslog personality sched_setaffinity ioprio_set ioprio_get getitimer setitimer alarm select pselect6 ppoll rt_sigpending rt_sigtimedwait
getpriority setpriority sched_getscheduler sched_setscheduler sched_getparam sched_setparam sched_get_priority_max
sched_get_priority_min sched_rr_get_interval getcpu timer_create timer_settime timer_gettime timer_getoverrun timer_delete"

# strace names the 32-bit calls of `int $0x80` (Kernel/Syscalls/Ia32Number.cs) by their i386
# names: those that differ from the x86-64 names of the same calls.
SUBSET_I386="getuid32 getgid32 geteuid32 getegid32"

# System calls a program makes on purpose to see them fail with ENOSYS (strace's names).
extra_allowed() {
  case "$1" in
    enosys) echo "syscall_0x3e7 syscall_0xffffffffffffffff create_module getpmsg tuxcall set_thread_area vserver" ;;
    *) echo "" ;;
  esac
}

# Standard input and arguments a program gets for the check.
stdin_of() { case "$1" in sh) printf 'help\nforkdemo\nexit 0\n' ;; *) : ;; esac; }
args_of() { case "$1" in sh) echo "-d $OUT" ;; swapdemo) echo "16" ;; faultprobe) echo "cow" ;; *) echo "" ;; esac; }

if ! command -v strace >/dev/null 2>&1; then
  echo "check-syscalls: strace not found; install it with: apt-get install -y strace" >&2
  exit 2
fi

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  mapfile -t names < <("$HERE/build.sh" --list)
  names+=(sh)
fi

bad=0
for name in "${names[@]}"; do
  prog="$OUT/$name"
  if [ ! -x "$prog" ]; then
    echo "BAD $name: $prog is missing (run User/build.sh)"; bad=1; continue
  fi
  log="$(mktemp)" output="$(mktemp)"
  # stdout goes to a file, not /dev/null: writing to /dev/null never reads the buffer, so the
  # -EFAULT checks of write() would fail.
  # shellcheck disable=SC2046
  stdin_of "$name" | strace -f -c -o "$log" "$prog" $(args_of "$name") >"$output" 2>&1
  status=$?
  # The last column of strace's summary table is the system call's name. Only the table's
  # rows count (they start with the % time figure): strace may add other lines to the log,
  # e.g. about a traced child killed by SIGKILL.
  # Names only: strace may end a row with "...>" when a call was cut by the program's exit.
  used="$(awk '$1 ~ /^[0-9.]+$/ && $NF != "total" && $NF ~ /^[a-z0-9_]+$/ { print $NF }' "$log" | sort -u | tr '\n' ' ')"
  failures="$(grep -E '^FAIL' "$output" | head -n 5)"
  rm -f "$log" "$output"
  # A sleep that a signal interrupts (or a stop and continue) under ptrace is resumed by the
  # host kernel through restart_syscall in any program: the program never calls it itself.
  allowed=" $(echo $SUBSET $SUBSET_I386 restart_syscall $(extra_allowed "$name")) "
  outside=""
  for call in $used; do
    case "$allowed" in *" $call "*) ;; *) outside+="$call " ;; esac
  done
  if [ -n "$outside" ]; then
    echo "BAD $name: outside the subset: $outside(all used: $used)"; bad=1
  elif [ "$status" -ne 0 ]; then
    echo "BAD $name: exited with status $status under strace (used: $used)"; bad=1
    [ -n "$failures" ] && echo "$failures"
  else
    echo "OK $name: $used"
  fi
done
exit $bad
