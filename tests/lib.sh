# tests/lib.sh - sourced by the end-to-end tests tests/tNNNN-area-what.sh.
#
# After git's t/test-lib.sh: each step is test_expect_success [PREREQ] 'what'
# 'commands', the commands chained with &&; a step whose prerequisite is
# missing is skipped, counted and its reason printed, never silently absent.
# Every script runs in a fresh scratch directory ($TRASH), removed at the end
# unless a step failed or KEEP=1, and ends with test_done, which prints
# "N passed, N failed".  A script run before the programs are built fails at
# once with "build first".  tests/README says how to write a test.
#
# Portable: /bin/sh of Debian (dash) and of macOS (bash 3.2), GNU and BSD
# utilities, POSIX options only (scripts/check-portability checks).
# shellcheck disable=SC2034 # B, REC, AN, HELPERS, DATA are for the scripts
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
B=${B:-build}
case $B in /*) ;; *) B=$TOP/$B ;; esac
REC=$B/phocus-record
AN=$B/phocus-analyze
HELPERS=$B/helpers
DATA=$TOP/tests/data
PATH=$TOP/scripts:$PATH
export LC_ALL=C TZ=UTC
unset SUDO_UID SUDO_GID SUDO_USER

# ---- build first ----

# test_require_built FILE...: stops the script at once, failed, with "build
# first", unless every FILE is an executable.  A test that skipped everything
# because nothing was built would pass and prove nothing.
test_require_built() {
	_miss=
	for _f in "$@"; do [ -x "$_f" ] || _miss="$_miss $_f"; done
	[ -z "$_miss" ] && return 0
	echo "build first (make check builds all a test runs): missing$_miss" >&2
	echo "0 passed, 1 failed"
	[ -n "${TRASH:-}" ] && cd / && rm -rf "$TRASH"	# when called after the start
	exit 1
}

# The programs and every helper of tests/helpers/, for every script.
set -- "$REC" "$AN"
for _f in "$TOP"/tests/helpers/*.c; do set -- "$@" "$HELPERS/$(basename "$_f" .c)"; done
test_require_built "$@"

t_pass=0 t_fail=0 t_skip=0 t_skipped_why=
t_prereqs=" "
TRASH=$(mktemp -d "${TMPDIR:-/tmp}/pm-$(basename "$0" .sh).XXXXXX") || exit 1
cd "$TRASH" || exit 1
# Descriptor 3 is where the helpers below say why a check failed: the step's
# log inside test_expect_success, whatever the step redirects; stderr outside.
exec 3>&2

# ---- prerequisites ----

# Declares prerequisite $1 satisfied.
test_set_prereq() { t_prereqs="$t_prereqs$1 "; }

# test_prereq_why PREREQ 'reason': what a skip for a missing PREREQ prints
# ("Linux only: PSS comes from /proc/PID/smaps_rollup").  A script may
# replace the default reasons set at the end of this file.
test_prereq_why() { eval "t_why_$1=\$2"; }

# True when every comma-separated prerequisite in $1 is satisfied (!X negates).
test_have_prereq() {
	_ok=0
	for _p in $(echo "$1" | tr ',' ' '); do
		case $_p in
		!*) case "$t_prereqs" in *" ${_p#!} "*) _ok=1 ;; esac ;;
		*) case "$t_prereqs" in *" $_p "*) ;; *) _ok=1 ;; esac ;;
		esac
	done
	return $_ok
}

# The unsatisfied prerequisites of $1, each with its reason, on one line.
t_missing() {
	_m=
	for _p in $(echo "$1" | tr ',' ' '); do
		test_have_prereq "$_p" && continue
		case $_p in
		!*) _m="$_m${_m:+; }$_p: not where ${_p#!} holds" ;;
		*) eval "_w=\${t_why_$_p:-}"; _m="$_m${_m:+; }$_p${_w:+: $_w}" ;;
		esac
	done
	echo "$_m"
}

# ---- steps ----

# test_expect_success [PREREQ] 'description' 'commands'
test_expect_success() {
	if [ $# -eq 3 ]; then
		if ! test_have_prereq "$1"; then
			t_skip=$((t_skip + 1))
			t_skipped_why="$t_skipped_why $1"
			echo "ok $((t_pass + t_fail + t_skip)) # skip $2 (missing $(t_missing "$1"))"
			return 0
		fi
		shift
	fi
	_desc=$1
	(eval "$2") >"$TRASH/.out" 2>&1 3>&1
	_rc=$?
	if [ $_rc -eq 0 ]; then
		t_pass=$((t_pass + 1))
		echo "ok $((t_pass + t_fail + t_skip)) - $_desc"
	else
		t_fail=$((t_fail + 1))
		echo "not ok $((t_pass + t_fail + t_skip)) - $_desc"
		sed 's/^/#   /' "$TRASH/.out" | tail -n 40
	fi
}

# Prints the closing lines; removes the scratch directory unless a step
# failed or KEEP=1 (then says where it is).
test_done() {
	if [ $t_skip -gt 0 ]; then
		_w=$(echo "$t_skipped_why" | tr ' ' '\n' | tr ',' '\n' | grep . | sort -u | tr '\n' ' ')
		echo "# $t_skip skipped (missing: ${_w% })"
	fi
	echo "$t_pass passed, $t_fail failed"
	cd / || exit 1
	if [ $t_fail -gt 0 ] || [ "${KEEP:-0}" = 1 ]; then
		echo "# files kept in $TRASH"
	else
		rm -rf "$TRASH"
	fi
	[ $t_fail -eq 0 ]
	exit $?
}

# ---- checks that say what they got and what they wanted ----

# Fails with a message unless $1 and $2 are equal.
test_cmp_str() {
	[ "$1" = "$2" ] || { echo "got: $1"; echo "want: $2"; return 1; } >&3
}

# test_cmp_num GOT OP WANT: compares two numbers (decimals too) with OP, one
# of -eq (or =) -ne (or !=) -lt -le -gt -ge; fails saying both.  Blanks
# around GOT are ignored, so test_cmp_num "$(wc -c <f)" = 0 is portable.
test_cmp_num() {
	awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN {
		gsub(/^[ \t]+|[ \t]+$/, "", a)	# BSD wc pads its counts
		if (a !~ /^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/) {
			printf "got \"%s\", not a number (want %s %s)\n", a, op, b; exit 1 }
		a += 0; b += 0
		if (op == "-eq" || op == "=") ok = a == b
		else if (op == "-ne" || op == "!=") ok = a != b
		else if (op == "-lt") ok = a < b; else if (op == "-le") ok = a <= b
		else if (op == "-gt") ok = a > b; else if (op == "-ge") ok = a >= b
		else { printf "test_cmp_num: unknown operator %s\n", op; exit 2 }
		if (!ok) printf "got %s, want %s %s\n", a, op, b
		exit !ok }' >&3
}

# Fails unless |$1 - $2| <= $3 * |$2| (relative tolerance).
test_near_rel() {
	awk -v a="$1" -v b="$2" -v r="$3" 'BEGIN {
		d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b;
		if (d <= r * m) exit 0;
		printf "got %s, want %s within %.1f%%\n", a, b, r * 100; exit 1 }' >&3
}

# test_line_count OP N FILE: the number of lines of FILE compared with N
# (OP as for test_cmp_num).  Portable where "$(wc -l <FILE)" is not: BSD wc
# pads the count with blanks.
test_line_count() {
	_n=$(wc -l <"$3") || return 1
	test_cmp_num "$_n" "$1" "$2" || { echo "lines of $3:"; sed 's/^/|/' "$3" | head -n 20; return 1; } >&3
}

# test_expect_code N COMMAND [ARGS...]: runs COMMAND, fails unless it exits
# with status N; redirections apply to COMMAND, the verdict goes to the log.
test_expect_code() {
	_want=$1
	shift
	"$@"
	_got=$?
	[ "$_got" = "$_want" ] && return 0
	echo "exit status $_got, want $_want: $*" >&3
	return 1
}

# test_json_num FILE KEY [OBJECT]: the number (or null) after the first
# "KEY": in the one-line JSON FILE; with OBJECT, the first "KEY": inside the
# first "OBJECT":{...} (which holds no nested object).  Keys repeat across
# objects ("memory_peak_gb" is in compare's "metrics" and in report's top
# level; "duration_s" also in each mark interval): name the object.
test_json_num() {
	if [ $# -ge 3 ]; then
		grep -o "\"$3\":{[^}]*}" "$1" | head -n 1
	else
		cat "$1"
	fi | grep -o "\"$2\":[-0-9.e+nul]*" | head -n 1 | cut -d: -f2
}

# ---- the prerequisites every script may name ----
command -v gnuplot >/dev/null 2>&1 && test_set_prereq GNUPLOT
test_prereq_why GNUPLOT "gnuplot is not installed (scripts/install-deps test)"
command -v clang >/dev/null 2>&1 && test_set_prereq CLANG
test_prereq_why CLANG "clang is not installed"
[ "$(id -u)" = 0 ] && test_set_prereq ROOT
test_prereq_why ROOT "needs root"
case $(uname -s) in
Linux) test_set_prereq LINUX ;;
Darwin) test_set_prereq DARWIN ;;
esac
test_prereq_why LINUX "Linux only"
test_prereq_why DARWIN "macOS only"
# Always there once past "build first"; kept so that steps may still say
# what they run.
test_set_prereq RECORDER
test_set_prereq ANALYZER
