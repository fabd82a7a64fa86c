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
	test_cmp_str "$(test_json_num reaped.json cpu_max_pct)" 100.267
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

# ------------------------------------- CPU never above the machine (item 4)

# The cpu_pct column of the CSV of report $1, one value per line (the first
# row has none).
cpu_column() {
	"$AN" report "$1.pmtrace" --csv "$1.csv" --no-plot >/dev/null 2>&1 &&
	grep "^[0-9]" "$1.csv" | cut -d, -f5 | grep .
}

# One process really using 150% of 2 CPUs (1.5 ticks of 10 ms per 10 ms),
# sampled every 10 ms by /proc/PID/stat ticks alone: the counter steps by
# 1, 2, 1, 2, 0, 3, 1, 2, 1, 2 ticks (15 in all; the 0 then 3 as when the
# kernel catches a lagging count up), which read as 100, 200, ..., 0, 300% -
# 300% on a 2-CPU machine.  Ticks cannot show a rate that fine: the ten
# 10 ms rows form one window of 10 ticks, 15 ticks in 100 ms: 150% each.
test_expect_success ANALYZER 'tick counters at 10 ms: rows merged to 10 ticks, 150% each, not 0..300%' '
	{
		echo "header platform=linux target=t interval_ms=10 num=1000000000 den=100 cpus=2"
		u=0 t=0
		for d in 0 1 2 1 2 0 3 1 2 1 2; do
			u=$((u + d))
			echo "proc t=$t | pid=10 ppid=1 start=5 user=$u sys=0 cuser=0 csys=0 rss=1000000 threads=2 name=t"
			t=$((t + 10))
		done
		echo "end t=100 reason=3"
	} >ticks.txt &&
	report ticks && cpu_column ticks >ticks.cpu &&
	test_line_count = 10 ticks.cpu &&
	test_cmp_str "$(sort -u ticks.cpu)" 150 &&
	test_cmp_str "$(test_json_num ticks.json cpu_seconds)" 0.15
'

# Two busy threads on 2 CPUs read finely (cpu_ns) but each a scheduler tick
# late now and then: 16, 24, 16, 24 ms per 10 ms row, 160% and 240%.  240%
# is more than 2 CPUs can do: the 4 ms above 20 go back to the row before,
# which was short by as much: 200% in every row, 80 ms in all.
test_expect_success ANALYZER 'fine readings that lag: no row above 2 CPUs, the total kept' '
	{
		echo "header platform=linux target=t interval_ms=10 num=1000000000 den=100 cpus=2"
		echo "proc t=0 | pid=10 ppid=1 start=5 user=0 sys=0 cuser=0 csys=0 cpu_ns=0 rss=1000000 threads=3 name=t"
		echo "proc t=10 | pid=10 ppid=1 start=5 user=1 sys=0 cuser=0 csys=0 cpu_ns=16000000 rss=1000000 threads=3"
		echo "proc t=20 | pid=10 ppid=1 start=5 user=4 sys=0 cuser=0 csys=0 cpu_ns=40000000 rss=1000000 threads=3"
		echo "proc t=30 | pid=10 ppid=1 start=5 user=5 sys=0 cuser=0 csys=0 cpu_ns=56000000 rss=1000000 threads=3"
		echo "proc t=40 | pid=10 ppid=1 start=5 user=8 sys=0 cuser=0 csys=0 cpu_ns=80000000 rss=1000000 threads=3"
		echo "end t=40 reason=3"
	} >lag.txt &&
	report lag && cpu_column lag >lag.cpu &&
	test_line_count = 4 lag.cpu && test_cmp_str "$(sort -u lag.cpu)" 200 &&
	test_cmp_str "$(test_json_num lag.json cpu_seconds)" 0.08
'

# The excess of the first row has no row before it: it goes forward, to the
# first row with room.  Rows 30, 10, 10 ms on 2 CPUs, 10 ms apart: the 10 ms
# above 20 in the first row goes to the second; the third keeps its 10.
test_expect_success ANALYZER 'an excess with no row before it goes to the next row with room' '
	{
		echo "header platform=linux target=t interval_ms=10 num=1000000000 den=100 cpus=2"
		echo "proc t=0 | pid=10 ppid=1 start=5 cpu_ns=0 rss=1000000 threads=3 name=t"
		echo "proc t=10 | pid=10 ppid=1 start=5 cpu_ns=30000000 rss=1000000 threads=3"
		echo "proc t=20 | pid=10 ppid=1 start=5 cpu_ns=40000000 rss=1000000 threads=3"
		echo "proc t=30 | pid=10 ppid=1 start=5 cpu_ns=50000000 rss=1000000 threads=3"
		echo "end t=30 reason=3"
	} >first.txt &&
	report first && cpu_column first >first.cpu &&
	test_cmp_str "$(tr "\n" " " <first.cpu)" "200 200 100 "
'

# --------------------------------- disk bytes of reaped children (item 6)

# Linux adds a reaped child's disk bytes to its parent's counters, as it
# adds its CPU.  sh (10) runs a writer (11); disk bytes are read only now
# and then.  The writer writes 10 MB by 0.1 s, 30 by 0.2 s, ends, and sh
# reaps it; at 0.4 s sh's counter shows 35 MB: the writer's 30 and 5 of
# sh's own.  Counted: 10 + 20, then 35 - the 30 already seen = 5: 35 MB,
# not 65.  (sh's bytes were not read at 0.2 and 0.3 s: what it owes waits
# for its next reading.)
test_expect_success ANALYZER 'Linux: the disk bytes of a reaped child are counted once (35 MB, not 65)' '
	cat >io.txt <<-EOT &&
	header platform=linux target=sh interval_ms=100 num=1000000000 den=100 cpus=2
	proc t=0 | pid=10 ppid=1 start=5 user=0 sys=0 rd=0 wr=0 rss=1000000 threads=1 name=sh
	proc t=100 | pid=10 ppid=1 start=5 user=0 sys=0 rd=0 wr=0 rss=1000000 threads=1 | pid=11 ppid=10 start=6 user=1 sys=0 rd=0 wr=10000000 rss=1000000 threads=1 name=writer
	proc t=200 | pid=10 ppid=1 start=5 user=0 sys=0 rss=1000000 threads=1 | pid=11 ppid=10 start=6 user=2 sys=0 rd=0 wr=30000000 rss=1000000 threads=1
	proc t=300 | pid=10 ppid=1 start=5 user=0 sys=0 cuser=3 csys=0 rss=1000000 threads=1
	proc t=400 | pid=10 ppid=1 start=5 user=0 sys=0 cuser=3 csys=0 rd=0 wr=35000000 rss=1000000 threads=1
	end t=400 reason=3
	EOT
	report io &&
	test_cmp_str "$(test_json_num io.json disk_written_gb)" 0.035 &&
	test_cmp_str "$(test_json_num io.json disk_read_gb)" 0
'

# macOS counts a process's own bytes only: the same tree where sh wrote 5
# MB of its own and the writer 30: 35 MB, nothing taken off.
test_expect_success ANALYZER 'macOS: the disk bytes of a process are its own, nothing taken off (35 MB)' '
	sed -e "s/platform=linux/platform=darwin/" -e "s/wr=35000000/wr=5000000/" io.txt >iomac.txt &&
	report iomac &&
	test_cmp_str "$(test_json_num iomac.json disk_written_gb)" 0.035
'

test_done
