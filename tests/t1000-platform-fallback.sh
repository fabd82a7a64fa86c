#!/bin/sh
# t1000-platform-fallback.sh - the Linux backend's other way of finding
# children: a /proc scan, used where the kernel has no
# /proc/PID/task/TID/children files.  PHOCUS_LINUX_SCAN=1 forces it, so the
# fallback is tested on kernels that have the files too.  Linux only: macOS
# has no /proc (its backend asks libproc, proc_listchildpids).
. "$(dirname "$0")/lib.sh"
test_require_built "$B/tests/test_plat_backend"
test_prereq_why LINUX "the /proc scan is the Linux backend's (macOS has no /proc)"

test_expect_success LINUX 'the backend tests pass with the /proc scan forced' '
	PHOCUS_LINUX_SCAN=1 "$B/tests/test_plat_backend" >out 2>&1 ||
	{ tail -n 20 out; false; } &&
	tail -n 3 out && grep "^[0-9]* passed, 0 failed$" out
'

test_expect_success LINUX 'a recording with the /proc scan finds the same children' '
	PHOCUS_LINUX_SCAN=1 "$REC" -q -i 100 -o scan.pmtrace -- sh -c "sleep 1.5 & sleep 1.6 & wait" </dev/null &&
	"$AN" info scan.pmtrace >info &&
	test_cmp_str "$(grep -c " sleep$" info)" 2
'

test_done
