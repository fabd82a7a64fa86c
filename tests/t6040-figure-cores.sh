#!/bin/sh
# t6040-figure-cores.sh - the per-core heatmap groups the cores by the
# cluster powermetrics printed each CPU in (P clusters first, then E),
# whatever the header says; and when the powermetrics data came from
# another machine than the process data (a capture replayed beside a Linux
# recording), the figures say so instead of pairing that machine's CPU
# with the Mac's cores.  Expected groups are read from the captures' own
# text (which CPU lines follow which cluster's lines).
. "$(dirname "$0")/lib.sh"

PMD=$DATA/powermetrics
M4=$PMD/m4max-macos15.5-text-default-trimmed.txt
M1PRO=$PMD/m1pro-macos15.3.2-plist-showall-5samples.plist
M1=$PMD/m1-macmini-macos11.2.2-text-cpu_gpu-12samples.txt
test_prereq_why LINUX "a capture replayed beside a Linux recording (on a Mac the process data's machine is a Mac too)"

# "cpu cluster" per line, from a text capture's first sample, by hand
# ("CPU 4 frequency" on macOS 13 and later, "cpu 4 frequency" before).
text_clusters() {
	awk '/^\*\*\* Sampled/ { n++ } n > 1 { exit }
	     /^[A-Z][0-9]*-Cluster HW active frequency/ { split($1, a, " "); c = a[1] }
	     /^[Cc][Pp][Uu] [0-9]+ frequency/ && c != "" { print $2, c }' "$1"
}

# "cpu group" per heatmap row of a cores CSV, in row order.
csv_rows() {
	grep -v "^#" "$1" | awk -F, 'NR > 1 && NF { gsub(/"/, "", $4); print $2, $3, $4 }' |
	sort -n -u | cut -d" " -f2-
}

test_expect_success 'M4 Max text capture: P0, P1 then E, each CPU in its printed cluster' '
	"$AN" import "$M4" -o m4.pmtrace >/dev/null &&
	"$AN" report m4.pmtrace -o out --no-plot --core-distribution >/dev/null &&
	text_clusters "$M4" >m4.want &&
	test_line_count -eq 14 m4.want &&
	{ grep " P0-Cluster" m4.want; grep " P1-Cluster" m4.want; grep " E-Cluster" m4.want; } >m4.order &&
	csv_rows out/m4-cores.csv >m4.got &&
	test_cmp_str "$(cat m4.got)" "$(cat m4.order)"
'

test_expect_success 'M1 Pro plist (2 E + 3 + 3 P, not an equal share): grouped as printed' '
	"$AN" import "$M1PRO" -o m1pro.pmtrace >/dev/null &&
	"$AN" report m1pro.pmtrace -o out --no-plot --core-distribution >/dev/null &&
	csv_rows out/m1pro-cores.csv >m1pro.got &&
	printf "%s\n" "2 P0-Cluster" "3 P0-Cluster" "4 P0-Cluster" "5 P1-Cluster" "6 P1-Cluster" \
	    "7 P1-Cluster" "0 E-Cluster" "1 E-Cluster" >m1pro.want &&
	test_cmp_str "$(cat m1pro.got)" "$(cat m1pro.want)" &&
	grep "^set label 100[1-3] group_[1-3]" out/m1pro-cores.gp >labels &&
	test_line_count -eq 3 labels
'

test_expect_success 'an imported capture is its own machine: nothing about another one' '
	! grep "another machine" out/m1pro.gp out/m1pro-cores.gp &&
	grep "macOS cannot tell which core" out/m1pro-cores.gp
'

test_expect_success LINUX 'a Linux recording with an M1 capture replayed beside it' '
	"$REC" -q -i 250 -d 3 -o lx.pmtrace --powermetrics-cmd "pm-replay -i 500 --loop $M1" \
	    -- sleep 5 </dev/null >/dev/null 2>&1 &&
	"$AN" report lx.pmtrace -o out --no-plot --core-distribution >/dev/null &&
	test -s out/lx-cores.gp
'

test_expect_success LINUX 'the machine lines say the power data came from another machine' '
	grep "^machine_text = .*powermetrics from another machine: Macmini9,1, 8 CPUs (macOS build 20D80)" out/lx.gp &&
	grep "^machine_text = .*powermetrics from another machine: Macmini9,1" out/lx-cores.gp &&
	grep "^machine_text = .* $(grep -c "^cpu[0-9]" /proc/stat) cores" out/lx.gp
'

test_expect_success LINUX 'the heatmap says whose cores it shows, not "macOS cannot tell"' '
	grep "^caveat = .System-wide: the 8 cores of the Mac Macmini9,1 where powermetrics ran, not of the machine of the process data.$" out/lx-cores.gp &&
	! grep "macOS cannot tell" out/lx-cores.gp &&
	text_clusters "$M1" >m1.want &&
	{ grep " P-Cluster" m1.want; grep " E-Cluster" m1.want; } >m1.order &&
	csv_rows out/lx-cores.csv >m1.got &&
	test_cmp_str "$(cat m1.got)" "$(cat m1.order)"
'

test_done
