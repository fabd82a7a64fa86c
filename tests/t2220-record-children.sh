#!/bin/sh
# t2220-record-children.sh - what the programs phocus-record starts inherit:
# the signals the recorder ignores (SIGPIPE, SIGTTIN, SIGTTOU, SIGXFSZ) are
# back at their default in the -- COMMAND and in powermetrics, so a
# powermetrics whose pipe closes dies of SIGPIPE even when the recorder may
# not signal it (after dropping root); the trace says how it ended.
. "$(dirname "$0")/lib.sh"

# Bits of SIGPIPE (13), SIGTTIN (21), SIGTTOU (22), SIGXFSZ (25) in SigIgn.
MASK=$(( (1 << 12) | (1 << 20) | (1 << 21) | (1 << 24) ))
# glibc's posix_spawn sets its two internal signals (32 SIGCANCEL, 33
# SIGSETXID, which no program can name) to SIG_IGN in every child it starts
# (sysdeps/unix/sysv/linux/spawni.c, __spawni_child); they are left out.
GLIBC_INTERNAL=$(( (1 << 31) | (1 << 32) ))

# SigIgn this environment passes on (what a plain child here inherits),
# without the four: what the recorder's children must have (empty unless
# this test itself was started with signals ignored).
want_sigign() {
	base=$(sh -c 'grep "^SigIgn:" /proc/$$/status' | awk '{ print $2 }') &&
	printf "%016x\n" $(( 0x$base & ~MASK & ~GLIBC_INTERNAL ))
}

# SigIgn from a "SigIgn:" line in file $1, glibc's internal signals left out.
got_sigign() {
	printf "%016x\n" $(( 0x$(awk '/^SigIgn:/ { print $2 }' "$1") & ~GLIBC_INTERNAL ))
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
printf '#!/bin/sh\ngrep "^SigIgn:" /proc/$$/status\n' >sigign.sh && chmod +x sigign.sh

# Stops a leftover writer (never there unless a step failed).
writer_cleanup() {
	[ -f writer.pid ] && kill -9 "$(cat writer.pid)" 2>/dev/null
	rm -f writer.pid
	return 0
}

test_expect_success LINUX 'the -- COMMAND gets SIGPIPE, SIGTTIN, SIGTTOU, SIGXFSZ at their default' '
	want=$(want_sigign) && echo "want SigIgn $want" &&
	"$REC" -q -i 100 -o cmd.pmtrace --no-powermetrics \
		-- sh -c "grep ^SigIgn: /proc/\$\$/status" </dev/null >out 2>err &&
	grep "^SigIgn:" out &&
	test_cmp_str "$(got_sigign out)" "$want"
'

test_expect_success LINUX 'the powermetrics command gets them at their default too' '
	want=$(want_sigign) &&
	"$REC" -q -i 100 -d 1 -o pm.pmtrace --powermetrics-cmd "$TRASH/sigign.sh" \
		-- sleep 5 </dev/null >/dev/null 2>err &&
	"$AN" dump pm.pmtrace --powermetrics >pmout &&
	cat pmout &&
	test_cmp_str "$(got_sigign pmout)" "$want"
'

test_expect_success 'a powermetrics that ignores SIGTERM dies of SIGPIPE when its pipe closes' '
	"$REC" -q -i 100 -d 1 -o pipe.pmtrace \
		--powermetrics-cmd "$TRASH/writer.sh ignore-term" \
		-- sleep 5 </dev/null >/dev/null 2>err;
	rc=$?; cat err;
	pid=$(cat writer.pid); sleep 0.2;
	alive=0; kill -0 "$pid" 2>/dev/null && alive=1; writer_cleanup;
	test "$rc" = 0 && test "$alive" = 0 &&
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
	test "$rc" = 0 && test "$alive" = 0 &&
	"$AN" info drop/x.pmtrace >info &&
	grep "powermetrics ended .*killed by signal 13" info
'

test_done
