#!/bin/sh
# t6100-compare.sh - phocus-analyze compare: two recordings of different
# workloads (one burns CPU, one holds 200 MiB) side by side, checked against
# the workloads' own accounting (`times`, the allocation size) and against
# each trace's own report; the table as CSV and JSON; --align mark:N shifts
# the overlay CSVs by the mark's time (from `info`); labels by machine,
# version or file; errors and exit codes; a hostile trace runs nothing.
# Synthetic traces (tests/data/figure/cmp-*.txt) give values worked out by hand.
. "$(dirname "$0")/lib.sh"

FIG=$DATA/figure
SYNTH=$HELPERS/pmt-synth
[ -x "$SYNTH" ] && test_set_prereq SYNTH

# The values of metric $1 in compare's JSON $2, space-separated.
json_values() {
	sed -n "s/.*\"$1\":{\"unit\":\"[^\"]*\",\"values\":\[\([^]]*\)\].*/\1/p" "$2" | tr , ' '
}

# Seconds from `times` output: both lines (shell, children), user + system.
times_total() {
	awk '{ for (i = 1; i <= NF; i++) { split($i, a, "m"); sub("s", "", a[2]);
		t += a[1] * 60 + a[2] } } END { printf "%.3f\n", t }' "$1"
}

# Fails unless CPU seconds $1 are within 10% of $2, or 20 ms (two ticks of
# /proc/PID/stat) when 10% is less.
near_cpu() {
	awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d;
		tol = 0.10 * b; if (tol < 0.02) tol = 0.02;
		if (d <= tol) exit 0; printf "got %s, want %s within %s\n", a, b, tol; exit 1 }'
}

# "WIDTHxHEIGHT" of a PNG, from its IHDR chunk.
png_size() {
	od -An -tu1 -j16 -N8 "$1" | awk '{ printf "%dx%d\n",
		(($1 * 256 + $2) * 256 + $3) * 256 + $4, (($5 * 256 + $6) * 256 + $7) * 256 + $8 }'
}

# Time of mark $2 in `info` output $1, s.
mark_time() {
	sed -n "/^Marks:/,\$p" "$1" | awk -v n="$2" '$2 == "s" && $3 == n { print $1 }'
}

# ---------------------------------------------------------------- two workloads

test_expect_success RECORDER 'record a CPU burner (marks 1, 2 before the burn)' '
	(sleep 0.4; echo start; sleep 0.5; echo burn) |
	"$REC" -q -i 100 -o cpu.pmtrace -- sh -c "sleep 1.2; i=0;
		while [ \$i -lt 300000 ]; do i=\$((i+1)); done; times >\"$TRASH/cpu.times\"" \
		>/dev/null 2>&1 &&
	test -s cpu.times && "$AN" info cpu.pmtrace >cpu.info &&
	test -n "$(mark_time cpu.info 2)"
'

test_expect_success RECORDER 'record a process holding 200 MiB (marks 1, 2 before it)' '
	(sleep 0.4; echo start; sleep 0.5; echo alloc) |
	"$REC" -q -i 100 -o mem.pmtrace -- sh -c "sleep 1.2;
		dd if=/dev/zero bs=209715200 count=1 2>/dev/null | sleep 2;
		times >\"$TRASH/mem.times\"" >/dev/null 2>&1 &&
	test -s mem.times && "$AN" info mem.pmtrace >mem.info &&
	test -n "$(mark_time mem.info 2)"
'

test_expect_success RECORDER 'compare --json: one JSON object on stdout, messages on stderr' '
	"$AN" compare cpu.pmtrace mem.pmtrace -o cmp --json >cmp.json 2>cmp.err &&
	test_line_count -eq 1 cmp.json &&
	test_cmp_str "$(head -c 1 cmp.json)" "{" &&
	grep "Wrote cmp/compare.csv" cmp.err &&
	grep "\"label\":\"A: cpu\"" cmp.json && grep "\"label\":\"B: mem\"" cmp.json
'

# shellcheck disable=SC2046 # json_values: one word per trace
test_expect_success RECORDER 'B holds the 200 MiB it allocated (within 5%), A very little' '
	set -- $(json_values memory_peak_gb cmp.json) &&
	echo "peak A $1 GB, B $2 GB" &&
	test_near_rel "$2" "$(awk "BEGIN { print 209715200 / 1e9 }")" 0.05 &&
	test_cmp_num "$1" -lt 0.02
'

# dd's copy of 200 MiB from /dev/zero is not free: 0.1 s to 0.7 s of system
# time on the 2-core VM depending on its load, as much as A's loop; so each
# column is checked against its own workload's `times`, not against the other.
# shellcheck disable=SC2046 # json_values: one word per trace
test_expect_success RECORDER 'A and B used the CPU their shells say (times, within 10% or 20 ms)' '
	set -- $(json_values cpu_seconds cmp.json) &&
	echo "CPU A $1 s (workload $(times_total cpu.times) s), B $2 s (workload $(times_total mem.times) s)" &&
	near_cpu "$1" "$(times_total cpu.times)" && near_cpu "$2" "$(times_total mem.times)"
