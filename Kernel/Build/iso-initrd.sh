#!/usr/bin/env bash
# The initrd of the default system (the ISO's, and `./build.sh run` without a program):
# Debian's busybox as /bin/busybox with a /bin/<applet> link for each of its applets (so
# /bin/sh is busybox ash), every User/ program in /bin beside them (a program wins over an
# applet of the same name), the project's own shell as /bin/cbsh, and User/rootfs (/etc,
# /root). No etc/init.argv, so the kernel starts the shell itself. Rewrites OUTPUT only when
# an input is newer than it, so an unchanged build does not remake the ISO.
# Usage: Kernel/Build/iso-initrd.sh OUTPUT
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 OUTPUT" >&2; exit 2; }
output="$1"
build="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
rootfs="$build/../../User/rootfs"
list="$("$build/user-programs.sh")"
mapfile -t found <<<"$list"
[ ${#found[@]} -gt 0 ] || { echo "$0: User/ built no programs" >&2; exit 1; }
busybox="$("$build/busybox.sh")"
programs=()
for p in "${found[@]}"; do
  if [ "$(basename "$p")" = sh ]; then programs+=("cbsh=$p"); else programs+=("$p"); fi
done
stale=0
[ -e "$output" ] || stale=1
for p in "${found[@]}" "$busybox" "$build/mkinitrd.sh" $(find "$rootfs"); do
  [ "$p" -nt "$output" ] && stale=1
done
if [ "$stale" -eq 1 ]; then
  mkdir -p "$(dirname "$output")"
  "$build/mkinitrd.sh" "$output" --root "$rootfs" --busybox "$busybox" "${programs[@]}"
fi
