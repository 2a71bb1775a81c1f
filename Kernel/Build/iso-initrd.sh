#!/usr/bin/env bash
# The initrd of the ISO: the default system (every User/ program and Debian's busybox in
# /bin, no etc/init.argv, so the kernel starts /bin/sh). Rewrites OUTPUT only when a program is newer than it, so
# an unchanged build does not remake the ISO.
# Usage: Kernel/Build/iso-initrd.sh OUTPUT
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 OUTPUT" >&2; exit 2; }
output="$1"
build="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
list="$("$build/user-programs.sh")"
mapfile -t programs <<<"$list"
[ ${#programs[@]} -gt 0 ] || { echo "$0: User/ built no programs" >&2; exit 1; }
programs+=("$("$build/busybox.sh")")
stale=0
[ -e "$output" ] || stale=1
for p in "${programs[@]}" "$build/mkinitrd.sh"; do
  [ "$p" -nt "$output" ] && stale=1
done
if [ "$stale" -eq 1 ]; then
  mkdir -p "$(dirname "$output")"
  "$build/mkinitrd.sh" "$output" "${programs[@]}"
fi
