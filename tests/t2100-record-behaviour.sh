#!/bin/sh
# t2100-record-behaviour.sh - how phocus-record behaves as a user drives it:
# marks from a pipe, every way of stopping (signals, SIGKILL, target exit,
# duration), bad targets and output paths, a full disk, privileges, --wait,
# short intervals and clock gaps.  Runs on Linux and macOS alike.
. "$(dirname "$0")/lib.sh"

# t (seconds) of the last process sample in a trace.
last_sample_t() {
	"$AN" dump "$1" --samples 2>/dev/null | awk -F, '/^[0-9]/ { t = $1 } END { print t + 0 }'
}

test_expect_success RECORDER '--help and --version' '
	"$REC" --help >h.out && grep -- "--powermetrics-cmd" h.out &&
	"$REC" --version | grep "^phocus-record [0-9]"
'

test_expect_success RECORDER 'marks from a pipe: labelled, unnamed (numbered), odd characters' '
	(printf "open image 1\n\nHNNR on, \"fast\"\n=cmd|x\n"; sleep 1.2) |
		"$REC" -q -i 100 -o m.pmtrace -d 1 -- sleep 5 >out 2>err &&
	grep "mark 1 at .*: open image 1" err &&
	grep "mark 2 at " err &&
	"$AN" info m.pmtrace >info &&
	grep "  1  open image 1$" info &&
	grep "  2  #2$" info &&
	grep "  3  HNNR on, \"fast\"$" info &&
	grep "  4  =cmd|x$" info
'

test_expect_success RECORDER 'a closed stdin is ignored and recording goes on' '
	"$REC" -q -i 100 -o c.pmtrace -d 1 -- sleep 5 <&- &&
	"$AN" info c.pmtrace | grep "Integrity: complete"
'

for sig in INT TERM HUP; do
	test_expect_success RECORDER "SIG$sig ends the trace cleanly (exit 0, END record)" '
		"$REC" -q -i 100 -o s$sig.pmtrace -- sleep 30 </dev/null >out 2>err &
		pid=$! && sleep 1 && kill -'$sig' $pid && wait $pid &&
		"$AN" info s$sig.pmtrace >info &&
		grep "Integrity: complete" info &&
		grep -E "recording stopped: (Ctrl-C|SIGTERM|SIGHUP)" info &&
		grep "Next: phocus-analyze report s$sig.pmtrace" out
	'
done

test_expect_success RECORDER 'SIGKILL: the trace stays readable, at most the last second lost' '
	"$REC" -q -i 100 -o k.pmtrace -- sleep 30 </dev/null >/dev/null 2>&1 &
	pid=$! && sleep 3 && kill -KILL $pid; wait $pid;
	"$AN" info k.pmtrace >info &&
	grep "did not end cleanly" info &&
	t=$(last_sample_t k.pmtrace) && echo "last sample at $t s" &&
	test_cmp_num "$t" -ge 1.7	# killed at 3 s; at most 1 s lost, 0.3 s to start
'

test_expect_success RECORDER 'the target exiting ends the trace, with its exit code' '
	"$REC" -q -i 100 -o x.pmtrace -- sh -c "sleep 0.5; exit 3" </dev/null &&
	"$AN" info x.pmtrace >info &&
	grep "target exit .*exit code 3" info &&
	grep "Integrity: complete" info
'

test_expect_success RECORDER 'a command killed by a signal: the signal is recorded' '
	"$REC" -q -i 100 -o y.pmtrace -- sh -c "sleep 0.3; kill -USR1 \$\$" </dev/null &&
	usr1=$(sh -c "kill -USR1 \$\$"; echo $(($? - 128))) &&	# 10 on Linux, 30 on macOS
	"$AN" info y.pmtrace | grep -E "target exit .*signal $usr1([^0-9]|$)"
'

test_expect_success RECORDER '--duration stops on time' '
	"$REC" -q -i 50 -o d.pmtrace -d 1.5 -- sleep 30 </dev/null &&
	t=$(last_sample_t d.pmtrace) &&
	test_cmp_num "$t" -ge 1.4 && test_cmp_num "$t" -le 1.7 &&
	"$AN" info d.pmtrace | grep "recording stopped: the duration was reached"
'

test_expect_success RECORDER 'a pid that does not exist: clear error, exit 2, no file' '
	test_expect_code 2 "$REC" -q -p 999999 -o p.pmtrace 2>err &&
	grep "no process with pid 999999" err && ! test -e p.pmtrace
'

test_expect_success RECORDER 'a name that is not running: names it, suggests --wait, exit 2' '
	test_expect_code 2 "$REC" -q -n NoSuchPhocus 2>err &&
	grep "no running process named .NoSuchPhocus." err && grep -- "--wait" err
'

test_expect_success RECORDER 'the default target is Phocus' '
	test_expect_code 2 "$REC" -q 2>err &&
	grep "named .Phocus." err
