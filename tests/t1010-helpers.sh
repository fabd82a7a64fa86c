#!/bin/sh
# t1010-helpers.sh - the test helpers that stand in for what macOS's
# userland lacks (tests/helpers: timelimit for GNU timeout, newsession for
# setsid, now for date +%s.%N, as-user for setpriv, pty-run for script,
# sigign for /proc/PID/status's SigIgn) do what the tests rely on, checked
# with the shell's own means (exit statuses, kill -0, test -t, trap).
. "$(dirname "$0")/lib.sh"

H=$HELPERS

# True once process $1 is gone, within 5 s (an orphan killed with its group
# is a zombie until init reaps it, and kill -0 still finds a zombie).
gone() {
	_i=0
	while kill -0 "$1" 2>/dev/null; do
		_i=$((_i + 1)); [ $_i -lt 50 ] || { echo "process $1 still there"; return 1; }
		sleep 0.1
	done
}

# The words of $1 (a line of signal names), sorted, on one line.
sorted() { echo "$1" | tr " " "\n" | grep -v -x -e none -e "" | sort -u | tr "\n" " "; }	# a set: a signal ignored already and again counts once

test_expect_success 'timelimit: the command'\''s own exit status, 128+N for a signal' '
	test_expect_code 3 "$H/timelimit" 5 sh -c "exit 3" &&
	test_expect_code 0 "$H/timelimit" 5 true &&
	usr1=$(sh -c "kill -USR1 \$\$"; echo $?) &&
	test_expect_code "$usr1" "$H/timelimit" 5 sh -c "kill -USR1 \$\$" &&
	test_expect_code 127 "$H/timelimit" 5 ./no-such-command 2>err &&
	grep "no-such-command" err
'

test_expect_success 'timelimit: time up -> exit 124, the whole group stopped, one that ignores TERM killed' '
	t0=$("$H/now" -m) &&
	test_expect_code 124 "$H/timelimit" 0.5 sh -c "sleep 30 & echo \$! >bg.pid; wait" 2>err &&
	grep "still running after 0.5 s" err &&
	gone "$(cat bg.pid)" &&
	test_expect_code 124 "$H/timelimit" 0.5 sh -c "trap \"\" TERM; echo \$\$ >stubborn.pid; sleep 30" 2>err &&
	gone "$(cat stubborn.pid)" &&
	t1=$("$H/now" -m) &&
	test_cmp_num "$(awk -v a="$t0" -v b="$t1" "BEGIN { print b - a }")" -lt 20	# not the 60 s of the sleeps
'

test_expect_success 'timelimit: usage errors exit 125' '
	test_expect_code 125 "$H/timelimit" 2>/dev/null &&
	test_expect_code 125 "$H/timelimit" x true 2>/dev/null &&
	test_expect_code 125 "$H/timelimit" -1 true 2>/dev/null
'

test_expect_success 'newsession: the command leads a process group of its own, keeping its pid' '
	{ sleep 30 & } ; plain=$!
	{ "$H/newsession" sleep 30 & } ; lead=$!
	i=0 && until kill -0 "-$lead" 2>/dev/null; do
		i=$((i + 1)) && [ $i -lt 50 ] && sleep 0.1 || break
	done &&
	kill -0 "-$lead" &&
	! kill -0 "-$plain" 2>/dev/null &&	# a background job of this shell: no group of its own
	kill "$plain" "$lead" &&
	test_expect_code 7 "$H/newsession" sh -c "exit 7"
'

test_expect_success 'now: seconds since the epoch as date says them; -m goes forward' '
	d=$(date +%s) && n=$("$H/now") && echo "date $d, now $n" &&
	test_cmp_num "$n" -ge "$d" && test_cmp_num "$n" -lt $((d + 5)) &&
	a=$("$H/now" -m) && sleep 0.2 && b=$("$H/now" -m) &&
	test_cmp_num "$(awk -v a="$a" -v b="$b" "BEGIN { print b - a }")" -ge 0.19 &&
	echo "$n" | grep -E "^[0-9]+\.[0-9]{6}$"
'

test_expect_success ROOT 'as-user: real and effective user, group and the only group' '
	"$H/as-user" 65534 65534 sh -c "id -u; id -ru; id -g; id -G" >ids &&
	test_cmp_str "$(tr "\n" " " <ids)" "65534 65534 65534 65534 " &&
	test_expect_code 2 "$H/as-user" x 1 true 2>/dev/null
'

test_expect_success !ROOT 'as-user: refused without root, nothing run' '
	test_expect_code 126 "$H/as-user" 65534 65534 touch ran 2>err &&
	grep "cannot become 65534:65534" err && ! test -e ran
'

test_expect_success 'pty-run: stdin, stdout and stderr are a terminal; output copied, status kept' '
	"$H/pty-run" sh -c "test -t 0 && test -t 1 && test -t 2 && echo on-a-terminal" </dev/null >out &&
	tr -d "\r" <out >clean && test_cmp_str "$(cat clean)" on-a-terminal &&
	test_expect_code 5 "$H/pty-run" sh -c "exit 5" </dev/null &&
	! sh -c "test -t 1" </dev/null >not-a-tty	# the check above can fail: here it is not one
'

test_expect_success 'sigign: the signals its parent left ignored, and only those' '
	base=$("$H/sigign") && echo "ignored here already: $base" &&
	got=$(trap "" USR1 PIPE && "$H/sigign") &&
	test_cmp_str "$(sorted "$got")" "$(sorted "$base PIPE USR1")" &&
	got=$(trap "" TTIN TTOU XFSZ HUP && "$H/sigign") &&
	test_cmp_str "$(sorted "$got")" "$(sorted "$base HUP TTIN TTOU XFSZ")"
'

test_done
