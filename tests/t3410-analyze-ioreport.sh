#!/bin/sh
# t3410-analyze-ioreport.sh - power from IOReport energy counters (recorded
# without root on macOS), end to end on synthetic traces: the summary, the
# CSV, the figure's script, the choice of source, the cross-check against
# powermetrics and compare across sources.  Every expected number is worked
# out by hand in the comments (not taken from the program's output).
. "$(dirname "$0")/lib.sh"

SYNTH=$HELPERS/pmt-synth

# The IOReport part, readings 10 ms after each process sample, 1.000 s apart:
#   CPU Energy (mJ)   1000  3000  4500  4500   -> 2.0, 1.5 W, then a stall (gap)
#   GPU Energy (nJ)   0     1e9   3e9   6e9    -> 1, 2, 3 W
#   ANE (mJ)          0     0     1200  2400   -> 0 (idle), 1.2, 1.2 W
#   DRAM (uJ)         0     3e5   6e5   1e6    -> 0.3, 0.3, 0.4 W
#   GPUPH OFF/IDLE/P1 (0,0,0) (0,600,400) (0,800,1200) (0,800,2200)
#                                              -> 40 %, 80 %, 100 % active
ior_part() {
	echo "iorch t=0 | simple;Energy Model;;CPU Energy;mJ | simple;Energy Model;;GPU Energy;nJ | simple;Energy Model;;ANE;mJ | simple;Energy Model;;DRAM;uJ | state;GPU Stats;GPU Performance States;GPUPH;;OFF,IDLE,P1"
	echo "ior t=10 read_ns=90000 v=1000,0,0,0,0,0,0"
	echo "ior t=1010 read_ns=90000 v=3000,1000000000,0,300000,0,600,400"
	echo "ior t=2010 read_ns=90000 v=4500,3000000000,1200,600000,0,800,1200"
	echo "ior t=3010 read_ns=90000 v=4500,6000000000,2400,1000000,0,800,2200"
}

procs() {
	for t in 0 1000 2000 3000; do
		echo "proc t=$t | pid=10 ppid=1 start=5 user=$((t / 10)) sys=0 rss=1000000000 threads=2 name=Phocus"
	done
}

# A powermetrics text sample ending at $1 ms (1000 ms long): CPU, GPU, ANE mW.
pm() {
	printf 'pm t=%s text=*** Sampled system activity (Tue Nov 14 23:13:2%s 2023 +0100) (1000.00ms elapsed) ***\\n\\n**** Processor usage ****\\n\\nCPU Power: %s mW\\nGPU Power: %s mW\\nANE Power: %s mW\\n\\n**** GPU usage ****\\n\\nGPU HW active residency: 50.00%%\\n\n' \
	    "$1" "$(( $1 / 1000 ))" "$2" "$3" "$4"
}

HDR="header host=mac platform=darwin os_name=macOS chip=Apple_M2 target=Phocus interval_ms=1000 num=1000000000 den=100 wall=1700000000000000000 utc_offset=3600 ram=17179869184"

test_expect_success ANALYZER 'write an IOReport-only trace and one with both sources' '
	{ echo "$HDR"; procs; ior_part; echo "end t=3100 reason=1"; } >ior.txt &&
	"$SYNTH" ior.txt ior.pmtrace &&
	{
		echo "$HDR"; procs; ior_part
		# powermetrics over the same seconds: CPU 2.1, 1.5, 1.8 W (mean 1.8);
		# GPU 1.0, 2.2, 2.8 W (mean 2.0); ANE 0, 1.3, 1.1 W (mean 0.8)
		pm 1010 2100 1000 0; pm 2010 1500 2200 1300; pm 3010 1800 2800 1100
		echo "end t=3100 reason=1"
	} >both.txt &&
	"$SYNTH" both.txt both.pmtrace &&
	"$AN" report ior.pmtrace --json --no-plot -o out >r.json && cat r.json
'

test_expect_success ANALYZER 'IOReport alone is the power source' '
	grep "\"power_source\":\"ioreport\"" r.json &&
	test_cmp_str "$(test_json_num r.json ioreport_readings)" 4 &&
	test_cmp_str "$(test_json_num r.json power_samples)" 3
'

