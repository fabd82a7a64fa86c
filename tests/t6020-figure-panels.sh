#!/bin/sh
# t6020-figure-panels.sh - the 5-panel figure's layout and axes: panel
# titles above the plots; the machine line fits the figure (pixels);
# memory in MB below 1 GB; threads on integer ticks; time in seconds,
# minutes or hours by the trace's length; the y labels clear of the tick
# labels; the target's lines end at its last live sample (no drop to 0, no
# CPU spike after it exits); PSS, read now and then, drawn as steps;
# "no data" hints that fit the trace's platform.  What gnuplot draws is read
# back with `set table`; expected values are worked out from the traces'
# text (tests/data/figure/*.txt).
. "$(dirname "$0")/lib.sh"

FIG=$DATA/figure
SYNTH=$HELPERS/pmt-synth
PROBE=$HELPERS/png-probe
[ -x "$PROBE" ] && test_set_prereq PROBE
DOT=$(printf '\302\267')

# The n-th (1-based) plot command of script $1, continuation lines joined.
plot_cmd() {
	awk -v n="$2" '/^plot / { k++ } k == n && !done { line = line $0 "\n";
		if ($0 !~ /\\$/) done = 1 } END { printf "%s", line }' "$1"
}

# Writes to $3 the points gnuplot draws for plot $2 of script $1: lines
# "curve x y type" (type i = drawn, u = undefined: the line breaks there).
plot_table() {
	{ echo "here = './'" && sed -n '/^set datafile separator/,/^set xrange/p' "$1" &&
	  echo "set table '$TRASH/$3.raw'" && plot_cmd "$1" "$2" && echo "unset table"; } >"$3.gp" &&
	(cd "$(dirname "$1")" && gnuplot "$TRASH/$3.gp") &&
	awk '/^# Curve [0-9]/ { c = $3 } !/^#/ && NF == 3 { print c, $1, $2, $3 }' "$TRASH/$3.raw" >"$3"
}

# "y type" of curve $2 at x = $3 in table $1, or "none".
point_at() {
	awk -v c="$2" -v x="$3" '$1 == c && $2 + 0 == x + 0 { print $3, $4; f = 1; exit }
		END { if (!f) print "none" }' "$1"
}

# A trace of two rows $1 seconds apart (time axis tests).
two_rows() {
	printf '%s\n' "header target=t os_name=Linux cores_p=2 cores_e=0 interval_ms=1000" \
	    "proc t=0 | pid=5 ppid=1 start=1 user=0 sys=0 rss=2000000000 threads=4 name=t" \
	    "mark t=$(($1 * 500)) n=1 label=half" \
	    "proc t=$(($1 * 1000)) | pid=5 ppid=1 start=1 user=100 sys=0 rss=2000000000 threads=4 name=t" \
	    "end t=$(($1 * 1000)) reason=2" >"$2.txt" &&
	"$SYNTH" "$2.txt" "$2.pmtrace" &&
	"$AN" report "$2.pmtrace" -o out --no-plot >/dev/null
}

test_expect_success 'traces: small (1.8 MB, exits), long machine name, Linux and macOS without power' '
	"$SYNTH" "$FIG/small.txt" small.pmtrace &&
	"$SYNTH" "$FIG/longname.txt" long.pmtrace &&
	"$SYNTH" "$FIG/nopm.txt" nopm.pmtrace &&
	"$SYNTH" "$FIG/ticks.txt" ticks.pmtrace &&
	for t in small long nopm ticks; do
		"$AN" report $t.pmtrace -o out --no-plot --core-distribution >/dev/null || exit 1
	done
'

# ---------------------------------------------------------------- titles and labels

test_expect_success 'panel titles sit above the plots, the legend beside them' '
	test_cmp_str "$(grep -c "^set label 1 .* at graph 0, graph 1 offset 0, character 0.9 left" out/small.gp)" 5 &&
	! grep "^set label 1 .*at graph 0, graph 1.0[0-9]" out/small.gp &&
	grep "^set key at graph 1, graph 1.02 right bottom" out/small.gp &&
	grep "^set label 1 .Threads and CPU of .* at graph 0, graph 1 offset 0, character 0.9" out/ticks-cores.gp
'

test_expect_success 'y labels are not pushed into the tick labels' '
	! grep "set ylabel offset" out/small.gp && ! grep "set ylabel offset" out/long.gp
'

test_expect_success 'the machine line: no trademarks, clock or unknown fields' '
	line=$(grep "^machine_text = " out/long.gp) &&
	echo "$line" | grep "Intel Xeon Platinum 8375C $DOT 2 cores" &&
	! echo "$line" | grep -e "(R)" -e "@" -e "GHz" -e "unknown" -e " CPU "
