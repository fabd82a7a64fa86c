/*
 * an_main.c - phocus-analyze: reads traces written by phocus-record (on any
 * platform), re-parses their raw data, and prints summaries, writes CSV and
 * figures, and compares traces.  This file dispatches to the subcommands
 * (cmd_*.c) through a table, as git does with its builtins.
 */
#include <err.h>
#include <stdio.h>
#include <string.h>

#include "an_cmd.h"
#include "pmtrace.h"

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *what;
} commands[] = {
	{ "report", cmd_report, "summary, CSV and figure of a trace (the default)" },
	{ "info", cmd_info, "header, machine, duration, counts and integrity" },
	{ "dump", cmd_dump, "raw data: --powermetrics, --samples or --power" },
	{ "compare", cmd_compare, "side-by-side summary and overlay figure of traces" },
	{ "import", cmd_import, "turn a saved powermetrics log into a trace" },
};

static void
usage(FILE *f)
{
	fprintf(f,
"usage: phocus-analyze COMMAND [options] ...\n"
"       phocus-analyze TRACE            (same as: report TRACE)\n"
"\n"
"  report TRACE [-o DIR] [--csv FILE|-] [--json] [--no-plot] [--format png|svg|pdf]\n"
"                [--core-distribution] [--ane-threshold W]\n"
"  info TRACE\n"
"  dump TRACE --powermetrics | --samples | --power\n"
"  compare A.pmtrace B.pmtrace [C...] [-o DIR] [--json] [--align start|mark:N]\n"
"                [--no-plot] [--format png|svg|pdf]\n"
"  import FILE -o TRACE [--force]\n"
"\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].what);
	fprintf(f, "\n'phocus-analyze COMMAND --help' for a command's options.\n"
	    "Exit status: 0 done; 1 an input could not be read or an output not "
	    "written; 2 bad command line.\n");
}

int
main(int argc, char **argv)
{
	int rc;

	if (argc < 2) {
		usage(stderr);
		return AN_EXIT_USAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return AN_EXIT_OK;
	}
	if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("phocus-analyze %s (trace format %d.%d)\n", PHOCUS_VERSION,
		    PMT_VERSION_MAJOR, PMT_VERSION_MINOR);
		return AN_EXIT_OK;
	}
	rc = -1;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			rc = commands[i].fn(argc - 1, argv + 1);
	if (rc == -1) {
		if (argv[1][0] == '-') {
			warnx("unknown option '%s'; a command comes first", argv[1]);
			usage(stderr);
			return AN_EXIT_USAGE;
		}
		argv[0] = "report";	/* phocus-analyze TRACE ... */
		rc = cmd_report(argc, argv);
	}
	if (fclose(stdout) != 0 && rc == 0) {
		warn("stdout");
		rc = AN_EXIT_FAIL;
	}
	return rc;
}
