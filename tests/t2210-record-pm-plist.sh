#!/bin/sh
# t2210-record-pm-plist.sh - powermetrics -f plist streams as powermetrics
# writes them (a NUL before every sample after the first, none after the
# last): every sample is stamped with the time it was written, not when the
# next one arrived, and repeated captures stay separate samples.
. "$(dirname "$0")/lib.sh"

PL=$DATA/powermetrics/m1pro-macos15.3.2-plist-showall-5samples.plist

perl -MTime::HiRes -e 1 2>/dev/null && test_set_prereq PERL_HIRES
test_prereq_why PERL_HIRES "Perl has no Time::HiRes (scripts/install-deps test)"

# Unix time (s) of an ISO 8601 time "YYYY-MM-DDTHH:MM:SS.mmm+hh:mm", by
# hand (days from the civil calendar; no date -d).
iso_to_unix() {
	echo "$1" | awk '{
		y = substr($0, 1, 4) + 0; m = substr($0, 6, 2) + 0; d = substr($0, 9, 2) + 0
		s = substr($0, 12, 2) * 3600 + substr($0, 15, 2) * 60 + substr($0, 18, 6)
		off = (substr($0, 25, 2) * 3600 + substr($0, 28, 2) * 60) * (substr($0, 24, 1) == "-" ? -1 : 1)
		if (m <= 2) y--
		era = int(y / 400); yoe = y - era * 400
		doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
		doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
		printf "%.3f\n", (era * 146097 + doe - 719468) * 86400 + s - off }'
}

test_expect_success 'iso_to_unix works out Unix times by hand' '
	test_cmp_str "$(iso_to_unix 1970-01-01T00:00:00.000+00:00)" 0.000 &&
	test_cmp_str "$(iso_to_unix 2000-03-01T00:00:01.250+00:00)" 951868801.250 &&
	test_cmp_str "$(iso_to_unix 2026-12-04T18:31:33.012+01:00)" 1796405493.012
'

test_expect_success 'pm-replay writes plists as powermetrics does: NUL before every sample but the first' '
	pm-replay -i 1 "$PL" >out &&
	cmp out "$PL" &&
	pm-replay -i 1 -n 12 "$PL" >out12 &&
	test_cmp_num "$(tr -cd "\000" <out12 | wc -c)" = 11 &&
	test_cmp_str "$(head -c 5 out12)" "<?xml" &&
	test_cmp_str "$(tail -c 9 out12 | head -c 8)" "</plist>" &&
	# every NUL is followed by the start of a plist
	test_cmp_num "$(tr "\000" "\n" <out12 | grep -c "^<?xml")" = 12
'

test_expect_success RECORDER,PERL_HIRES 'each plist sample is stamped when it was written (within 200 ms)' '
	"$REC" -q -i 100 -d 4.5 -o t.pmtrace \
		--powermetrics-cmd "pm-replay -i 700 --log $TRASH/written $PL" \
		-- sleep 10 </dev/null >/dev/null 2>err &&
	cat written &&
	"$AN" info t.pmtrace >info &&
	grep "5 samples parsed, 0 summary blocks, 0 could not be parsed" info &&
	start=$(sed -n "s/^Start: *\([^ ]*\).*/\1/p" info) &&
	t0=$(iso_to_unix "$start") && echo "trace start $start = $t0" &&
	"$AN" dump t.pmtrace --power | grep "^[0-9]" | cut -d, -f1 >stamped &&
	test_line_count = 5 stamped &&
	paste -d " " written stamped | awk -v t0="$t0" "{
		from = \$2 - t0; to = \$3 - t0
		printf \"sample %d written %.3f..%.3f s, stamped %.3f s\\n\", \$1, from, to, \$4
		if (\$4 < from - 0.05 || \$4 > to + 0.2) bad++ }
		END { exit bad > 0 }"
'

test_expect_success RECORDER 'a looped plist capture: every sample separate, none glued, all parsed' '
	"$REC" -q -i 100 -d 2 -o loop.pmtrace \
		--powermetrics-cmd "pm-replay -i 20 --loop $PL" \
		-- sleep 10 </dev/null >/dev/null 2>err &&
	"$AN" info loop.pmtrace >info &&
	grep "format; " info &&
	n=$(sed -n "s/.*format; \([0-9]*\) samples parsed.*/\1/p" info) &&
	u=$(sed -n "s/.* \([0-9]*\) could not be parsed.*/\1/p" info) &&
	test_cmp_num "$n" -gt 5 &&
	# the stop may cut the last sample short, never another one
	test_cmp_num "$u" -le 1 &&
	"$AN" dump loop.pmtrace --powermetrics >back &&
	test_cmp_num "$(tr -cd "\000" <back | wc -c)" = $((n + u - 1)) &&
	test_cmp_num "$(tr "\000" "\n" <back | grep -c "^<?xml")" = $((n + u)) &&
	test_cmp_num "$(tr "\000" "\n" <back | grep -c "^</plist>$")" -ge "$n"
'

test_expect_success RECORDER 'the 12 samples of pm-replay -n 12 are 12 samples in the trace' '
	"$REC" -q -i 100 -o n12.pmtrace \
		--powermetrics-cmd "pm-replay -i 20 -n 12 $PL" \
		-- sleep 3 </dev/null >/dev/null 2>err &&
	"$AN" info n12.pmtrace | grep "format; 12 samples parsed, 0 summary blocks, 0 could not be parsed" &&
	"$AN" dump n12.pmtrace --powermetrics | cmp - out12
'

test_done
