#!/bin/sh
# t2220-record-children.sh - what the programs phocus-record starts inherit:
# the signals the recorder ignores (SIGPIPE, SIGTTIN, SIGTTOU, SIGXFSZ) are
# back at their default in the -- COMMAND and in powermetrics, so a
# powermetrics whose pipe closes dies of SIGPIPE even when the recorder may
# not signal it (after dropping root); the trace says how it ended.
. "$(dirname "$0")/lib.sh"

# The signals a plain child here starts with ignored (helpers/sigign: what
# /proc/PID/status calls SigIgn, on any system), less the four the recorder
# ignores itself and the three it catches (INT, TERM, HUP: a caught signal
# is back at its default after exec): what its children must start with
# ("none" unless this test was itself started with signals ignored, as
# under nohup).
want_sigign() {
	"$HELPERS/sigign" | tr ' ' '\n' |
		grep -v -x -e PIPE -e TTIN -e TTOU -e XFSZ -e INT -e TERM -e HUP -e none |
		tr '\n' ' ' | sed 's/ $//' | grep . || echo none
}

# A stand-in for powermetrics that writes a line every 50 ms and keeps going
# when a write fails (as a program that ignores EPIPE would); it notes its
# pid.  With "ignore-term" it also ignores SIGTERM, like a root process the
# recorder may not signal: only a closed pipe (SIGPIPE) can end it then.
cat >writer.sh <<'EOF'
#!/bin/sh
[ "${1:-}" = ignore-term ] && trap '' TERM
echo $$ >"$(dirname "$0")/writer.pid"
while :; do
	echo "*** Sampled system activity (x) (50.0ms elapsed) ***" 2>/dev/null
	sleep 0.05
done
EOF
chmod +x writer.sh

# Stops a leftover writer (never there unless a step failed).
writer_cleanup() {
	[ -f writer.pid ] && kill -9 "$(cat writer.pid)" 2>/dev/null
	rm -f writer.pid
	return 0
}

test_expect_success 'the -- COMMAND gets SIGPIPE, SIGTTIN, SIGTTOU, SIGXFSZ at their default' '
	want=$(want_sigign) && echo "want ignored: $want" &&
	"$REC" -q -i 100 -o cmd.pmtrace --no-powermetrics \
		-- "$HELPERS/sigign" </dev/null >out 2>err &&
	test_cmp_str "$(head -n 1 out)" "$want"
'

test_expect_success 'the powermetrics command gets them at their default too' '
	want=$(want_sigign) &&
	"$REC" -q -i 100 -d 1 -o pm.pmtrace --powermetrics-cmd "$HELPERS/sigign" \
		-- sleep 5 </dev/null >/dev/null 2>err &&
	"$AN" dump pm.pmtrace --powermetrics >pmout &&
	test_cmp_str "$(cat pmout)" "$want"
'

test_expect_success 'a powermetrics that ignores SIGTERM dies of SIGPIPE when its pipe closes' '
	"$REC" -q -i 100 -d 1 -o pipe.pmtrace \
		--powermetrics-cmd "$TRASH/writer.sh ignore-term" \
		-- sleep 5 </dev/null >/dev/null 2>err;
	rc=$?; cat err;
	pid=$(cat writer.pid); sleep 0.2;
	alive=0; kill -0 "$pid" 2>/dev/null && alive=1; writer_cleanup;
	test_cmp_str "exit $rc, writer alive $alive" "exit 0, writer alive 0" &&
	"$AN" info pipe.pmtrace >info &&
	grep "powermetrics ended .*killed by signal 13" info
'

test_expect_success ROOT 'after dropping root the recorder cannot signal a root powermetrics: the closed pipe ends it' '
	chmod o+x "$TRASH" && mkdir -m 777 drop &&
	SUDO_UID=65534 SUDO_GID=65534 "$REC" -q -i 100 -d 1 -o drop/x.pmtrace \
		--powermetrics-cmd "$TRASH/writer.sh" -- sleep 5 </dev/null >/dev/null 2>err;
	rc=$?; cat err;
	pid=$(cat writer.pid); sleep 0.2;
	alive=0; kill -0 "$pid" 2>/dev/null && alive=1; writer_cleanup;
	test_cmp_str "exit $rc, writer alive $alive" "exit 0, writer alive 0" &&
	"$AN" info drop/x.pmtrace >info &&
	grep "powermetrics ended .*killed by signal 13" info
'

test_done
