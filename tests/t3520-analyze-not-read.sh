#!/bin/sh
# t3520-analyze-not-read.sh - what the recorder could not read (issue 11
# item 7: EVENT LOSS at the first time, LOSS_COUNT at the end) is listed by
# the analyzer's Integrity section, with how often, and makes the trace
# incomplete.  Synthetic traces: the counts are the events' own values.
. "$(dirname "$0")/lib.sh"

SYNTH=$HELPERS/pmt-synth

# A trace in which process 42 could not be read 3 times (first at 1.0 s)
# and a system sample failed twice (first at 1.5 s).  LOSS_COUNT's value is
# count * 256 + kind: 3 * 256 + 1 = 769, 2 * 256 + 4 = 516.
test_expect_success ANALYZER 'losses are listed in Integrity with how often, and the trace is not complete' '
	cat >loss.txt <<-EOT &&
	header platform=linux target=sh interval_ms=500 num=1000000000 den=100 cpus=2
	proc t=0 | pid=10 ppid=1 start=5 user=0 sys=0 rss=1000000 threads=1 name=sh
	event t=1000 kind=12 value=1 msg=process 42 of the tree could not be read (Permission denied)
	event t=1500 kind=12 value=4 msg=a system sample failed (No space left on device)
	proc t=2000 | pid=10 ppid=1 start=5 user=10 sys=0 rss=1000000 threads=1
	event t=2000 kind=13 value=769 msg=3 reads of a process of the tree failed
	event t=2000 kind=13 value=516 msg=2 system samples failed
	end t=2000 reason=3
	EOT
	"$SYNTH" loss.txt loss.pmtrace &&
	"$AN" report loss.pmtrace --no-plot -o out >loss.out 2>&1 &&
	"$AN" report loss.pmtrace --no-plot --json -o out >loss.json 2>/dev/null &&
	cat loss.out &&
	grep "^  - not read: process 42 of the tree could not be read (Permission denied) (first at 1.0 s, 3 times in all)\$" loss.out &&
	grep "^  - not read: a system sample failed (No space left on device) (first at 1.5 s, 2 times in all)\$" loss.out &&
	! grep "Integrity: complete" loss.out &&
	grep "\"complete\":false" loss.json &&
	grep "\"not_read\":\[\"not read: process 42 " loss.json
'

# Killed before its end: the first occurrence is known, how often is not.
test_expect_success ANALYZER 'a trace that did not end: the loss is listed, its count said to be unknown' '
	grep -v -e "kind=13" -e "^end" loss.txt >cut.txt &&
	"$SYNTH" cut.txt cut.pmtrace &&
	"$AN" report cut.pmtrace --no-plot -o out >cut.out 2>&1 &&
	grep "not read: process 42 .* (first at 1.0 s; how often is not known" cut.out
'

# Control bytes in a message from the trace are not printed raw.
test_expect_success ANALYZER 'a loss message with control bytes prints them as spaces' '
	printf "%s\n" "header platform=linux target=sh interval_ms=500" \
		"event t=100 kind=12 value=2 msg=GPU\\x1b[31m clients" "end t=200 reason=3" >esc.txt &&
	"$SYNTH" esc.txt esc.pmtrace &&
	"$AN" report esc.pmtrace --no-plot -o out >esc.out 2>&1 &&
	grep "not read: GPU \[31m clients" esc.out &&
	test_cmp_num "$(tr -d "\n -~" <esc.out | wc -c)" -eq 0
'

test_done
