/*
 * cmn_opt.h - command-line option tables: one row per option feeds
 * getopt_long (its long options and short-option string) and the --help
 * text (the synopsis and the list of options), so that what a program
 * accepts and what it says it accepts cannot drift apart.  The man pages
 * are held to the same list by tests/t0110-man-pages.sh, which reads the
 * --help these functions print.
 *
 * It does not parse option values, print errors or exit: the caller's
 * switch does that, as with getopt_long.
 */
#ifndef CMN_OPT_H
#define CMN_OPT_H

#include <getopt.h>
#include <stdio.h>

/* The text of a macro's value: CMN_STR(12) is "12". */
#define CMN_STR(x) CMN_STR_(x)
#define CMN_STR_(x) #x

/* One option. */
struct cmn_opt {
	int key;		/* what cmn_opt_next returns: the short letter
				   (then -x works too), or a number >= 256 */
	const char *name;	/* long name without "--" */
	const char *arg;	/* the argument's name in help ("DIR"); NULL: none */
	unsigned flags;		/* CMN_OPT_* */
	const char *help;	/* the help text; "\n" starts another line */
};

enum {
	CMN_OPT_NOSYN = 1	/* left out of the generated synopsis: --help, or an
				   option the operands' text already names */
};

#define CMN_OPT_END { 0, NULL, NULL, 0, NULL }

/* The -h, --help row every table has. */
#define CMN_OPT_HELP { 'h', "help", NULL, CMN_OPT_NOSYN, "this help" }

#define CMN_OPT_MAX 40		/* rows in one table at the most */

/* getopt_long's arrays, made from a table by cmn_opt_init. */
struct cmn_getopt {
	struct option lo[CMN_OPT_MAX + 1];
	char so[3 * CMN_OPT_MAX + 2];
};

/*
 * Fills g from the table t (ended by CMN_OPT_END).  With in_order, options
 * end at the first operand (getopt's "+": what follows belongs to a
 * command).  Returns 0, or -1 when t has more than CMN_OPT_MAX rows.
 */
int cmn_opt_init(struct cmn_getopt *g, const struct cmn_opt *t, int in_order);

/*
 * getopt_long over g: the next option's key, -1 at the end, '?' after
 * getopt has printed what is wrong (an unknown option, a missing argument).
 */
int cmn_opt_next(const struct cmn_getopt *g, int argc, char **argv);

/* The key of the argument-less option that arg spells ("-h", "--help"), or -1. */
int cmn_opt_match(const struct cmn_opt *t, const char *arg);

/*
 * Prints "HEAD OPERANDS [-o DIR] [--json] ..." (every option without
 * CMN_OPT_NOSYN), wrapped before 80 columns under the first operand.
 */
void cmn_opt_print_synopsis(FILE *f, const char *head, const char *operands,
    const struct cmn_opt *t);

/*
 * Prints one line per option, "  -o, --output DIR   help" (or
 * "      --json ..." without a short form), the help texts in one column.
 */
void cmn_opt_print_help(FILE *f, const struct cmn_opt *t);

#endif /* CMN_OPT_H */
