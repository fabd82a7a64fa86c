#!/bin/sh
# t0200-install.sh - make install, install-lib and uninstall into a scratch
# DESTDIR: the files land where PREFIX, BINDIR, MANDIR, LIBDIR and
# INCLUDEDIR say, the installed programs run, and a small C program built
# only from what install-lib installed (its pmtrace.pc through pkg-config)
# writes a trace and reads back what it wrote: counts and values it chose
# itself.  Also: -Werror comes with make check only (make -n shows it).
. "$(dirname "$0")/lib.sh"

command -v make >/dev/null 2>&1 && test_set_prereq MAKE
test_prereq_why MAKE "make is not installed"
command -v pkg-config >/dev/null 2>&1 && test_set_prereq PKGCONFIG
test_prereq_why PKGCONFIG "pkg-config is not installed (scripts/install-deps build)"
command -v nm >/dev/null 2>&1 && test_set_prereq NM
test_prereq_why NM "nm (binutils) is not installed"

# mk ARGS...: make in the checkout, with this run's build folder (nothing
# is rebuilt: the programs and libpmtrace.a are built before the tests).
mk() {
	make -s -C "$TOP" B="$B" "$@"
}

test_expect_success MAKE 'make install: programs and man pages under DESTDIR and PREFIX' '
	mk install DESTDIR="$TRASH/d" PREFIX=/usr >out &&
	test -x d/usr/bin/phocus-record && test -x d/usr/bin/phocus-analyze &&
	cmp d/usr/share/man/man1/phocus-record.1 "$TOP/record/phocus-record.1" &&
	cmp d/usr/share/man/man1/phocus-analyze.1 "$TOP/analyze/phocus-analyze.1" &&
	find d -type f | sort >files &&
	test_line_count = 4 files
'

test_expect_success MAKE 'the installed programs run and say their version' '
	v=$("$AN" --version) &&
	test_cmp_str "$(d/usr/bin/phocus-analyze --version)" "$v" &&
	d/usr/bin/phocus-record --version | grep "^phocus-record "
'

test_expect_success MAKE 'BINDIR and MANDIR put them elsewhere' '
	mk install DESTDIR="$TRASH/e" BINDIR=/opt/pm/bin MANDIR=/opt/pm/man >out &&
	test -x e/opt/pm/bin/phocus-record &&
	test -f e/opt/pm/man/man1/phocus-analyze.1 &&
	! test -d e/usr
'

test_expect_success MAKE,NM 'make install-lib: libpmtrace.a, pmtrace.h, pmtrace.pc' '
	mk install-lib DESTDIR="$TRASH/d" PREFIX=/usr >out &&
	test -f d/usr/lib/libpmtrace.a &&
	cmp d/usr/include/pmtrace.h "$TOP/format/pmtrace.h" &&
	grep "^Libs: -L\${libdir} -lpmtrace" d/usr/lib/pkgconfig/pmtrace.pc &&
	grep "^prefix=/usr\$" d/usr/lib/pkgconfig/pmtrace.pc &&
	grep "^Version: $(d/usr/bin/phocus-analyze --version | cut -d" " -f2)\$" \
	    d/usr/lib/pkgconfig/pmtrace.pc &&
	{ nm -g --defined-only d/usr/lib/libpmtrace.a | awk "NF == 3 { print \$3 }" |
	    grep -v -e "^_*pmt_" -e "^_*cmn_" >foreign || true; } &&
	test_line_count = 0 foreign
'

# A reader and writer of traces that knows only pmtrace.h: 3 samples of 2
# processes (pids 100 and 200, RSS 1000 x sample x pid/100 bytes) and 2
# marks; it prints what it reads back.
cat >tiny.c <<'EOF'
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <pmtrace.h>

