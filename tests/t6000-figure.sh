#!/bin/sh
# t6000-figure.sh - the report's figure: the gnuplot script written beside
# the CSV runs under gnuplot (from its folder and from elsewhere) and draws
# a 1600x1800 PNG (svg and pdf too); panels without data say so; gaps are
# not bridged; no gnuplot or --no-plot still writes the script; a hostile
# trace (labels, header strings, file names) runs nothing; and the
# per-core figure from tick counters (a 2^32 wrap included) and from
# replayed powermetrics.  Expected values come from the traces' text
# (tests/data/figure) or the captures, read by hand.
. "$(dirname "$0")/lib.sh"

FIG=$DATA/figure
PM12=$DATA/powermetrics/m1-macmini-macos11.2.2-text-cpu_gpu-12samples.txt
SYNTH=$HELPERS/pmt-synth
[ -x "$SYNTH" ] && test_set_prereq SYNTH

# "WIDTHxHEIGHT" of a PNG, from its IHDR chunk (bytes 16-23, big-endian).
png_size() {
	od -An -tu1 -j16 -N8 "$1" | awk '{ printf "%dx%d\n",
		(($1 * 256 + $2) * 256 + $3) * 256 + $4, (($5 * 256 + $6) * 256 + $7) * 256 + $8 }'
}

# True when $1 starts with the PNG signature (\211 P N G).
is_png() {
	test_cmp_str "$(od -An -tx1 -N4 "$1" | tr -d ' \n')" 89504e47
}

# A directory whose only program is a fake gnuplot that fails ($1 = bin dir).
fake_gnuplot() {
	mkdir -p "$1" &&
	printf '#!/bin/sh\necho "line 3: unknown terminal type" >&2\nexit 1\n' >"$1/gnuplot" &&
	chmod +x "$1/gnuplot"
}

# ---------------------------------------------------------------- recording

test_expect_success RECORDER 'record a trace with replayed powermetrics and two marks' '
	(sleep 1; echo "open image 1"; sleep 1; echo "HNNR on") |
	"$REC" -q -i 200 -d 4 -o pm.pmtrace \
		--powermetrics-cmd "pm-replay -i 1000 --loop $PM12" \
		-- sh -c "i=0; while [ \$i -lt 50000 ]; do i=\$((i+1)); done; sleep 5" \
		>rec.out 2>rec.err &&
	"$AN" info pm.pmtrace >info.out &&
	grep "open image 1" info.out && grep "HNNR on" info.out
'

# ---------------------------------------------------------------- the 5-panel figure

test_expect_success GNUPLOT,RECORDER 'report draws a 1600x1800 PNG beside the CSV and script' '
	"$AN" report pm.pmtrace -o out >rep.out &&
	test -s out/pm.csv && test -s out/pm.gp &&
	is_png out/pm.png &&
	test_cmp_str "$(png_size out/pm.png)" 1600x1800 &&
	grep "^Figure: out/pm.png" rep.out
'

test_expect_success RECORDER 'the script reads the CSV beside it; terminal and output at the top' '
	grep -x "data = here . '\''pm.csv'\''" out/pm.gp &&
	grep -x "out_file = '\''pm.png'\''" out/pm.gp &&
	first=$(grep -n "^set terminal" out/pm.gp | head -n 1 | cut -d: -f1) &&
	test_cmp_num "$first" -lt 20 &&
	test_cmp_str "$(grep -c "^set multiplot layout 5,1" out/pm.gp)" 1 &&
	test_cmp_str "$(grep -c "^plot " out/pm.gp)" 5
'

test_expect_success GNUPLOT,RECORDER 'the script runs by hand from its folder and from anywhere' '
	rm -f out/pm.png && (cd out && gnuplot pm.gp) && is_png out/pm.png &&
	rm -f out/pm.png && gnuplot out/pm.gp && is_png out/pm.png &&
	rm -f out/pm.png && mkdir -p elsewhere && (cd elsewhere && gnuplot "$TRASH/out/pm.gp") &&
	is_png out/pm.png && ! test -e pm.png && ! test -e elsewhere/pm.png
'

test_expect_success GNUPLOT,RECORDER 'with powermetrics data every panel draws it' '
	grep "y(c_gpu)" out/pm.gp && grep "y(c_gpu_w)" out/pm.gp && grep "y(c_ane_w)" out/pm.gp &&
	! grep "no data" out/pm.gp
'

test_expect_success RECORDER 'marks: one line each at its time (info), text on the top panel' '
	sed -n "/^Marks:/,\$p" info.out | sed -n "s/^ *\([0-9.]*\) s *[0-9]*  \(.*\)$/\1 \2/p" >marks &&
	test_line_count -eq 2 marks &&
	test_cmp_str "$(grep -c "^set arrow" out/pm.gp)" 2 &&
	div=$(sed -n "s/^x_div = \([0-9]*\) .*/\1/p" out/pm.gp) &&
	while read -r t label; do
		awk -v x="$t" -v div="$div" "/^set arrow/ { split(\$6, a, \",\"); d = a[1] - x / div;
			if (d < 0.0005 && d > -0.0005) f = 1 } END { exit !f }" out/pm.gp ||
		{ echo "no line at $t s for $label"; exit 1; }
	done <marks &&
	grep "^mark_[0-9]* = '\''open image 1'\''" out/pm.gp &&
	grep "^mark_[0-9]* = '\''HNNR on'\''" out/pm.gp
