#!/bin/sh
# samples/readme-figure.sh - makes samples/rawtherapee-m1.png, the figure the
# README shows: the report's figure of samples/rawtherapee-m1.pmtrace, drawn
# by the script `phocus-analyze report` writes, at 900 px wide instead of
# 1600 (the same layout: fonts and lines scaled by 0.5625) so that the file
# stays small.  Run from the top of the repository after `make`.
set -eu
B=${B:-build}
trace=samples/rawtherapee-m1.pmtrace
out=samples/rawtherapee-m1.png
work=$(mktemp -d "${TMPDIR:-/tmp}/readme-figure.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$B/phocus-analyze" report "$trace" -o "$work" --no-plot >/dev/null
sed -e "s/^set terminal pngcairo size 1600,1800 \(.*\) linewidth 2 /set terminal pngcairo size 900,1012 \1 fontscale 0.5625 linewidth 1.125 /" \
    -e "s/^out_file = .*/out_file = 'readme.png'/" "$work/rawtherapee-m1.gp" >"$work/readme.gp"
grep -q "^set terminal pngcairo size 900,1012" "$work/readme.gp" ||
	{ echo "readme-figure: the script's terminal line changed: update this sed" >&2; exit 1; }
gnuplot "$work/readme.gp"
cp "$work/readme.png" "$out"
ls -l "$out"
