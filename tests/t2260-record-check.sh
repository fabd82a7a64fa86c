#!/bin/sh
# t2260-record-check.sh - phocus-record --check: the report a user runs
# first on a new machine.  On Linux every source a recording needs passes,
# the process list finds the check itself, the counters of a known process
# match its own accounting, the macOS-only rows say "not on this system";
# the powermetrics rows pass with a replayed capture (power values worked
# out by hand from the capture) and fail with advice for a command that
# exits at once or prints garbage; --json is one JSON document on stdout;
# exit codes 0, 1, 2.
. "$(dirname "$0")/lib.sh"

PMD=$DATA/powermetrics
TEXT=$PMD/m1-macmini-macos11.2.2-text-cpu_gpu-12samples.txt
PLIST=$PMD/m1pro-macos15.3.2-plist-showall-5samples.plist

command -v python3 >/dev/null 2>&1 && test_set_prereq PYTHON
test_prereq_why PYTHON "python3 is not installed (its json module reads --json here)"

# ck_get FILE SOURCE [KEY]: from the --json document FILE, the status of
# the row SOURCE, or its value KEY ("none" when absent).
ck_get() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
rows = [c for c in d["checks"] if c["source"] == sys.argv[2]]
if not rows:
    print("none"); sys.exit(0)
print(rows[0]["status"] if len(sys.argv) < 4 else rows[0]["values"].get(sys.argv[3], "none"))
' "$@"
}

# row FILE SOURCE: the table row of SOURCE (the source padded to 21).
row() {
	awk -v s="$2" '{ x = substr($0, 1, 21); sub(/ +$/, "", x) }
	    x == s { print; exit }' "$1"
}

test_expect_success 'on this machine: exit 0, verdict ready, nothing on stderr' '
	"$REC" --check >out 2>err && cat out &&
	grep "^Verdict: ready: everything a recording needs works" out &&
	test_cmp_num "$(wc -c <err)" = 0 &&
	! grep "^[a-zA-Z].* FAIL " out
'

test_expect_success LINUX 'the macOS-only rows say "not on this system"' '
	for s in footprint "CPU energy" "GPU clients" IOReport "core levels" \
	    "GPU cores" "ANE cores" powermetrics "responsible pid"; do
		r=$(row out "$s") && echo "$r" &&
		echo "$r" | grep -E "^$s +- +not on this system" || exit 1
	done
'

test_expect_success LINUX 'every row a recording needs passes' '
	for s in "process list" "target matching" "process tree" counters \
	    "system info" "memory and swap" "OS version" "per-core ticks"; do
		row out "$s" | grep -E "^$s +pass " || { echo "not passed: $s"; exit 1; }
	done
'

test_expect_success PYTHON '--json: one JSON document on stdout, the same rows as the table' '
	"$REC" --check --json >j 2>err && python3 -m json.tool j >/dev/null &&
	test_cmp_num "$(wc -c <err)" = 0 &&
	python3 -c "import json,sys; d=json.load(open(\"j\")); print(len(d[\"checks\"]), d[\"ready\"], d[\"exit_code\"])" >got &&
	test_cmp_str "$(cat got)" "$(grep -c "^[a-zA-Z]" out | awk "{ print \$1 - 3 }") True 0"
'

test_expect_success PYTHON 'the process list finds the check itself (its pid from the shell)' '
	"$REC" --check --json >j &
	pid=$! && wait $pid &&
	test_cmp_str "$(ck_get j "process list" self_pid)" "$pid" &&
	test_cmp_str "$(ck_get j "target matching")" pass &&
	test_cmp_num "$(ck_get j "process list" processes)" -gt 1
'

test_expect_success PYTHON,LINUX 'a known process: CPU and memory as its own accounting says' '
	"$HELPERS/burn" 0.5 64 30 used & pid=$! &&
	n=0 && while [ ! -s used ] && [ "$n" -lt 200 ]; do sleep 0.05; n=$((n + 1)); done &&
	"$REC" --check --json -p $pid >j; rc=$?; kill $pid; wait $pid
	test "$rc" = 0 && cat used &&
	test_cmp_str "$(ck_get j target)" pass &&
	test_cmp_str "$(ck_get j target pid)" "$pid" &&
	cpu=$(ck_get j target cpu_s) && echo "the check: $cpu s, burn itself: $(cat used) s" &&
	awk -v a="$cpu" -v b="$(cat used)" "BEGIN { d = a - b; exit !(d >= -0.005 && d <= 0.02) }" &&
	rss=$(ck_get j target rss_bytes) && echo "resident: $rss bytes, touched: 64 MiB" &&
	test_cmp_num "$rss" -ge 67108864 && test_cmp_num "$rss" -le 83886080 &&
	test_cmp_str "$(ck_get j target threads)" 1 &&
	test_cmp_str "$(ck_get j target tree_processes)" 1
