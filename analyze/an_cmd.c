/*
 * an_cmd.c - small helpers the subcommands share: loading a trace with a
 * one-line error naming the file, and deriving output names.
 */
#include <err.h>
#include <stdio.h>
#include <string.h>

#include "an_cmd.h"
#include "an_trace.h"

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
