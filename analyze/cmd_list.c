/*
 * cmd_list.c - "phocus-analyze list": one line per trace of the folders and
 * files given (when it was recorded, what, on which machine, how long, peak
 * memory, memory trend per mark, CPU-seconds, GPU and ANE energy, power
 * source, integrity), as a table, CSV or JSON, filtered and sorted.  The
 * digests and their cache are an_list.c; this file only presents them.
 */
#include <err.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "an_cmd.h"
#include "an_csv.h"
#include "an_list.h"
#include "an_report.h"

#define MAX_WHERE 16

/* ======================= Command line ======================= */

enum { OPT_CSV = 256, OPT_JSON, OPT_SORT, OPT_WHERE, OPT_NO_CACHE };

static int cmd_list(int argc, char **argv);

static const struct cmn_opt list_opts[] = {
	{ OPT_CSV, "csv", NULL, 0, "CSV on standard output: a row of keys, one row per trace" },
	{ OPT_JSON, "json", NULL, 0, "a JSON array on standard output, one object per trace" },
	{ OPT_SORT, "sort", "KEY", 0,
	  "order by KEY (a column of --csv; -KEY: descending;\ndefault: start)" },
	{ OPT_WHERE, "where", "KEY=VALUE", 0,
	  "only traces whose KEY is VALUE (also != < <= > >=;\nrepeat to combine)" },
	{ OPT_NO_CACHE, "no-cache", NULL, 0, "read every trace whole; leave the cache alone" },
	CMN_OPT_HELP,
	CMN_OPT_END
};

const struct an_command an_command_list = {
	"list", cmd_list, "[DIR|TRACE]...",
	"one line per trace of folders of traces",
	"Lists the traces in the folders given (searched with their subfolders for\n"
	"*.pmtrace files; default: the current folder) and the traces given: start,\n"
	"target and version, machine, duration, peak memory, memory trend per mark,\n"
	"CPU-seconds, GPU and ANE energy, power source and integrity (complete,\n"
	"damaged, recording, unfinished), sorted by start time.  A trace that cannot\n"
	"be read is listed with its error.  Each trace's figures are cached by its\n"
	"size and modification time in $PHOCUS_CACHE_DIR, else\n"
	"$XDG_CACHE_HOME/phocus-monitor, else ~/.cache/phocus-monitor (delete it at\n"
	"will).  Exit status 1 when a trace could not be read.\n",
	list_opts
};

struct list_opts {
	int csv, json, no_cache, desc;
	const struct an_digest_key *sort;
	struct an_list_where where[MAX_WHERE];
	size_t nwhere;
};

/* Parses --sort's value.  0 or -1. */
static int
parse_sort(const char *v, struct list_opts *o)
{
	o->desc = v[0] == '-';
	if ((o->sort = an_digest_key(v + o->desc)) == NULL) {
		warnx("--sort: unknown key '%s' (the keys are the columns of list --csv)",
		    v + o->desc);
		return -1;
	}
	return 0;
}

/* Parses the options; the operands start at *first.  0, or an exit code + 1. */
static int
parse_args(int argc, char **argv, struct list_opts *o, int *first)
{
	char why[300];
	int k;

	memset(o, 0, sizeof(*o));
	while ((k = an_cmd_getopt(&an_command_list, argc, argv)) != -1) {
		switch (k) {
		case OPT_CSV: o->csv = 1; break;
		case OPT_JSON: o->json = 1; break;
		case OPT_NO_CACHE: o->no_cache = 1; break;
		case OPT_SORT:
			if (parse_sort(optarg, o) != 0)
				return AN_EXIT_USAGE + 1;
			break;
		case OPT_WHERE:
			if (o->nwhere == MAX_WHERE) {
				warnx("--where: at most %d filters", MAX_WHERE);
				return AN_EXIT_USAGE + 1;
			}
			if (an_list_where_parse(optarg, &o->where[o->nwhere++], why,
			    sizeof(why)) != 0) {
				warnx("%s", why);
				return AN_EXIT_USAGE + 1;
			}
			break;
		case 'h': return AN_EXIT_OK + 1;
		default: return AN_EXIT_USAGE + 1;
		}
	}
	if (o->csv && o->json) {
		warnx("--csv and --json: one at a time");
		return AN_EXIT_USAGE + 1;
	}
	*first = optind;
	return 0;
}

/* ======================= CSV and JSON ======================= */

/* Whether key k is written (start_unix is only for ordering). */
static int
key_shown(const struct an_digest_key *k)
{
	return strcmp(k->key, "start_unix") != 0;
}

