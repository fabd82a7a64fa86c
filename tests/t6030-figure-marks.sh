#!/bin/sh
# t6030-figure-marks.sh - marks stay readable however close they are: when
# their labels would overprint, each line gets a number, numbers in one row
# never overlap (widths of DejaVu Sans digits: 0.65 em), and the list
# "number label" under the figure names every mark once.  In compare, each
# trace's marks are told apart (its letter, colour and dash type), and the
# legend says which traces have no power data.  Traces: tests/data/figure.
. "$(dirname "$0")/lib.sh"

FIG=$DATA/figure
SYNTH=$HELPERS/pmt-synth
PROBE=$HELPERS/png-probe
[ -x "$PROBE" ] && test_set_prereq PROBE
test_prereq_why LINUX "its third trace is recorded here and checked as Linux's (memory: RSS; a Mac's is its footprint)"
PM4=$DATA/powermetrics/m1-macmini-macos11.2.2-text-cpu_gpu-gpuload-slice-4samples.txt

# "name x y" of every mark number label of script $1 (x in axis units).
numbers() {
	sed -n "s/^set label [0-9]* '\([A-Z]*[0-9]*\)' at first \([-0-9.e]*\), graph \([0-9.]*\) center.*/\1 \2 \3/p" "$1"
}

# Fails when two numbers of one row of script $1 overlap: x from the axis
# range over a plot area of $2 pixels, each number as wide as its digits
# and letter (0.65 em and 0.75 em of 12 pt at 96 dpi).
no_overlap() {
	xr=$(sed -n "s/^x_min = \([-0-9.e]*\); x_max = \([-0-9.e]*\)$/\1 \2/p" "$1") &&
	numbers "$1" | sort -k3,3 -k2,2n | awk -v r="$xr" -v W="$2" '
		BEGIN { split(r, a, " ") }
		{ px = ($2 - a[1]) / (a[2] - a[1]) * W; w = 0
		  for (i = 1; i <= length($1); i++) w += (substr($1, i, 1) ~ /[0-9]/ ? 0.65 : 0.75) * 16
		  if ($3 == row && px - w / 2 < end) { print "overlap: " last " and " $1; bad = 1 }
		  row = $3; end = px + w / 2; last = $1 }
		END { exit bad }'
}

# The entries of the list under the figure of script $1, one a line.
list_entries() {
	sed -n "s/^marks_[0-9]* = '\(.*\)'$/\1/p" "$1" |
	awk '{ n = split($0, a, "   "); for (i = 1; i <= n; i++) print a[i] }'
}

test_expect_success 'twelve marks, ten of them within 2.5 s of a 60 s trace' '
	"$SYNTH" "$FIG/marks.txt" marks.pmtrace &&
	"$AN" report marks.pmtrace -o out --no-plot >/dev/null &&
	grep "^# marks too close for their labels" out/marks.gp
'

test_expect_success 'a line for every mark' '
	grep "^set arrow [0-9]* from first" out/marks.gp >arrows &&
	test_line_count = 12 arrows
'

test_expect_success 'numbers on the lines, none overlapping another in its row' '
	numbers out/marks.gp >nums && cat nums &&
	test_line_count -ge 10 nums &&
	no_overlap out/marks.gp 1280
'

test_expect_success 'the list under the figure names every mark once, in order' '
	list_entries out/marks.gp >entries &&
	printf "%s\n" "1 open image 1" "2 HNNR on" "3 export" "4 open image 2" "5 HNNR off" \
	    "6 zoom 100%" "7 open image 3" "8 #8" "9 open image 4 with a lon…" "10 done" \
	    "11 open image 5" "12 quit" >want &&
	test_cmp_str "$(cat entries)" "$(cat want)"
'

test_expect_success 'the figure leaves room under the time axis for the list' '
	n=$(grep -c "^marks_[0-9]* = " out/marks.gp) &&
	grep "^set multiplot layout 5,1 margins 0.1,0.9,$(awk -v n="$n" "BEGIN { print 0.065 + n * 0.0125 }")," out/marks.gp
'

