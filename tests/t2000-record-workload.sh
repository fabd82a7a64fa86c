#!/bin/sh
# t2000-record-workload.sh - records a real multi-process workload and checks
# the trace against the workload's own accounting: CPU seconds from the
# shell's `times` (getrusage of itself and its children), memory from what
# the children allocated, children that exited mid-run included.
. "$(dirname "$0")/lib.sh"

BURN=$HELPERS/burn

# Seconds from `times` output: both lines (shell, children), user + system.
times_total() {
	awk '{ for (i = 1; i <= NF; i++) { split($i, a, "m"); sub("s", "", a[2]);
		t += a[1] * 60 + a[2] } } END { printf "%.3f\n", t }' "$1"
}

test_expect_success RECORDER 'record a workload: 3 long children, a chain, 15 short-lived ones' '
	"$REC" -q -i 100 -o w.pmtrace -- sh -c "
		\"\$0\" 1.5 200 1.5 &
		\"\$0\" 1.0 100 1.5 &
		( \"\$0\" 0.6 50 1.5; \"\$0\" 0.4 ) &
		i=0; while [ \$i -lt 15 ]; do \"\$0\" 0.02; i=\$((i+1)); done
		wait
		times >\"$TRASH/times.out\"
	" "$BURN" </dev/null >rec.out 2>rec.err &&
	test -s w.pmtrace && test -s times.out &&
	grep "Next: phocus-analyze report w.pmtrace" rec.out
'

test_expect_success ANALYZER 'the trace ended cleanly when the target exited' '
	"$AN" info w.pmtrace >info.out &&
	grep "Integrity: complete" info.out &&
	grep "target exit .*exit code 0" info.out
'

test_expect_success ANALYZER 'CPU seconds over the trace match the workload (times) within 5%' '
	"$AN" report w.pmtrace --json --no-plot -o out >r.json &&
	got=$(test_json_num r.json cpu_seconds) &&
	want=$(times_total times.out) &&
	echo "trace $got s, workload $want s" &&
	test_near_rel "$got" "$want" 0.05
'

test_expect_success ANALYZER 'the CSV cpu_pct integrated over time gives the same total' '
	awk -F, "/^#/ || /^elapsed_s/ { next } \$5 != \"\" { t += \$5 / 100 * (\$1 - p) } { p = \$1 }
		END { printf \"%.3f\n\", t }" out/w.csv >csv.total &&
	test_near_rel "$(cat csv.total)" "$(times_total times.out)" 0.05
'

test_expect_success ANALYZER 'peak resident memory matches the 350 MiB held at once within 5%' '
	got=$(test_json_num r.json rss_peak_gb) &&
	want=$(awk "BEGIN { print 350 * 1048576 / 1e9 }") &&
	echo "peak $got GB, allocated $want GB" &&
	test_near_rel "$got" "$want" 0.05
'

test_expect_success ANALYZER 'children that exited are in the trace: every burn process seen' '
	n=$(grep -c " burn$" info.out) &&
	echo "burn processes seen: $n" &&
	test_cmp_num "$n" -ge 5
'

test_expect_success ANALYZER 'the CSV has the interface columns, in order' '
	grep -m1 "^elapsed_s," out/w.csv | cut -d, -f1-14 >cols &&
	test_cmp_str "$(cat cols)" "elapsed_s,wall_time,rss_gb,footprint_gb,cpu_pct,threads,procs,gpu_active_pct,gpu_power_w,ane_power_w,cpu_power_w,combined_power_w,swap_used_gb,mark"
'

test_done
