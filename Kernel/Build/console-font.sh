#!/usr/bin/env bash
# Converts a Linux console font (PSF1, as Debian's console-setup-linux ships them in
# /usr/share/consolefonts; those fonts are public domain) into the kernel's console font:
# 128 glyphs of 8x16 pixels for the ASCII codes 0..127, 16 bytes each (one byte a row,
# bit 7 = leftmost pixel), 2048 bytes in all. A code the font has no glyph for (the control
# characters) gets an empty glyph. The PSF font's Unicode table says which glyph is which
# character, so the font's own glyph order does not matter.
# Usage: Kernel/Build/console-font.sh FONT.psf[.gz] OUTPUT
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 FONT.psf[.gz] OUTPUT" >&2; exit 2; }
font="$1"
output="$2"
[ -f "$font" ] || { echo "$0: no font $font (Debian package console-setup-linux)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
case "$font" in
  *.gz) gzip -dc "$font" >"$work/font.psf" ;;
  *) cp "$font" "$work/font.psf" ;;
esac

# PSF1 header: magic 0x36 0x04, mode, bytes per glyph (= rows, 8 pixels wide).
read -r m0 m1 mode height < <(od -An -v -tu1 -N4 "$work/font.psf")
[ "$m0" -eq 54 ] && [ "$m1" -eq 4 ] || { echo "$0: $font is not a PSF1 font" >&2; exit 1; }
[ "$height" -eq 16 ] || { echo "$0: $font has $height-row glyphs, not 16" >&2; exit 1; }
glyphs=$(( (mode & 1) ? 512 : 256 ))
(( mode & 2 )) || { echo "$0: $font has no Unicode table" >&2; exit 1; }

# The Unicode table: per glyph, 16-bit code points ending with 0xFFFF (0xFFFE starts
# a sequence of combining characters, which are skipped).
declare -A glyph_of
glyph=0
in_sequence=0
while read -r code; do
  if [ "$code" -eq 65535 ]; then glyph=$((glyph + 1)); in_sequence=0; continue; fi
  if [ "$code" -eq 65534 ]; then in_sequence=1; continue; fi
  if [ "$in_sequence" -eq 0 ] && [ "$code" -lt 128 ] && [ -z "${glyph_of[$code]:-}" ]; then
    glyph_of[$code]=$glyph
  fi
done < <(od -An -v -tu2 -w2 -j $((4 + glyphs * 16)) "$work/font.psf")

mapfile -t bytes < <(od -An -v -to1 -w1 "$work/font.psf")
: >"$work/out"
for ((code = 0; code < 128; code++)); do
  glyph_bytes=""
  for ((row = 0; row < 16; row++)); do
    if [ -n "${glyph_of[$code]:-}" ]; then
      glyph_bytes+="\\${bytes[4 + ${glyph_of[$code]} * 16 + row]// /}"
    else
      glyph_bytes+="\\000"
    fi
  done
  printf "$glyph_bytes" >>"$work/out"
done
[ -n "${glyph_of[65]:-}" ] || { echo "$0: $font has no glyph for 'A'" >&2; exit 1; }
mv "$work/out" "$output"
