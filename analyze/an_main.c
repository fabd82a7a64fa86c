/*
 * an_main.c - phocus-analyze: reads traces written by phocus-record (on any
 * platform), re-parses their raw data, and prints summaries, writes CSV and
 * figures, and compares traces.  This file dispatches to the subcommands
 * (cmd_*.c) through a table, as git does with its builtins.
 */
#include <err.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "an_cmd.h"
#include "pmtrace.h"

/* The commands, in the order --help lists them; the first is the default. */
static const struct an_command *const commands[] = {
	&an_command_report, &an_command_info, &an_command_dump,
	&an_command_compare, &an_command_list, &an_command_import,
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

/* The options that come before a command. */
static const struct cmn_opt main_opts[] = {
	CMN_OPT_HELP,
	{ 'V', "version", NULL, CMN_OPT_NOSYN, "version" },
	CMN_OPT_END
};

static void
usage(FILE *f)
{
	char head[32];

	fprintf(f,
"usage: phocus-analyze COMMAND [options] ...\n"
"       phocus-analyze TRACE            (same as: report TRACE, when TRACE is a file)\n"
"\n");
	for (size_t i = 0; i < NCOMMANDS; i++) {
		snprintf(head, sizeof(head), "  %s", commands[i]->name);
		cmn_opt_print_synopsis(f, head, commands[i]->operands, commands[i]->opts);
	}
	fprintf(f, "\nCommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-8s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(f, "\nOptions:\n");
	cmn_opt_print_help(f, main_opts);
	fprintf(f, "\n'phocus-analyze COMMAND --help' for a command's options.\n"
	    "Exit status: 0 done; 1 an input could not be read or an output not\n"
	    "written; 2 bad command line.\n");
}

/* Edit distance of a and b (short words), capped at 9. */
static int
edit_distance(const char *a, const char *b)
{
	int d[17][17];
	size_t na = strlen(a), nb = strlen(b);

	if (na > 16 || nb > 16)
		return 9;
	for (size_t i = 0; i <= na; i++)
		for (size_t j = 0; j <= nb; j++) {
			int sub;
			if (i == 0 || j == 0) {
				d[i][j] = (int)(i + j);
				continue;
			}
			sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			d[i][j] = d[i - 1][j] + 1 < d[i][j - 1] + 1 ? d[i - 1][j] + 1 :
			    d[i][j - 1] + 1;
			if (sub < d[i][j])
				d[i][j] = sub;
		}
	return d[na][nb] > 9 ? 9 : d[na][nb];
}

/* "report, info, ..." into buf. */
static void
command_list(char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < NCOMMANDS && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? ", " : "",
		    commands[i]->name);
}

/*
 * A first argument that is no command: a trace to report on when it is an
 * existing file, a missing trace when it looks like a path, else a
 * mistyped command, named with the nearest command.  Returns the exit code.
 */
static int
dispatch_other(int argc, char **argv)
{
	const char *a = argv[1], *best = NULL;
	size_t n = strlen(a);
	struct stat st;
	char list[128];
	int bd = 3;

	if (a[0] == '-') {
		warnx("unknown option '%s'; a command comes first", a);
		usage(stderr);
		return AN_EXIT_USAGE;
	}
	if (stat(a, &st) == 0 || strchr(a, '/') != NULL ||
	    (n > 8 && strcmp(a + n - 8, ".pmtrace") == 0)) {
		argv[0] = (char *)commands[0]->name;	/* phocus-analyze TRACE ... */
		return commands[0]->run(argc, argv);
	}
	for (size_t i = 0; i < NCOMMANDS; i++) {
		int d = edit_distance(a, commands[i]->name);
		if (d < bd) {
			bd = d;
			best = commands[i]->name;
		}
	}
	command_list(list, sizeof(list));
	if (best != NULL)
		warnx("unknown command '%s' (did you mean '%s'? commands: %s)", a, best, list);
	else
		warnx("unknown command '%s', and no file of that name (commands: %s)", a, list);
	return AN_EXIT_USAGE;
}

int
main(int argc, char **argv)
{
	int rc;

	if (argc < 2) {
		usage(stderr);
		return AN_EXIT_USAGE;
	}
	if (cmn_opt_match(main_opts, argv[1]) == 'h') {
		usage(stdout);
		return AN_EXIT_OK;
	}
	if (cmn_opt_match(main_opts, argv[1]) == 'V') {
		printf("phocus-analyze %s (trace format %d.%d)\n", PHOCUS_VERSION,
		    PMT_VERSION_MAJOR, PMT_VERSION_MINOR);
		return AN_EXIT_OK;
	}
	rc = -1;
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(argv[1], commands[i]->name) == 0)
			rc = commands[i]->run(argc - 1, argv + 1);
	if (rc == -1)
		rc = dispatch_other(argc, argv);
	if (fclose(stdout) != 0 && rc == 0) {
		warn("stdout");
		rc = AN_EXIT_FAIL;
	}
	return rc;
}
