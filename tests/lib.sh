# tests/lib.sh - sourced by the end-to-end tests tests/tNNNN-area-what.sh.
#
# After git's t/test-lib.sh: each step is test_expect_success [PREREQ] 'what'
# 'commands', the commands chained with &&; a step whose prerequisite is
# missing is skipped and counted, never silently absent.  Every script runs in
# a fresh scratch directory ($TRASH, removed at the end unless KEEP=1) and ends
# with test_done, which prints "N passed, N failed".
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

t_pass=0 t_fail=0 t_skip=0 t_skipped_why=
t_prereqs=" "
TRASH=$(mktemp -d "${TMPDIR:-/tmp}/pm-$(basename "$0" .sh).XXXXXX")
cd "$TRASH" || exit 1

# Declares prerequisite $1 satisfied.
test_set_prereq() { t_prereqs="$t_prereqs$1 "; }

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

# test_expect_success [PREREQ] 'description' 'commands'
test_expect_success() {
	if [ $# -eq 3 ]; then
		if ! test_have_prereq "$1"; then
			t_skip=$((t_skip + 1))
			t_skipped_why="$t_skipped_why $1"
			echo "ok $((t_pass + t_fail + t_skip)) # skip $2 (missing $1)"
			return 0
		fi
		shift
	fi
	_desc=$1
	(eval "$2") >"$TRASH/.out" 2>&1
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

# Prints the closing lines; removes the scratch directory.
test_done() {
	[ $t_skip -gt 0 ] && echo "# $t_skip skipped (missing:$(echo $t_skipped_why | tr ' ' '\n' | sort -u | tr '\n' ' '))"
	echo "$t_pass passed, $t_fail failed"
	cd / && [ "${KEEP:-0}" = 1 ] || rm -rf "$TRASH"
	[ $t_fail -eq 0 ]
	exit $?
}

# Fails with a message unless $1 and $2 are equal.
test_cmp_str() {
	[ "$1" = "$2" ] || { echo "got: $1"; echo "want: $2"; return 1; }
}

# Fails unless |$1 - $2| <= $3 * |$2| (relative tolerance).
test_near_rel() {
	awk -v a="$1" -v b="$2" -v r="$3" 'BEGIN {
		d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b;
		if (d <= r * m) exit 0;
		printf "got %s, want %s within %.1f%%\n", a, b, r * 100; exit 1 }'
}

# test_json_num FILE KEY [OBJECT]: the number (or null) after the first
# "KEY": in the one-line JSON FILE; with OBJECT, the first "KEY": inside the
# first "OBJECT":{...} (which holds no nested object).  Keys repeat across
# objects ("peak_gb" is in rss, footprint and pss): name the object.
test_json_num() {
	if [ $# -ge 3 ]; then
		grep -o "\"$3\":{[^}]*}" "$1" | head -n 1
	else
		cat "$1"
	fi | grep -o "\"$2\":[-0-9.e+nul]*" | head -n 1 | cut -d: -f2
}

command -v gnuplot >/dev/null 2>&1 && test_set_prereq GNUPLOT
command -v clang >/dev/null 2>&1 && test_set_prereq CLANG
[ "$(id -u)" = 0 ] && test_set_prereq ROOT
[ "$(uname -s)" = Linux ] && test_set_prereq LINUX
[ -x "$REC" ] && test_set_prereq RECORDER
[ -x "$AN" ] && test_set_prereq ANALYZER
