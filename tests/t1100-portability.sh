#!/bin/sh
# t1100-portability.sh - the tests must run on macOS's userland too (BSD
# utilities, /bin/sh and bash 3.2): scripts/check-portability passes on
# every script make check and CI run, and it is itself tested - it flags
# each GNU-only line of tests/data/portability/gnu-only.txt, leaves each
# line of portable.txt alone, and fails on a real test with one GNU-only
# line added.  Then the linters, each skipped with its reason where it is
# not installed: shellcheck on every shell script, the CI workflow with
# action-validator, the Homebrew formula with ruby -c and a few of
# `brew style`'s rules read by hand.
. "$(dirname "$0")/lib.sh"

CHECK=$TOP/scripts/check-portability
PDATA=$DATA/portability
FORMULA=$TOP/packaging/homebrew/phocus-monitor.rb
WORKFLOW=$TOP/.github/workflows/ci.yml

command -v shellcheck >/dev/null 2>&1 && test_set_prereq SHELLCHECK
test_prereq_why SHELLCHECK "shellcheck is not installed (Debian: apt-get install shellcheck; macOS: brew install shellcheck)"
command -v action-validator >/dev/null 2>&1 && test_set_prereq ACTION_VALIDATOR
test_prereq_why ACTION_VALIDATOR "action-validator is not installed (npm install -g @action-validator/cli)"
command -v ruby >/dev/null 2>&1 && test_set_prereq RUBY
test_prereq_why RUBY "ruby is not installed (Debian: apt-get install ruby)"

