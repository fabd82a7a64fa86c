/*
 * an_cmd.h - the subcommands of phocus-analyze, one file each (cmd_*.c),
 * each described by one struct an_command (its name, operands, options
 * and help), listed in the table in an_main.c.  --help is written from
 * these descriptions, and tests/t0110-man-pages.sh holds the man page to
 * them.
 */
#ifndef AN_CMD_H
#define AN_CMD_H

#include <stdio.h>

#include "cmn_opt.h"

/* Exit codes of every subcommand. */
enum {
	AN_EXIT_OK = 0,
	AN_EXIT_FAIL = 1,	/* an input could not be read, or output not written */
	AN_EXIT_USAGE = 2	/* bad command line */
};

/* A subcommand. */
struct an_command {
	const char *name;		/* "report" */
	int (*run)(int argc, char **argv); /* argv[0] is the name; an exit code */
	const char *operands;		/* before the options in the synopsis: "TRACE" */
	const char *summary;		/* its line in phocus-analyze --help */
	const char *about;		/* COMMAND --help: what it does (lines end in \n) */
	const struct cmn_opt *opts;	/* its options, ending with CMN_OPT_END */
};

extern const struct an_command an_command_report, an_command_info,
    an_command_dump, an_command_compare, an_command_list, an_command_import;

/* "usage: phocus-analyze NAME ..." (the synopsis), its about and options. */
void an_cmd_usage(FILE *f, const struct an_command *c);

/*
 * getopt over the command's options: the next option's key, -1 at the
 * end, or 'h' after printing the usage on stdout for -h/--help (the command
 * then exits AN_EXIT_OK); for an unknown option (getopt said which) the
 * usage goes to stderr and '?' is returned.
 */
int an_cmd_getopt(const struct an_command *c, int argc, char **argv);

/* Loads a trace or says why not (one line naming the file).  0 or -1. */
struct an_trace;
int an_cmd_load(struct an_trace *tr, const char *path);

/* The rows of the options report and compare share, the same words in both. */
#define AN_OPT_NO_PLOT(key) \
	{ (key), "no-plot", NULL, 0, "write the script but do not run gnuplot" }
#define AN_OPT_FORMAT(key) \
	{ (key), "format", "png|svg|pdf", 0, \
	  "figure format: png (default, 1600x1800), svg or pdf" }

/* --no-calibration: the same row for report, info and compare. */
#define AN_OPT_NO_CALIB(key) \
	{ (key), "no-calibration", NULL, 0, \
	  "show CPU times as recorded even when the units\n" \
	  "check at the recording's start found them off" }

/* Checks a --format value (png, svg, pdf); 0, or -1 after saying why. */
int an_cmd_format(const char *arg);

/* Parses a --power-source value into *source (enum an_power_source); 0, or -1
 * after saying why. */
int an_cmd_power_source(const char *arg, int *source);

/* The trace's name without folder and ".pmtrace", into buf. */
void an_cmd_basename(const char *path, char *buf, unsigned len);

#endif /* AN_CMD_H */