'

# shellcheck disable=SC2086 # set -- $box: the box is four words
test_expect_success GNUPLOT,PROBE 'the machine line fits the figure: its ink stays off both edges' '
	gnuplot out/long.gp &&
	box=$("$PROBE" out/long.png bbox 0 66 1600 100) && echo "subtitle ink: $box" &&
	set -- $box && test_cmp_num "$1" -ge 8 && test_cmp_num "$3" -le 1591
'

# shellcheck disable=SC2086 # set -- $box: the box is four words
test_expect_success GNUPLOT,PROBE 'a longer machine line still fits: its font shrinks' '
	{ grep "^header" "$FIG/longname.txt" | sed "s/ model=.*$//; s/chip=[^ ]*/chip=Apple_M4_Max_(16-core_CPU,_40-core_GPU)_rev_B/" &&
	  grep -v "^header" "$FIG/longname.txt" | grep -v "^end" &&
	  echo "pm t=500 file=$DATA/powermetrics/m1-macmini-macos11.2.2-text-cpu_gpu-12samples.txt" && echo "end t=2000 reason=2"; } >longer.txt &&
	"$SYNTH" longer.txt longer.pmtrace &&
	"$AN" report longer.pmtrace -o out >/dev/null &&
	grep "^machine_text = .*powermetrics from another machine: Macmini9,1" out/longer.gp &&
	font=$(sed -n "s/^machine_font = .,\([0-9]*\).$/\1/p" out/longer.gp) &&
	echo "font $font" && test_cmp_num "$font" -lt 19 && test_cmp_num "$font" -ge 10 &&
	box=$("$PROBE" out/longer.png bbox 0 66 1600 100) && echo "subtitle ink: $box" &&
	set -- $box && test_cmp_num "$1" -ge 8 && test_cmp_num "$3" -le 1591
'

test_expect_success 'a long target name: the panel title shrinks to leave its legend room' '
	sed "s/target=tiny/target=ProcessingEngineWorker24/; s/name=tiny/name=ProcessingEngineWorker24/" \
	    "$FIG/small.txt" | sed "s/^\(proc .*rss=\([0-9]*\)\)/\1 footprint=\2/" >wide.txt &&
	"$SYNTH" wide.txt wide.pmtrace &&
	"$AN" report wide.pmtrace -o out --no-plot >/dev/null &&
	line=$(grep "^set label 1 .Memory of ProcessingEngineWorker24" out/wide.gp) &&
	font=$(echo "$line" | sed -n "s/.* font .,\([0-9]*\). .*/\1/p") &&
	echo "$line" && test_cmp_num "$font" -lt 19 &&
	grep "^set label 1 .GPU active (system-wide: the whole machine). .* font .,19." out/wide.gp
'

# ---------------------------------------------------------------- axes

test_expect_success 'memory below 1 GB in MB, above in GB; ranges a round step above the data (1.8 MB: 2, 1.5 GB: 2)' '
	grep -x "mem_k = 1000; mem_unit = .MB." out/small.gp &&
	sed -n "/^# ---- 1. memory/,/^# ---- 2/p" out/small.gp | grep -x "set yrange \[0:2\]" &&
	grep -x "mem_k = 1; mem_unit = .GB." out/long.gp &&
	sed -n "/^# ---- 1. memory/,/^# ---- 2/p" out/long.gp | grep -x "set yrange \[0:2\]"
'

test_expect_success 'threads on integer ticks with room above the most threads' '
	sed -n "/^# ---- 2. CPU/,/^# ---- 3/p" out/small.gp >cpu2 &&
	grep -x "set y2tics 0, 1 nomirror out" cpu2 && grep -x "set format y2 .%.0f." cpu2 &&
	grep "^set y2range \[0:4\]" cpu2 &&
	sed -n "/^# ---- 2. CPU/,/^# ---- 3/p" out/long.gp >cpu2l &&
	grep -x "set y2tics 0, 10 nomirror out" cpu2l && grep "^set y2range \[0:40\]" cpu2l
'

test_expect_success 'time in seconds (9 s), minutes (30 min), hours (3 h); marks in the same unit' '
	grep -x "x_div = 1   # seconds per unit of the time axis" out/small.gp &&
	grep -x "set xlabel .time since start (seconds)." out/small.gp &&
	two_rows 1800 half-hour && grep -x "x_div = 60   # seconds per unit of the time axis" out/half-hour.gp &&
	grep -x "set xlabel .time since start (minutes)." out/half-hour.gp &&
	grep "^set arrow 10 from first 15, graph 0" out/half-hour.gp &&
	two_rows 10800 three-hours && grep -x "x_div = 3600   # seconds per unit of the time axis" out/three-hours.gp &&
	grep -x "set xlabel .time since start (hours)." out/three-hours.gp &&
	grep "^set arrow 10 from first 1.5, graph 0" out/three-hours.gp
