#!/bin/sh
# t3500-analyze-edges.sh - the analyzer at its edges (issue 11, items 10-13):
# --json output is JSON and nothing else (checked with a real JSON parser);
# unknown commands are named; a trace without process data gets a timeline
# from its powermetrics samples; units and words (GB = 10^9, singular and
# plural, "n/a" never "nan").  Expected values are worked out by hand from
# the synthetic traces (tests/data/figure, tests/data/edges) and from the
# captures in tests/data/powermetrics.
. "$(dirname "$0")/lib.sh"

FIG=$DATA/figure
EDGE=$DATA/edges
PM=$DATA/powermetrics
SYNTH=$HELPERS/pmt-synth
[ -x "$SYNTH" ] && test_set_prereq SYNTH
command -v python3 >/dev/null 2>&1 && test_set_prereq PYTHON
test_prereq_why PYTHON "python3 is not installed (its json.tool is the JSON parser here)"

# Fails unless file $1 is one valid JSON document (a real parser decides).
json_valid() {
	python3 -m json.tool "$1" >/dev/null || { echo "not JSON: $1:"; head -c 600 "$1"; echo; false; }
}

test_expect_success SYNTH 'synthetic traces' '
	"$SYNTH" "$FIG/nopm.txt" nopm.pmtrace &&
	"$SYNTH" "$FIG/cmp-a.txt" a.pmtrace &&
	"$SYNTH" "$FIG/cmp-b.txt" b.pmtrace &&
	"$SYNTH" "$FIG/ticks.txt" ticks.pmtrace
'

# ------------------------------------------------------------ 11. --json

# The arguments each command that takes --json is tried with.  A command
# whose --help offers --json and is missing here fails the first step.
json_args() {
	case $1 in
	report) echo "a.pmtrace -o rep" ;;
	compare) echo "a.pmtrace b.pmtrace -o cmp" ;;
	list) echo "a.pmtrace b.pmtrace --no-cache" ;;
	*) return 1 ;;
	esac
}

test_expect_success ANALYZER 'every command that offers --json is tried here' '
	cmds=$("$AN" --help | awk "/^  [a-z]+  /{print \$1}" | sort -u) &&
	test -n "$cmds" &&
	for c in $cmds; do
		if "$AN" "$c" --help 2>&1 | grep -q -- "--json"; then
			json_args "$c" >/dev/null || { echo "$c offers --json: add it to json_args"; exit 1; }
		fi
	done
'

for cmd in report compare; do
	for plot in --no-plot ""; do
		prereq=SYNTH,PYTHON
		[ -z "$plot" ] && prereq=$prereq,GNUPLOT
		# shellcheck disable=SC2046 # json_args: words
		test_expect_success $prereq "$cmd --json $plot: stdout is one JSON document, messages on stderr" '
			rm -rf rep cmp &&
			"$AN" $cmd $(json_args $cmd) --json $plot >out.json 2>err &&
			json_valid out.json &&
			grep "^Wrote " err
		'
	done
done

test_expect_success SYNTH,PYTHON 'list --json: stdout is one JSON document' '
	"$AN" list a.pmtrace b.pmtrace --no-cache --json >out.json &&
	json_valid out.json
'

test_expect_success SYNTH,PYTHON 'report --json --core-distribution: JSON only, both figures said on stderr' '
	"$AN" report ticks.pmtrace -o rep --json --no-plot --core-distribution >out.json 2>err &&
	json_valid out.json &&
	grep -- "-cores.gp" err
'

test_expect_success SYNTH 'report --json --csv -: both want standard output, refused (exit 2)' '
	test_expect_code 2 "$AN" report a.pmtrace -o rep --json --csv - >out 2>err &&
	grep -- "--json" err && grep -- "--csv -" err && ! test -s out
'

# ------------------------------------------------------------ 12. commands

test_expect_success SYNTH 'an unknown command is named, exit 2, nothing written' '
	test_expect_code 2 "$AN" reprot a.pmtrace >out 2>err &&
	cat err &&
	grep "unknown command '"'"'reprot'"'"'" err &&
	grep "report" err && ! grep "one trace at a time" err &&
	! test -e a.csv
'

test_expect_success ANALYZER 'an unknown command alone is named too' '
	test_expect_code 2 "$AN" frobnicate >out 2>err &&
	grep "unknown command '"'"'frobnicate'"'"'" err
'

test_expect_success SYNTH 'a bare existing file means report' '
	"$AN" a.pmtrace -o bare --no-plot >out &&
	grep "^Recorded " out && test -s bare/a.csv
'

test_expect_success ANALYZER 'a bare trace name that does not exist: named as a missing file, exit 1' '
	test_expect_code 1 "$AN" nosuch.pmtrace >out 2>err &&
	cat err && grep "nosuch.pmtrace" err &&
	! grep "unknown command" err && ! grep "report:" err
