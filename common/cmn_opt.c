/*
 * cmn_opt.c - option tables to getopt_long arrays, synopsis and help text
 * (contract in cmn_opt.h).  Prints only what it is asked to print.
 */
#include <string.h>

#include "cmn_opt.h"

#define SYN_WIDTH 79		/* the synopsis wraps before this column */
#define HELP_COL_MAX 22		/* option column's width at the most */

/* True when the key is also a short option (-x). */
static int
opt_has_short(int key)
{
	return key > ' ' && key < 127 && key != '-' && key != ':' && key != '?';
}

int
cmn_opt_init(struct cmn_getopt *g, const struct cmn_opt *t, int in_order)
{
	size_t n = 0, s = 0;

	memset(g, 0, sizeof(*g));
	if (in_order)
		g->so[s++] = '+';
	for (; t[n].name != NULL; n++) {
		if (n == CMN_OPT_MAX)
			return -1;
		g->lo[n].name = t[n].name;
		g->lo[n].has_arg = t[n].arg ? required_argument : no_argument;
		g->lo[n].val = t[n].key;
		if (opt_has_short(t[n].key)) {
			g->so[s++] = (char)t[n].key;
			if (t[n].arg)
				g->so[s++] = ':';
		}
	}
	return 0;
}

int
cmn_opt_next(const struct cmn_getopt *g, int argc, char **argv)
{
	return getopt_long(argc, argv, g->so, g->lo, NULL);
}

int
cmn_opt_match(const struct cmn_opt *t, const char *arg)
{
	for (; t->name != NULL; t++) {
		if (t->arg != NULL)
			continue;
		if (arg[0] == '-' && arg[1] == '-' && strcmp(arg + 2, t->name) == 0)
			return t->key;
		if (opt_has_short(t->key) && arg[0] == '-' && arg[1] == t->key &&
		    arg[2] == '\0')
			return t->key;
	}
	return -1;
}

/* "-o DIR", "--json": the option as the synopsis and help show it. */
static size_t
opt_spell(const struct cmn_opt *o, int both, char *buf, size_t len)
{
	int n;

	if (opt_has_short(o->key) && both)
		n = snprintf(buf, len, "-%c, --%s%s%s", o->key, o->name,
		    o->arg ? " " : "", o->arg ? o->arg : "");
	else if (opt_has_short(o->key))
		n = snprintf(buf, len, "-%c%s%s", o->key, o->arg ? " " : "",
		    o->arg ? o->arg : "");
	else
		n = snprintf(buf, len, "%s--%s%s%s", both ? "    " : "", o->name,
		    o->arg ? " " : "", o->arg ? o->arg : "");
	return n < 0 ? 0 : (size_t)n >= len ? len - 1 : (size_t)n;
}

void
cmn_opt_print_synopsis(FILE *f, const char *head, const char *operands,
    const struct cmn_opt *t)
{
	size_t indent = strlen(head) + 1, col;
	char item[128];

	fprintf(f, "%s", head);
	col = indent - 1;
	if (operands != NULL && operands[0] != '\0') {
		fprintf(f, " %s", operands);
		col += 1 + strlen(operands);
	}
	for (; t->name != NULL; t++) {
		size_t n;
		if (t->flags & CMN_OPT_NOSYN)
			continue;
		item[0] = '[';
		n = 1 + opt_spell(t, 0, item + 1, sizeof(item) - 2);
		item[n++] = ']';
		item[n] = '\0';
		if (col + 1 + n > SYN_WIDTH && col > indent) {
			fprintf(f, "\n%*s", (int)indent - 1, "");
			col = indent - 1;
		}
		fprintf(f, " %s", item);
		col += 1 + n;
	}
	fputc('\n', f);
}

void
cmn_opt_print_help(FILE *f, const struct cmn_opt *t)
{
	char left[128];
	size_t col = 0;

	for (const struct cmn_opt *o = t; o->name != NULL; o++) {
		size_t n = opt_spell(o, 1, left, sizeof(left));
		if (n > col && n <= HELP_COL_MAX)
			col = n;
	}
	col += 2 + 2;			/* two spaces before, two after */
	for (; t->name != NULL; t++) {
		const char *h = t->help ? t->help : "";
		size_t n = opt_spell(t, 1, left, sizeof(left));
		fprintf(f, "  %s", left);
		if (2 + n + 2 > col)
			fprintf(f, "\n%*s", (int)col, "");
		else
			fprintf(f, "%*s", (int)(col - 2 - n), "");
		for (const char *nl; (nl = strchr(h, '\n')) != NULL; h = nl + 1)
			fprintf(f, "%.*s\n%*s", (int)(nl - h), h, (int)col, "");
		fprintf(f, "%s\n", h);
	}
}
