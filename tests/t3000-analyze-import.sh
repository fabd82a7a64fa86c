#!/bin/sh
# t3000-analyze-import.sh - `phocus-analyze import` of every real capture:
# the trace keeps the log byte for byte, and its samples are all parsed.
. "$(dirname "$0")/lib.sh"

PM=$DATA/powermetrics

# Samples that are not "Summary" blocks, counted by hand from the capture.
regular_samples() {
	case $1 in
	*.plist) n=$(tr -cd '\000' <"$1" | wc -c); echo $((n + 1)) ;;
	*) grep -c "^\*\*\* Sampled system activity" "$1" || true ;;
	esac
}

for f in "$PM"/*.txt "$PM"/*.plist; do
	b=$(basename "$f")
	test_expect_success ANALYZER "import $b" '
		"$AN" import "$f" -o "$b.pmtrace" >out &&
		grep "^Imported " out &&
		"$AN" dump "$b.pmtrace" --powermetrics | cmp - "$f" &&
		"$AN" dump "$b.pmtrace" --power >power.csv 2>err &&
		n=$(grep -c "^[0-9]" power.csv || true) &&
		test_cmp_str "$n" "$(regular_samples "$f")" &&
		! test -s err &&
		"$AN" info "$b.pmtrace" | grep "Integrity: complete"
	'
done

test_expect_success ANALYZER 'import: the interval comes from the samples own elapsed time' '
	"$AN" dump m1-macmini-macos11.2.2-text-cpu_gpu-12samples.txt.pmtrace --power >p.csv &&
	sed -n "4p" p.csv | cut -d, -f1,2 >first &&
	test_cmp_str "$(cat first)" "1.00503,1005.03"
'

test_expect_success ANALYZER 'import refuses to replace a trace without --force' '
	test_expect_code 2 "$AN" import "$PM/m4max-macos15.5-text-default-trimmed.txt" -o m4max-macos15.5-text-default-trimmed.txt.pmtrace 2>err &&
	grep "use --force" err &&
	"$AN" import --force "$PM/m4max-macos15.5-text-default-trimmed.txt" -o m4max-macos15.5-text-default-trimmed.txt.pmtrace
'

test_expect_success ANALYZER 'import of something that is not powermetrics output: clear error, exit 1' '
	echo "hello world" >notpm.txt &&
	test_expect_code 1 "$AN" import notpm.txt -o x.pmtrace 2>err &&
	grep "notpm.txt: not powermetrics output" err && ! test -e x.pmtrace
'

test_done