'

# ------------------------------------------------------------ 10. no process data

M1PRO=$PM/m1pro-macos15.3.2-plist-showall-5samples.plist

# The capture by hand: per sample its end (running sum of elapsed_ns, s) and
# GPU active % (100 x (1 - the gpu dict's idle_ratio)), "t,pct" lines.
m1pro_by_hand() {
	tr '\000' '\n' <"$M1PRO" | awk '
		/<key>elapsed_ns<\/key>/ { gsub(/.*<integer>|<\/integer>.*/, ""); t += $0 / 1e9 }
		/<key>gpu<\/key>/ { gpu = 1 }
		gpu && /<key>idle_ratio<\/key>/ {
			gsub(/.*<real>|<\/real>.*/, ""); printf "%.4f,%.2f\n", t, 100 * (1 - $0); gpu = 0 }'
}

test_expect_success 'import of the M1 Pro plist: a timeline of its 5 powermetrics samples' '
	"$AN" import "$M1PRO" -o m1.pmtrace >/dev/null &&
	"$AN" report m1.pmtrace -o m1 --no-plot >report.txt &&
	m1pro_by_hand >want && test_line_count = 5 want &&
	grep -v "^#" m1/m1.csv | awk -F, "NR == 1 { for (i = 1; i <= NF; i++) c[\$i] = i; next }
		{ printf \"%.4f,%.2f\n\", \$c[\"elapsed_s\"], \$c[\"gpu_active_pct\"] }" >got &&
	test_cmp_str "$(cat got)" "$(cat want)"
'

test_expect_success 'import: per-application columns are empty, never 0 or nan' '
	grep -v "^#" m1/m1.csv | awk -F, "NR == 1 { for (i = 1; i <= NF; i++) c[\$i] = i; next }
		{ print \$c[\"rss_gb\"] \$c[\"cpu_pct\"] \$c[\"threads\"] \$c[\"procs\"] \$c[\"footprint_gb\"] }" >cells &&
	test_line_count = 5 cells && ! grep . cells
'

test_expect_success 'import: the summary says what the trace has and lacks' '
	cat report.txt &&
	grep "^Recorded 2025-03-24T16:57:18.973+00:00 for 0:00:05: 5 powermetrics samples" report.txt &&
	grep "no process samples" report.txt &&
	! grep -E "0 GB RAM|nan|threads max" report.txt &&
	grep "RAM unknown" report.txt &&
	grep "GPU active     mean 17.4%" report.txt
'

test_expect_success 'import: the figure has GPU panels with data, the others say why not' '
	grep "c_gpu" m1/m1.gp | grep "with lines" &&
	! grep "no data: powermetrics" m1/m1.gp &&
	grep "no process samples" m1/m1.gp
'

test_expect_success 'import: JSON says where the timeline comes from, duration from the samples' '
	"$AN" report m1.pmtrace -o m1 --no-plot --json >m1.json &&
	grep "\"timeline\":\"powermetrics\"" m1.json &&
	test_near_rel "$(test_json_num m1.json duration_s)" 5.16317 0.001 &&
	test_cmp_str "$(test_json_num m1.json samples)" 0
'

test_expect_success SYNTH 'a recording whose target never ran: a timeline of its system samples' '
	"$SYNTH" "$EDGE/never-ran.txt" never.pmtrace &&
	"$AN" report never.pmtrace -o nr --no-plot >never.txt &&
	cat never.txt && grep "no process samples" never.txt && ! grep nan never.txt &&
	grep -v "^#" nr/never.csv | awk -F, "NR == 1 { for (i = 1; i <= NF; i++) c[\$i] = i; next }
		{ print \$c[\"elapsed_s\"] \",\" \$c[\"swap_used_gb\"] }" >got &&
	test_cmp_str "$(cat got)" "$(printf "0,0.1\n1,0.2\n2,0.3")"
'

# ------------------------------------------------------------ 14. hostile logs

ASAN_AN=$B/asan/phocus-analyze
test_require_built "$ASAN_AN"

test_expect_success 'import of a log from the year 9999 with a sample of 1e300 ms: no UB, nothing absurd' '
	sed -e "s/(Mon Oct 23 16:51:12 2023 +0200) (1012.07ms elapsed)/(Fri Dec 31 23:59:59 9999 +0200) (1012.07ms elapsed)/" \
	    -e "s/(1002.80ms elapsed)/(1e300ms elapsed)/" \
		"$PM/m2-macos12-text-cpu_power-composite.txt" >huge.txt &&
	grep " 9999 " huge.txt && grep "1e300ms" huge.txt &&
	"$ASAN_AN" import huge.txt -o huge.pmtrace 2>err && ! grep -i "runtime error" err &&
	"$ASAN_AN" info huge.pmtrace >huge.info 2>err && ! grep -i "runtime error" err &&
	"$ASAN_AN" dump huge.pmtrace --power >huge.csv &&
	cat huge.info huge.csv && grep "interval 1012 ms" huge.info && grep "date unknown" huge.info &&
	test_cmp_str "$(grep -v "^#" huge.csv | cut -d, -f1 | tail -n 2 | tr "\n" " ")" "1.01207 2.01207 "
'

# ------------------------------------------------------------ 13. words and units

test_expect_success SYNTH 'one GB (10^9 bytes): the header line, CSV, info and JSON agree' '
	"$SYNTH" "$EDGE/gib.txt" gib.pmtrace &&
	"$AN" report gib.pmtrace -o gib --no-plot >gib.txt &&
	"$AN" report gib.pmtrace -o gib --no-plot --json >gib.json &&
	"$AN" info gib.pmtrace >gib.info &&
	head -n 1 gib.txt | grep "25.8 GB (24 GiB) RAM" &&
	grep "^Machine: .*25.8 GB (24 GiB) RAM" gib.info &&
	grep "^# RAM: 25.8 GB (24 GiB)" gib/gib.csv &&
	test_near_rel "$(test_json_num gib.json ram_gb)" 25.7698 0.0001 &&
	grep "machine_text = .*25.8 GB" gib/gib.gp &&
	grep "Memory trend across marks: +0.00 GB per mark (least squares over 2 marks, R.* n/a" gib.txt
'

test_expect_success SYNTH 'RAM that is not whole GiB: GB alone' '
	"$SYNTH" "$EDGE/one.txt" one.pmtrace &&
	"$AN" report one.pmtrace -o one --no-plot >one.txt &&
	head -n 1 one.txt | grep "25.3 GB RAM"
'

# "1 samples", "1 processes", ...: a count of one with a plural noun.
one_plural() {
	grep -E "(^|[^0-9.,])1 ([a-z]+ )?(samples|processes|marks|events|records|gaps|blocks|problems|rows|frames|batches|bytes|traces|values)([^a-z]|$)" "$@"
}

test_expect_success SYNTH 'one of a kind is singular: 1 sample, 1 process, 1 mark' '
	"$AN" info one.pmtrace >one.info &&
	cat one.txt one.info &&
	! one_plural one.txt one.info &&
	grep -E "1 process sample([^s]|$)" one.info &&
	grep "1 process seen" one.txt && grep "1 mark" one.info
'

test_expect_success SYNTH 'values not recorded: n/a in text, empty in CSV, null in JSON, never nan' '
	"$AN" report one.pmtrace -o one --no-plot --json >one.json &&
	! grep -i nan one.txt one.info one/one.csv one.json &&
	grep "threads max n/a" one.txt &&
	test_cmp_str "$(test_json_num one.json threads_max)" null &&
	grep -v "^#" one/one.csv | awk -F, "NR == 1 { for (i = 1; i <= NF; i++) c[\$i] = i; next }
		{ print \$c[\"threads\"] }" >cells && ! grep . cells &&
	grep "^# empty = not recorded" one/one.csv
'

# The largest "RSS 1.23 GB" of the live status lines in file $1 ("... 2 procs
# RSS 1.23 GB ..."; not the closing line's "peak RSS"): "1.23 GB".
largest_rss() {
	tr '\r' '\n' <"$1" | grep -E -o "procs?  RSS [0-9.]* [kMG]B" | awk '
		{ m = 1e3; if ($4 == "MB") m = 1e6; if ($4 == "GB") m = 1e9
		  if ($3 * m >= max) { max = $3 * m; s = $3 " " $4 } }
		END { print s }'
}

# fake-editor holds 300 MiB (0.31 GB) from 2 s to its end (4.5 s or more):
# the status line, at most once a second, shows it at least once.  (The
# summary's peak may be higher: the fork of its helper counts the pages twice
# until exec.)
test_expect_success 'the live status line and the summary use the same units' '
	"$HELPERS/pty-run" "$REC" -i 100 -d 8 -o mem.pmtrace -- "$HELPERS/fake-editor" 1 2 300 \
		</dev/null >tty.out 2>&1 &&
	"$AN" report mem.pmtrace -o mem --no-plot >mem.txt &&
	st=$(largest_rss tty.out) &&
	sm=$(grep "^  RSS " mem.txt | sed "s/.*peak \([0-9.]* [kMG]B\).*/\1/") &&
	echo "largest in the status line: $st; summary peak: $sm" &&
	test_cmp_str "${st##* }" "${sm##* }" &&
	test_cmp_num "${st% *}" -ge 0.31
'

test_done
