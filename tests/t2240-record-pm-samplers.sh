#!/bin/sh
# t2240-record-pm-samplers.sh - a powermetrics that exits at once refusing a
# sampler it does not know (as macOS releases have added and removed
# samplers) is started again without it; the trace records what was
# dropped and the command used, and the recorder says so once.
. "$(dirname "$0")/lib.sh"

PL=$DATA/powermetrics/m4pro-macos15.5-plist-gpu_power-1sample.plist

# A stand-in powermetrics that knows the samplers in $KNOWN: it refuses the
# first one it does not know with powermetrics' own words (tlkh/asitop
# issue #53) and exits 1, else replays a capture.  Every start is noted.
cat >fake-pm <<EOF
#!/bin/sh
echo "\$*" >>"$TRASH/starts"
list=
while [ \$# -gt 0 ]; do
	case \$1 in --samplers|-s) list=\$2; shift ;; esac
	shift
done
for s in \$(echo "\$list" | tr , ' '); do
	case " \$KNOWN " in *" \$s "*) ;; *)
		echo "powermetrics: unrecognized sampler: \$s" >&2; exit 1 ;;
	esac
done
exec pm-replay -i 100 -n 3 "$PL"
EOF
chmod +x fake-pm

test_expect_success 'an unknown sampler: dropped, started again, recorded, said once' '
	rm -f starts &&
	KNOWN="cpu_power gpu_power" "$REC" -q -i 100 -d 1.5 -o one.pmtrace \
		--powermetrics-cmd "$TRASH/fake-pm -i 100 -f plist --samplers cpu_power,gpu_power,ane_power" \
		-- sleep 5 </dev/null >/dev/null 2>err &&
	cat err starts &&
	test_line_count = 2 starts &&
	test_cmp_str "$(sed -n 2p starts)" "-i 100 -f plist --samplers cpu_power,gpu_power" &&
	test_cmp_num "$(grep -c "does not know the sampler ane_power (it said: powermetrics: unrecognized sampler: ane_power); recording without it" err)" = 1 &&
	"$AN" info one.pmtrace >info &&
	grep "sampler dropped .*refused sampler ane_power .*recording without: .*--samplers cpu_power,gpu_power$" info &&
	grep "^powermetrics: .*fake-pm -i 100 -f plist --samplers cpu_power,gpu_power$" info &&
	grep "format; 3 samples parsed" info
'

test_expect_success 'two unknown samplers: both dropped, one message' '
	rm -f starts &&
	KNOWN="gpu_power" "$REC" -q -i 100 -d 1.5 -o two.pmtrace \
		--powermetrics-cmd "$TRASH/fake-pm --samplers cpu_power,gpu_power,ane_power -i 100" \
		-- sleep 5 </dev/null >/dev/null 2>err &&
	cat err && test_line_count = 3 starts &&
	test_cmp_str "$(sed -n 3p starts)" "--samplers gpu_power -i 100" &&
	test_cmp_num "$(grep -c "does not know the samplers cpu_power,ane_power" err)" = 1 &&
	"$AN" info two.pmtrace | grep "format; 3 samples parsed"
'

test_expect_success 'no sampler known: never an empty list; powermetrics failed, recording goes on' '
	rm -f starts &&
	KNOWN="none" "$REC" -q -i 100 -d 1 -o none.pmtrace \
		--powermetrics-cmd "$TRASH/fake-pm --samplers cpu_power,gpu_power" \
		-- sleep 5 </dev/null >/dev/null 2>err &&
	cat err && test_line_count = 2 starts &&
	test_cmp_str "$(sed -n 2p starts)" "--samplers gpu_power" &&
	"$AN" info none.pmtrace >info &&
	grep "powermetrics failed .*unrecognized sampler: gpu_power" info &&
	grep "Integrity: complete" info
'

test_expect_success 'a command without a samplers list: nothing to drop, nothing said' '
	rm -f starts &&
	"$REC" -q -i 100 -d 1 -o plain.pmtrace --powermetrics-cmd "pm-replay -i 100 $PL" \
		-- sleep 5 </dev/null >/dev/null 2>err &&
	! grep "sampler" err &&
	"$AN" info plain.pmtrace | grep "format; 1 sample parsed"
'

test_done