/* Writes the listing as CSV: a row of keys, one row per trace. */
static void
print_csv(FILE *f, const struct an_list *l)
{
	int first = 1;

	for (size_t i = 0; i < an_digest_nkeys; i++)
		if (key_shown(&an_digest_keys[i])) {
			fprintf(f, "%s%s", first ? "" : ",", an_digest_keys[i].key);
			first = 0;
		}
	fputc('\n', f);
	for (size_t r = 0; r < l->n; r++) {
		const struct an_list_item *it = &l->item[r];
		first = 1;
		for (size_t i = 0; i < an_digest_nkeys; i++) {
			const struct an_digest_key *k = &an_digest_keys[i];
			char text[4096];
			if (!key_shown(k))
				continue;
			if (!first)
				fputc(',', f);
			first = 0;
			if (k->num) {
				an_csv_num(f, an_digest_num(&it->d, k));
				continue;
			}
			if (strcmp(k->key, "integrity") == 0)
				snprintf(text, sizeof(text), "%s", an_list_state(l, it));
			else
				an_digest_text(&it->d, k, text, sizeof(text));
			an_csv_str(f, text, strlen(text));
		}
		fputc('\n', f);
	}
}

/* Writes the listing as a JSON array, one object per trace (per line). */
static void
print_json(FILE *f, const struct an_list *l)
{
	fputs("[", f);
	for (size_t r = 0; r < l->n; r++) {
		const struct an_list_item *it = &l->item[r];
		int first = 1;
		fputs(r ? ",\n{" : "\n{", f);
		for (size_t i = 0; i < an_digest_nkeys; i++) {
			const struct an_digest_key *k = &an_digest_keys[i];
			char text[4096];
			if (!key_shown(k))
				continue;
			fprintf(f, "%s\"%s\":", first ? "" : ",", k->key);
			first = 0;
			if (k->num) {
				an_json_num(f, it->readable ? an_digest_num(&it->d, k) : NAN);
				continue;
			}
			if (strcmp(k->key, "integrity") == 0)
				snprintf(text, sizeof(text), "%s", an_list_state(l, it));
			else
				an_digest_text(&it->d, k, text, sizeof(text));
			if (text[0] == '\0' && strcmp(k->key, "trace") != 0)
				fputs("null", f);
			else
				an_json_str(f, text, strlen(text));
		}
		fputc('}', f);
	}
	fputs(l->n ? "\n]\n" : "]\n", f);
}

/* ======================= Table ======================= */

enum { C_START, C_TARGET, C_MACHINE, C_DURATION, C_PEAK, C_TREND, C_CPU, C_GPU, C_ANE,
	C_POWER, C_STATE, C_TRACE, C_N };

static const char *const col_head[C_N] = { "START", "TARGET", "MACHINE", "DURATION",
	"PEAK", "TREND/MARK", "CPU-S", "GPU J", "ANE J", "POWER", "INTEGRITY", "TRACE" };
static const int col_right[C_N] = { 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0 };

/* Copies s into buf with control bytes shown as '?'. */
static void
cell_clean(char *buf, size_t len, const char *s)
{
	size_t i = 0;

	for (; s[i] != '\0' && i + 1 < len; i++)
		buf[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	buf[i] = '\0';
}

/* "31.2 GB", "540 MB"; "-" for NaN. */
static void
cell_gb(char *buf, size_t len, double gb, const char *sign)
{
	if (isnan(gb))
		snprintf(buf, len, "-");
	else if (fabs(gb) < 1)
		snprintf(buf, len, sign[0] ? "%+.0f MB" : "%.0f MB", gb * 1000);
	else
		snprintf(buf, len, sign[0] ? "%+.2f GB" : "%.2f GB", gb);
}

/* A number with fmt, or "-" for NaN. */
static void
cell_num(char *buf, size_t len, const char *fmt, double v)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, fmt, v);
}

