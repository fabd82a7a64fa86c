#!/bin/sh
# t3200-analyze-by-hand.sh - the summary of a small synthetic trace, every
# number worked out by hand below (not taken from the program's output).
. "$(dirname "$0")/lib.sh"

SYNTH=$HELPERS/pmt-synth

# A powermetrics text sample: end time (ms), GPU %, GPU, ANE, CPU power (mW).
pm() {
	printf 'pm t=%s text=*** Sampled system activity (Tue Nov 14 23:13:2%s 2023 +0100) (1000.00ms elapsed) ***\\n\\n**** Processor usage ****\\n\\nCPU Power: %s mW\\nGPU Power: %s mW\\nANE Power: %s mW\\n\\n**** GPU usage ****\\n\\nGPU HW active residency: %s%%\\n\n' \
	    "$1" "$(( $1 / 1000 ))" "$5" "$3" "$4" "$2"
}

test_expect_success ANALYZER 'write the synthetic trace' '
	{
		echo "header host=h platform=linux target=Editor interval_ms=1000 num=1000000000 den=100 wall=1700000000000000000 utc_offset=3600 ram=17179869184"
		# 1 tick = 10 ms.  cpu per interval: 0.5 s, 1.0 + 0.3 (new child) = 1.3 s,
		# 0.5 + (reaped 0.5 - seen 0.3) = 0.7 s, 1.0 s
		echo "proc t=0 | pid=10 ppid=1 start=5 user=0 sys=0 cuser=0 csys=0 rss=1000000000 threads=2 name=Editor"
		echo "sys t=0 swap_used=0 swap_total=4000000000"
		echo "proc t=1000 | pid=10 ppid=1 start=5 user=50 sys=0 cuser=0 csys=0 rss=2000000000 threads=4"
		pm 1000 40 2000 0 500
		echo "mark t=1500 n=1 label=open image 1"
		echo "proc t=2000 | pid=10 ppid=1 start=5 user=150 sys=0 cuser=0 csys=0 rss=3000000000 threads=4 | pid=11 ppid=10 start=7 user=30 sys=0 cuser=0 csys=0 rss=500000000 threads=1 name=Helper"
		echo "sys t=2000 swap_used=1000000000 swap_total=4000000000"
		pm 2000 80 4000 1500 1000
		echo "mark t=2500 n=2 label="
		echo "proc t=3000 | pid=10 ppid=1 start=5 user=200 sys=0 cuser=50 csys=0 rss=3000000000 threads=4"
		pm 3000 100 6000 1000 1500
		echo "proc t=4000 | pid=10 ppid=1 start=5 user=300 sys=0 cuser=50 csys=0 rss=3000000000 threads=4"
		echo "sys t=4000 swap_used=500000000 swap_total=4000000000"
		pm 4000 20 1000 0 500
		echo "end t=4000 reason=1"
	} >in.txt &&
	"$SYNTH" in.txt hand.pmtrace &&
	"$AN" report hand.pmtrace --json --no-plot -o out >r.json && cat r.json
'

test_expect_success ANALYZER 'CPU: 50, 130, 70, 100 % -> mean 87.5, p95 130, max 130; 3.5 s' '
	test_cmp_str "$(test_json_num r.json cpu_mean_pct)" 87.5 &&
	test_cmp_str "$(test_json_num r.json cpu_p95_pct)" 130 &&
	test_cmp_str "$(test_json_num r.json cpu_max_pct)" 130 &&
	test_cmp_str "$(test_json_num r.json cpu_seconds)" 3.5
'

test_expect_success ANALYZER 'memory: RSS 1, 2, 3.5, 3, 3 GB -> start 1, peak 3.5, end 3, +2; threads max 5' '
	test_cmp_str "$(test_json_num r.json rss_start_gb)" 1 &&
	test_cmp_str "$(test_json_num r.json rss_peak_gb)" 3.5 &&
	test_cmp_str "$(test_json_num r.json rss_end_gb)" 3 &&
	test_cmp_str "$(test_json_num r.json rss_growth_gb)" 2 &&
	test_cmp_str "$(test_json_num r.json threads_max)" 5 &&
	test_cmp_str "$(test_json_num r.json processes_seen)" 2
'

test_expect_success ANALYZER 'GPU active 40, 80, 100, 20 % -> mean 60, p95 100' '
	test_cmp_str "$(test_json_num r.json gpu_active_mean_pct)" 60 &&
	test_cmp_str "$(test_json_num r.json gpu_active_p95_pct)" 100
