#!/bin/sh
# t0110-man-pages.sh - the man pages name every option the programs accept,
# and no option they do not.  The programs print --help from their option
# tables (common/cmn_opt.c: one line per option, "  -o, --output DIR  ..."
# or "      --json  ..."), so the options read from --help are the tables.
#
#   phocus-record.1:  every option under OPTIONS (.TP items).
#   phocus-analyze.1: the options before a command under OPTIONS; every
#                     command of the command table (the "Commands:" list of
#                     --help) has a subsection ".SS NAME" under COMMANDS
#                     listing each of its options (.TP items), and a line
#                     ".B phocus-analyze NAME" in SYNOPSIS naming each of
#                     them but --help; no subsection for a command that
#                     does not exist.
# How to add an option: see /work/coord/notes/D12.md or the README.
. "$(dirname "$0")/lib.sh"

MAN_REC=$TOP/record/phocus-record.1
MAN_AN=$TOP/analyze/phocus-analyze.1

# Long names of the options in --help output on stdin, one per line.
help_longs() {
	sed -nE 's/^  (-[[:alnum:]], |    )--([a-z0-9][a-z0-9-]*).*/\2/p'
}

# "long short" of the options in --help on stdin (short "-" when none).
help_pairs() {
	sed -nE -e 's/^  -([[:alnum:]]), --([a-z0-9][a-z0-9-]*).*/\2 \1/p' \
	    -e 's/^      --([a-z0-9][a-z0-9-]*).*/\1 -/p'
}

# The commands in `phocus-analyze --help` on stdin.
help_commands() {
	sed -n '/^Commands:/,/^$/p' | awk 'NF > 1 { print $1 }'
}

# man_opts FILE SECTION [SUBSECTION]: long options named in the tags of the
# .TP items of a section (and subsection), one per line.
man_opts() {
	awk -v sh="$2" -v ss="${3:-}" '
	/^\.SH/ { insh = ($2 == sh); inss = (ss == ""); tag = 0; next }
	/^\.SS/ { if (ss != "") inss = (insh && $2 == ss); tag = 0; next }
	tag && insh && inss {
		gsub(/\\-/, "-")
		while (match($0, /--[a-z0-9][a-z0-9-]*/)) {
			print substr($0, RSTART + 2, RLENGTH - 2)
			$0 = substr($0, RSTART + RLENGTH)
		}
	}
	{ tag = ($0 == ".TP") }' "$1"
}

# man_subsections FILE SECTION: the .SS names in a section.
man_subsections() {
	awk -v sh="$2" '/^\.SH/ { insh = ($2 == sh); next }
	    insh && /^\.SS/ { print $2 }' "$1"
}

# man_synopsis FILE COMMAND: the synopsis lines of ".B phocus-analyze
# COMMAND", fonts and \- removed.
man_synopsis() {
	awk -v c="$2" '
	/^\.SH/ { insyn = ($2 == "SYNOPSIS"); inb = 0; next }
	insyn && $0 == ".B phocus-analyze " c { inb = 1; print "@"; next }
	insyn && /^\.(br|B )/ { inb = 0 }
	inb { print }' "$1" | sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g'
}

# same_lists WHAT A B [PREFIX]: A and B (files, one item per line) hold
# the same items; otherwise says which are missing from which (items shown
# after PREFIX, "--" by default).
same_lists() {
	sort -u "$2" >"$2.s" && sort -u "$3" >"$3.s" &&
	comm -23 "$2.s" "$3.s" >only_a && comm -13 "$2.s" "$3.s" >only_b &&
	if [ -s only_a ] || [ -s only_b ]; then
		sed "s/^/$1: in --help, not in the man page: ${4-"--"}/" only_a
		sed "s/^/$1: in the man page, not in --help: ${4-"--"}/" only_b
		return 1
	fi
}

test_expect_success RECORDER 'phocus-record.1 lists every option of phocus-record --help' '
	"$REC" --help >h && help_longs <h >want && test -s want &&
	man_opts "$MAN_REC" OPTIONS >got &&
	same_lists phocus-record want got
'

test_expect_success ANALYZER 'phocus-analyze.1 lists the options before a command' '
	"$AN" --help >h && help_longs <h >want && test -s want &&
	man_opts "$MAN_AN" OPTIONS >got &&
	same_lists phocus-analyze want got
'

test_expect_success ANALYZER 'phocus-analyze.1 has a subsection for each command and no other' '
	"$AN" --help | help_commands >want && test -s want &&
	man_subsections "$MAN_AN" COMMANDS >got &&
	same_lists "command" want got ""
'

test_expect_success ANALYZER 'phocus-analyze.1 lists every option of each command' '
	"$AN" --help | help_commands >cmds &&
	bad=0 &&
	while read -r c; do
		"$AN" "$c" --help >h && help_longs <h >want && test -s want &&
		man_opts "$MAN_AN" COMMANDS "$c" >got &&
		same_lists "$c" want got || bad=1
	done <cmds &&
	test "$bad" = 0
'

test_expect_success ANALYZER 'each command synopsis in phocus-analyze.1 names its options' '
	"$AN" --help | help_commands >cmds &&
	bad=0 &&
	while read -r c; do
		man_synopsis "$MAN_AN" "$c" >syn &&
		if ! grep -q "^@" syn; then
			echo "$c: no \".B phocus-analyze $c\" in SYNOPSIS"; bad=1; continue
		fi &&
		"$AN" "$c" --help | help_pairs >pairs &&
		while read -r long short; do
			[ "$long" = help ] && continue
			grep -Eq -- "(^|[^-[:alnum:]])--$long([^-[:alnum:]]|\$)" syn && continue
			[ "$short" != - ] &&
			    grep -Eq -- "(^|[^-[:alnum:]])-$short([^-[:alnum:]]|\$)" syn &&
			    continue
			echo "$c: --$long is not in its SYNOPSIS line"; bad=1
		done <pairs
	done <cmds &&
	test "$bad" = 0
'

test_expect_success RECORDER,ANALYZER 'the man pages carry the programs version' '
	v=$("$AN" --version | cut -d" " -f2) &&
	test_cmp_str "$("$REC" --version | cut -d" " -f2)" "$v" &&
	for m in "$MAN_REC" "$MAN_AN"; do
		grep "^\.TH .*\"phocus-monitor $v\"" "$m" ||
		{ echo "$m: .TH does not say phocus-monitor $v"; exit 1; }
	done
'

command -v groff >/dev/null 2>&1 && test_set_prereq GROFF
test_prereq_why GROFF "groff is not installed (macOS 13 and later have mandoc, not groff)"
test_expect_success GROFF 'groff reads both man pages without a warning' '
	for m in "$MAN_REC" "$MAN_AN"; do
		{ groff -man -ww -z "$m" 2>warn && ! test -s warn; } ||
		{ echo "$m:"; cat warn; exit 1; }
	done
'

test_done
