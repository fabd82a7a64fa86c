#!/bin/sh
# samples/record-sample.sh - how samples/fake-editor-m1.pmtrace was recorded
# (run from the top of the repository, after `make`).  Nothing is made up:
# phocus-record follows a real process tree on Linux (tests/helpers/
# fake-editor: opens an "image" every 6 s, keeping 250 MiB each time, with a
# short-lived helper burning CPU), while a real powermetrics capture from an
# M1 Mac mini (tests/data/powermetrics, GPU going 0.8% -> 84% -> 100%) is
# replayed alongside by scripts/pm-replay; the marks are typed on standard
# input at the moments the editor opens its images.
set -eu
out=${1:-samples/fake-editor-m1.pmtrace}
make build/phocus-record build/helpers/fake-editor build/helpers/burn >/dev/null
{
	for i in 1 2 3 4; do
		sleep 6
		echo "open image $i"
	done
	sleep 8
} | build/phocus-record -q -f -i 500 -o "$out" \
	--app-version "simulated 1.0" \
	--powermetrics-cmd "scripts/pm-replay -i 1000 --loop tests/data/powermetrics/m1-macmini-macos11.2.2-text-cpu_gpu-gpuload-slice-4samples.txt" \
	-- build/helpers/fake-editor 4 6 250
