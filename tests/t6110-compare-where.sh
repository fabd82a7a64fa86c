#!/bin/sh
# t6110-compare-where.sh - compare takes folders (their traces and their
# subfolders', as list finds them, in start order) and --where KEY=VALUE
# filters; an unreadable trace in a folder is named and left out; without
# folders or filters the traces keep the order given.  Traces: cmp-a/b/c of
# tests/data/figure with start times set apart (b, then c, then a).
. "$(dirname "$0")/lib.sh"

FIG=$DATA/figure
SYNTH=$HELPERS/pmt-synth
export PHOCUS_CACHE_DIR="$TRASH/cache"

# The traces compared, in order, from compare --json on stdin.
compared() {
	grep -o '"trace":"[^"]*"' | cut -d'"' -f4
}

test_expect_success 'a folder with A 4.0.1 M1 Pro, B 4.0.2 M2 and (in a subfolder) C 4.0.2 M1 Pro' '
	mkdir -p lib/sub &&
	for x in a:3 b:1 c:2; do
		sed "s/^header \(.*\)$/header \1 wall=170000${x#*:}000000000000/" \
		    "$FIG/cmp-${x%:*}.txt" >${x%:*}.txt || exit 1
	done &&
	"$SYNTH" a.txt lib/a.pmtrace && "$SYNTH" b.txt lib/b.pmtrace &&
	"$SYNTH" c.txt lib/sub/c.pmtrace
'

test_expect_success 'compare DIR: its three traces, in start order (b, c, a)' '
	"$AN" compare lib -o o1 --no-plot --json >o1.json &&
	compared <o1.json >got &&
	printf "%s\n" lib/b.pmtrace lib/sub/c.pmtrace lib/a.pmtrace >want &&
	test_cmp_str "$(cat got)" "$(cat want)" &&
	test -s o1/compare.csv && test -s o1/compare-3.csv
'

test_expect_success '--where target_version=4.0.2: b and c' '
	"$AN" compare lib -o o2 --no-plot --json --where target_version=4.0.2 >o2.json &&
	compared <o2.json >got &&
	printf "%s\n" lib/b.pmtrace lib/sub/c.pmtrace >want &&
	test_cmp_str "$(cat got)" "$(cat want)"
'

test_expect_success '--where on the chip, and two filters: a and c on the M1 Pro; c alone with 4.0.2 is too few' '
	"$AN" compare lib -o o3 --no-plot --json --where "chip=Apple M1 Pro" >o3.json &&
	compared <o3.json >got &&
	printf "%s\n" lib/sub/c.pmtrace lib/a.pmtrace >want &&
	test_cmp_str "$(cat got)" "$(cat want)" &&
	test_expect_code 2 "$AN" compare lib -o o4 --no-plot --where "chip=Apple M1 Pro" \
	    --where target_version=4.0.2 2>err &&
	grep "1 trace found" err
'

test_expect_success '--where KEY=A,B takes either value' '
	"$AN" compare lib -o o5 --no-plot --json --where target_version=4.0.1,4.0.2 >o5.json &&
	compared <o5.json >got && test_line_count = 3 got
'

test_expect_success 'a numeric filter: duration_s>=3 keeps all, duration_s<3 none' '
	"$AN" compare lib -o o6 --no-plot --json --where "duration_s>=3" >o6.json &&
	compared <o6.json >got && test_line_count = 3 got &&
	test_expect_code 2 "$AN" compare lib -o o7 --no-plot --where "duration_s<3" 2>err &&
	grep "0 traces found" err
'

test_expect_success 'an unreadable trace in the folder is named and left out' '
	cp -R lib lib2 && echo "not a trace" >lib2/bad.pmtrace &&
	"$AN" compare lib2 -o o8 --no-plot --json >o8.json 2>err &&
	grep "lib2/bad.pmtrace: not a phocus-monitor trace.*(left out)" err &&
	compared <o8.json >got && test_line_count = 3 got
'

test_expect_success 'a file and a folder together; files alone keep the order given' '
	mkdir one && cp lib/a.pmtrace one/ &&
	"$AN" compare one lib/b.pmtrace -o o9 --no-plot --json >o9.json &&
	compared <o9.json >got &&
	printf "%s\n" lib/b.pmtrace one/a.pmtrace >want &&
	test_cmp_str "$(cat got)" "$(cat want)" &&
	"$AN" compare lib/a.pmtrace lib/b.pmtrace -o o10 --no-plot --json >o10.json &&
	compared <o10.json >got &&
	printf "%s\n" lib/a.pmtrace lib/b.pmtrace >want &&
	test_cmp_str "$(cat got)" "$(cat want)"
'

test_expect_success 'an unknown key is a usage error naming it' '
	test_expect_code 2 "$AN" compare lib --where versionn=4.0.1 2>err &&
	grep "unknown key .versionn." err
'

test_done