'

test_expect_success RECORDER 'an unwritable output path: error naming it, exit 2 (nothing recorded)' '
	test_expect_code 2 "$REC" -q -o /nonexistent-dir/t.pmtrace -d 1 -- sleep 3 2>err &&
	grep "cannot create /nonexistent-dir/t.pmtrace" err
'

test_expect_success RECORDER 'an existing trace is not replaced without --force' '
	echo precious >e.pmtrace &&
	test_expect_code 2 "$REC" -q -o e.pmtrace -d 1 -- sleep 3 2>err &&
	grep "already exists; use --force" err &&
	test_cmp_str "$(cat e.pmtrace)" precious &&
	"$REC" -q -o e.pmtrace --force -d 0.5 -- sleep 3 </dev/null &&
	"$AN" info e.pmtrace | grep "Integrity: complete"
'

test_expect_success RECORDER 'a symbolic link as output is never followed' '
	echo keep >target && ln -s target link.pmtrace &&
	test_expect_code 2 "$REC" -q -o link.pmtrace --force -d 0.5 -- sleep 3 2>err &&
	grep "symbolic link" err && test_cmp_str "$(cat target)" keep
'

test_expect_success RECORDER 'the default output name is <target>-YYYYmmdd-HHMMSS.pmtrace' '
	mkdir dflt && (cd dflt && "$REC" -q -d 0.3 -- sleep 3 </dev/null) &&
	ls dflt >names && grep -E "^sleep-[0-9]{8}-[0-9]{6}\.pmtrace$" names
'

test_expect_success RECORDER 'a full disk (file size limit): says so, exit 1, trace readable' '
	test_expect_code 1 sh -c "ulimit -f 300 && exec \"\$@\"" sh "$REC" -q -i 100 -o full.pmtrace \
		--powermetrics-cmd "pm-replay -i 500 --loop $DATA/powermetrics/m1pro-macos15.3.2-plist-showall-5samples.plist" \
		-- sleep 20 </dev/null 2>err ||
	{ cat err; false; } &&
	grep -E "full.pmtrace: .*(no space|too large)" err &&
	"$AN" info full.pmtrace >info &&
	! grep -i "damaged" info && grep "did not end cleanly" info &&
	grep "Records: *[1-9][0-9]* process samples" info
'

test_expect_success RECORDER 'an interval of 10 ms works' '
	"$REC" -q -i 10 -o fast.pmtrace -d 1 -- sleep 5 </dev/null &&
	n=$("$AN" dump fast.pmtrace --samples | grep -c "^[0-9]") &&
	echo "$n samples" && test_cmp_num "$n" -ge 70
'

test_expect_success RECORDER 'a stall of the recorder becomes a clock-gap event' '
	"$REC" -q -i 100 -o gap.pmtrace -d 3 -- sleep 10 </dev/null &
	pid=$! && sleep 1 && kill -STOP $pid && sleep 1 && kill -CONT $pid && wait $pid &&
	"$AN" info gap.pmtrace | grep "clock gap .*no sample for 1\.[0-9] s"
'

test_expect_success RECORDER '--wait follows the target once it starts' '
	cp "$(command -v sleep)" ./pmwaitme &&
	{ "$REC" -q -i 100 --wait -n pmwaitme -o wait.pmtrace -d 3 </dev/null >out 2>err & }
	pid=$!
	sleep 1
	{ ./pmwaitme 5 & }
	sleeper=$!
	wait $pid; kill $sleeper 2>/dev/null;
	grep "pmwaitme started (pid" err &&
	"$AN" info wait.pmtrace >info &&
	grep "target start *following pmwaitme" info
'

test_expect_success RECORDER 'on a terminal a live status line, rewritten in place; none with -q' '
	"$HELPERS/pty-run" "$REC" -i 100 -d 2.5 -o tty.pmtrace -- sleep 5 </dev/null >tty.out &&
	tr "\r" "\n" <tty.out | grep -a "samples  1 proc  RSS .* MB  CPU .*  GPU/ANE .*  trace " &&
	test_cmp_num "$(tr "\r" "\n" <tty.out | grep -ac " samples  ")" -ge 2 &&
	"$HELPERS/pty-run" "$REC" -q -f -i 100 -d 1.5 -o tty.pmtrace -- sleep 5 </dev/null >q.out &&
	! grep -a " samples  " q.out
'

# shellcheck disable=SC2012 # ls -ln of one file: its owner, on GNU and BSD alike
test_expect_success ROOT 'under sudo: privileges dropped before the trace is created' '
	chmod o+x "$TRASH" && mkdir -m 777 priv &&
	SUDO_UID=65534 SUDO_GID=65534 "$REC" -q -o priv/p.pmtrace -d 0.5 -- sleep 3 </dev/null &&
	test_cmp_str "$(ls -ln priv/p.pmtrace | awk "{ print \$3 }")" 65534
'

test_done
