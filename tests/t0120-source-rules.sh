#!/bin/sh
# t0120-source-rules.sh - rules of the C sources that a compiler does not
# check: no "x = realloc(x, ...)" (when realloc fails it returns NULL and the
# only pointer to the old block is lost, and the caller usually goes on with
# NULL), in the programs, the library, the tests and their helpers.
. "$(dirname "$0")/lib.sh"

# The C files of the project (never build/), one per line.
c_sources() {
	for d in format record analyze common tests bench; do
		[ -d "$TOP/$d" ] && find "$TOP/$d" -name '*.c' -o -name '*.h'
	done
}

test_expect_success 'no "x = realloc(x, ...)": the old block must survive a failure' '
	c_sources >files && test_line_count -gt 10 files &&
	: >hits &&
	while read -r f; do
		grep -n "\([A-Za-z_][]A-Za-z0-9_>.[-]*\) *= *realloc( *\1 *," "$f" |
			sed "s|^|${f#"$TOP"/}:|" >>hits
	done <files &&
	test_line_count -eq 0 hits
'

test_expect_success 'the check finds the pattern it looks for' '
	printf "\tl->s = realloc(l->s, n);\n\tq = realloc(p, n);\n\tb->p[i] = realloc(b->p[i], 4);\n" >bad.c &&
	grep -c "\([A-Za-z_][]A-Za-z0-9_>.[-]*\) *= *realloc( *\1 *," bad.c >n &&
	test_cmp_str "$(cat n)" 2
'

test_done
