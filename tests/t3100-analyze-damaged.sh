#!/bin/sh
# t3100-analyze-damaged.sh - the analyzer on traces that were cut short or
# damaged, and on files that are not traces: everything recorded is still
# reported, what was lost is said, bad input is one line naming the file.
. "$(dirname "$0")/lib.sh"

SAMPLE=$TOP/samples/fake-editor-m1.pmtrace

test_expect_success ANALYZER 'a truncated trace: reported, with what was lost and where' '
	size=$(wc -c <"$SAMPLE") &&
	head -c $((size * 2 / 3)) "$SAMPLE" >cut.pmtrace &&
	"$AN" report cut.pmtrace --no-plot -o out >r.txt &&
	grep "did not end cleanly" r.txt &&
	grep "the file ends inside" r.txt &&
	grep "last data at" r.txt &&
	test -s out/cut.csv &&
	test_cmp_num "$(grep -c "^[0-9]" out/cut.csv)" -gt 20
'

test_expect_success ANALYZER 'a trace damaged in the middle: the damage is reported with its time range' '
	cp "$SAMPLE" bad.pmtrace &&
	printf "\377\377\377\377" | dd of=bad.pmtrace bs=1 seek=2500 conv=notrunc 2>/dev/null &&
	"$AN" report bad.pmtrace --no-plot -o out >r.txt &&
	grep -i "Integrity:" r.txt &&
	grep -E "checksum|corruption|damaged|invalid" r.txt &&
	grep -E "data lost between [0-9.]* s and [0-9.]* s|last data at" r.txt
'

test_expect_success ANALYZER 'info on a damaged trace lists its problems too' '
	"$AN" info bad.pmtrace >i.txt &&
	grep "Integrity: " i.txt && ! grep "Integrity: complete" i.txt
'

test_expect_success ANALYZER 'a malformed powermetrics sample: reported with its time, skipped, the rest analyzed' '
	h="*** Sampled system activity (Tue Nov 14 23:13:21 2023 +0100) (1000.00ms elapsed) ***\\n\\n**** Processor usage ****\\n\\n"
	{
		echo "header host=h target=T interval_ms=1000"
		echo "proc t=0 | pid=5 ppid=1 user=0 sys=0 rss=1000 name=T"
		printf "%s\\n" "pm t=1000 text=${h}GPU Power: 2000 mW\\n"
		echo "proc t=1000 | pid=5 ppid=1 user=10 sys=0 rss=1000"
		printf "%s\\n" "pm t=2000 text=${h}GPU Power: 2x00 mW\\n"
		echo "proc t=2000 | pid=5 ppid=1 user=20 sys=0 rss=1000"
		printf "%s\\n" "pm t=3000 text=${h}GPU Power: 4000 mW\\n"
		echo "proc t=3000 | pid=5 ppid=1 user=30 sys=0 rss=1000"
		echo "end t=3000 reason=1"
	} >bad-pm.txt &&
	"$HELPERS/pmt-synth" bad-pm.txt bad-pm.pmtrace &&
	"$AN" report bad-pm.pmtrace --no-plot -o out >r.txt &&
	grep "1 powermetrics sample could not be parsed and was skipped" r.txt &&
	grep "at 2.0 s: .*GPU Power" r.txt &&
	grep "GPU power      mean 3.00 W, max 4.00 W, energy 6 J" r.txt
'

test_expect_success ANALYZER 'a missing file: one line naming it, exit 1' '
	test_expect_code 1 "$AN" report nothere.pmtrace 2>err &&
	test_line_count -eq 1 err && grep "nothere.pmtrace: No such file" err
'

test_expect_success ANALYZER 'a file that is not a trace: one line naming it, exit 1' '
	echo "just text" >plain.pmtrace &&
	test_expect_code 1 "$AN" info plain.pmtrace 2>err &&
	test_line_count -eq 1 err && grep "plain.pmtrace: not a phocus-monitor trace" err
'

test_expect_success ANALYZER 'a trace mangled by a text-mode transfer is recognised' '
	perl -pe "s/\r\n/\n/g" "$SAMPLE" >mangled.pmtrace &&
	test_expect_code 1 "$AN" info mangled.pmtrace 2>err &&
	grep "mangled.pmtrace: trace damaged by a text-mode transfer" err
'

test_expect_success ANALYZER 'a trace from a newer major version is refused with both versions named' '
	cp "$SAMPLE" v2.pmtrace &&
	printf "\002" | dd of=v2.pmtrace bs=1 seek=8 conv=notrunc 2>/dev/null &&
	perl -e '"'"'
		open(my $f, "+<:raw", "v2.pmtrace") or die; read($f, my $h, 36);
		my $c = 0xffffffff;	# CRC32C, reflected 0x82F63B78
		for my $b (unpack("C*", $h)) { $c ^= $b; for (1..8) { $c = ($c >> 1) ^ (0x82F63B78 * ($c & 1)) } }
		seek($f, 36, 0); print $f pack("V", $c ^ 0xffffffff);'"'"' &&
	test_expect_code 1 "$AN" info v2.pmtrace 2>err &&
	cat err && grep "v2.pmtrace: trace format version 2.0 is not supported by this reader (version 1\.[0-9][0-9]*)" err
'

test_expect_success ANALYZER 'an empty file' '
	: >empty.pmtrace &&
	test_expect_code 1 "$AN" info empty.pmtrace 2>err &&
	grep "empty.pmtrace: not a phocus-monitor trace" err
'

test_expect_success ANALYZER 'a trace that is still being recorded can be read' '
	"$REC" -q -i 100 -d 6 -o live.pmtrace -- sleep 10 </dev/null &
	pid=$!; sleep 2.5;
	test_expect_code 0 "$AN" info live.pmtrace >i.txt; rc=$?;
	kill $pid; wait $pid;
	test $rc = 0 && grep "still running" i.txt &&
	grep "Records: *[1-9][0-9]* process samples" i.txt
'

test_expect_success ANALYZER 'usage errors exit 2' '
	test_expect_code 2 "$AN" 2>/dev/null &&
	test_expect_code 2 "$AN" dump "$SAMPLE" 2>/dev/null &&
	test_expect_code 2 "$AN" report 2>/dev/null &&
	test_expect_code 2 "$AN" --bogus 2>/dev/null
'

test_done
