/*
 * test_cmn_opt.c - unit tests of common/cmn_opt.c: the getopt_long arrays
 * made from a table, parsing with them, and the synopsis and help text
 * (whose line format tests/t0110-man-pages.sh relies on).  Expected texts
 * are written out by hand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmn_opt.h"
#include "tap.h"

enum { K_JSON = 256, K_FORMAT };

static const struct cmn_opt opts[] = {
	{ 'o', "output", "DIR", 0, "into DIR" },
	{ K_JSON, "json", NULL, 0, "as JSON" },
	{ K_FORMAT, "format", "png|svg|pdf", 0, "figure format\nsecond line" },
	{ 'h', "help", NULL, CMN_OPT_NOSYN, "this help" },
	CMN_OPT_END
};

/* What fn printed, in a static buffer. */
static const char *
printed(void (*fn)(FILE *))
{
	static char out[4096];
	FILE *f = tmpfile();
	size_t n;

	if (f == NULL)
		return "";
	fn(f);
	rewind(f);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	fclose(f);
	return out;
}

static void
print_help(FILE *f)
{
	cmn_opt_print_help(f, opts);
}

static void
print_synopsis(FILE *f)
{
	cmn_opt_print_synopsis(f, "usage: prog cmd", "TRACE", opts);
}

/* A synopsis too long for one line wraps under the first operand. */
static void
print_long_synopsis(FILE *f)
{
	cmn_opt_print_synopsis(f, "usage: phocus-analyze something-long",
	    "A.pmtrace B.pmtrace [C...]", opts);
}

static void
test_init(void)
{
	struct cmn_getopt g;

	CHECK_I64(cmn_opt_init(&g, opts, 0), 0, "init: a table of 4");
	CHECK_STR(g.so, "o:h", "short options: -o takes an argument, -h not");
	CHECK_STR(g.lo[2].name, "format", "third long option");
	CHECK_I64(g.lo[2].has_arg, required_argument, "--format takes an argument");
	CHECK_I64(g.lo[1].val, K_JSON, "--json returns its key");
	CHECK(g.lo[4].name == NULL, "long options end with a zero row");
	CHECK_I64(cmn_opt_init(&g, opts, 1), 0, "init in order");
	CHECK_STR(g.so, "+o:h", "in order: getopt's +");
}

static void
test_too_many(void)
{
	static struct cmn_opt big[CMN_OPT_MAX + 2];
	struct cmn_getopt g;

	for (int i = 0; i <= CMN_OPT_MAX; i++)
		big[i] = (struct cmn_opt){ 256 + i, "x", NULL, 0, "" };
	CHECK_I64(cmn_opt_init(&g, big, 0), -1, "a table longer than CMN_OPT_MAX");
	big[CMN_OPT_MAX].name = NULL;
	CHECK_I64(cmn_opt_init(&g, big, 0), 0, "exactly CMN_OPT_MAX rows");
}

static void
test_parse(void)
{
	char *argv[] = { "cmd", "t.pmtrace", "--json", "-o", "out",
	    "--format=svg", "--", "-x", NULL };
	struct cmn_getopt g;
	int c, json = 0;
	const char *dir = NULL, *fmt = NULL;

	cmn_opt_init(&g, opts, 0);
	optind = 1;
	while ((c = cmn_opt_next(&g, 8, argv)) != -1) {
		if (c == K_JSON)
			json = 1;
		else if (c == 'o')
			dir = optarg;
		else if (c == K_FORMAT)
			fmt = optarg;
	}
	CHECK(json, "--json seen");
	CHECK_STR(dir, "out", "-o's argument");
	CHECK_STR(fmt, "svg", "--format=svg");
	CHECK_I64(optind, 6, "operands after the options (permuted)");
	CHECK_STR(argv[6], "t.pmtrace", "the operand first");
	CHECK_STR(argv[7], "-x", "what follows -- stays an operand");
}

static void
test_match(void)
{
	CHECK_I64(cmn_opt_match(opts, "-h"), 'h', "-h");
	CHECK_I64(cmn_opt_match(opts, "--help"), 'h', "--help");
	CHECK_I64(cmn_opt_match(opts, "--json"), K_JSON, "--json");
	CHECK_I64(cmn_opt_match(opts, "--hel"), -1, "no abbreviations");
	CHECK_I64(cmn_opt_match(opts, "-hx"), -1, "-hx is not -h");
	CHECK_I64(cmn_opt_match(opts, "--output"), -1, "an option with an argument");
	CHECK_I64(cmn_opt_match(opts, "help"), -1, "a word");
}

static void
test_text(void)
{
	CHECK_STR(printed(print_help),
	    "  -o, --output DIR  into DIR\n"
	    "      --json        as JSON\n"
	    "      --format png|svg|pdf\n"
	    "                    figure format\n"
	    "                    second line\n"
	    "  -h, --help        this help\n", "help: one column, long ones apart");
	CHECK_STR(printed(print_synopsis),
	    "usage: prog cmd TRACE [-o DIR] [--json] [--format png|svg|pdf]\n",
	    "synopsis: every option but --help");
	CHECK_STR(printed(print_long_synopsis),
	    "usage: phocus-analyze something-long A.pmtrace B.pmtrace [C...] [-o DIR]\n"
	    "                                     [--json] [--format png|svg|pdf]\n",
	    "synopsis wraps before column 80 under the operands");
}

int
main(void)
{
	test_init();
	test_too_many();
	test_parse();
	test_match();
	test_text();
	return tap_done();
}
