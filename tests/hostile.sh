#!/bin/sh
# tests/hostile.sh - runs every analyzer command, built with ASan+UBSan, on
# well-formed traces with hostile contents (tests/helpers/pmt-hostile.c).
#
# usage: tests/hostile.sh FIRST_SEED COUNT [DIR]
#
# For each seed it writes one trace (and its powermetrics bytes as a log)
# and runs: info; report (text, --json, --csv - --core-distribution);
# dump --samples, --power, --powermetrics, --ioreport; compare with the previous seed's
# trace (text, --json); list of both (text with its cache, --json, --csv
# without); import of the log and a report of the import.
# A run fails when it is killed (a crash, or a hang: 60 s), exits with
# anything but 0 or 1, or its standard error holds a sanitizer report; a
# text or CSV output fails when it shows "nan" or "inf" (values not
# recorded are "n/a" or empty); JSON outputs are checked with python3 when
# it is there.  Prints one line per failure (with the command to reproduce
# it, the trace kept in DIR) and a closing line
# "hostile: N traces, N runs, N failed".  Exit 0 when none failed.
# Environment: B (build folder, default build), LIMIT (seconds per run),
# LEAKS=1 to have LeakSanitizer check every run too (three times slower).
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
B=${B:-build}
case $B in /*) ;; *) B=$TOP/$B ;; esac
AN=${HOSTILE_AN:-$B/asan/phocus-analyze}
GEN=$B/helpers/pmt-hostile
LIM=$B/helpers/timelimit
LIMIT=${LIMIT:-60}
first=${1:?usage: tests/hostile.sh FIRST_SEED COUNT [DIR]}
count=${2:?usage: tests/hostile.sh FIRST_SEED COUNT [DIR]}
dir=${3:-$(mktemp -d "${TMPDIR:-/tmp}/pm-hostile.XXXXXX")}
PM=$TOP/tests/data/powermetrics
export LC_ALL=C TZ=UTC
export ASAN_OPTIONS="detect_leaks=${LEAKS:-0}:exitcode=99:allocator_may_return_null=1"
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for f in "$AN" "$GEN" "$LIM"; do
	[ -x "$f" ] || { echo "hostile: $f is missing (make $f)"; exit 2; }
done
mkdir -p "$dir/json" && cd "$dir" || exit 2
dir=$(pwd)
export PHOCUS_CACHE_DIR="$dir/cache"	# list's cache, not the user's

# The small captures (the 2 MB plist makes a run slow under ASan).
caps=
for f in "$PM"/*.txt "$PM"/m4pro-macos15.5-plist-gpu_power-1sample.plist; do
	caps="$caps -p $f"
done

# An analyzer from before `list` (to measure an old build): list is left out.
have_list=
"$AN" --help 2>/dev/null | grep -q "^  list " && have_list=1

runs=0 failed=0 seed=$first desc=

# fail WHAT: reports the failure of the last run, keeps its trace.
fail() {
	failed=$((failed + 1))
	cp h.pmtrace "fail-$seed.pmtrace" 2>/dev/null
	cp h.log "fail-$seed.log" 2>/dev/null
	why=$(grep -m 1 -E "runtime error|ERROR: (Address|Leak)Sanitizer" err 2>/dev/null)
	where=$(grep -m 1 -E "#[0-9]+ 0x[0-9a-f]+ in [a-z_]+ .*(analyze|format)/" err 2>/dev/null |
		sed 's/.* in //')
	echo "FAIL $desc: phocus-analyze $*: $what${why:+: $why}${where:+ at $where}"
	echo "     (again: tests/hostile.sh $seed 1; trace kept: $dir/fail-$seed.pmtrace)"
}

# Whether file $1 shows "nan" or "inf" outside double-quoted text (quoted
# text is the input's own, e.g. a powermetrics line that could not be parsed).
shows_nan() {
	sed 's/"[^"]*"//g' "$1" | grep -m 1 -E '(^|[^A-Za-z_])-?(nan|inf)([^A-Za-z_]|$)' | cut -c 1-160
}

# run KIND ARGS...: one analyzer run; KIND text|json|raw says how to check stdout.
run() {
	kind=$1
	shift
	runs=$((runs + 1))
	"$LIM" "$LIMIT" "$AN" "$@" >out 2>err </dev/null
	rc=$?
	what=
	if [ $rc -eq 124 ]; then
		what="still running after $LIMIT s (a hang?)"
	elif [ $rc -gt 128 ]; then
		what="killed by signal $((rc - 128))"
	elif [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
		what="exit status $rc"
	elif grep -q -E "runtime error|Sanitizer" err; then
		what="sanitizer report"
	elif [ "$kind" = text ] && [ -n "$(shows_nan out)" ]; then
		what="'nan' or 'inf' in the output: $(shows_nan out)"
	elif [ "$kind" = json ] && [ -s out ]; then
		cp out "json/$seed-$runs.json"
	fi
	[ -n "$what" ] && fail "$@"
	return 0
}

# Written files (CSV, gnuplot scripts) must not hold "nan" or "inf" either.
check_files() {
	for f in "$@"; do
		[ -f "$f" ] || continue
		if [ -n "$(shows_nan "$f")" ]; then
			what="'nan' or 'inf' in $f: $(shows_nan "$f")"
			fail "(files written)"
		fi
	done
}

while [ "$seed" -lt $((first + count)) ]; do
	rm -rf r c i ri
	# shellcheck disable=SC2086 # $caps: one "-p FILE" pair per capture
	if ! desc=$("$GEN" $caps "$seed" h.pmtrace h.log); then
		echo "FAIL seed $seed: the generator failed"
		failed=$((failed + 1))
		seed=$((seed + 1))
		continue
	fi
	[ -f prev.pmtrace ] || cp h.pmtrace prev.pmtrace
	run text info h.pmtrace
	run text report h.pmtrace -o r --no-plot
	run json report h.pmtrace -o r --no-plot --json
	run text report h.pmtrace -o r --no-plot --csv - --core-distribution
	run text dump h.pmtrace --samples
	run text dump h.pmtrace --power
	run raw dump h.pmtrace --powermetrics
	run text dump h.pmtrace --ioreport
	run text compare h.pmtrace prev.pmtrace -o c --no-plot
	run json compare h.pmtrace prev.pmtrace -o c --no-plot --json
	if [ -n "$have_list" ]; then
		run text list h.pmtrace prev.pmtrace
		run json list h.pmtrace prev.pmtrace --json
		run text list h.pmtrace --csv --no-cache
	fi
	run text import h.log -o i.pmtrace --force
	[ -f i.pmtrace ] && run text report i.pmtrace -o ri --no-plot
	check_files r/* c/* ri/*
	cp h.pmtrace prev.pmtrace
	seed=$((seed + 1))
done

if command -v python3 >/dev/null 2>&1 && ls json/*.json >/dev/null 2>&1; then
	bad=$(python3 -c '
import json, sys
for f in sys.argv[1:]:
    try:
        json.load(open(f, encoding="utf-8"))
    except Exception as e:
        print("%s: %s" % (f, e))
' json/*.json)
	if [ -n "$bad" ]; then
		echo "$bad" | sed 's/^/FAIL not JSON: /'
		failed=$((failed + $(echo "$bad" | wc -l)))
	fi
fi
echo "hostile: $count traces, $runs runs, $failed failed (kept in $dir)"
[ "$failed" -eq 0 ]