'

# ---------------------------------------------------------------- the end of the target

test_expect_success GNUPLOT 'memory ends at the last live sample (9 s), no drop to 0 at 9.2 s' '
	plot_table out/small.gp 1 mem &&
	test_cmp_str "$(point_at mem 0 9)" "1.8 i" &&
	case "$(point_at mem 0 9.2)" in "none"|*" u") ;; *) point_at mem 0 9.2; exit 1 ;; esac
'

test_expect_success GNUPLOT 'CPU ends there too: 20% at 9 s, the exit spike (40%) not drawn' '
	plot_table out/small.gp 2 cpu &&
	test_cmp_str "$(point_at cpu 0 9)" "20 i" &&
	case "$(point_at cpu 0 9.2)" in "none"|*" u") ;; *) point_at cpu 0 9.2; exit 1 ;; esac &&
	test_cmp_str "$(point_at cpu 1 9)" "1 i"
'

# ---------------------------------------------------------------- PSS

test_expect_success GNUPLOT 'PSS (read at 0, 3, 6 s) is drawn as steps holding each read (3 s < hold_s)' '
	grep "with steps ls 3 title .PSS." out/small.gp &&
	for x in 0 1 2; do test_cmp_str "$(point_at mem 1 $x)" "1.2 i" || exit 1; done &&
	for x in 3 4 5; do test_cmp_str "$(point_at mem 1 $x)" "1.5 i" || exit 1; done &&
	for x in 6 7 8 9; do test_cmp_str "$(point_at mem 1 $x)" "1.6 i" || exit 1; done
'

test_expect_success GNUPLOT 'PSS read at 0 and 30 s (a large process): held 10 s, a dot at each read' '
	{ echo "header target=big os_name=Linux cores_p=2 cores_e=0 interval_ms=1000" &&
	  s=0 && while [ "$s" -le 30 ]; do
		p= && if [ "$s" = 0 ] || [ "$s" = 30 ]; then p=" pss=$((1000 + s))000000"; fi
		echo "proc t=${s}000 | pid=5 ppid=1 start=1 user=$((s * 50)) sys=0 rss=2000000000$p threads=4 name=big"
		s=$((s + 1))
	  done && echo "end t=30000 reason=2"; } >big.txt &&
	"$SYNTH" big.txt big.pmtrace &&
	"$AN" report big.pmtrace -o out --no-plot >/dev/null &&
	grep -x "hold_s = 10" out/big.gp &&
	plot_table out/big.gp 1 bigmem &&
	test_cmp_str "$(point_at bigmem 1 10)" "1 i" &&
	case "$(point_at bigmem 1 11)" in "none"|*" u") ;; *) point_at bigmem 1 11; exit 1 ;; esac &&
	test_cmp_str "$(point_at bigmem 1 30)" "1.03 i" &&
	test_cmp_str "$(point_at bigmem 2 0)" "1 i" && test_cmp_str "$(point_at bigmem 2 30)" "1.03 i" &&
	test_cmp_str "$(awk "\$1 == 2 && \$4 == \"i\"" bigmem | wc -l | tr -d " ")" 2
'

# ---------------------------------------------------------------- hints by platform

test_expect_success 'a Linux trace without power data says how to get it on Linux' '
	test_cmp_str "$(grep -c "no data: powermetrics was not recorded (Linux has none: give --powermetrics-cmd, e.g. scripts/pm-replay)" out/nopm.gp)" 2 &&
	! grep sudo out/nopm.gp
'

test_expect_success 'a macOS trace without power data says IOReport needs no sudo, powermetrics does' '
	test_cmp_str "$(grep -c "no data: neither IOReport nor powermetrics was recorded (on macOS: IOReport needs no sudo (unless --no-ioreport); powermetrics needs sudo)" out/ticks.gp)" 2
'

test_expect_success 'the core figure says "macOS cannot tell which core" only on macOS traces' '
	grep "macOS cannot tell which core" out/ticks-cores.gp &&
	"$AN" report small.pmtrace -o out --no-plot --core-distribution >cores.out &&
	sed "s/os_name=macOS/os_name=Linux/" "$FIG/ticks.txt" >lticks.txt &&
	"$SYNTH" lticks.txt lticks.pmtrace &&
	"$AN" report lticks.pmtrace -o out --no-plot --core-distribution >/dev/null &&
	grep "^caveat = .System-wide: every process on every core, not only the target.$" out/lticks-cores.gp &&
	! grep "macOS" out/lticks-cores.gp
'

test_done
