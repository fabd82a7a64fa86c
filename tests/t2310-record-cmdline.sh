#!/bin/sh
# t2310-record-cmdline.sh - what phocus-record says and returns at the edges
# of its command line (issue 11 item 8): output that cannot be created, a
# --wait target that never appears, limits, a command that cannot run, the
# duration it prints (against the raw samples), mark lines, --label.
. "$(dirname "$0")/lib.sh"

# ------------------------------------------------ output that cannot be created

test_expect_success RECORDER 'a missing folder: exit 2, nothing recorded' '
	test_expect_code 2 "$REC" -q -o nofolder/x.pmtrace -- true </dev/null 2>err &&
	cat err &&
	grep "cannot create nofolder/x.pmtrace: No such file or directory; nothing recorded" err &&
	test ! -e nofolder
'

test_expect_success RECORDER 'a directory is named a directory, with or without --force, no --force hint' '
	mkdir adir &&
	test_expect_code 2 "$REC" -q -o adir -- true </dev/null 2>err &&
	test_expect_code 2 "$REC" -q -f -o adir -- true </dev/null 2>>err &&
	cat err &&
	test_line_count = 2 err &&
	test_cmp_num "$(grep -c "adir is a directory: name a trace file with -o; nothing recorded" err)" = 2 &&
	! grep -e "--force" err
'

# Root may write anywhere: the read-only folder is tried as nobody.
test_expect_success RECORDER,ROOT 'a read-only folder: exit 2, nothing recorded' '
	chmod o+x "$TRASH" && mkdir ro && chmod 555 ro &&
	cp "$REC" phocus-record && chmod 755 phocus-record &&	# the checkout may not be readable by nobody
	test_expect_code 2 "$HELPERS/as-user" 65534 65534 ./phocus-record -q -o ro/x.pmtrace -- true \
		</dev/null 2>err &&
	cat err &&
	grep "cannot create ro/x.pmtrace: Permission denied; nothing recorded" err &&
	test ! -e ro/x.pmtrace
'

# ------------------------------------------------ --wait that never comes

test_expect_success RECORDER '--wait with --duration for a target that never appears: exit 2, said, no trace' '
	test_expect_code 2 "$REC" -q --wait -n no-such-app-t2310 -d 1 -o never.pmtrace \
		</dev/null >out 2>err &&
	cat err &&
	grep "^phocus-record: no-such-app-t2310 did not appear in 1 s; nothing recorded\$" err &&
	test ! -e never.pmtrace &&
	test_line_count = 0 out
'

# ------------------------------------------------ limits and commands

test_expect_success RECORDER 'errors state the real limits of -d and -i' '
	test_expect_code 2 "$REC" -q -d 1e8 -- true 2>err &&
	grep "above 0 and at most 10000000, not .1e8." err &&
	test_expect_code 2 "$REC" -q -d 0 -- true 2>err &&
	grep "above 0 and at most 10000000, not .0." err &&
	test_expect_code 2 "$REC" -q -i 5 -- true 2>err &&
	grep "from 10 to 3600000" err &&
	"$REC" --help | grep -e "--duration SEC .*at most 10000000"
'

test_expect_success RECORDER '-- FILE that is not executable: permission denied; missing: not found' '
	printf "#!/bin/sh\necho hi\n" >script.sh && chmod 644 script.sh &&
	test_expect_code 2 "$REC" -q -o s.pmtrace -- ./script.sh </dev/null 2>err &&
	grep "cannot run ./script.sh: permission denied" err &&
	! grep "not found" err &&
	test_expect_code 2 "$REC" -q -o s.pmtrace -- ./nothere.sh </dev/null 2>err &&
	grep "cannot run ./nothere.sh: command not found" err &&
	test_expect_code 2 "$REC" -q -o s.pmtrace -- ./adir </dev/null 2>err &&
	grep "cannot run ./adir: it is a directory" err &&
	test ! -e s.pmtrace
'

# ------------------------------------------------ the duration it prints

# The span of the process samples, from the raw samples (dump), to the
# nearest tenth: what the recorder prints at the end and info says.
test_expect_success RECORDER 'the duration printed at the end is info'"'"'s and the raw samples'"'"' span' '
	"$REC" -q -i 100 -o d.pmtrace -- sleep 1.26 </dev/null >d.out 2>/dev/null &&
	got=$(sed -n "s/^Recorded \([0-9:.]*\) of .*/\1/p" d.out) &&
	info=$("$AN" info d.pmtrace | sed -n "s/^Duration: *\([0-9:.]*\) .*/\1/p") &&
	want=$("$AN" dump d.pmtrace --samples | grep "^[0-9]" |
		awk -F, "NR == 1 { a = \$1 } { b = \$1 } END { d = int((b - a) * 10 + 0.5);
		printf \"%d:%02d:%02d.%d\", d / 36000, int(d / 600) % 60, int(d / 10) % 60, d % 10 }") &&
	echo "recorder $got, info $info, raw samples $want" &&
	test_cmp_str "$got" "$want" &&
	test_cmp_str "$info" "$want"
'

# ------------------------------------------------ mark lines

test_expect_success RECORDER 'a mark with escape bytes is echoed escaped; a long line is kept whole up to the limit and the echo says it was cut' '
	long=$(awk "BEGIN { for (i = 0; i < 1500; i++) printf \"m\" }") &&
	{ sleep 0.3; printf "open\033[31m red\\\\x\n"; printf "%s\n" "$long"; sleep 0.4; } |
		"$REC" -q -i 100 -o m.pmtrace -- sleep 1 >/dev/null 2>m.err &&
	test_cmp_num "$(tr -d "\n -~" <m.err | wc -c)" -eq 0 &&
	grep "^mark 1 at [0-9:.]*: open\\\\x1b\[31m red\\\\\\\\x\$" m.err &&
	grep "^mark 2 at [0-9:.]*: m* \[line cut: its first 1024 bytes kept\]\$" m.err &&
	test_cmp_num "$(sed -n "s/^mark 2 at [0-9:.]*: \(m*\) .*/\1/p" m.err | tr -d "\n" | wc -c)" -eq 1024 &&
	test_cmp_num "$("$AN" info m.pmtrace | grep " 2  m" | tr -cd m | wc -c)" -eq 1024
'

# ------------------------------------------------ --label

test_expect_success RECORDER '--label names the target in the trace, the summary and the titles' '
	"$REC" -q -i 200 --label "RawTherapee denoise" -o l.pmtrace -- sh -c "sleep 0.5" \
		</dev/null >l.out 2>/dev/null &&
	grep "^Recorded [0-9:.]* of RawTherapee denoise (pid" l.out &&
	"$AN" report l.pmtrace -o l >l.txt 2>/dev/null --no-plot &&
	head -n 1 l.txt | grep "^RawTherapee denoise on " &&
	grep "^title_text = .RawTherapee denoise " l/l.gp &&
	"$REC" -q -i 200 -o nol.pmtrace -- sh -c "sleep 0.3" </dev/null >nol.out 2>/dev/null &&
	grep "^Recorded [0-9:.]* of sh (pid" nol.out
'

test_done
