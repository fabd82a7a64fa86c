#!/bin/sh
# samples/record-rawtherapee.sh - how samples/rawtherapee-m1.pmtrace was
# recorded (run from the top of the repository on Linux, after `make` and
# `apt-get install rawtherapee`).  Nothing in it is made up:
#
# * the target is Debian's rawtherapee-cli 5.9, a real raw photo editor,
#   developing four 24-megapixel raw photos (DNG) one after another with
#   noise reduction and sharpening (samples/rawtherapee-denoise-sharpen.pp3);
# * the photos are made by tests/helpers/mkraw (the same bytes for the same
#   arguments on any machine: 6000x4000 RGGB mosaics, 16 bits, seeds 1-4);
# * a mark is set when rawtherapee-cli starts on each photo: its own
#   "Processing: photo-N.dng" line, turned into a line on the recorder's
#   standard input;
# * a real powermetrics capture from an M1 Mac mini on macOS 11.2.2
#   (tests/data/powermetrics: a 4-sample slice of 1 s around a GPU load:
#   GPU 0.8% active at 39 mW, then 84% at 7.3 W; looped) is replayed beside it by
#   scripts/pm-replay: its GPU, ANE and CPU power are that Mac's, not this
#   machine's.
#
# usage: samples/record-rawtherapee.sh [OUT.pmtrace]      (a few minutes)
set -eu
out=${1:-samples/rawtherapee-m1.pmtrace}
W=6000 H=4000 N=4
PM=tests/data/powermetrics/m1-macmini-macos11.2.2-text-cpu_gpu-gpuload-slice-4samples.txt
command -v rawtherapee-cli >/dev/null || { echo "apt-get install rawtherapee" >&2; exit 1; }
make build/phocus-record build/helpers/mkraw >/dev/null
work=$(mktemp -d "${TMPDIR:-/tmp}/rawtherapee-sample.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/out" "$work/home"

i=1
while [ $i -le $N ]; do
	build/helpers/mkraw $W $H $i "$work/photo-$i.dng"
	i=$((i + 1))
done
version=$(rawtherapee-cli -v 2>/dev/null | sed -n 's/^RawTherapee, version \([^,]*\),.*/\1/p')

# rawtherapee-cli prints "Processing: FILE" as it starts each photo; those
# lines become marks through a FIFO read as the recorder's standard input.
mkfifo "$work/marks"
# shellcheck disable=SC2094   # the FIFO is read by the recorder, written by the loop
HOME=$work/home build/phocus-record -q -f -i 1000 -o "$out" \
	--app-version "$version" \
	--powermetrics-cmd "scripts/pm-replay -i 1000 --loop $PM" \
	-- rawtherapee-cli -q -o "$work/out" -p samples/rawtherapee-denoise-sharpen.pp3 \
	   -t -Y -c "$work"/photo-*.dng <"$work/marks" |
while IFS= read -r line; do
	case $line in
	"Processing: "*)
		n=${n:-0}; n=$((n + 1))
		echo "photo $n: denoise + sharpen ${line##*/}"
		;;
	esac
done >"$work/marks"
ls -l "$out"