test_expect_success 'marks far apart keep their labels along their lines' '
	"$SYNTH" "$FIG/nopm.txt" nopm.pmtrace &&
	"$AN" report nopm.pmtrace -o out --no-plot >/dev/null &&
	grep "^mark_[0-9]* = .half way.$" out/nopm.gp && ! grep "^marks_" out/nopm.gp
'

test_expect_success 'sixty marks in an hour: the list stops at six lines and says how many more' '
	{ echo "header target=t os_name=Linux interval_ms=60000" &&
	  i=0 && while [ "$i" -le 60 ]; do
		echo "proc t=$((i * 60000)) | pid=5 ppid=1 start=1 user=0 sys=0 rss=1000000 threads=1 name=t"
		[ "$i" -lt 60 ] && echo "mark t=$((i * 60000 + 30000)) n=$((i + 1)) label=step $((i + 1)) of sixty"
		i=$((i + 1))
	  done && echo "end t=3600000 reason=2"; } >sixty.txt &&
	"$SYNTH" sixty.txt sixty.pmtrace &&
	"$AN" report sixty.pmtrace -o out --no-plot >/dev/null &&
	grep "^marks_[0-9]* = " out/sixty.gp >lines && test_line_count = 6 lines &&
	more=$(sed -n "s/^marks_6 = .\.\.\. and \([0-9]*\) more marks (phocus-analyze info lists them all).$/\1/p" out/sixty.gp) &&
	shown=$(list_entries out/sixty.gp | grep -c "^[0-9]* step ") &&
	test_cmp_num "$((shown + more))" = 60 &&
	no_overlap out/sixty.gp 1280
'

test_expect_success GNUPLOT,PROBE 'and they render' '
	gnuplot out/marks.gp && gnuplot out/sixty.gp &&
	test_cmp_str "$("$PROBE" out/marks.png size)" 1600x1800 &&
	test "$("$PROBE" out/marks.png ink 0 1740 1600 1800)" -gt 500
'

# ---------------------------------------------------------------- compare

test_expect_success LINUX 'compare: a trace with power data and the marks trace twice' '
	"$REC" -q -i 250 -d 3 -o pm.pmtrace --powermetrics-cmd "pm-replay -i 500 --loop $PM4" \
	    -- sleep 5 </dev/null >/dev/null 2>&1 &&
	cp marks.pmtrace again.pmtrace &&
	"$AN" compare marks.pmtrace again.pmtrace pm.pmtrace -o cmp >cmp.out &&
	test -s cmp/compare.gp
'

test_expect_success LINUX 'each trace marks its own: A11 and B11 at the same time, in two rows' '
	numbers cmp/compare.gp >cnums &&
	a=$(grep "^A11 " cnums) && b=$(grep "^B11 " cnums) &&
	test_cmp_str "$(echo "$a" | cut -d" " -f2)" "$(echo "$b" | cut -d" " -f2)" &&
	test "$(echo "$a" | cut -d" " -f3)" != "$(echo "$b" | cut -d" " -f3)" &&
	no_overlap cmp/compare.gp 1280
'

test_expect_success LINUX 'their lines differ in colour and dash type; each list line in its colour' '
	a_dt=$(grep "^set arrow .* lc rgb .#0072B2.$" cmp/compare.gp | sed "s/.* dt \([0-9]*\) .*/\1/" | sort -u) &&
	b_dt=$(grep "^set arrow .* lc rgb .#D55E00.$" cmp/compare.gp | sed "s/.* dt \([0-9]*\) .*/\1/" | sort -u) &&
	test_cmp_str "$a_dt" 2 && test_cmp_str "$b_dt" 3 &&
	grep "^marks_1 = .A1 open image 1 " cmp/compare.gp &&
	grep "^set label [0-9]* marks_1 .* tc rgb .#0072B2.$" cmp/compare.gp &&
	list_entries cmp/compare.gp | grep -c "^B[0-9]* " >nb && test_cmp_str "$(cat nb)" 12
'

test_expect_success LINUX 'the legend names the power source of each trace, or says it has none' '
	grep "^label_1 = .*(memory: footprint; no power data)" cmp/compare.gp &&
	grep "^label_2 = .*(memory: footprint; no power data)" cmp/compare.gp &&
	grep "^label_3 = .*(memory: RSS; power: powermetrics)." cmp/compare.gp
'

test_done
