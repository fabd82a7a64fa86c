#!/bin/sh
# t3300-analyze-list.sh - `phocus-analyze list`: one line per trace of the
# folders and files given, each figure worked out by hand from the traces'
# text below; sorted by start time or --sort KEY; --csv and --json with the
# keys report --json uses for the same figures; --where filters; unreadable
# traces listed with their error; integrity complete, damaged, recording,
# unfinished; the cache (keyed by size and modification time) is used and
# renewed when a trace changes.
. "$(dirname "$0")/lib.sh"

SYNTH=$HELPERS/pmt-synth
SAMPLE=$TOP/samples/fake-editor-m1.pmtrace
export PHOCUS_CACHE_DIR="$TRASH/cache"

# A powermetrics text sample: end time (ms), GPU and ANE power (mW), 1 s long.
pm() {
	printf 'pm t=%s text=*** Sampled system activity (Tue Nov 14 23:13:2%s 2023 +0000) (1000.00ms elapsed) ***\\n\\n**** Processor usage ****\\n\\nCPU Power: 100 mW\\nGPU Power: %s mW\\nANE Power: %s mW\\n\n' \
	    "$1" "$(( $1 / 1000 ))" "$2" "$3"
}

# The value of column $2 of the row of trace $3 (a path ending) in CSV $1.
csv_at() {
	awk -F, -v k="$2" -v t="$3" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		index($0, t) { v = $c[k]; gsub(/"/, "", v); print v; exit }' "$1"
}

test_expect_success 'traces: 4.0.1 with power and 4 marks, 4.0.2 without, a Linux one unfinished' '
	mkdir -p lib/2023/nov lib/other &&
	{ printf "%s\n" "header target=Phocus target_version=4.0.1 os_name=macOS chip=Apple\\x20M1\\x20Pro cores_p=8 cores_e=2 ram=32000000000 interval_ms=1000 wall=1700000000000000000"
	  # footprint 1..5 GB, 1 s of CPU per second (100 ticks of 10 ms)
	  for s in 0 1 2 3 4; do
		echo "proc t=${s}000 | pid=9 ppid=1 start=1 user=${s}00 sys=0 rss=$((s + 1))00000000 footprint=$((s + 1))000000000 threads=10 name=Phocus"
		ane=0 && if [ $s -le 2 ]; then ane=1000; fi &&
		if [ $s -gt 0 ]; then pm ${s}000 2000 $ane; fi
		[ $s -lt 4 ] && echo "mark t=${s}500 n=$((s + 1)) label=open image $((s + 1))"
	  done
	  echo "end t=4000 reason=1"; } >a.txt &&
	"$SYNTH" a.txt lib/2023/nov/a.pmtrace &&
	{ printf "%s\n" "header target=Phocus target_version=4.0.2 os_name=macOS chip=Apple\\x20M2 cores_p=4 cores_e=4 ram=16000000000 interval_ms=1000 wall=1700003600000000000"
	  echo "proc t=0 | pid=9 ppid=1 start=1 user=0 sys=0 rss=900000000 footprint=1000000000 threads=10 name=Phocus"
	  echo "proc t=1000 | pid=9 ppid=1 start=1 user=50 sys=0 rss=900000000 footprint=1500000000 threads=10 name=Phocus"
	  echo "proc t=2000 | pid=9 ppid=1 start=1 user=100 sys=0 rss=900000000 footprint=1200000000 threads=10 name=Phocus"
	  echo "end t=2000 reason=1"; } >b.txt &&
	"$SYNTH" b.txt lib/2023/b.pmtrace &&
	{ printf "%s\n" "header target=rawtherapee-cli target_version=5.9 os_name=Linux chip=AMD\\x20EPYC cores_p=2 cores_e=0 ram=25000000000 interval_ms=1000 wall=1699996400000000000"
	  echo "proc t=0 | pid=7 ppid=1 start=1 user=0 sys=0 rss=400000000 threads=4 name=rawtherapee-cli"
	  echo "proc t=1000 | pid=7 ppid=1 start=1 user=25 sys=25 rss=600000000 threads=4 name=rawtherapee-cli"; } >c.txt &&
	"$SYNTH" c.txt lib/other/c.pmtrace &&
	touch -t 202001010000 lib/other/c.pmtrace &&
	echo "not a trace" >lib/other/notes.txt
'

test_expect_success 'list DIR: one line per trace, sorted by start (c, a, b), subfolders searched' '
	"$AN" list lib >out.txt && cat out.txt &&
	test_line_count = 4 out.txt &&
	sed -n 2p out.txt | grep "lib/other/c.pmtrace$" &&
	sed -n 3p out.txt | grep "lib/2023/nov/a.pmtrace$" &&
	sed -n 4p out.txt | grep "lib/2023/b.pmtrace$" &&
	! grep notes.txt out.txt
'

test_expect_success 'the line of a: start, target, machine, duration, peak, trend, CPU, energy, power, integrity' '
	line=$(grep "a.pmtrace$" out.txt) &&
	echo "$line" | grep "^2023-11-14 22:13  Phocus 4.0.1  *Apple M1 Pro, 32 GB  *0:00:04  *5.00 GB  *+1.00 GB  *4.0  *8  *2  powermetrics  *complete  *lib/2023/nov/a.pmtrace$"
'

test_expect_success 'b has no power data and no marks; c is unfinished (no end, old)' '
	grep "Phocus 4.0.2  *Apple M2, 16 GB  *0:00:02  *1.50 GB  *-  *1.0  *-  *-  none  *complete" out.txt &&
	grep "rawtherapee-cli 5.9  *AMD EPYC, 25 GB  *0:00:01  *600 MB  *-  *0.5  *-  *-  none  *unfinished" out.txt
'

test_expect_success '--csv: a row of keys and the same figures' '
	"$AN" list lib --csv >l.csv && cat l.csv &&
	head -n 1 l.csv | grep "^start,target,target_version,host,chip,model,os_name,os_version,ram_gb,duration_s,samples,memory_metric,memory_peak_gb,memory_trend_gb_per_mark,marks,cpu_seconds,gpu_energy_j,ane_energy_j,power_source,integrity,trace,error$" &&
	test_cmp_str "$(csv_at l.csv memory_peak_gb a.pmtrace)" 5 &&
	test_cmp_str "$(csv_at l.csv memory_trend_gb_per_mark a.pmtrace)" 1 &&
	test_cmp_str "$(csv_at l.csv cpu_seconds a.pmtrace)" 4 &&
	test_cmp_str "$(csv_at l.csv gpu_energy_j a.pmtrace)" 8 &&
	test_cmp_str "$(csv_at l.csv ane_energy_j a.pmtrace)" 2 &&
	test_cmp_str "$(csv_at l.csv memory_metric a.pmtrace)" footprint &&
	test_cmp_str "$(csv_at l.csv gpu_energy_j b.pmtrace)" "" &&
	test_cmp_str "$(csv_at l.csv memory_metric c.pmtrace)" rss &&
	test_cmp_str "$(csv_at l.csv integrity c.pmtrace)" unfinished
'

test_expect_success '--json: one object per trace; shared keys have report --json'\''s values' '
	"$AN" list lib/2023/nov/a.pmtrace --json >l.json && cat l.json &&
	test_line_count = 3 l.json && head -n 1 l.json | grep -x "\[" && tail -n 1 l.json | grep -x "\]" &&
	"$AN" report lib/2023/nov/a.pmtrace --json --no-plot -o rep >r.json &&
	for k in duration_s samples cpu_seconds ram_gb; do
		test_cmp_str "$(test_json_num l.json $k)" "$(test_json_num r.json $k)" || exit 1
	done &&
	for k in target target_version chip start os_name; do
		test_cmp_str "$(grep -o "\"$k\":\"[^\"]*\"" l.json)" "$(grep -o "\"$k\":\"[^\"]*\"" r.json | head -n 1)" || exit 1
	done &&
	test_cmp_str "$(test_json_num l.json memory_peak_gb)" "$(test_json_num r.json memory_peak_gb)" &&
	test_cmp_str "$(test_json_num l.json gpu_energy_j)" "$(test_json_num r.json gpu_energy_j)" &&
	test_cmp_str "$(test_json_num l.json memory_trend_gb_per_mark)" "$(test_json_num r.json memory_trend_gb_per_mark)"
'

test_expect_success '--sort KEY and --sort -KEY' '
	"$AN" list lib --sort memory_peak_gb --csv | cut -d, -f21 | tr -d "\"" >peak.up &&
	printf "%s\n" trace lib/other/c.pmtrace lib/2023/b.pmtrace lib/2023/nov/a.pmtrace >want &&
	test_cmp_str "$(cat peak.up)" "$(cat want)" &&
	"$AN" list lib --sort -cpu_seconds --csv | cut -d, -f21 | tr -d "\"" >cpu.down &&
	printf "%s\n" trace lib/2023/nov/a.pmtrace lib/2023/b.pmtrace lib/other/c.pmtrace >want &&
	test_cmp_str "$(cat cpu.down)" "$(cat want)" &&
	test_expect_code 2 "$AN" list lib --sort nosuchkey 2>err && grep "unknown key .nosuchkey." err
'

test_expect_success '--where KEY=VALUE, != and numeric comparisons' '
	"$AN" list lib --where target_version=4.0.1 --csv >w1 && test_line_count = 2 w1 && grep a.pmtrace w1 &&
	"$AN" list lib --where target=Phocus --where "duration_s<3" --csv >w2 &&
	test_line_count = 2 w2 && grep b.pmtrace w2 &&
	"$AN" list lib --where "power_source!=none" --csv >w3 && test_line_count = 2 w3 && grep a.pmtrace w3 &&
	test_expect_code 2 "$AN" list lib --where version 2>err && grep "KEY=VALUE" err
'

test_expect_success 'an unreadable trace is listed with its error, the others too; exit 1' '
	cp -R lib lib2 && echo "garbage" >lib2/zz.pmtrace &&
	test_expect_code 1 "$AN" list lib2 >out2.txt &&
	test_line_count = 5 out2.txt &&
	tail -n 1 out2.txt | grep "unreadable  lib2/zz.pmtrace: not a phocus-monitor trace" &&
	test_expect_code 1 "$AN" list lib2 nothere.pmtrace --csv >o.csv &&
	grep "\"nothere.pmtrace\",\"No such file or directory\"$" o.csv
'

test_expect_success 'damaged, and recording (no end, written just now)' '
	mkdir st && cp "$SAMPLE" st/bad.pmtrace &&
	printf "\377\377\377\377" | dd of=st/bad.pmtrace bs=1 seek=2500 conv=notrunc 2>/dev/null &&
	"$SYNTH" c.txt st/live.pmtrace &&
	"$AN" list st --csv >st.csv && cat st.csv &&
	test_cmp_str "$(csv_at st.csv integrity bad.pmtrace)" damaged &&
	test_cmp_str "$(csv_at st.csv integrity live.pmtrace)" recording
'

test_expect_success 'the cache: figures come from it while the trace is unchanged' '
	ls cache/list-*.txt >entries && test_line_count -ge 4 entries &&
	f=$(grep -l "^path=.*/lib/2023/b.pmtrace$" cache/list-*.txt) &&
	sed "s/^cpu_seconds=.*/cpu_seconds=777/" "$f" >edited && cp edited "$f" &&
	test_cmp_str "$("$AN" list lib/2023/b.pmtrace --csv | awk -F, "NR == 2 { print \$16 }")" 777
'

test_expect_success 'the cache: a changed trace (size or mtime) is read again' '
	touch -t 202101010000 lib/2023/b.pmtrace &&
	test_cmp_str "$("$AN" list lib/2023/b.pmtrace --csv | awk -F, "NR == 2 { print \$16 }")" 1 &&
	f=$(grep -l "^path=.*/lib/2023/b.pmtrace$" cache/list-*.txt) &&
	grep "^cpu_seconds=1$" "$f"
'

test_expect_success '--no-cache neither reads nor writes it' '
	f=$(grep -l "^path=.*/lib/2023/b.pmtrace$" cache/list-*.txt) &&
	sed "s/^cpu_seconds=.*/cpu_seconds=777/" "$f" >edited && cp edited "$f" &&
	test_cmp_str "$("$AN" list lib/2023/b.pmtrace --csv --no-cache | awk -F, "NR == 2 { print \$16 }")" 1 &&
	PHOCUS_CACHE_DIR="$TRASH/nocache" "$AN" list lib --no-cache >/dev/null &&
	! test -e nocache
'

test_expect_success 'a cache folder that cannot be written: the listing still works' '
	PHOCUS_CACHE_DIR=/dev/null/x "$AN" list lib >o.txt && test_line_count = 4 o.txt
'

test_expect_success 'no argument: the current folder' '
	(cd lib && "$AN" list --csv) >here.csv && test_line_count = 4 here.csv &&
	grep "^\"2023-11-14T22:13:20.000+00:00\",\"Phocus\",\"4.0.1\",.*,\"2023/nov/a.pmtrace\",\"\"$" here.csv
'

test_expect_success 'the samples: both complete, the RawTherapee one as its README says' '
	"$AN" list "$TOP/samples" --csv >s.csv && cat s.csv &&
	test_line_count = 3 s.csv &&
	test_cmp_str "$(csv_at s.csv integrity fake-editor-m1.pmtrace)" complete &&
	test_cmp_str "$(csv_at s.csv target rawtherapee-m1.pmtrace)" rawtherapee-cli &&
	test_cmp_str "$(csv_at s.csv target_version rawtherapee-m1.pmtrace)" 5.9 &&
	test_cmp_str "$(csv_at s.csv marks rawtherapee-m1.pmtrace)" 4 &&
	test_cmp_str "$(csv_at s.csv integrity rawtherapee-m1.pmtrace)" complete &&
	test_cmp_str "$(csv_at s.csv power_source rawtherapee-m1.pmtrace)" "powermetrics from another machine" &&
	test_cmp_num "$(wc -c <"$TOP/samples/rawtherapee-m1.pmtrace")" -lt 1048576 &&
	"$AN" list "$SAMPLE" >s.txt && cat s.txt &&
	grep "fake-editor simulated 1.0 .* powermetrics\* .*complete" s.txt &&
	grep "^\* powermetrics from another machine" s.txt
'

test_done