# Writes line $2 as a script file $1 (sh), as a step of its own when $3 is
# given (the step's prerequisite).
script_of() {
	{
		echo "#!/bin/sh"
		if [ $# -ge 3 ]; then
			echo "test_expect_success $3 'one line' '"
			printf '%s\n' "$2"
			echo "'"
		else
			printf '%s\n' "$2"
		fi
	} >"$1"
}

test_expect_success 'every script make check and CI run passes the checker' '
	"$CHECK" >out 2>&1 || { cat out; false; } &&
	test_cmp_str "$(cat out)" ""
'

test_expect_success 'it flags each GNU-only line, saying what is wrong' '
	n=0 &&
	grep -v "^#" "$PDATA/gnu-only.txt" >cases &&
	while IFS="	" read -r want line; do
		n=$((n + 1)) &&
		script_of "bad$n.sh" "$line" &&
		if "$CHECK" "bad$n.sh" >out 2>&1; then
			echo "not flagged: $line"; exit 1
		fi &&
		grep -F "bad$n.sh:2: " out >/dev/null &&
		grep -F -- "$want" out >/dev/null ||
		{ echo "for: $line"; echo "want: $want"; echo "got: $(cat out)"; exit 1; }
	done <cases &&
	test_cmp_num "$n" -ge 40
'

test_expect_success 'it leaves each portable line alone' '
	n=0 &&
	sed 1,2d "$PDATA/portable.txt" >cases &&	# the file'\''s own header
	while IFS= read -r line; do
		n=$((n + 1)) &&
		script_of "good$n.sh" "$line" &&
		"$CHECK" "good$n.sh" >out 2>&1 ||
		{ echo "flagged: $line"; cat out; exit 1; }
	done <cases &&
	test_cmp_num "$n" -ge 40
'

test_expect_success '/proc is fine in a step that needs LINUX, flagged in one that does not' '
	script_of linux.sh "	grep -c \"^cpu[0-9]\" /proc/stat" GNUPLOT,LINUX &&	# portable: data
	"$CHECK" linux.sh &&
	script_of any.sh "	grep -c \"^cpu[0-9]\" /proc/stat" GNUPLOT &&	# portable: data
	test_expect_code 1 "$CHECK" any.sh >out &&
	grep "any.sh:3: /proc" out
'

test_expect_success 'a real test with one GNU-only line added fails the check, the line named' '
	mkdir -p fake/tests fake/scripts &&
	cp "$CHECK" fake/scripts/ &&
	t=fake/tests/t2100-record-behaviour.sh &&
	cp "$TOP/tests/t2100-record-behaviour.sh" "$t" &&
	fake/scripts/check-portability &&
	test_cmp_str "$(tail -n 1 "$t")" test_done &&
	sed "\$d" "$TOP/tests/t2100-record-behaviour.sh" >"$t" &&
	printf "%s\n" "test_expect_success RECORDER '\''added'\'' '\''" \
	    "	test \"\$(stat -c %u out)\" = 0" "'\''" test_done >>"$t" &&	# portable: data
	tail -n 4 "$t" &&
	line=$(grep -n "stat -c" "$t" | cut -d: -f1) &&
	test_expect_code 1 fake/scripts/check-portability >out &&
	cat out &&
	test_cmp_str "$(cut -d: -f1,2 out | sort -u)" "tests/t2100-record-behaviour.sh:$line"
'

test_expect_success 'the Makefile: nothing the make of macOS (GNU make 3.81) lacks' '
	printf "all:\n\ttrue\nX != uname\n" >Makefile &&
	test_expect_code 1 "$CHECK" Makefile >out &&
	grep "Makefile:3: != and ::= need GNU make 4.0" out
'

# ---------------------------------------------------------------- linters

test_expect_success SHELLCHECK 'shellcheck: every shell script clean, the steps of the tests too' '
	"$TOP/scripts/lint-shell" >out 2>&1 || { cat out; false; } &&
	test_cmp_str "$(cat out)" ""
'

test_expect_success SHELLCHECK 'scripts/lint-shell reads the steps: a fault inside a step is found' '
	mkdir -p lint/tests lint/scripts && cp "$TOP/scripts/lint-shell" lint/scripts/ &&
	cp "$TOP/tests/lib.sh" lint/tests/ &&
	printf "%s\n" "#!/bin/sh" ". \"\$(dirname \"\$0\")/lib.sh\"" \
	    "test_expect_success '\''a step'\'' '\''" "	x=1 &&" "	[ \$x = 1 ]]" "'\''" test_done \
	    >lint/tests/t9999-fault.sh &&
	test_expect_code 1 lint/scripts/lint-shell tests/t9999-fault.sh >out 2>&1 &&
	cat out && grep "^tests/t9999-fault.sh:5:" out
'

test_expect_success ACTION_VALIDATOR 'the CI workflow validates; a broken copy does not' '
	action-validator "$WORKFLOW" &&
	sed "s/^    runs-on:/    runs_on:/" "$WORKFLOW" >broken.yml &&
	! cmp -s broken.yml "$WORKFLOW" &&
	test_expect_code 1 action-validator broken.yml >out 2>&1 &&
	grep "runs_on" out
'

test_expect_success 'the CI workflow: Linux, macOS arm64 and Intel, check-darwin, artifacts' '
	grep -E "^ +runs-on: .*ubuntu" "$WORKFLOW" &&
	grep -E "runner: macos-15$" "$WORKFLOW" && grep -E "arch: arm64$" "$WORKFLOW" &&
	grep -E "runner: macos-15-intel$" "$WORKFLOW" && grep -E "arch: x86_64$" "$WORKFLOW" &&
	grep "make check-darwin" "$WORKFLOW" &&
	grep "scripts/install-deps" "$WORKFLOW" &&
	grep "packaging/homebrew/install-local --test" "$WORKFLOW" &&
	grep "brew install --build-from-source" "$TOP/packaging/homebrew/install-local" &&
	grep "brew test" "$TOP/packaging/homebrew/install-local" &&
	grep "actions/upload-artifact" "$WORKFLOW" &&
	grep "make demo" "$WORKFLOW" &&
	grep "sha256sum -c" "$WORKFLOW" &&
	! git -C "$TOP" ls-files 2>/dev/null | grep -i "\.sdk/"
'

test_expect_success RUBY 'the Homebrew formula is valid Ruby' '
	ruby -c "$FORMULA"
'

test_expect_success 'the formula: what brew style and brew audit ask, read by hand' '
	f=$FORMULA &&
	grep -x "class PhocusMonitor < Formula" "$f" &&
	desc=$(sed -n "s/^  desc \"\(.*\)\"$/\1/p" "$f") && echo "desc: $desc" &&
	test_cmp_num "$(printf %s "$desc" | wc -c)" -le 80 &&
	! echo "$desc" | grep -iE "^(a|an|the) |phocus-monitor|\.$" &&
	grep -E "^  homepage \"https://" "$f" &&
	grep -E "^  license \"MIT\"$" "$f" &&
	v=$(sed -n "s/^VERSION *= *//p" "$TOP/Makefile") &&
	grep -E "^  url \"[^\"]*/phocus-monitor-$v\.tar\.gz\"$" "$f" && grep -E "^  sha256 \"[0-9a-f]{64}\"$" "$f" &&
	sed -n "s/^  depends_on \"\([^\"]*\)\"\(.*\)/\1\2/p" "$f" >deps && cat deps &&
	test_cmp_str "$(head -n 1 deps)" "pkgconf => :build # pkg-config" &&
	sed 1d deps >runtime &&
	test_cmp_str "$(sort runtime | tr "\n" " ")" "$(tr "\n" " " <runtime)" &&
	test_cmp_str "$(tr "\n" " " <runtime)" "gnuplot libcsv zstd " &&
	grep -E "system \"make\", \"install\", \"PREFIX=#\{prefix\}\"" "$f" &&
	grep -x "  test do" "$f" &&
	grep "phocus-record" "$f" && grep "phocus-analyze" "$f" &&
	! grep -n "	" "$f" && ! grep -n " $" "$f"
'

test_done
