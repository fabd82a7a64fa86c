#!/bin/sh
# tests/fuzz-smoke.sh - a short libFuzzer run of the trace reader (make check).
# Skipped (and counted) when clang cannot build fuzzers here.  `make fuzz`
# runs the same target for longer.
. "$(dirname "$0")/lib.sh"

FUZZ=$B/fuzz/fuzz_reader
if test_have_prereq CLANG && (cd "$TOP" && make -s "${FUZZ#"$TOP"/}" >"$TRASH/build.log" 2>&1); then
	test_set_prereq FUZZER
fi
test_prereq_why FUZZER "clang cannot build a libFuzzer target here (Apple's clang has no libFuzzer; log: build.log)"

test_expect_success FUZZER 'reader survives 20 s of fuzzing from the seed corpus' '
	mkdir corpus &&
	{ "$FUZZ" -max_total_time=20 -rss_limit_mb=1024 -print_final_stats=1 \
		corpus "$TOP/tests/data/fuzz-seeds" >fuzz.log 2>&1 ||
	  { tail -n 30 fuzz.log; false; }; }
'

test_done