'

# shellcheck disable=SC2046 # json_values: one word per trace
test_expect_success RECORDER 'every value is the one of the trace'\''s own report --json' '
	"$AN" report cpu.pmtrace --json --no-plot -o ra >ra.json &&
	"$AN" report mem.pmtrace --json --no-plot -o rb >rb.json &&
	for k in duration_s samples cpu_seconds threads_max memory_peak_gb memory_end_gb; do
		set -- $(json_values $k cmp.json) &&
		test_cmp_str "$1 $2" "$(test_json_num ra.json $k) $(test_json_num rb.json $k)" || exit 1
	done &&
	set -- $(json_values memory_peak_gb cmp.json) &&
	test_cmp_str "$1 $2" "$(test_json_num ra.json rss_peak_gb) $(test_json_num rb.json rss_peak_gb)"
'

# shellcheck disable=SC2046 # json_values: one word per trace
test_expect_success RECORDER 'diff is B - A' '
	set -- $(json_values memory_peak_gb cmp.json) &&
	d=$(sed -n "s/.*\"memory_peak_gb\":{[^}]*\"diff\":\([-0-9.e+]*\).*/\1/p" cmp.json) &&
	test_near_rel "$d" "$(awk -v a="$1" -v b="$2" "BEGIN { print b - a }")" 0.0001
'

# shellcheck disable=SC2046 # json_values: one word per trace
test_expect_success RECORDER 'compare.csv holds the same table' '
	head -n 20 cmp/compare.csv | grep -c "^#" &&
	grep -x "\"metric\",\"unit\",\"A\",\"B\",\"B_minus_A\",\"B_minus_A_pct\"" cmp/compare.csv &&
	set -- $(json_values memory_peak_gb cmp.json) &&
	test_cmp_str "$(grep "^\"memory_peak_gb\"," cmp/compare.csv | cut -d, -f3,4)" "$1,$2" &&
	set -- $(json_values cpu_seconds cmp.json) &&
	test_cmp_str "$(grep "^\"cpu_seconds\"," cmp/compare.csv | cut -d, -f3,4)" "$1,$2"
'

test_expect_success RECORDER 'the text table: one column per trace, B - A and %' '
	"$AN" compare cpu.pmtrace mem.pmtrace -o cmp --no-plot >cmp.txt &&
	grep "^  A: cpu  \[cpu.pmtrace; memory: rss\]" cmp.txt &&
	grep "^  *A  *B  *B - A  *%$" cmp.txt &&
	grep "^  memory peak (GB) " cmp.txt && grep "^  CPU time (s) " cmp.txt &&
	grep "^  GPU active mean (%)  *n/a  *n/a" cmp.txt
'

test_expect_success GNUPLOT,RECORDER 'the overlay figure: compare.png, 1600x1800, one CSV per trace' '
	"$AN" compare cpu.pmtrace mem.pmtrace -o fig >/dev/null &&
	test_cmp_str "$(png_size fig/compare.png)" 1600x1800 &&
	test -s fig/compare-1.csv && test -s fig/compare-2.csv &&
	grep "^data_1 = here . '\''compare-1.csv'\''" fig/compare.gp
'

test_expect_success RECORDER '--align mark:2 shifts each trace by its mark 2 (info)' '
	"$AN" compare cpu.pmtrace mem.pmtrace -o al --align mark:2 --no-plot >/dev/null &&
	for x in cpu:1 mem:2; do
		name=${x%:*} i=${x#*:} &&
		m=$(mark_time "$name.info" 2) &&
		"$AN" report "$name.pmtrace" --csv "$name.csv" --no-plot >/dev/null &&
		t0=$(grep -m1 "^[0-9]" "$name.csv" | cut -d, -f1) &&
		got=$(grep -m1 "^-\{0,1\}[0-9]" "al/compare-$i.csv" | cut -d, -f1) &&
		echo "$name: first row $t0 s, mark 2 at $m s, shifted $got s" &&
		awk -v g="$got" -v w="$t0 - $m" -v t="$t0" -v m="$m" "BEGIN { d = g - (t - m);
			exit !(d < 0.002 && d > -0.002) }" || exit 1
	done &&
	test_cmp_str "$(grep -c "^set arrow .* from first 0, graph 0" al/compare.gp)" 1 &&
	grep "^set label .* '\''mark 2'\'' at first 0, " al/compare.gp
'

test_expect_success RECORDER 'a trace without mark N: exit 2, the trace named' '
	test_expect_code 2 "$AN" compare cpu.pmtrace mem.pmtrace -o al --align mark:3 --no-plot >out 2>err &&
	cat err &&
	grep "cpu.pmtrace: no mark 3" err && test_line_count -eq 1 err
'

