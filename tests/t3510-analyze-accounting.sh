#!/bin/sh
# t3510-analyze-accounting.sh - how the analyzer accounts CPU (and disk
# bytes, memory) at the edges of a recording (issue 11), on small synthetic
# traces whose every expected number is worked out by hand in the comments.
. "$(dirname "$0")/lib.sh"

SYNTH=$HELPERS/pmt-synth

# report --json of $1.txt into $1.json.
report() {
	"$SYNTH" "$1.txt" "$1.pmtrace" &&
	"$AN" report "$1.pmtrace" --json --no-plot -o "$1.out" >"$1.json" 2>"$1.err"
}

# ------------------------------------------------ closing with wait4 (item 1)

# 1 tick = 10 ms.  sh (10) runs burn (11); samples every 2 s.  At 2 s burn has
# used 2.00 s; it ends at 3.5 s and sh right after it; the zombie's last
# sample was not taken, only the reaping: wait4 says 3.504 s in all.
# Rows: 2.00 s at 2 s, then a row of its own at 3.5 s with the 1.504 s the
# samples never saw: 3.504 s in all.
test_expect_success ANALYZER 'the reaped command closes the account: a row of its own when the last sample is missing' '
	cat >reaped.txt <<-EOT &&
	header platform=linux target=sh interval_ms=2000 num=1000000000 den=100 cpus=2
	proc t=0 | pid=10 ppid=1 start=5 user=0 sys=0 cuser=0 csys=0 rss=1000000 threads=1 name=sh | pid=11 ppid=10 start=5 user=0 sys=0 cuser=0 csys=0 rss=1000000 threads=1 name=burn
	proc t=2000 | pid=10 ppid=1 start=5 user=0 sys=0 cuser=0 csys=0 rss=1000000 threads=1 | pid=11 ppid=10 start=5 user=200 sys=0 cuser=0 csys=0 rss=1000000 threads=1
	event t=3500 kind=14 value=3504000000 msg=sh (pid 10) and the processes it waited for used 3.504 s of CPU
	end t=3500 reason=3
	EOT
	report reaped &&
	test_cmp_str "$(test_json_num reaped.json cpu_seconds)" 3.504 &&
	test_cmp_str "$(test_json_num reaped.json samples)" 3 &&
	test_cmp_str "$(test_json_num reaped.json max cpu_pct)" 100.267
'

# The final sample was taken (3.5 s: the zombie sh, its reaped-children
# counter 3.40 s): rows 2.00 + 1.40 s = 3.40 s; wait4 says 3.404 s, so the
# last row gets the 4 ms the ticks could not show, and no row is added.
test_expect_success ANALYZER 'with the final sample, wait4 only adds what the ticks could not show' '
	cat >reaped2.txt <<-EOT &&
	header platform=linux target=sh interval_ms=2000 num=1000000000 den=100 cpus=2
	proc t=0 | pid=10 ppid=1 start=5 user=0 sys=0 cuser=0 csys=0 rss=1000000 threads=1 name=sh | pid=11 ppid=10 start=5 user=0 sys=0 cuser=0 csys=0 rss=1000000 threads=1 name=burn
	proc t=2000 | pid=10 ppid=1 start=5 user=0 sys=0 cuser=0 csys=0 rss=1000000 threads=1 | pid=11 ppid=10 start=5 user=200 sys=0 cuser=0 csys=0 rss=1000000 threads=1
	proc t=3500 | pid=10 ppid=1 start=5 user=0 sys=0 cuser=340 csys=0 rss=0 threads=1
	event t=3500 kind=14 value=3404000000 msg=sh (pid 10) reaped
	end t=3500 reason=3
	EOT
	report reaped2 &&
	test_cmp_str "$(test_json_num reaped2.json cpu_seconds)" 3.404 &&
	test_cmp_str "$(test_json_num reaped2.json samples)" 3
'

# A process that left the tree (reparented) is in the rows but not in wait4:
# 3.0 s seen, wait4 2.0 s: nothing is taken away.
test_expect_success ANALYZER 'wait4 never takes CPU away' '
	cat >reaped3.txt <<-EOT &&
	header platform=linux target=sh interval_ms=1000 num=1000000000 den=100 cpus=2
	proc t=0 | pid=10 ppid=1 start=5 user=0 sys=0 cuser=0 csys=0 rss=1000000 threads=1 name=sh
	proc t=1000 | pid=10 ppid=1 start=5 user=100 sys=0 cuser=0 csys=0 rss=1000000 threads=1
	proc t=2000 | pid=10 ppid=1 start=5 user=200 sys=0 cuser=0 csys=0 rss=1000000 threads=1
	proc t=3000 | pid=10 ppid=1 start=5 user=300 sys=0 cuser=0 csys=0 rss=0 threads=1
	event t=3000 kind=14 value=2000000000 msg=sh reaped
	end t=3000 reason=3
	EOT
	report reaped3 &&
	test_cmp_str "$(test_json_num reaped3.json cpu_seconds)" 3
'

test_done