/* The cells of one trace. */
static void
table_cells(const struct an_list *l, const struct an_list_item *it, char cell[C_N][600])
{
	const struct an_digest *d = &it->d;
	char tmp[4400];

	for (int c = 0; c < C_N; c++)
		snprintf(cell[c], 600, "-");
	cell_clean(cell[C_TRACE], 600, d->trace);
	snprintf(cell[C_STATE], 600, "%s", an_list_state(l, it));
	if (!it->readable) {
		snprintf(tmp, sizeof(tmp), "%s: %s", d->trace, d->error);
		cell_clean(cell[C_TRACE], 600, tmp);
		return;
	}
	if (d->start[0] != '\0')
		snprintf(cell[C_START], 600, "%.10s %.5s", d->start, d->start + 11);
	snprintf(tmp, sizeof(tmp), "%s%s%s", d->target[0] ? d->target : "?",
	    d->target_version[0] ? " " : "", d->target_version);
	cell_clean(cell[C_TARGET], 600, tmp);
	if (isnan(d->ram_gb))
		snprintf(tmp, sizeof(tmp), "%s", d->chip[0] ? d->chip : "?");
	else
		snprintf(tmp, sizeof(tmp), "%s, %.0f GB", d->chip[0] ? d->chip : "?", d->ram_gb);
	cell_clean(cell[C_MACHINE], 600, tmp);
	if (!isnan(d->duration_s))
		an_fmt_duration(d->duration_s, cell[C_DURATION], 600);
	cell_gb(cell[C_PEAK], 600, d->memory_peak_gb, "");
	cell_gb(cell[C_TREND], 600, d->memory_trend_gb_per_mark, "+");
	cell_num(cell[C_CPU], 600, "%.1f", d->cpu_seconds);
	cell_num(cell[C_GPU], 600, "%.0f", d->gpu_energy_j);
	cell_num(cell[C_ANE], 600, "%.0f", d->ane_energy_j);
	snprintf(cell[C_POWER], 600, "%s", strcmp(d->power_source,
	    "powermetrics from another machine") == 0 ? "powermetrics*" : d->power_source);
}

/* Display width of UTF-8 text: its characters. */
static int
cell_width(const char *s)
{
	int w = 0;

	for (; *s != '\0'; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

/* Writes cell s padded to width w (the last column unpadded). */
static void
cell_put(FILE *f, const char *s, int w, int right, int last)
{
	int pad = w - cell_width(s);

	if (right)
		fprintf(f, "%*s%s", pad > 0 ? pad : 0, "", s);
	else
		fprintf(f, "%s%*s", s, last || pad < 0 ? 0 : pad, "");
	fputs(last ? "\n" : "  ", f);
}

/* Writes the listing as an aligned table with a heading row. */
static int
print_table(FILE *f, const struct an_list *l)
{
	char (*cells)[C_N][600] = calloc(l->n + 1, sizeof(*cells));
	int w[C_N], foreign = 0;

	if (cells == NULL)
		return -1;
	for (int c = 0; c < C_N; c++)
		w[c] = cell_width(col_head[c]);
	for (size_t r = 0; r < l->n; r++) {
		table_cells(l, &l->item[r], cells[r]);
		foreign |= strcmp(cells[r][C_POWER], "powermetrics*") == 0;
		for (int c = 0; c < C_N; c++)
			if (cell_width(cells[r][c]) > w[c])
				w[c] = cell_width(cells[r][c]);
	}
	for (int c = 0; c < C_N; c++)
		cell_put(f, col_head[c], w[c], col_right[c], c == C_N - 1);
	for (size_t r = 0; r < l->n; r++)
		for (int c = 0; c < C_N; c++)
			cell_put(f, cells[r][c], w[c], col_right[c], c == C_N - 1);
	if (foreign)
		fputs("* powermetrics from another machine than the process data (a replayed "
		    "capture)\n", f);
	free(cells);
	return 0;
}

/* ======================= Command ======================= */

static int
cmd_list(int argc, char **argv)
{
	struct list_opts o;
	struct an_list l;
	struct an_list_opts lo = { 0, NULL, 0 };
	int first = 0, rc = parse_args(argc, argv, &o, &first), bad = 0;

	if (rc != 0)
		return rc - 1;
	lo.no_cache = o.no_cache;
	lo.progress = isatty(STDERR_FILENO) ? stderr : NULL;
	if (an_list_collect(&l, argv + first, (size_t)(argc - first), &lo) != 0) {
		warnx("out of memory");
		return AN_EXIT_FAIL;
	}
	for (size_t i = 0; i < l.n; i++)
		bad |= !l.item[i].readable;
	an_list_filter(&l, o.where, o.nwhere);
	an_list_sort(&l, o.sort, o.desc);
	if (o.csv)
		print_csv(stdout, &l);
	else if (o.json)
		print_json(stdout, &l);
	else if (print_table(stdout, &l) != 0)
		bad = 1;
	an_list_free(&l);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		warn("standard output");
		return AN_EXIT_FAIL;
	}
	return bad ? AN_EXIT_FAIL : AN_EXIT_OK;
}