# ---------------------------------------------------------------- errors

test_expect_success ANALYZER 'not a trace, or missing: one line naming the file, exit 1' '
	printf "not a trace\n" >junk.pmtrace &&
	test_expect_code 1 "$AN" compare junk.pmtrace junk.pmtrace >out 2>err &&
	test_line_count -eq 1 err && grep "junk.pmtrace" err &&
	test_expect_code 1 "$AN" compare missing.pmtrace junk.pmtrace >out 2>err &&
	test_line_count -eq 1 err && grep "missing.pmtrace" err
'

test_expect_success ANALYZER 'usage errors exit 2' '
	test_expect_code 2 "$AN" compare only.pmtrace 2>err &&
	test_expect_code 2 "$AN" compare a b --align middle 2>err && grep -- "--align" err &&
	test_expect_code 2 "$AN" compare a b --align mark:0 2>err &&
	test_expect_code 2 "$AN" compare a b --format gif 2>err && grep -- "--format" err &&
	"$AN" compare --help | grep "^usage: phocus-analyze compare"
'

# ---------------------------------------------------------------- by hand

test_expect_success SYNTH 'different machines: labelled by chip and RAM; values by hand' '
	"$SYNTH" "$FIG/cmp-a.txt" a.pmtrace && "$SYNTH" "$FIG/cmp-b.txt" b.pmtrace &&
	"$AN" compare a.pmtrace b.pmtrace -o ab --json --no-plot >ab.json 2>/dev/null &&
	grep -F "\"label\":\"A: Phocus 4.0.1 · Apple M1 Pro 34.4 GB (32 GiB)\"" ab.json &&
	grep -F "\"label\":\"B: Phocus 4.0.2 · Apple M2 17.2 GB (16 GiB)\"" ab.json &&
	test_cmp_str "$(json_values memory_peak_gb ab.json)" "2.5 1.2" &&
	test_cmp_str "$(json_values memory_growth_gb ab.json)" "1.5 0.2" &&
	test_cmp_str "$(json_values cpu_seconds ab.json)" "3 1.5" &&
	test_cmp_str "$(json_values cpu_mean_pct ab.json)" "100 50" &&
	test_cmp_str "$(json_values threads_max ab.json)" "14 14" &&
	test_cmp_str "$(json_values memory_trend_gb_per_mark ab.json)" "0.5 0" &&
	test_cmp_str "$(json_values marks ab.json)" "2 2" &&
	grep -F "\"memory_peak_gb\":{\"unit\":\"GB\",\"values\":[2.5,1.2],\"diff\":-1.3,\"diff_pct\":-52}" ab.json &&
	grep -F "\"cpu_seconds\":{\"unit\":\"s\",\"values\":[3,1.5],\"diff\":-1.5,\"diff_pct\":-50}" ab.json &&
	grep -F "\"gpu_energy_j\":{\"unit\":\"J\",\"values\":[null,null],\"diff\":null,\"diff_pct\":null}" ab.json
'

test_expect_success SYNTH 'same machine: labelled by version, else by file' '
	"$SYNTH" "$FIG/cmp-c.txt" c.pmtrace && cp a.pmtrace a2.pmtrace &&
	"$AN" compare a.pmtrace c.pmtrace -o ac --no-plot >ac.txt &&
	grep "^  A: Phocus 4.0.1  \[" ac.txt && grep "^  B: Phocus 4.0.2  \[" ac.txt &&
	"$AN" compare a.pmtrace a2.pmtrace -o aa --no-plot >aa.txt &&
	grep "^  A: a  \[" aa.txt && grep "^  B: a2  \[" aa.txt
'

test_expect_success SYNTH 'three traces: one column each, no difference column' '
	"$AN" compare a.pmtrace b.pmtrace c.pmtrace -o abc --json --no-plot >abc.json 2>/dev/null &&
	test_cmp_str "$(json_values memory_peak_gb abc.json)" "2.5 1.2 2.5" &&
	! grep "\"diff\"" abc.json &&
	grep -x "\"metric\",\"unit\",\"A\",\"B\",\"C\"" abc/compare.csv &&
	test_cmp_num "$(find abc -name "compare-*.csv" | wc -l)" = 3
'

test_expect_success GNUPLOT,SYNTH 'a hostile trace in a comparison runs nothing' '
	"$SYNTH" "$FIG/hostile.txt" "h\`touch PWNED_c\`.pmtrace" &&
	"$AN" compare a.pmtrace "h\`touch PWNED_c\`.pmtrace" -o hc >hc.out 2>&1 &&
	test_cmp_str "$(png_size hc/compare.png)" 1600x1800 &&
	(cd / && gnuplot "$TRASH/hc/compare.gp") &&
	test_cmp_str "$(tr -cd "\`@" <hc/compare.gp)" "" &&
	find "$TRASH" -name "PWNED*" >pwned && test_cmp_str "$(cat pwned)" ""
'

test_done
