#!/usr/bin/env bash
# Debian's busybox-static (GPL-2.0): fetched once with `apt-get download` into out/busybox/
# and unpacked with dpkg-deb; never committed. Prints the path of the binary.
# Concurrent callers (the kernel build, the runner, the test suites) take turns through a
# lock file, so only one downloads.
# Usage: Kernel/Build/busybox.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
home="$root/out/busybox"
binary="$home/bin/busybox"

# apt-get download of the package into directory $1 (its errors in $1/apt.log).
download() {
  (cd "$1" && apt-get download -qq busybox-static >/dev/null 2>"$1/apt.log")
}

# Downloads and unpacks the package into $home (called with the lock held).
fetch() {
  [ -x "$binary" ] && return 0
  local work
  work="$(mktemp -d "$root/out/busybox.XXXXXX")"
  # apt-get download writes into the current directory, as the _apt user when it can.
  chmod 755 "$work"
  if ! download "$work"; then
    # A fresh machine may have no package lists yet: root can fetch them once and retry.
    if [ "$(id -u)" -ne 0 ] || ! apt-get update -qq >/dev/null 2>&1 || ! download "$work"; then
      cat "$work/apt.log" >&2
      echo "$0: apt-get download busybox-static failed (apt-get update first?)" >&2
      rm -rf "$work"
      exit 1
    fi
  fi
  dpkg-deb --fsys-tarfile "$work"/busybox-static_*.deb | tar -x -C "$work" ./bin/busybox
  dpkg-deb -f "$work"/busybox-static_*.deb Version >"$work/version"
  rm -rf "$home"
  mkdir -p "$home/bin"
  mv "$work/bin/busybox" "$binary"
  mv "$work/version" "$home/version"
  rm -rf "$work"
}

mkdir -p "$root/out"
exec 9>"$root/out/.busybox-lock"
flock 9
fetch
echo "$binary"