test_expect_success ANALYZER 'GPU 1, 2, 3 W for 1 s each -> 6 J, mean 2, max 3' '
	test_cmp_num "$(test_json_num r.json gpu_energy_j)" = 6 &&
	test_cmp_num "$(test_json_num r.json gpu_power_mean_w)" = 2 &&
	test_cmp_num "$(test_json_num r.json gpu_power_max_w)" = 3
'

test_expect_success ANALYZER 'CPU 2.0, 1.5 W, then a stalled counter: 3.5 J over 2 s, not a 0 W third second' '
	test_cmp_num "$(test_json_num r.json cpu_energy_j)" = 3.5 &&
	test_cmp_num "$(test_json_num r.json cpu_power_mean_w)" = 1.75 &&
	test_cmp_num "$(test_json_num r.json cpu_power_max_w)" = 2
'

test_expect_success ANALYZER 'ANE 0, 1.2, 1.2 W -> 2.4 J, mean 0.8; active 2 s of 3 (the idle ANE is 0 W, not a gap)' '
	test_cmp_num "$(test_json_num r.json ane_energy_j)" = 2.4 &&
	test_cmp_num "$(test_json_num r.json ane_power_mean_w)" = 0.8 &&
	test_cmp_num "$(test_json_num r.json ane_active_s)" = 2
'

test_expect_success ANALYZER 'DRAM 0.3, 0.3, 0.4 W -> 1.0 J, mean 0.333333' '
	test_cmp_num "$(test_json_num r.json dram_energy_j)" = 1 &&
	test_cmp_num "$(test_json_num r.json dram_power_mean_w)" = 0.333333
'

test_expect_success ANALYZER 'GPU active from residencies: 40, 80, 100 % -> mean 73.3333, p95 100' '
	test_cmp_num "$(test_json_num r.json gpu_active_mean_pct)" = 73.3333 &&
	test_cmp_num "$(test_json_num r.json gpu_active_p95_pct)" = 100
'

test_expect_success ANALYZER 'CPU+GPU+ANE: 3.0, 4.7 W, the stalled second unknown -> 7.7 J over 2 s' '
	test_cmp_num "$(test_json_num r.json combined_energy_j)" = 7.7 &&
	test_cmp_num "$(test_json_num r.json combined_power_mean_w)" = 3.85
'

test_expect_success ANALYZER 'the stalled counter is in Integrity, and the trace is not called complete' '
	grep "\"complete\":false" r.json &&
	grep "IOReport channel .CPU Energy. did not move from 2.0 s to 3.0 s (1 interval) while others did" r.json &&
	"$AN" report ior.pmtrace --no-plot -o out >r.txt &&
	grep "power from IOReport: 3 intervals between readings, 3 s" r.txt &&
	grep "DRAM power     mean 0.33 W, max 0.40 W, energy 1 J" r.txt &&
	grep "  - IOReport channel .CPU Energy. did not move" r.txt &&
	! grep "Cross-check" r.txt
'

test_expect_success ANALYZER 'CSV: power columns from IOReport, dram_power_w after gap, power_source in the header' '
	grep "^# power_source: ioreport" out/ior.csv &&
	grep -m1 "^elapsed_s," out/ior.csv | cut -d, -f19,20 >after &&
	test_cmp_str "$(cat after)" gap,dram_power_w &&
	awk -F, "\$1 == 2 { print \$9, \$10, \$11, \$12, \$20, \$8 }" out/ior.csv >row2 &&
	test_cmp_str "$(cat row2)" "2 1.2 1.5 4.7 0.3 80" &&
	awk -F, "\$1 == 3 { print \$9 \"|\" \$11 \"|\" \$12 }" out/ior.csv >row3 &&
	test_cmp_str "$(cat row3)" "3||"
'

