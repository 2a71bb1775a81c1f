#!/usr/bin/env bash
# Packs Cowbird's initrd: a cpio "newc" archive (what the kernel's Fs/Initrd.cs reads)
# holding programs under bin/ and, when an init argv is given, etc/init.argv (the argv
# strings, each NUL-terminated; the kernel starts /bin/<argv[0]> with them as pid 1).
# Usage: mkinitrd.sh OUTPUT [--init ARGV0 [ARG...] --] PROGRAM...
#   PROGRAM  host paths of static ELF files, each packed as bin/<file name>
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "usage: $0 OUTPUT [--init ARGV0 [ARG...] --] PROGRAM..." >&2
  exit 2
fi
output="$1"
shift
init=()
if [ "${1:-}" = "--init" ]; then
  shift
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do init+=("$1"); shift; done
  [ "${1:-}" = "--" ] || { echo "$0: --init needs a closing --" >&2; exit 2; }
  shift
fi

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin" "$stage/etc"
for program in "$@"; do
  [ -f "$program" ] || { echo "$0: no such program: $program" >&2; exit 1; }
  cp "$program" "$stage/bin/$(basename "$program")"
done
if [ ${#init[@]} -gt 0 ]; then
  printf '%s\0' "${init[@]}" >"$stage/etc/init.argv"
fi
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet) >"$output.tmp"
mv "$output.tmp" "$output"
