#!/bin/sh
# t6050-figure-empty.sh - traces with almost nothing in them (a target that
# exits at once, a 0.1 s recording, a trace with a header only, a capture
# of one powermetrics sample) give a whole figure that says so: gnuplot
# runs without an error or a warning, and the PNG is drawn to the bottom
# (pixels, tests/helpers/png-probe).
. "$(dirname "$0")/lib.sh"

SYNTH=$HELPERS/pmt-synth
PROBE=$HELPERS/png-probe
[ -x "$PROBE" ] && test_set_prereq PROBE
PM1=$DATA/powermetrics/m4pro-macos15.5-plist-gpu_power-1sample.plist

# Fails unless PNG $1 is 1600x1800 with ink in each fifth of its height
# (200 rows each: every panel, 220 rows high, 100 apart, is drawn) and in
# its bottom strip (the time axis' numbers).
whole_figure() {
	test_cmp_str "$("$PROBE" "$1" size)" 1600x1800 &&
	for y in 0 360 720 1080 1440 1700; do
		n=$("$PROBE" "$1" ink 0 $y 1600 $((y + 200))) &&
		echo "$1: ink in rows $y..$((y + 200)): $n" && test_cmp_num "$n" -gt 100 || return 1
	done
}

# Reports trace $1 into out/, then runs its script by hand: no message at all
# (but the one gnuplot prints under a C locale for `set encoding utf8`).
report_quiet() {
	"$AN" report "$1.pmtrace" -o out >"$1.out" 2>"$1.err" &&
	test_cmp_str "$(cat "$1.err")" "" &&
	grep "^Figure: out/$1.png" "$1.out" &&
	gnuplot "out/$1.gp" 2>"$1.gperr" &&
	test_cmp_str "$(grep -v "warning: iconv failed to convert degree sign" "$1.gperr")" ""
}

test_expect_success 'record a target that exits at once (false) and a 0.1 s recording' '
	"$REC" -q -o false.pmtrace -- false </dev/null >/dev/null 2>&1 &&
	"$REC" -q -i 20 -d 0.1 -o short.pmtrace -- sleep 2 </dev/null >/dev/null 2>&1 &&
	"$AN" info false.pmtrace | grep "target exit"
'

test_expect_success GNUPLOT 'false: a figure, no gnuplot message' '
	report_quiet false
'

test_expect_success 'false: the figure says almost nothing was recorded, and why' '
	grep "^note_text = .Almost nothing was recorded: [0-9]* samples\{0,1\} in .*exited.*$" out/false.gp &&
	sed -n "/^# ---- 1. memory/,/^# ---- 2/p" out/false.gp >mem.gp &&
	{ grep "no data: the target was gone at every sample" mem.gp ||	# sampled after it exited
	  grep "no data: no memory samples of the target" mem.gp ||		# never sampled
	  grep "with linespoints ls 1 pt 7" mem.gp; }				# sampled once alive: a dot
'

test_expect_success GNUPLOT,PROBE 'false: the PNG is drawn whole' '
	whole_figure out/false.png
'

test_expect_success GNUPLOT,PROBE 'a 0.1 s recording: a whole figure that says so, in seconds' '
	report_quiet short &&
	{ grep "^note_text = .Almost nothing was recorded: [0-9]* samples in 0.1 s" out/short.gp ||
	  grep "^title_text = .* 0.1 s.$" out/short.gp; } &&
	grep -x "set xlabel .time since start (seconds)." out/short.gp &&
	whole_figure out/short.png
'

test_expect_success GNUPLOT,PROBE 'a trace with a header and nothing else' '
	printf "%s\n" "header target=nothing os_name=Linux interval_ms=1000" "end t=0 reason=2" >nothing.txt &&
	"$SYNTH" nothing.txt nothing.pmtrace &&
	report_quiet nothing &&
	grep "^note_text = .Almost nothing was recorded: 0 samples" out/nothing.gp &&
	grep "^title_text = .*nothing recorded.$" out/nothing.gp &&
	whole_figure out/nothing.png
'

test_expect_success GNUPLOT,PROBE 'an imported capture of one powermetrics sample' '
	"$AN" import "$PM1" -o one.pmtrace >/dev/null &&
	report_quiet one &&
	whole_figure out/one.png
'

test_expect_success GNUPLOT 'and their per-core figures' '
	for t in false short nothing one; do
		"$AN" report $t.pmtrace -o cores --core-distribution >$t.c.out 2>$t.c.err &&
		test_cmp_str "$(cat $t.c.err)" "" || exit 1
	done
'

test_done
