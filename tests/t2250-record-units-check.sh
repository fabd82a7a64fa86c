#!/bin/sh
# t2250-record-units-check.sh - every recording checks its own units at the
# start: a child of the recorder, read through the platform and counted by
# the kernel.  On this machine's backend the check passes; with a platform
# that gets its units wrong on purpose (CPU in ns claimed as Mach ticks,
# x 125/3; memory in pages claimed as bytes) the analyzer says so first and
# scales the CPU times, which then equal the workload's own count.
. "$(dirname "$0")/lib.sh"

UNITS=$HELPERS/phocus-record-units
test_require_built "$UNITS"
PAGE=$(getconf PAGESIZE)

test_expect_success 'this machine: units checked at start, every ratio 1 within 10%, in info and --json' '
	"$REC" -q -i 100 -o ok.pmtrace --no-powermetrics -- sleep 0.5 </dev/null >/dev/null 2>err &&
	! grep "units check" err &&
	"$AN" info ok.pmtrace >info && cat info &&
	grep "^Units checked at start: CPU [0-9.]*, children.s CPU [0-9.]*, memory [0-9.]*" info &&
	grep "^Units check: .*through this platform.s calls: CPU user [0-9.]* s, system [0-9.]* s" info &&
	grep "by the kernel (wait4): user [0-9.]* s, system [0-9.]* s" info &&
	grep "for 64.0 MiB touched" info &&
	"$AN" report ok.pmtrace -o out --json >ok.json &&
	grep -o "\"units_check\":{[^}]*}" ok.json &&
	for k in cpu children_cpu memory; do
		v=$(test_json_num ok.json $k units_check) &&
		test_cmp_num "$v" -ge 0.9 && test_cmp_num "$v" -le 1.1 || return 1
	done &&
	grep "\"cpu_off\":false,\"children_cpu_off\":false,\"memory_off\":false" ok.json &&
	"$AN" report ok.pmtrace -o out >sum &&
	! grep "^WARNING" sum &&
	grep "^Units checked at start" sum
'

test_expect_success '--no-calibration: no check, and the trace says so' '
	"$REC" -q -i 100 -o no.pmtrace --no-powermetrics --no-calibration -- sleep 0.3 </dev/null >/dev/null &&
	"$AN" info no.pmtrace | grep "^Units: not checked at the start" &&
	"$AN" report no.pmtrace -o out --json | grep "\"units_check\":null"
'

test_expect_success 'wrong units: the recorder says so at the start' '
	"$UNITS" -q -i 100 -o bad.pmtrace --no-powermetrics \
		-- "$HELPERS/burn" 1.5 0 0 "$TRASH/own" </dev/null >/dev/null 2>err &&
	cat err own &&
	grep "units check: CPU time read through this platform is 41.7 times what the kernel counted" err &&
	grep "units check: memory read through this platform grew by" err
'

test_expect_success 'wrong units: the summary says so first, in plain words' '
	"$AN" report bad.pmtrace -o out >sum && cat sum &&
	head -n 1 sum | grep "^WARNING: the units check .* found the CPU times this machine reported 41.7 times what the kernel counted" &&
	sed -n 2p sum | grep "^WARNING: .* resident memory .* grew by .* the 64 MiB a test process touched: the memory figures below may be in the wrong unit" &&
	grep "^Units checked at start: CPU 41.7, .*; scaled to the kernel.s count: CPU times x 0.024, reaped children.s CPU x 0.02" sum
'

test_expect_success 'wrong units: the ratios are what the wrong units make them (125/3, 1/page size)' '
	"$AN" report bad.pmtrace -o out --json >bad.json &&
	test_near_rel "$(test_json_num bad.json cpu units_check)" "$(echo | awk "{ print 125 / 3 }")" 0.01 &&
	test_near_rel "$(test_json_num bad.json memory units_check)" "$(echo | awk -v p="$PAGE" "{ print 1 / p }")" 0.02 &&
	grep "\"cpu_off\":true" bad.json && grep "\"memory_off\":true" bad.json &&
	grep "\"scaled\":true" bad.json
'

test_expect_success 'wrong units: the scaled CPU-seconds equal the workload'"'"'s own (getrusage), within 3%' '
	own=$(cat own) &&
	got=$(test_json_num bad.json cpu_seconds) &&
	echo "workload: $own s; trace, scaled: $got s" &&
	test_near_rel "$got" "$own" 0.03
'

test_expect_success 'wrong units, --no-calibration: shown as recorded, 125/3 times too much' '
	"$AN" report bad.pmtrace -o out --json --no-calibration >raw.json &&
	raw=$(test_json_num raw.json cpu_seconds) && own=$(cat own) &&
	echo "as recorded: $raw s for $own s" &&
	test_near_rel "$raw" "$(echo | awk -v o="$own" "{ print o * 125 / 3 }")" 0.03 &&
	grep "\"scaled\":false" raw.json &&
	"$AN" report bad.pmtrace -o out --no-calibration | grep "^WARNING: .*the CPU figures below are as recorded (--no-calibration)"
'

test_done