'

test_expect_success PYTHON 'the check'"'"'s own child: 3 threads, 1 MiB written and synced' '
	test_cmp_str "$(ck_get j threads)" pass &&
	test_cmp_str "$(ck_get j threads threads)" 3 &&
	test_cmp_str "$(ck_get j "process tree")" pass &&
	wb=$(ck_get j "disk bytes" write_bytes) && echo "written: $wb" &&
	if test_have_prereq LINUX; then test_cmp_num "$wb" -ge 1048576; fi
'

test_expect_success PYTHON 'the units check: CPU and memory of its child as the kernel counts them' '
	"$REC" --check --json >j &&
	test_cmp_str "$(ck_get j calibration)" pass &&
	test_cmp_str "$(ck_get j calibration touched_bytes)" 67108864 &&
	test_near_rel "$(ck_get j calibration cpu)" 1 0.1 &&
	test_near_rel "$(ck_get j calibration children_cpu)" 1 0.1 &&
	test_near_rel "$(ck_get j calibration memory)" 1 0.1 &&
	test_cmp_num "$(ck_get j calibration kernel_cpu_s)" -ge 0.1
'

test_expect_success PYTHON 'wrong units (the fake units platform: CPU x 125/3, memory in pages): FAIL, exit 1' '
	page=$(getconf PAGESIZE) &&
	test_expect_code 1 "$HELPERS/phocus-record-units" --check --json >j &&
	test_cmp_str "$(ck_get j calibration)" fail &&
	test_near_rel "$(ck_get j calibration cpu)" "$(echo "125 3" | awk "{ print \$1 / \$2 }")" 0.1 &&
	test_near_rel "$(ck_get j calibration memory)" "$(echo "$page" | awk "{ print 1 / \$1 }")" 0.1 &&
	python3 -c "import json; d = json.load(open(\"j\")); print(d[\"verdict\"])" >v &&
	grep "^NOT READY: a recording needs what failed here: calibration" v &&
	"$REC" --check --no-calibration >out &&
	row out calibration | grep -E "^calibration +skip +turned off by --no-calibration"
'

test_expect_success PYTHON 'powermetrics replayed (text): passes, power as the capture says' '
	"$REC" --check --json --powermetrics-cmd "pm-replay -i 100 -n 1 $TEXT" >j &&
	for s in "powermetrics command" "powermetrics start" "powermetrics samplers" \
	    "powermetrics samples" "powermetrics stop"; do
		test_cmp_str "$(ck_get j "$s")" pass || exit 1
	done &&
	test_cmp_str "$(ck_get j "powermetrics command" command)" "pm-replay -i 100 -n 1 $TEXT" &&
	grep -m1 "^Clusters Total Power: 23 mW" "$TEXT" && grep -m1 "^GPU Power: 1 mW" "$TEXT" &&
	grep -m1 "^ANE Power: 0 mW" "$TEXT" &&
	test_cmp_num "$(ck_get j "powermetrics samples" cpu_w)" = 0.023 &&
	test_cmp_num "$(ck_get j "powermetrics samples" gpu_w)" = 0.001 &&
	test_cmp_num "$(ck_get j "powermetrics samples" ane_w)" = 0 &&
	test_cmp_num "$(ck_get j "powermetrics samples" parsed)" = 1
'

test_expect_success 'powermetrics replayed (plist, NUL before each sample): two samples parse' '
	"$REC" --check --powermetrics-cmd "pm-replay -i 100 $PLIST" >out &&
	row out "powermetrics samples" | grep -E "pass +2 of 2 samples parsed as plist" &&
	row out "powermetrics stop" | grep -E "pass +stopped" &&
	grep "^Verdict: ready" out
'

test_expect_success 'a powermetrics that exits at once: exit 1, FAIL with what to do' '
	test_expect_code 1 "$REC" --check --powermetrics-cmd "pm-replay --fail $TEXT" >out &&
	cat out &&
	row out "powermetrics start" | grep -E " pass +started as pid" &&
	row out "powermetrics samples" | grep -E " FAIL +no sample; it ended by itself: exit status 1: powermetrics must be invoked as the superuser" &&
	grep -A1 "^powermetrics samples" out | grep "what to do: run the command by hand" &&
	grep "^Verdict: NOT READY: a recording needs what failed here: powermetrics samples$" out