int
main(void)
{
	pmt_writer *w;
	pmt_reader *r;
	struct pmt_header h;
	struct pmt_record rec;
	struct pmt_proc rows[2];
	unsigned long long procs = 0, nrows = 0, marks = 0, rss = 0;
	char err[256], labels[64] = "";
	int fd = open("tiny.pmtrace", O_WRONLY | O_CREAT | O_TRUNC, 0644);

	pmt_header_init(&h);
	h.writer = "tiny";
	if (fd < 0 || pmt_writer_open(&w, fd, NULL) != 0 || pmt_write_header(w, &h) != 0)
		return 1;
	for (int s = 1; s <= 3; s++) {
		memset(rows, 0, sizeof(rows));
		for (int i = 0; i < 2; i++) {
			rows[i].pid = 100 * (i + 1);
			rows[i].have = PMT_HAVE(PMT_F_RSS);
			rows[i].v[PMT_F_RSS] = 1000ull * s * (i + 1);
		}
		if (pmt_write_proc(w, (uint64_t)s * 1000000000u, rows, 2) != 0)
			return 1;
	}
	if (pmt_write_mark(w, 1500000000u, 1, "open", 4) != 0 ||
	    pmt_write_mark(w, 2500000000u, 2, "close", 5) != 0 ||
	    pmt_writer_close(w, 3000000000u, PMT_END_INPUT) != 0 || close(fd) != 0)
		return 1;
	if (pmt_reader_open(&r, "tiny.pmtrace", err, sizeof(err)) != 0) {
		fprintf(stderr, "tiny: %s\n", err);
		return 1;
	}
	while (pmt_reader_next(r, &rec) == 1) {
		if (rec.type == PMT_REC_PROC) {
			procs++;
			nrows += rec.u.proc.n;
			for (size_t i = 0; i < rec.u.proc.n; i++)
				rss += rec.u.proc.rows[i].v[PMT_F_RSS];
		} else if (rec.type == PMT_REC_MARK) {
			marks++;
			strncat(labels, rec.u.mark.label, rec.u.mark.len);
		}
	}
	pmt_reader_close(r);
	printf("procs %llu rows %llu rss %llu marks %llu %s\n", procs, nrows, rss, marks,
	    labels);
	return 0;
}
EOF

# shellcheck disable=SC2046 # pkg-config's flags: one word each
test_expect_success MAKE,PKGCONFIG 'a program built against the installed pmtrace.pc writes and reads a trace' '
	pc="pkg-config --define-variable=prefix=$TRASH/d/usr" &&
	PKG_CONFIG_PATH="$TRASH/d/usr/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}" &&
	export PKG_CONFIG_PATH &&
	$pc --cflags pmtrace | grep -- "-I$TRASH/d/usr/include" &&
	${CC:-cc} -std=c11 -Wall -o tiny tiny.c $($pc --cflags --libs pmtrace) &&
	./tiny >got &&
	# 3 samples x 2 rows; RSS 1000 x (1+2+3) x (1+2) = 18000; marks in order
	test_cmp_str "$(cat got)" "procs 3 rows 6 rss 18000 marks 2 openclose"
'

test_expect_success MAKE 'make uninstall removes what install and install-lib put' '
	mk uninstall DESTDIR="$TRASH/d" PREFIX=/usr >out &&
	find d -type f >left &&
	test_line_count = 0 left
'

test_expect_success MAKE 'make check compiles with -Werror, make and make install without' '
	{ make -n -B -C "$TOP" B="$TRASH/nb" check >check.n 2>&1 || true; } &&
	grep -- "-c common/cmn_opt.c" check.n | grep -q -- "-Werror" &&
	make -n -B -C "$TOP" B="$TRASH/nb" all >all.n 2>&1 &&
	grep -- "-c common/cmn_opt.c" all.n >line &&
	! grep -q -- "-Werror" line &&
	make -n -B -C "$TOP" B="$TRASH/nb" WERROR=-Werror all >forced.n 2>&1 &&
	grep -- "-c common/cmn_opt.c" forced.n | grep -q -- "-Werror"
'

test_done
