#!/usr/bin/env bash
# Packs Cowbird's initrd: a cpio "newc" archive (what the kernel's Fs/Initrd.cs reads)
# holding programs under bin/ and, when an init argv is given, etc/init.argv (the argv
# strings, each NUL-terminated; the kernel starts /bin/<argv[0]> with them as pid 1).
# Usage: mkinitrd.sh OUTPUT [--init ARGV0 [ARG...] --] [--root DIR] [--busybox PATH] PROGRAM...
#   --root DIR      copies the tree DIR (files, directories, symlinks, modes) into the archive
#   --busybox PATH  packs PATH as bin/busybox and links bin/<applet> -> busybox for every
#                   applet it lists (`busybox --list`), except where a PROGRAM has that name
#   PROGRAM         host paths of static ELF files, each packed as bin/<file name>;
#                   NAME=PATH packs PATH as bin/NAME
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "usage: $0 OUTPUT [--init ARGV0 [ARG...] --] [--root DIR] [--busybox PATH] PROGRAM..." >&2
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
root=""
busybox=""
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root="$2"; shift 2 ;;
    --busybox) busybox="$2"; shift 2 ;;
    *) break ;;
  esac
done

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin" "$stage/etc"
if [ -n "$root" ]; then
  cp -a "$root/." "$stage/"
fi
for program in "$@"; do
  name="$(basename "$program")"
  if [[ "$program" =~ ^[^/=]+= ]]; then
    name="${program%%=*}"
    program="${program#*=}"
  fi
  [ -f "$program" ] || { echo "$0: no such program: $program" >&2; exit 1; }
  cp "$program" "$stage/bin/$name"
done
if [ -n "$busybox" ]; then
  cp "$busybox" "$stage/bin/busybox"
  # All applets go in bin/ (busybox finds them under any directory), so PATH=/bin finds them.
  for applet in $("$busybox" --list); do
    [ -e "$stage/bin/$applet" ] || ln -s busybox "$stage/bin/$applet"
  done
fi
if [ ${#init[@]} -gt 0 ]; then
  printf '%s\0' "${init[@]}" >"$stage/etc/init.argv"
fi
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet) >"$output.tmp"
mv "$output.tmp" "$output"
