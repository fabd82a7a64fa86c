/*
 * test_an_plot.c - unit tests of the strings that go into gnuplot scripts
 * (analyze/plot/an_gpstr.c): expected encodings worked out by hand from gnuplot's
 * quoting rules, a decoder of that encoding for round trips of random
 * bytes, display-text cleaning, file names, shell quoting; and the column
 * numbers the scripts use.  Ends with "N passed, N failed".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "plot/an_gpstr.h"
#include "plot/an_plot_gp.h"

/* ======================= Helpers ======================= */

/* Runs an_gp_str on s[0..n) and returns what it wrote (static buffer). */
static const char *
gp_str(const char *s, size_t n)
{
	static char out[1 << 16];
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	an_gp_str(f, s, n);
	fclose(f);
	snprintf(out, sizeof(out), "%s", buf);
	free(buf);
	return out;
}

/* The same for an_gp_path and an_sh_quote. */
static const char *
gp_path(const char *s, int shell)
{
	static char out[4096];
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (shell)
		an_sh_quote(f, s);
	else
		an_gp_path(f, s);
	fclose(f);
	snprintf(out, sizeof(out), "%s", buf);
	free(buf);
	return out;
}

/*
 * Evaluates an expression of the form an_gp_str writes, the way gnuplot
 * does: 'text' (two quotes are one), "\ooo" (octal bytes), joined by '.'.
 * Returns the length, or -1 when the expression is not of that form or a
 * single-quoted piece holds a byte gnuplot could act on.
 */
static long
gp_eval(const char *e, char *out)
{
	long n = 0;

	for (;;) {
		if (*e == '\'') {
			for (e++;; e++) {
				if (*e == '\0' || *e == '`' || *e == '@' || *e == '\\' ||
				    (unsigned char)*e < 0x20 || *e == 0x7f)
					return -1;
				if (*e == '\'' && e[1] != '\'')
					break;
				if (*e == '\'')
					e++;
				out[n++] = *e;
			}
			e++;
		} else if (*e == '"') {
			for (e++; *e == '\\'; e += 4) {
				if (e[1] < '0' || e[1] > '3' || e[2] < '0' || e[2] > '7' ||
				    e[3] < '0' || e[3] > '7')
					return -1;
				out[n++] = (char)((e[1] - '0') * 64 + (e[2] - '0') * 8 + e[3] - '0');
			}
			if (*e++ != '"')
				return -1;
		} else
			return -1;
		if (*e == '\0')
			return n;
		if (*e++ != '.')
			return -1;
	}
}

/* ======================= Cases ======================= */

/* an_gp_str: input, expected script text (worked out by hand). */
static const struct { const char *in; size_t len; const char *want; } str_cases[] = {
	{ "", 0, "''" },
	{ "abc", 3, "'abc'" },
	{ "it's", 4, "'it''s'" },
	{ "''", 2, "''''''" },
	{ "a`b", 3, "'a'.\"\\140\".'b'" },
	{ "`touch x`", 9, "\"\\140\".'touch x'.\"\\140\"" },
	{ "@x", 2, "\"\\100\".'x'" },
	{ "a\\", 2, "'a'.\"\\134\"" },
	{ "\\\\", 2, "\"\\134\\134\"" },
	{ "l1\nl2", 5, "'l1'.\"\\012\".'l2'" },
	{ "\r\t", 2, "\"\\015\\011\"" },
	{ "x\0y", 3, "'x'.\"\\000\".'y'" },
	{ "\xff", 1, "\"\\377\"" },
	{ "\xc3\xa9t\xc3\xa9", 5, "'\xc3\xa9t\xc3\xa9'" },
	{ "\xc3(", 2, "\"\\303\".'('" },
	{ "\x7f", 1, "\"\\177\"" },
	{ "\xc2\x85", 2, "\"\\302\\205\"" },
	{ "\xed\xa0\x80", 3, "\"\\355\\240\\200\"" },
	{ "system(\"rm -rf /\")", 18, "'system(\"rm -rf /\")'" },
	{ "$x; ! ls # c", 12, "'$x; ! ls # c'" },
	{ "\"`x`\"", 5, "'\"'.\"\\140\".'x'.\"\\140\".'\"'" },
};

