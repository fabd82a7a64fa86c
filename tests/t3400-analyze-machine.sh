#!/bin/sh
# t3400-analyze-machine.sh - the machine as the recorder found it: core
# levels by the names the system gives them (on the newest chips level 0 is
# not "Performance"), the OS version as answered next to the true one
# (macOS 26 answers 16.x to older programs), shown by info, the summary,
# --json and the figure.  The traces are written by hand with pmt-synth.
. "$(dirname "$0")/lib.sh"

SYNTH=$HELPERS/pmt-synth

# A trace of one process, 3 samples, with the header words in $1.
synth() {
	{
		echo "header host=h platform=darwin os_name=macOS target=Editor $1"
		echo "proc t=0 | pid=10 ppid=1 start=5 user=0 sys=0 rss=1000000000 threads=2 name=Editor"
		echo "proc t=1000 | pid=10 ppid=1 start=5 user=50 sys=0 rss=1000000000 threads=2"
		echo "proc t=2000 | pid=10 ppid=1 start=5 user=100 sys=0 rss=1000000000 threads=2"
		echo "end t=2000 reason=1"
	} >"$2.txt" && "$SYNTH" "$2.txt" "$2.pmtrace"
}

test_expect_success 'a chip whose level 0 is "Super": 4S+6P cores, not 4P+6E' '
	synth "cores_p=4 cores_e=6 core_levels=Super:4,Performance:6 os_version=26.0.1 os_raw=16.0.1 os_release=25.0.0 os_compat=1" m5 &&
	"$AN" info m5.pmtrace >info && cat info &&
	grep "^Machine: .*, 4S+6P cores" info &&
	grep "^Core levels:  4 Super, 6 Performance (highest performance first, named by the system)$" info &&
	"$AN" report m5.pmtrace -o out >sum &&
	head -n 1 sum | grep ", 4S+6P cores" &&
	! grep "4P+6E" sum info &&
	grep "4S+6P cores" out/m5.gp
'

test_expect_success 'the OS version: true one first, then what the system answered' '
	grep "^Machine: .*macOS 26.0.1$" info &&
	grep "^OS version:   26.0.1 (the system answered 16.0.1 in compatibility mode; kernel release 25.0.0)$" info
'

test_expect_success '--json: core levels and both versions' '
	"$AN" report m5.pmtrace -o out --json >m5.json &&
	grep "\"os_version\":\"26.0.1\"" m5.json &&
	grep "\"os_version_raw\":\"16.0.1\"" m5.json &&
	grep "\"os_release\":\"25.0.0\"" m5.json &&
	grep "\"os_compat\":1" m5.json &&
	grep "\"core_levels\":\[{\"name\":\"Super\",\"cores\":4},{\"name\":\"Performance\",\"cores\":6}\]" m5.json
'

test_expect_success 'an older trace without names: P and E from the counts, no OS line' '
	synth "cores_p=8 cores_e=2 os_version=14.6.1" old &&
	"$AN" info old.pmtrace >info &&
	grep "^Machine: .*, 8P+2E cores" info &&
	! grep -E "^OS version:|^Core levels:" info &&
	"$AN" report old.pmtrace -o out --json >old.json &&
	grep "\"core_levels\":\[\]" old.json &&
	grep "\"os_compat\":null" old.json
'

test_expect_success 'hostile core names: shown escaped, or not at all' '
	synth "cores_p=2 cores_e=2 core_levels=A\x1b[2J:2,B:2" bad &&
	"$AN" info bad.pmtrace >info &&
	! grep "^Core levels:" info &&
	grep "^Machine: .*, 2P+2E cores" info
'

test_done