test_expect_success ANALYZER 'both sources: powermetrics by default, and a cross-check line per domain' '
	"$AN" report both.pmtrace --json --no-plot -o out >b.json &&
	grep "\"power_source\":\"powermetrics\"" b.json &&
	test_cmp_num "$(test_json_num b.json gpu_power_mean_w)" = 2 &&
	test_cmp_num "$(test_json_num b.json cpu_power_mean_w)" = 1.8 &&
	test_cmp_num "$(test_json_num b.json crosscheck_cpu_powermetrics_w)" = 1.8 &&
	test_cmp_num "$(test_json_num b.json crosscheck_cpu_ioreport_w)" = 1.75 &&
	test_cmp_num "$(test_json_num b.json crosscheck_cpu_difference_pct)" = -2.77778 &&
	test_cmp_num "$(test_json_num b.json crosscheck_gpu_difference_pct)" = 0 &&
	test_cmp_num "$(test_json_num b.json crosscheck_ane_difference_pct)" -gt -1e-9 &&
	test_cmp_num "$(test_json_num b.json crosscheck_ane_difference_pct)" -lt 1e-9 &&
	test_cmp_str "$(test_json_num b.json crosscheck_dram_powermetrics_w)" null &&
	"$AN" report both.pmtrace --no-plot -o out >b.txt &&
	grep "Cross-check, powermetrics against IOReport (mean over the 3 s both cover):" b.txt &&
	grep "CPU   powermetrics 1.80 W, IOReport 1.75 W, difference -2.8%" b.txt &&
	grep "GPU   powermetrics 2.00 W, IOReport 2.00 W, difference +0.0%" b.txt &&
	grep "DRAM  powermetrics n/a, IOReport 0.33 W, difference n/a" b.txt
'

test_expect_success ANALYZER '--power-source ioreport on a trace with both: the IOReport figures' '
	"$AN" report both.pmtrace --power-source ioreport --json --no-plot -o out >bi.json &&
	grep "\"power_source\":\"ioreport\"" bi.json &&
	test_cmp_num "$(test_json_num bi.json cpu_power_mean_w)" = 1.75 &&
	grep "^# power_source: ioreport" out/both.csv
'

test_expect_success ANALYZER '--power-source powermetrics on an IOReport-only trace: said, power empty, exit 0' '
	"$AN" report ior.pmtrace --power-source powermetrics --json --no-plot -o out >ip.json 2>err &&
	grep "ior.pmtrace: no powermetrics data in this trace (it has IOReport: --power-source ioreport); the power figures are empty" err &&
	grep "\"power_source\":\"none\"" ip.json &&
	test_cmp_str "$(test_json_num ip.json gpu_power_mean_w)" null
'

test_expect_success ANALYZER 'a bad --power-source is a usage error' '
	test_expect_code 2 "$AN" report ior.pmtrace --power-source smc 2>err &&
	grep "power-source must be powermetrics or ioreport, not .smc." err
'

test_expect_success ANALYZER 'compare: a trace with powermetrics against one with IOReport only' '
	"$AN" compare both.pmtrace ior.pmtrace --json --no-plot -o cmp >c.json &&
	grep "\"power_source\":\"powermetrics\"" c.json &&
	grep "\"power_source\":\"ioreport\"" c.json &&
	grep -o "\"gpu_power_mean_w\":{[^}]*}" c.json | grep "\"values\":\[2,2\]" &&
	grep -o "\"cpu_power_mean_w\":{[^}]*}" c.json | grep "\"values\":\[1.8,1.75\]" &&
	grep "^\"power_source\",\"\",\"powermetrics\",\"ioreport\"" cmp/compare.csv
'

test_expect_success ANALYZER 'dump --ioreport: the counters as read, one row per value' '
	"$AN" dump ior.pmtrace --ioreport >raw.csv &&
	test_cmp_num "$(grep -c "^[0-9]" raw.csv)" = 28 &&
	grep "^2.010000,90000,0,\"Energy Model\",\"\",\"CPU Energy\",\"mJ\",\"\",4500,1$" raw.csv &&
	grep "^3.010000,90000,4,\"GPU Stats\",\"GPU Performance States\",\"GPUPH\",\"\",\"P1\",2200,1$" raw.csv
'

test_expect_success GNUPLOT 'the figure names the power source in its system-wide panels' '
	"$AN" report ior.pmtrace -o fig >/dev/null &&
	grep "GPU and Neural Engine (ANE) power (system-wide: the whole machine; from IOReport)" fig/ior.gp &&
	grep "GPU active (system-wide: the whole machine; from IOReport)" fig/ior.gp &&
	test -s fig/ior.png &&
	"$AN" report both.pmtrace -o fig >/dev/null &&
	grep "power (system-wide: the whole machine; from powermetrics)" fig/both.gp
'

test_done