'

test_expect_success GNUPLOT,RECORDER '--format svg and --format pdf' '
	"$AN" report pm.pmtrace -o svg --format svg >/dev/null &&
	grep -q "<svg" svg/pm.svg && grep -q "width=\"1600\"" svg/pm.svg &&
	"$AN" report pm.pmtrace -o pdf --format pdf >/dev/null &&
	test_cmp_str "$(head -c 5 pdf/pm.pdf)" "%PDF-"
'

test_expect_success RECORDER '--no-plot writes the script and the CSV, no figure' '
	"$AN" report pm.pmtrace -o np --no-plot >np.out &&
	test -s np/pm.gp && test -s np/pm.csv && ! test -e np/pm.png &&
	grep -- "--no-plot" np.out
'

test_expect_success RECORDER 'no gnuplot: exit 0, script and CSV written, how to install it' '
	PATH=/nonexistent "$AN" report pm.pmtrace -o ng >ng.out 2>ng.err &&
	test -s ng/pm.gp && test -s ng/pm.csv && ! test -e ng/pm.png &&
	grep "gnuplot not found: install it (Debian/Ubuntu: apt-get install gnuplot-nox; macOS: brew install gnuplot), then run: cd ng && gnuplot pm.gp" ng.out
'

test_expect_success RECORDER 'gnuplot fails: its message, exit 1' '
	fake_gnuplot fake &&
	! PATH="$TRASH/fake" "$AN" report pm.pmtrace -o fk >fk.out 2>fk.err &&
	grep "gnuplot failed on fk/pm.gp" fk.err &&
	grep "unknown terminal type" fk.err
'

# ---------------------------------------------------------------- missing data