'

test_expect_success 'a command that prints garbage: exit 1, FAIL, what it printed, what to do' '
	test_expect_code 1 "$REC" --check --powermetrics-cmd "echo no samples here" >out &&
	row out "powermetrics samples" | grep -E " FAIL +no sample; it printed: \"no samples here\"" &&
	grep -A1 "^powermetrics samples" out | grep "what to do: its output is not powermetrics output"
'

test_expect_success 'a command that cannot be run: exit 1, the start fails' '
	test_expect_code 1 "$REC" --check --powermetrics-cmd "$TRASH/no-such-pm -i 1" >out &&
	row out "powermetrics start" | grep -E " FAIL +cannot run it: No such file or directory" &&
	! grep "^powermetrics samples" out
'

cat >fake-pm <<EOF
#!/bin/sh
case " \$* " in *ane_power*)
	echo "powermetrics: unrecognized sampler: ane_power" >&2; exit 1 ;;
esac
exec pm-replay -i 100 -n 2 "$TEXT"
EOF
chmod +x fake-pm

test_expect_success 'a refused sampler: dropped as in a recording, the row says so' '
	"$REC" --check --powermetrics-cmd "$TRASH/fake-pm --samplers cpu_power,ane_power -i 100" >out &&
	row out "powermetrics samplers" | grep -E " pass +refused ane_power \(it said: powermetrics: unrecognized sampler: ane_power\); a recording runs without: .*fake-pm --samplers cpu_power -i 100$" &&
	row out "powermetrics samples" | grep -E " pass +2 of 2 samples parsed as text"
'

test_expect_success 'turned off: --no-powermetrics, --no-ioreport' '
	"$REC" --check --no-powermetrics --no-ioreport >out &&
	row out powermetrics | grep -E "^powermetrics +skip +turned off by --no-powermetrics" &&
	row out IOReport | grep -E "^IOReport +skip +turned off by --no-ioreport"
'

test_expect_success 'a target pid that does not exist: exit 1; a name not running: skipped' '
	test_expect_code 1 "$REC" --check -p 2147483646 >out &&
	row out target | grep -E "^target +FAIL +no process with pid 2147483646" &&
	"$REC" --check -n no-such-app-xyz >out &&
	row out target | grep -E "^target +skip +no process named \"no-such-app-xyz\""
'

test_expect_success 'usage errors exit 2' '
	test_expect_code 2 "$REC" --json 2>err && grep "json goes with --check" err &&
	test_expect_code 2 "$REC" --check -o x.pmtrace 2>err && grep "records nothing" err &&
	test_expect_code 2 "$REC" --check -- true 2>err &&
	test_expect_code 2 "$REC" --check --bogus 2>err
'

cat >uid-pm <<EOF
#!/bin/sh
id -u >"$TRASH/pm-uid"
exec pm-replay -i 100 -n 2 "$TEXT"
EOF
chmod +x uid-pm

test_expect_success ROOT 'under sudo: powermetrics starts as root, then privileges are dropped' '
	chmod o+rx "$TRASH" &&
	SUDO_UID=54321 SUDO_GID=54322 "$REC" --check --powermetrics-cmd "$TRASH/uid-pm" >out &&
	cat out &&
	test_cmp_str "$(cat pm-uid)" 0 &&
	row out privileges | grep -E " pass +started as root by sudo: powermetrics started as root, then dropped to uid 54321" &&
	grep "uid 54321 (started as root)" out &&
	row out "powermetrics stop" | grep -E " pass " &&
	row out counters | grep -E " pass "
'

test_expect_success ROOT 'not root: a powermetrics that wants the superuser says to run with sudo' '
	chmod o+rx "$TRASH" && mkdir -m 777 nr && cd nr &&
	cp "$REC" "$TOP/scripts/pm-replay" . &&	# the checkout may not be readable by nobody
	test_expect_code 1 "$HELPERS/as-user" 65534 65534 ./phocus-record --check \
		--powermetrics-cmd "$TRASH/nr/pm-replay --fail x" >out &&
	cat out &&
	grep "^phocus-record .* uid 65534, " out &&
	row out privileges | grep -E " pass +uid 65534, not root" &&
	grep -A1 "^powermetrics samples" out |
		grep "what to do: powermetrics needs root: run sudo phocus-record --check" &&
	row out counters | grep " pass "
'

test_done
