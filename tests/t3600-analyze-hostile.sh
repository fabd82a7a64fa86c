#!/bin/sh
# t3600-analyze-hostile.sh - a short hostile-trace run (tests/hostile.sh):
# every analyzer command, built with ASan and UBSan (-fno-sanitize-recover),
# on well-formed traces with hostile values written by
# tests/helpers/pmt-hostile.c.  Seeds 1-11 use one class of hostile value
# each (wall clock, UTC offset, header, counters, pids, time, system
# samples, marks, strings, powermetrics, IOReport), 12 a mix; fixed seeds, so the
# run is the same every time.  `make fuzz` runs the same for a thousand
# seeds.  No command may crash, hang, report undefined behaviour, print
# nan or inf, or write JSON a parser refuses.
. "$(dirname "$0")/lib.sh"

test_require_built "$B/asan/phocus-analyze"
command -v python3 >/dev/null 2>&1 && test_set_prereq PYTHON
test_prereq_why PYTHON "the JSON outputs are checked with python3's json module"

test_expect_success PYTHON 'every command on 12 hostile traces: no crash, hang, UB, nan, or bad JSON' '
	B="$B" "$TOP/tests/hostile.sh" 1 12 "$TRASH/runs" >log 2>&1 ||
	{ grep -v "^hostile:" log | head -n 30 >&3; false; } &&
	tail -n 1 log && grep "^hostile: 12 traces, [0-9]* runs, 0 failed" log
'

test_expect_success 'the generator is deterministic: one seed, one trace' '
	"$HELPERS/pmt-hostile" 11 a.pmtrace a.log >a.out &&
	"$HELPERS/pmt-hostile" 11 b.pmtrace b.log >b.out &&
	cmp a.log b.log && cmp a.out b.out &&
	"$AN" dump a.pmtrace --samples >a.csv && "$AN" dump b.pmtrace --samples >b.csv &&
	sed 1d a.csv >a.rows && sed 1d b.csv >b.rows && cmp a.rows b.rows
'

test_expect_success 'seeds 1-10 each use one class, in the order the generator names them' '
	for s in 1 2 3 4 5 6 7 8 9 10; do
		"$HELPERS/pmt-hostile" "$s" x.pmtrace || exit 1
	done >classes &&
	cut -d" " -f3 classes | tr "\n" " " >got &&
	test_cmp_str "$(cat got)" "wall offset header counters pids time sys marks strings pm "
'

test_done