test_expect_success SYNTH 'no powermetrics, no swap, no footprint: five panels, "no data" inside' '
	"$SYNTH" "$FIG/nopm.txt" nopm.pmtrace &&
	"$AN" report nopm.pmtrace -o nd --no-plot >/dev/null &&
	test_cmp_str "$(grep -c "^plot " nd/nopm.gp)" 5 &&
	test_cmp_str "$(grep -c "no data: powermetrics was not recorded (Linux has none: give --powermetrics-cmd" nd/nopm.gp)" 2 &&
	grep "no data: swap was not recorded" nd/nopm.gp &&
	grep "title '\''RSS'\''" nd/nopm.gp &&
	! grep "y(c_footprint)" nd/nopm.gp && ! grep "y(c_pss)" nd/nopm.gp &&
	! grep "y(c_gpu" nd/nopm.gp && ! grep "y(c_swap)" nd/nopm.gp
'

test_expect_success GNUPLOT,SYNTH 'and it renders' '
	gnuplot nd/nopm.gp && test_cmp_str "$(png_size nd/nopm.png)" 1600x1800
'

test_expect_success GNUPLOT,SYNTH 'a gap (sleep) is not bridged: the row after it is undefined' '
	"$SYNTH" "$FIG/gap.txt" gap.pmtrace &&
	"$AN" report gap.pmtrace -o gp >/dev/null &&
	grep "app(c_footprint)" gp/gap.gp && grep "y(c_swap)" gp/gap.gp &&
	gapcol=$(grep -m1 "^elapsed_s," gp/gap.csv | tr , "\n" | grep -n "^gap\$" | cut -d: -f1) &&
	test_cmp_str "$(grep "^66," gp/gap.csv | cut -d, -f"$gapcol")" 1 &&
	{ sed -n "/^set datafile/,/^y(c) = /p" gp/gap.gp &&
	  echo "set table \"gap.table\"" &&
	  echo "plot \"gp/gap.csv\" using (column(c_t)/60):(y(c_rss)) with table"; } >table.gp &&
	gnuplot table.gp &&
	awk "!/^#/ && \$2 == \"nan\" { print \$1 }" gap.table >undef &&
	test_cmp_str "$(cat undef)" 1.1 &&
	test_cmp_num "$(awk "!/^#/ && NF == 2 && \$2 != \"nan\"" gap.table | wc -l)" = 8
'

# ---------------------------------------------------------------- hostile traces

test_expect_success GNUPLOT,SYNTH 'hostile strings and file names: nothing runs, the figure is made' '
	"$SYNTH" "$FIG/hostile.txt" h.pmtrace &&
	mkdir hx && for n in "x\`touch PWNED_f1\`\$(touch PWNED_f2)" "<touch PWNED_f3;x" \
	    "|touch PWNED_f4;x" "-e system(\"touch PWNED_f5\");x" "it'\''s @x \\" ; do
		cp h.pmtrace "hx/$n.pmtrace" &&
		"$AN" report "hx/$n.pmtrace" -o hx/out --core-distribution >>hx.out 2>&1 &&
		test_cmp_str "$(png_size "hx/out/$n.png")" 1600x1800 &&
		(cd / && gnuplot "$TRASH/hx/out/$n.gp") || exit 1
	done &&
	find "$TRASH" -name "PWNED*" >pwned &&
	test_cmp_str "$(cat pwned)" ""
'

test_expect_success SYNTH 'the hostile script holds no backquote, at sign or control byte' '
	f="hx/out/x\`touch PWNED_f1\`\$(touch PWNED_f2).gp" &&
	test_cmp_str "$(tr -cd "\`@" <"$f")" "" &&
	test_cmp_num "$(tr -d "\n\t" <"$f" | tr -cd "\000-\037\177" | wc -c)" = 0 &&
	grep -F "\"\\140\".'\''touch PWNED_m1'\''.\"\\140\"" "$f" &&
	grep -F "data = here . '\''x'\''.\"\\140\".'\''touch PWNED_f1'\''" "$f"
'

# ---------------------------------------------------------------- per-core figure

test_expect_success GNUPLOT,SYNTH 'cores from ticks: 2^32 wrap unwrapped, P-cores first' '
	"$SYNTH" "$FIG/ticks.txt" ticks.pmtrace &&
	"$AN" report ticks.pmtrace -o tk --core-distribution >/dev/null &&
	grep -v "^#" tk/ticks-cores.csv | grep . >got &&
	printf "%s\n" "elapsed_s,row,cpu,group,active_pct" "0.5,0,1,\"P-cores\",5" \
	    "0.5,1,0,\"E-cores\",30" "1.5,0,1,\"P-cores\",90" "1.5,1,0,\"E-cores\",50" >want &&
	test_cmp_str "$(cat got)" "$(cat want)" &&
	test_cmp_str "$(png_size tk/ticks-cores.png)" 1600x1400 &&
	grep "macOS cannot tell which core a given process runs on" tk/ticks-cores.gp
'

test_expect_success GNUPLOT,RECORDER 'cores from a recording here (ticks): one row per core' '
	"$REC" -q -i 200 -d 2 -o lx.pmtrace -- sh -c "i=0; while [ \$i -lt 100000 ]; do i=\$((i+1)); done; sleep 3" </dev/null >/dev/null 2>&1 &&
	"$AN" report lx.pmtrace -o lx --core-distribution >/dev/null &&
	ncpu=$(getconf _NPROCESSORS_ONLN) &&
	rows=$(grep -v "^#" lx/lx-cores.csv | awk -F, "NR > 1 && NF { print \$2 }" | sort -u | wc -l) &&
	test_cmp_num "$rows" = "$ncpu" &&
	grep -v "^#" lx/lx-cores.csv | awk -F, "NR > 1 && \$5 != \"\" { n++; if (\$5 < 0 || \$5 > 100) bad++ } END { exit !(n > 0 && !bad) }" &&
	grep "per-core CPU ticks" lx/lx-cores.gp &&
	test_cmp_str "$(png_size lx/lx-cores.png)" 1600x1400
'

test_expect_success GNUPLOT,RECORDER 'cores from replayed powermetrics: E and P clusters of the M1' '
	"$AN" report pm.pmtrace -o pc --core-distribution >/dev/null &&
	grep -v "^#" pc/pm-cores.csv | awk -F, "NR > 1 && NF { print \$2, \$3, \$4 }" | sort -u >rows &&
	printf "%s\n" "0 4 \"P-Cluster\"" "1 5 \"P-Cluster\"" "2 6 \"P-Cluster\"" "3 7 \"P-Cluster\"" \
	    "4 0 \"E-Cluster\"" "5 1 \"E-Cluster\"" "6 2 \"E-Cluster\"" "7 3 \"E-Cluster\"" >want &&
	test_cmp_str "$(cat rows)" "$(cat want)" &&
	grep "powermetrics per-CPU active residency" pc/pm-cores.gp &&
	test_cmp_str "$(png_size pc/pm-cores.png)" 1600x1400
'

test_expect_success RECORDER 'cpu 0 activity lies within the capture'\''s own values' '
	sed -n "s/^cpu 0 active residency: *\([0-9.]*\)%.*/\1/p" "$PM12" | sort -n >capture &&
	lo=$(head -n 1 capture) && hi=$(tail -n 1 capture) &&
	grep -v "^#" pc/pm-cores.csv | awk -F, -v lo="$lo" -v hi="$hi" "NR > 1 && \$3 == 0 && \$5 != \"\" {
		n++; if (\$5 < lo - 0.001 || \$5 > hi + 0.001) bad++ } END { print n, lo, hi; exit !(n > 0 && !bad) }"
'

test_done