'

test_expect_success ANALYZER 'GPU power 2, 4, 6, 1 W for 1 s each -> 13 J, mean 3.25, max 6' '
	test_cmp_str "$(test_json_num r.json gpu_energy_j)" 13 &&
	test_cmp_str "$(test_json_num r.json gpu_power_mean_w)" 3.25 &&
	test_cmp_str "$(test_json_num r.json gpu_power_max_w)" 6
'

test_expect_success ANALYZER 'ANE 0, 1.5, 1, 0 W -> 2.5 J, mean 0.625, max 1.5, active 2 s = 50%' '
	test_cmp_str "$(test_json_num r.json ane_energy_j)" 2.5 &&
	test_cmp_str "$(test_json_num r.json ane_power_mean_w)" 0.625 &&
	test_cmp_str "$(test_json_num r.json ane_power_max_w)" 1.5 &&
	test_cmp_str "$(test_json_num r.json ane_active_s)" 2 &&
	test_cmp_str "$(test_json_num r.json ane_active_share_pct)" 50
'

test_expect_success ANALYZER 'CPU power 0.5, 1, 1.5, 0.5 W -> 3.5 J; combined (derived) 2.5+6.5+8.5+1.5 = 19 J' '
	test_cmp_str "$(test_json_num r.json cpu_energy_j)" 3.5 &&
	test_cmp_str "$(test_json_num r.json cpu_power_mean_w)" 0.875 &&
	test_cmp_str "$(test_json_num r.json combined_energy_j)" 19 &&
	test_cmp_str "$(test_json_num r.json combined_power_mean_w)" 4.75
'

test_expect_success ANALYZER 'swap 0, 1, 0.5 GB -> start 0, peak 1' '
	test_cmp_str "$(test_json_num r.json swap_start_gb)" 0 &&
	test_cmp_str "$(test_json_num r.json swap_peak_gb)" 1
'

test_expect_success ANALYZER 'mark intervals: CPU 50/130/85 %, memory +1/+1.5/-0.5 GB, GPU 2/4/7 J, ANE 0/1.5/1 J' '
	sed "s/.*\"mark_intervals\":\[\(.*\)\],\"memory_trend.*/\1/" r.json | tr "}" "\n" >iv &&
	cat iv &&
	grep "\"mark\":0" iv | grep "\"cpu_mean_pct\":50," | grep "\"memory_change_gb\":1," |
		grep "\"gpu_energy_j\":2," | grep -q "\"ane_energy_j\":0," &&
	grep "\"mark\":1,\"label\":\"open image 1\"" iv | grep "\"cpu_mean_pct\":130," |
		grep "\"memory_change_gb\":1.5," | grep "\"gpu_energy_j\":4," | grep -q "\"ane_energy_j\":1.5," &&
	grep "\"mark\":2,\"label\":\"\"" iv | grep "\"cpu_mean_pct\":85," |
		grep "\"memory_change_gb\":-0.5," | grep "\"gpu_energy_j\":7," | grep -q "\"ane_energy_j\":1,"
'

test_expect_success ANALYZER 'memory trend: 3.5 GB after mark 1, 3 GB after mark 2 -> -0.5 GB per mark' '
	test_cmp_str "$(test_json_num r.json memory_trend_gb_per_mark)" -0.5
'

test_expect_success ANALYZER 'the CSV row values, and wall time from the anchor (1700000000 s = 2023-11-14 22:13:20 UTC)' '
	grep "^1," out/hand.csv | cut -d, -f1-13 >row1 &&
	test_cmp_str "$(cat row1)" "1,2023-11-14T23:13:21.000+01:00,2,,50,4,1,40,2,0,0.5,2.5,0" &&
	grep "^2," out/hand.csv | cut -d, -f1-14 >row2 &&
	test_cmp_str "$(cat row2)" "2,2023-11-14T23:13:22.000+01:00,3.5,,130,5,2,80,4,1.5,1,6.5,1,\"open image 1\"" &&
	grep "^3," out/hand.csv | cut -d, -f14 >m3 && test_cmp_str "$(cat m3)" "\"#2\""
'

test_expect_success ANALYZER 'the text summary says what is system-wide' '
	"$AN" report hand.pmtrace --no-plot -o out >r.txt &&
	grep "System-wide (the whole machine" r.txt &&
	grep "Memory trend across marks: -0.50 GB per mark" r.txt
'

test_done
