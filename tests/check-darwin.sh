#!/bin/sh
# tests/check-darwin.sh - the macOS compile and link check, as a test of
# make check.  Without MACOS_SDK it is skipped and counted as such; with it,
# every compile or link step of scripts/check-darwin is one result.  A setup
# failure of that script (bad SDK, no clang, ...) is one failure.  Ends with
# "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)

if [ -z "${MACOS_SDK:-}" ]; then
	echo "# 1 skipped (MACOS_SDK not set: macOS compile check skipped)"
	echo "0 passed, 0 failed"
	exit 0
fi

log=$(mktemp "${TMPDIR:-/tmp}/pm-check-darwin.XXXXXX") || exit 1
trap 'rm -f "$log"' EXIT
"$top/scripts/check-darwin" >"$log" 2>&1
rc=$?
cat "$log"
pass=$(grep -c '^OK ' "$log")
fail=$(grep -c '^FAIL ' "$log")
if [ "$rc" -ge 2 ]; then
	echo "# scripts/check-darwin could not run (exit $rc)"
	fail=$((fail + 1))
elif [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
	fail=1
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
