/*
 * an_cmd.c - small helpers the subcommands share: their usage and option
 * parsing from their descriptions, loading a trace with a one-line error
 * naming the file, and deriving output names.
 */
#include <err.h>
#include <stdio.h>
#include <string.h>

#include "an_cmd.h"
#include "an_trace.h"

void
an_cmd_usage(FILE *f, const struct an_command *c)
{
	char head[64];

	snprintf(head, sizeof(head), "usage: phocus-analyze %s", c->name);
	cmn_opt_print_synopsis(f, head, c->operands, c->opts);
	fprintf(f, "\n%s\n", c->about);
	cmn_opt_print_help(f, c->opts);
}

int
an_cmd_getopt(const struct an_command *c, int argc, char **argv)
{
	static struct cmn_getopt g;
	static const struct an_command *made;
	int k;

	if (made != c) {
		if (cmn_opt_init(&g, c->opts, 0) != 0) {
			warnx("%s: too many options for the table", c->name);
			return '?';
		}
		made = c;
	}
	k = cmn_opt_next(&g, argc, argv);
	if (k == 'h')
		an_cmd_usage(stdout, c);
	else if (k == '?')
		an_cmd_usage(stderr, c);
	return k;
}

int
an_cmd_load(struct an_trace *tr, const char *path)
{
	char err[256];

	if (an_load(tr, path, err, sizeof(err)) != 0) {
		warnx("%s: %s", path, err);
		return -1;
	}
	return 0;
}

void
an_cmd_basename(const char *path, char *buf, unsigned len)
{
	const char *b = strrchr(path, '/');
	size_t n;

	b = b ? b + 1 : path;
	n = strlen(b);
	if (n > 8 && strcmp(b + n - 8, ".pmtrace") == 0)
		n -= 8;
	if (n == 0) {
		b = "trace";
		n = 5;
	}
	snprintf(buf, len, "%.*s", (int)n, b);
}

int
an_cmd_format(const char *arg)
{
	if (strcmp(arg, "png") == 0 || strcmp(arg, "svg") == 0 || strcmp(arg, "pdf") == 0)
		return 0;
	warnx("--format must be png, svg or pdf, not '%s'", arg);
	return -1;
}

int
an_cmd_power_source(const char *arg, int *source)
{
	if (an_power_source_parse(arg, source) == 0)
		return 0;
	warnx("--power-source must be powermetrics or ioreport, not '%s'", arg);
	return -1;
}
