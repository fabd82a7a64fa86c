#!/bin/sh
# t6010-figure-text.sh - text in the figures: characters the plot fonts
# cannot draw (emoji, symbols and scripts outside the font) are replaced in
# the figure only, so that no large block is painted over it (pixels, with
# tests/helpers/png-probe), while the CSV and the JSON keep the labels as
# typed.  Traces: tests/data/figure/*.txt (pmt-synth).
. "$(dirname "$0")/lib.sh"

FIG=$DATA/figure
SYNTH=$HELPERS/pmt-synth
PROBE=$HELPERS/png-probe
[ -x "$SYNTH" ] && test_set_prereq SYNTH
[ -x "$PROBE" ] && test_set_prereq PROBE

# Fails unless the most common colour of PNG $1 (non-white; "grey": grey
# levels only, the colour of text) covers at most $2 % of it.
top_at_most() {
	_top=$("$PROBE" "$1" top ${3:+"$3"}) || return 1
	echo "$1: most common ${3:-non-white} colour $_top"
	test_cmp_num "${_top#* }" -le "$2"
}

# ---------------------------------------------------------------- emoji and symbols

test_expect_success SYNTH 'a trace whose labels and header hold emoji and symbols' '
	"$SYNTH" "$FIG/emoji.txt" emoji.pmtrace &&
	"$AN" report emoji.pmtrace -o out --core-distribution --no-plot >rep.out
'

test_expect_success SYNTH 'the script draws each run of them as one white square' '
	grep -x "mark_[0-9]* = '\''image □ 1'\''" out/emoji.gp &&
	grep -x "mark_[0-9]* = '\''image □ 2 □ family □'\''" out/emoji.gp &&
	grep "^mark_[0-9]* = '\''flag □ thumbs □ keycap" out/emoji.gp &&
	grep "^mark_[0-9]* = '\''□ 4  hieroglyph □" out/emoji.gp &&
	grep -x "target = '\''Phocus□'\''" out/emoji.gp &&
	grep "^title_text = '\''Phocus□ 4.0.1□ " out/emoji.gp &&
	grep "^machine_text = '\''Apple M1 Pro□ " out/emoji.gp
'

test_expect_success SYNTH 'no character outside the kept set reaches the scripts' '
	for f in out/emoji.gp out/emoji-cores.gp; do
		! grep -e "📷" -e "✨" -e "🎉" -e "👨" -e "🇯" -e "👍" -e "🏽" -e "✅" -e "⭐" \
		    -e "⏰" -e "ภ" -e "𓀀" -e "$(printf "\356\200\200")" -e "$(printf "\342\200\215")" \
		    -e "$(printf "\357\270\217")" "$f" || exit 1
	done
'

test_expect_success GNUPLOT,SYNTH,PROBE 'the figure: no colour covers more than 5% of it' '
	gnuplot out/emoji.gp &&
	test_cmp_str "$("$PROBE" out/emoji.png size)" 1600x1800 &&
	top_at_most out/emoji.png 5
'

test_expect_success GNUPLOT,SYNTH,PROBE 'the per-core figure: no text colour covers more than 5% of it' '
	gnuplot out/emoji-cores.gp &&
	test_cmp_str "$("$PROBE" out/emoji-cores.png size)" 1600x1400 &&
	top_at_most out/emoji-cores.png 5 grey
'

test_expect_success GNUPLOT,SYNTH,PROBE 'the compare figure: no colour covers more than 5% of it' '
	cp emoji.pmtrace emoji2.pmtrace &&
	"$AN" compare emoji.pmtrace emoji2.pmtrace -o cmp >cmp.out &&
	top_at_most cmp/compare.png 5
'

test_expect_success GNUPLOT,PROBE 'the same text unreplaced covers the figure (the check can fail)' '
	printf "%s\n" "set terminal pngcairo size 1600,1800 font \"Sans,20\" noenhanced" \
	    "set output \"raw.png\"" "set encoding utf8" \
	    "set label 1 \"image 📷 1 ✅\" at graph 0.2, graph 0.5 font \",13\"" \
	    "set xrange [0:1]" "set yrange [0:1]" "plot NaN notitle" >raw.gp &&
	gnuplot raw.gp 2>/dev/null &&
	! top_at_most raw.png 5
'

test_expect_success SYNTH 'the CSV and the JSON keep the labels as typed' '
	"$AN" report emoji.pmtrace -o out --no-plot --json >rep.json &&
	for l in "image 📷 1" "image ✨ 2 🎉 family 👨‍👩‍👧" "flag 🇯🇵 thumbs 👍🏽 keycap 1️⃣ ✅⭐⏰" \
	    "ภาพ 4  hieroglyph 𓀀 private $(printf "\356\200\200")"; do
		grep -F ",\"$l\"," out/emoji.csv >/dev/null ||
		grep -F ",$l," out/emoji.csv >/dev/null || { echo "CSV lost: $l"; exit 1; }
		grep -F "\"label\":\"$l\"" rep.json >/dev/null || { echo "JSON lost: $l"; exit 1; }
	done
'

test_done