/* an_gp_clean: input, max characters, expected text. */
static const struct { const char *in; size_t max; const char *want; } clean_cases[] = {
	{ "plain", 10, "plain" },
	{ "a\nb\rc\td", 10, "a b c d" },
	{ "  lead", 10, "lead" },
	{ "trail  \n", 10, "trail" },
	{ "a  \n  b", 10, "a     b" },
	{ "\xff", 10, "\xef\xbf\xbd" },
	{ "\xc0\xaf", 10, "\xef\xbf\xbd\xef\xbf\xbd" },
	{ "\xed\xa0\x80", 10, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
	{ "abcdef", 4, "abc\xe2\x80\xa6" },
	{ "abcd", 4, "abcd" },
	{ "abcd   ", 4, "abcd" },
	{ "abc def", 4, "abc\xe2\x80\xa6" },
	{ "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 3, "\xc3\xa9\xc3\xa9\xe2\x80\xa6" },
	{ "a\xe2\x80\xae" "b", 10, "ab" },
	{ "a\xe2\x80\xa8" "b", 10, "a b" },
	{ "a\xc2\x85" "b", 10, "a b" },
	{ "x", 0, "" },
	{ "`@\\'", 10, "`@\\'" },
	/* characters the figure's fonts cannot draw: one white square per run */
	{ "image \xf0\x9f\x93\xb7 1", 20, "image \xe2\x96\xa1 1" },
	{ "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7!", 20,
	    "\xe2\x96\xa1!" },				/* family: ZWJ sequence */
	{ "\xf0\x9f\x87\xaf\xf0\x9f\x87\xb5", 20, "\xe2\x96\xa1" },	/* flag */
	{ "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd ok", 20, "\xe2\x96\xa1 ok" },	/* skin tone */
	{ "\xf0\x9f\x93\xb7 \xf0\x9f\x93\xb7", 20, "\xe2\x96\xa1 \xe2\x96\xa1" },
	{ "\xe2\x9c\xa8x\xe2\x9c\xa8", 20, "\xe2\x96\xa1x\xe2\x96\xa1" },	/* sparkles */
	{ "\xe0\xb8\x81\xe0\xb8\x82", 20, "\xe2\x96\xa1" },		/* Thai: no glyphs */
	{ "\xee\x80\x80", 20, "\xe2\x96\xa1" },			/* private use */
	{ "\xe2\x9d\xa4\xef\xb8\x8f", 20, "\xe2\x9d\xa4" },		/* heart: in the font */
	{ "\xe2\x8c\x98S \xe2\x9c\x93 \xe2\x86\x92 \xce\xb1\xd0\x96", 20,
	    "\xe2\x8c\x98S \xe2\x9c\x93 \xe2\x86\x92 \xce\xb1\xd0\x96" },	/* kept symbols */
	{ "\xe4\xb8\xad\xe6\x96\x87", 20, "\xe4\xb8\xad\xe6\x96\x87" },	/* CJK kept */
	{ "1\xef\xb8\x8f\xe2\x83\xa3", 20, "1" },			/* keycap glue */
	{ "a\xe2\x80\x8b" "b", 20, "ab" },				/* zero-width space */
	{ "\xf0\x9f\x93\xb7\xf0\x9f\x93\xb7" "abc", 2, "\xe2\x96\xa1\xe2\x80\xa6" },
};

/* an_gp_path and an_sh_quote: input, expected. */
static const struct { const char *in; const char *gp; const char *sh; } path_cases[] = {
	{ "x.csv", "'./x.csv'", "x.csv" },
	{ "/abs/dir/x.csv", "'/abs/dir/x.csv'", "/abs/dir/x.csv" },
	{ "<touch x", "'./<touch x'", "'<touch x'" },
	{ "|touch x", "'./|touch x'", "'|touch x'" },
	{ "-", "'./-'", "'-'" },
	{ "it's", "'./it''s'", "'it'\\''s'" },
	{ "a`b`", "'./a'.\"\\140\".'b'.\"\\140\"", "'a`b`'" },
	{ "a\nb", "'./a'.\"\\012\".'b'", "'a?b'" },
	{ "$(x)", "'./$(x)'", "'$(x)'" },
	{ "out/r_1.2", "'./out/r_1.2'", "out/r_1.2" },
};

/* ======================= Tests ======================= */

static void
test_str_cases(void)
{
	for (size_t i = 0; i < sizeof(str_cases) / sizeof(str_cases[0]); i++) {
		char what[96];
		snprintf(what, sizeof(what), "an_gp_str case %zu", i);
		CHECK_STR(gp_str(str_cases[i].in, str_cases[i].len), str_cases[i].want, what);
	}
}

/* Random bytes round-trip through the encoding, which stays inert. */
static void
test_str_roundtrip(void)
{
	static char in[300], back[300];
	int ok = 1, inert = 1;

	srand(6);
	for (int k = 0; k < 5000 && ok; k++) {
		size_t n = (size_t)(rand() % 300);
		const char *e;
		for (size_t i = 0; i < n; i++)
			in[i] = (char)(k % 2 ? rand() % 256 : " `@\\'\"\n\xc3\xa9"[rand() % 10]);
		e = gp_str(in, n);
		ok = gp_eval(e, back) == (long)n && memcmp(in, back, n) == 0;
		inert &= strpbrk(e, "`@\n\r") == NULL;
	}
	CHECK(ok, "5000 random strings evaluate back to their bytes");
	CHECK(inert, "no backquote, at sign or line break ever reaches the script");
}

static void
test_clean_cases(void)
{
	for (size_t i = 0; i < sizeof(clean_cases) / sizeof(clean_cases[0]); i++) {
		char out[4 * AN_GP_TEXT_MAX + 4], what[96];
		an_gp_clean(clean_cases[i].in, strlen(clean_cases[i].in), clean_cases[i].max,
		    out, sizeof(out));
		snprintf(what, sizeof(what), "an_gp_clean case %zu", i);
		CHECK_STR(out, clean_cases[i].want, what);
	}
}

/* A small output buffer lowers the cap; nothing is written past it. */
static void
test_clean_small(void)
{
	char out[12];
	size_t n;

	memset(out, 'Z', sizeof(out));
	n = an_gp_clean("abcdefgh", 8, 100, out, 8);
	CHECK_STR(out, "\xe2\x80\xa6", "8-byte buffer: one character, cut");
	CHECK(n == 3 && out[8] == 'Z', "nothing written past the buffer");
	n = an_gp_clean("abc", 3, 10, out, 1);
	CHECK(n == 0 && out[0] == '\0', "1-byte buffer: empty");
}

/* A long hostile label: capped, valid, and inert once encoded. */
static void
test_clean_long(void)
{
	static char in[100000], back[4 * AN_GP_TEXT_MAX + 8];
	char out[4 * AN_GP_TEXT_MAX + 4];
	size_t n;
	long m;

	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = "`system(\"touch x\")@\n\\\xff"[i % 22];
	n = an_gp_clean(in, sizeof(in), 40, out, sizeof(out));
	CHECK(n > 0 && n <= 4 * 40, "100000 bytes cleaned to at most 40 characters");
	CHECK(strpbrk(out, "\n\r") == NULL, "no line break left");
	m = gp_eval(gp_str(out, n), back);
	CHECK(m == (long)n && memcmp(out, back, n) == 0, "and encoded exactly");
}

static void
test_paths(void)
{
	for (size_t i = 0; i < sizeof(path_cases) / sizeof(path_cases[0]); i++) {
		char what[96];
		snprintf(what, sizeof(what), "an_gp_path case %zu", i);
		CHECK_STR(gp_path(path_cases[i].in, 0), path_cases[i].gp, what);
		snprintf(what, sizeof(what), "an_sh_quote case %zu", i);
		CHECK_STR(gp_path(path_cases[i].in, 1), path_cases[i].sh, what);
	}
}

/* Column numbers of the timeline CSV (its header, counted by hand). */
static void
test_columns(void)
{
	CHECK(an_plot_column("elapsed_s") == 1, "elapsed_s is column 1");
	CHECK(an_plot_column("rss_gb") == 3, "rss_gb is column 3");
	CHECK(an_plot_column("swap_used_gb") == 13, "swap_used_gb is column 13");
	CHECK(an_plot_column("pss_gb") == 15, "pss_gb is column 15");
	CHECK(an_plot_column("gap") == 19, "gap is column 19");
	CHECK(an_plot_column("no such column") == 0, "unknown column: 0");
}

int
main(void)
{
	test_str_cases();
	test_str_roundtrip();
	test_clean_cases();
	test_clean_small();
	test_clean_long();
	test_paths();
	test_columns();
	return tap_done();
}
