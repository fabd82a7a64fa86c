#!/bin/sh
# t2200-record-powermetrics.sh - powermetrics capture: every real capture in
# tests/data/powermetrics is replayed through --powermetrics-cmd and must come
# back byte for byte, one record per sample; a powermetrics that fails (no
# root, not installed) is recorded as an event and recording goes on.
. "$(dirname "$0")/lib.sh"

PM=$DATA/powermetrics

# Samples in a capture, counted by hand: text headers, or NUL-separated plists.
expected_units() {
	case $1 in
	*.plist) n=$(tr -cd '\000' <"$1" | wc -c); echo $((n + 1)) ;;
	*) pre=$(head -c 3 "$1"); n=$(grep -cE "^\*\*\* S(ampled|ummary) system activity" "$1");
	   case $pre in "***") echo "$n" ;; *) echo $((n + 1)) ;; esac ;;
	esac
}

for f in "$PM"/*.txt "$PM"/*.plist; do
	b=$(basename "$f")
	test_expect_success RECORDER "$b: stored byte for byte, one record per sample" '
		"$REC" -q -i 100 -d 2 -o "$b.pmtrace" --powermetrics-cmd "pm-replay -i 50 $f" \
			-- sleep 10 </dev/null >/dev/null 2>err &&
		"$AN" dump "$b.pmtrace" --powermetrics >back &&
		cmp back "$f" &&
		"$AN" info "$b.pmtrace" >info &&
		n=$(sed -n "s/.* \([0-9]*\) powermetrics records\{0,1\} (.*/\1/p" info) &&	# "1 powermetrics record"
		test_cmp_str "$n" "$(expected_units "$f")"
	'
done

test_expect_success RECORDER 'a powermetrics that exits: event recorded, process data goes on' '
	"$REC" -q -i 100 -d 1 -o fail.pmtrace --powermetrics-cmd "pm-replay --fail x" \
		-- sleep 5 </dev/null >/dev/null 2>err &&
	cat err &&
	grep "powermetrics" err &&
	"$AN" info fail.pmtrace >info &&
	grep "powermetrics failed .*exit status 1: powermetrics must be invoked as the superuser" info &&
	grep "Records: *[1-9][0-9]* process samples" info &&
	grep "Integrity: complete" info
'

test_expect_success ROOT 'without root: "GPU/ANE power needs root: run with sudo", once' '
	chmod o+x "$TRASH" && mkdir -m 777 nr &&
	cp "$REC" "$TOP/scripts/pm-replay" nr/ &&	# the checkout may not be readable by nobody
	"$HELPERS/as-user" 65534 65534 \
		nr/phocus-record -q -i 100 -d 1 -o nr/x.pmtrace --powermetrics-cmd "$TRASH/nr/pm-replay --fail x" \
		-- sleep 5 </dev/null >/dev/null 2>err &&
	cat err &&
	test_cmp_str "$(grep -c "GPU/ANE power needs root: run with sudo" err)" 1
'

test_expect_success RECORDER 'a powermetrics command that does not exist: said once, recording goes on' '
	"$REC" -q -i 100 -d 1 -o none.pmtrace --powermetrics-cmd "/nonexistent/powermetrics -i 1000" \
		-- sleep 5 </dev/null >/dev/null 2>err &&
	test_cmp_str "$(grep -c "cannot run ./nonexistent/powermetrics -i 1000." err)" 1 &&
	"$AN" info none.pmtrace | grep "powermetrics failed *cannot run"
'

test_expect_success RECORDER '--no-powermetrics records none, and the header says so' '
	"$REC" -q -i 100 -d 0.5 -o nopm.pmtrace --no-powermetrics -- sleep 5 </dev/null &&
	"$AN" info nopm.pmtrace | grep "powermetrics: not recorded"
'

test_expect_success RECORDER 'powermetrics still running at the end is stopped' '
	printf "#!/bin/sh\necho \$\$ >\"%s/pm.pid\"\nexec pm-replay \"\$@\"\n" "$TRASH" >pm-pid &&
	chmod +x pm-pid &&	# pm-replay under the pid it writes
	"$REC" -q -i 100 -d 1 -o loop.pmtrace --powermetrics-cmd "$TRASH/pm-pid -i 200 --loop $PM/m4max-macos15.5-text-default-trimmed.txt" \
		-- sleep 5 </dev/null &&
	pid=$(cat pm.pid) && echo "pm-replay was pid $pid" &&
	! kill -0 "$pid" 2>/dev/null &&
	"$AN" info loop.pmtrace | grep "Integrity: complete"
'

test_done
