/*
 * cmd_compare.c - "phocus-analyze compare": loads two or more traces (named,
 * or found in folders and filtered with --where through an_list.c),
 * summarizes each with an_summarize(), and prints them side by side (text
 * table, or one JSON object), writes the table as DIR/compare.csv and has
 * the overlay figure drawn (an_plot_compare).  It computes no summary
 * figure itself: its rows are the figures of an_metric.h marked
 * AN_M_COMPARE, under the same keys as report --json and list.
 */
#include <err.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "an_cmd.h"
#include "an_csv.h"
#include "an_list.h"
#include "an_metric.h"
#include "cmn_units.h"
#include "plot/an_gpstr.h"
#include "plot/an_plot.h"
#include "an_report.h"
#include "an_summary.h"
#include "an_trace.h"

#define MAX_TRACES 12
#define LABEL_LEN 512
#define MAX_WHERE 16

struct compare_opts {
	const char *dir;		/* -o DIR ("." by default) */
	int json;
	int no_plot;
	const char *format;		/* png, svg, pdf */
	unsigned long long mark;	/* --align mark:N; 0 = start */
	int power;			/* --power-source: enum an_power_source */
	char **paths;
	size_t n;
	struct an_list_where where[MAX_WHERE];	/* --where filters */
	size_t nwhere;
	char **found;			/* paths found in folders (owned), or NULL */
};

/* One loaded trace. */
struct cmp_trace {
	struct an_trace tr;
	struct an_summary s;
	int loaded, summarized;
	char label[LABEL_LEN];		/* "A: Phocus 4.0.1 · Apple M1 Pro 34.4 GB (32 GiB)" */
	double shift_s;			/* time of the alignment mark, or 0 */
};

/* ======================= Command line ======================= */

enum { OPT_JSON = 256, OPT_ALIGN, OPT_NO_PLOT, OPT_FORMAT, OPT_WHERE, OPT_POWER,
	OPT_NO_CALIB };

static int cmd_compare(int argc, char **argv);

static const struct cmn_opt compare_opts[] = {
	{ 'o', "output", "DIR", 0, "write the CSV, scripts and figure into DIR (default: .)" },
	{ OPT_JSON, "json", NULL, 0, "the table as one JSON object on standard output" },
	{ OPT_ALIGN, "align", "start|mark:N", 0,
	  "start: time 0 is the start of each trace (default);\n"
	  "mark:N: time 0 is mark N of each trace (numbers as\nstored, from 1)" },
	AN_OPT_NO_PLOT(OPT_NO_PLOT),
	AN_OPT_FORMAT(OPT_FORMAT),
	{ OPT_WHERE, "where", "KEY=VALUE", 0,
	  "only the traces whose KEY (a column of list --csv)\nis VALUE (also != < <= > >=; repeatable)" },
	{ OPT_POWER, "power-source", "powermetrics|ioreport", 0,
	  "where each trace's power and GPU active come from\n"
	  "(default: powermetrics when a trace has it, else\n"
	  "IOReport; traces of either source compare)" },
	AN_OPT_NO_CALIB(OPT_NO_CALIB),
	CMN_OPT_HELP,
	CMN_OPT_END
};

const struct an_command an_command_compare = {
	"compare", cmd_compare, "A.pmtrace|DIR B.pmtrace [C...]",
	"side-by-side summary and overlay figure of traces",
	"Prints the summaries of the traces side by side (for two traces also B - A),\n"
	"writes DIR/compare.csv (the same table), DIR/compare-1.csv ... (each trace's\n"
	"timeline, time-shifted) and DIR/compare.gp (overlay figure, one colour per\n"
	"trace) and, when gnuplot is installed, DIR/compare.png.  DIR defaults to the\n"
	"current folder.  A folder stands for its traces (and its subfolders'), as\n"
	"for list; with a folder, traces are taken by start time.  --where keeps\n"
	"the traces that match.  At most " CMN_STR(MAX_TRACES) " traces.\n",
	compare_opts
};

/* Parses --align's value into o->mark.  Returns 0 or -1. */
static int
compare_parse_align(const char *v, struct compare_opts *o)
{
	char *end;

	if (strcmp(v, "start") == 0) {
		o->mark = 0;
		return 0;
	}
	if (strncmp(v, "mark:", 5) != 0 || v[5] < '1' || v[5] > '9')
		return -1;
	errno = 0;
	o->mark = strtoull(v + 5, &end, 10);
	return *end != '\0' || errno != 0 ? -1 : 0;
}

/* Adds a --where filter.  0, or -1 after saying why. */
static int
compare_parse_where(const char *arg, struct compare_opts *o)
{
	char why[300];

	if (o->nwhere == MAX_WHERE) {
		warnx("--where: at most %d filters", MAX_WHERE);
		return -1;
	}
	if (an_list_where_parse(arg, &o->where[o->nwhere++], why, sizeof(why)) != 0) {
		warnx("%s", why);
		return -1;
	}
	return 0;
}

/* Whether any operand is a folder. */
static int
compare_has_dir(const struct compare_opts *o)
{
	struct stat st;

	for (size_t i = 0; i < o->n; i++)
		if (stat(o->paths[i], &st) == 0 && S_ISDIR(st.st_mode))
			return 1;
	return 0;
}

/*
 * With folders among the operands, or --where: the traces they name (as
 * list finds them, its cache included), matching the filters, in start
 * order when there is a folder; unreadable ones are named and left out.
 * o->paths then points to o->found.  Returns 0, or -1 after saying why.
 */
static int
compare_find(struct compare_opts *o)
{
	struct an_list_opts lo = { 0, NULL, 0 };
	struct an_list l;
	int dirs = compare_has_dir(o);
	size_t k = 0;

	if (!dirs && o->nwhere == 0)
		return 0;
	lo.progress = isatty(STDERR_FILENO) ? stderr : NULL;
	if (an_list_collect(&l, o->paths, o->n, &lo) != 0) {
		warnx("compare: out of memory");
		return -1;
	}
	for (size_t i = 0; i < l.n; i++)
		if (!l.item[i].readable)
			warnx("%s: %s (left out)", l.item[i].d.trace, l.item[i].d.error);
	an_list_filter(&l, o->where, o->nwhere);
	if (dirs)
		an_list_sort(&l, NULL, 0);
	o->found = calloc(l.n + 1, sizeof(*o->found));
	for (size_t i = 0; i < l.n && o->found != NULL; i++)
		if (l.item[i].readable && (o->found[k] = strdup(l.item[i].d.trace)) != NULL)
			k++;
	an_list_free(&l);
	if (o->found == NULL) {
		warnx("compare: out of memory");
		return -1;
	}
	if (k < 2 || k > MAX_TRACES)
		warnx("compare: %zu trace%s found%s", k, k == 1 ? "" : "s",
		    k > MAX_TRACES ? ": narrow them with --where" : "");
	o->paths = o->found;
	o->n = k;
	return 0;
}

/* Parses the options; returns 0, -1 after --help, or an exit code. */
static int
compare_parse(int argc, char **argv, struct compare_opts *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->dir = ".";
	o->format = "png";
	while ((c = an_cmd_getopt(&an_command_compare, argc, argv)) != -1) {
		switch (c) {
		case 'o': o->dir = optarg; break;
		case OPT_JSON: o->json = 1; break;
		case OPT_NO_PLOT: o->no_plot = 1; break;
		case OPT_ALIGN:
			if (compare_parse_align(optarg, o) != 0) {
				warnx("--align must be start or mark:N (N = 1, 2, ...), not '%s'",
				    optarg);
				return AN_EXIT_USAGE;
			}
			break;
		case OPT_FORMAT:
			if (an_cmd_format(optarg) != 0)
				return AN_EXIT_USAGE;
			o->format = optarg;
			break;
		case OPT_WHERE:
			if (compare_parse_where(optarg, o) != 0)
				return AN_EXIT_USAGE;
			break;
		case OPT_POWER:
			if (an_cmd_power_source(optarg, &o->power) != 0)
				return AN_EXIT_USAGE;
			break;
		case OPT_NO_CALIB: an_load_calibration(0); break;
		case 'h': return -1;
		default: return AN_EXIT_USAGE;
		}
	}
	o->paths = argv + optind;
	o->n = (size_t)(argc - optind);
	if (compare_find(o) != 0)
		return AN_EXIT_FAIL;
	if (o->n < 2 || o->n > MAX_TRACES) {
		warnx(o->n < 2 ? "compare: two traces or more, please" :
		    "compare: at most %d traces", MAX_TRACES);
		an_cmd_usage(stderr, &an_command_compare);
		return AN_EXIT_USAGE;
	}
	return 0;
}

/* ======================= Traces ======================= */

/* Loads and summarizes every trace.  Returns 0 or AN_EXIT_FAIL (said why). */
static int
compare_load(const struct compare_opts *o, struct cmp_trace *t)
{
	for (size_t i = 0; i < o->n; i++) {
		if (an_cmd_load(&t[i].tr, o->paths[i]) != 0)
			return AN_EXIT_FAIL;
		t[i].loaded = 1;
		if (an_power_choose(&t[i].tr, o->power) != 0)
			warnx("%s: %s; its power figures are empty", o->paths[i],
			    an_power_missing(&t[i].tr, o->power));
		if (an_summarize(&t[i].tr, AN_ANE_THRESHOLD_W, &t[i].s) != 0) {
			warnx("%s: out of memory", o->paths[i]);
			return AN_EXIT_FAIL;
		}
		t[i].summarized = 1;
	}
	return 0;
}

/* Sets each trace's shift to the time of mark o->mark.  0 or AN_EXIT_USAGE. */
static int
compare_align(const struct compare_opts *o, struct cmp_trace *t)
{
	for (size_t i = 0; i < o->n && o->mark > 0; i++) {
		const struct an_trace *tr = &t[i].tr;
		size_t k = 0;
		while (k < tr->nmarks && tr->marks[k].number != o->mark)
			k++;
		if (k == tr->nmarks) {
			warnx("%s: no mark %llu to align on (the trace has %zu mark%s)",
			    o->paths[i], o->mark, tr->nmarks, tr->nmarks == 1 ? "" : "s");
			return AN_EXIT_USAGE;
		}
		t[i].shift_s = tr->marks[k].t;
	}
	return 0;
}

/* Whether two header strings are equal (NULL and "" alike). */
static int
same_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Clean display text of s into buf, or def. */
static void
clean(const char *s, const char *def, size_t max, char *buf, size_t len)
{
	if (s == NULL || an_gp_clean(s, strlen(s), max, buf, len) == 0)
		snprintf(buf, len, "%s", def);
}

/*
 * Labels the traces: by chip and RAM when they come from different
 * machines, else by target version when versions differ, else by file.
 */
static void
compare_labels(const struct compare_opts *o, struct cmp_trace *t)
{
	int machines = 0, versions = 0;

	for (size_t i = 1; i < o->n; i++) {
		const struct pmt_header *a = &t[0].tr.hdr, *b = &t[i].tr.hdr;
		machines |= !same_str(a->chip, b->chip) || a->ram_bytes != b->ram_bytes;
		versions |= !same_str(a->target_version, b->target_version);
	}
	for (size_t i = 0; i < o->n; i++) {
		const struct pmt_header *h = &t[i].tr.hdr;
		char name[100], ver[100], chip[200], file[256], base[256], ram[48];
		clean(h->target_name, "?", 24, name, sizeof(name));
		clean(h->target_version, "", 20, ver, sizeof(ver));
		clean(h->chip, "unknown chip", 40, chip, sizeof(chip));
		an_cmd_basename(o->paths[i], base, sizeof(base));
		clean(base, "trace", 40, file, sizeof(file));
		if (machines)
			snprintf(t[i].label, LABEL_LEN, "%c: %s%s%s \xc2\xb7 %s %s", 'A' + (int)i,
			    name, ver[0] ? " " : "", ver, chip, h->ram_bytes ?
			    cmn_units_ram(h->ram_bytes, ram, sizeof(ram)) : "RAM unknown");
		else if (versions)
			snprintf(t[i].label, LABEL_LEN, "%c: %s %s", 'A' + (int)i, name,
			    ver[0] ? ver : "(no version)");
		else
			snprintf(t[i].label, LABEL_LEN, "%c: %s", 'A' + (int)i, file);
	}
}

/* ======================= The table ======================= */

/* Whether figure k is a row of the table (an_metric.h says which). */
static int
row_shown(int k)
{
	return (an_metrics[k].flags & AN_M_COMPARE) != 0;
}

/* B - A in % of A, where it makes sense; else NaN. */
static double
rel_diff(const struct an_metric *m, double a, double b)
{
	if (!(m->flags & AN_M_REL) || isnan(a) || isnan(b) || a == 0)
		return NAN;
	return 100 * (b - a) / fabs(a);
}

/* Formats v (or a signed difference) for the text table. */
static const char *
text_value(const struct an_metric *m, double v, int diff, char *buf, size_t len)
{
	char d[32];

	if (isnan(v) || isinf(v))
		return "n/a";
	if (m->fmt != NULL && diff) {
		char f[16];
		snprintf(f, sizeof(f), "%%+%s", m->fmt + (m->fmt[1] == '+' ? 2 : 1));
		snprintf(buf, len, f, v);
	} else if (m->fmt != NULL)
		snprintf(buf, len, m->fmt, v);
	else if (fabs(v) < 60)
		snprintf(buf, len, diff ? "%+.1f s" : "%.1f s", v);
	else {
		an_fmt_duration(fabs(v), d, sizeof(d));
		snprintf(buf, len, "%s%s", diff ? (v < 0 ? "-" : "+") : "", d);
	}
	return buf;
}

/* Prints the table as text. */
static void
print_text(FILE *f, const struct compare_opts *o, const struct cmp_trace *t,
    double v[AN_M_N][MAX_TRACES])
{
	char a[48], b[48];

	fprintf(f, "Comparing %zu traces (memory: footprint where recorded, else RSS, of "
	    "the target; GPU, ANE, CPU power and swap: system-wide):\n", o->n);
	for (size_t i = 0; i < o->n; i++) {
		fprintf(f, "  %s  [", t[i].label);
		an_put_visible(f, o->paths[i]);
		fprintf(f, "; memory: %s%s%s]\n", t[i].s.mem_metric,
		    t[i].s.power_source != AN_POWER_NONE ? "; power: " : "",
		    t[i].s.power_source != AN_POWER_NONE ?
		    an_power_source_name(t[i].s.power_source) : "");
		if (!an_trace_complete(&t[i].tr)) {
			size_t np = t[i].tr.nproblems + (size_t)t[i].tr.nbad_pm +
			    t[i].tr.nrefused + t[i].tr.nior_issues;
			fprintf(f, "     incomplete: %zu %s (see phocus-analyze info); "
			    "its figures cover what could be read\n", np,
			    cmn_units_noun(np, "problem", "problems"));
		}
	}
	fprintf(f, "\n  %-24s", "");
	for (size_t i = 0; i < o->n; i++)
		fprintf(f, " %12c", 'A' + (int)i);
	if (o->n == 2)
		fprintf(f, " %12s %8s", "B - A", "%");
	fputc('\n', f);
	for (int k = 0; k < AN_M_N; k++) {
		const struct an_metric *m = &an_metrics[k];
		if (!row_shown(k))
			continue;
		fprintf(f, "  %-24s", m->label);
		for (size_t i = 0; i < o->n; i++)
			fprintf(f, " %12s", text_value(m, v[k][i], 0, a, sizeof(a)));
		if (o->n == 2) {
			double r = rel_diff(m, v[k][0], v[k][1]);
			fprintf(f, " %12s", text_value(m, v[k][1] - v[k][0], 1, a, sizeof(a)));
			if (!isnan(r))
				fprintf(f, " %7s%%", (snprintf(b, sizeof(b), "%+.0f", r), b));
		}
		fputc('\n', f);
	}
}

/* Prints the table as one JSON object. */
static void
print_json(FILE *f, const struct compare_opts *o, const struct cmp_trace *t,
    double v[AN_M_N][MAX_TRACES])
{
	char m[512];

	fprintf(f, "{\"align\":\"%s\"", o->mark ? "mark" : "start");
	fprintf(f, ",\"align_mark\":%llu,\"traces\":[", o->mark);
	for (size_t i = 0; i < o->n; i++) {
		fprintf(f, "%s{\"id\":\"%c\",\"trace\":", i ? "," : "", 'A' + (int)i);
		an_json_str(f, o->paths[i], strlen(o->paths[i]));
		fputs(",\"label\":", f);
		an_json_str(f, t[i].label, strlen(t[i].label));
		an_report_machine(&t[i].tr, m, sizeof(m));
		fputs(",\"machine\":", f);
		an_json_str(f, m, strlen(m));
		fprintf(f, ",\"memory_metric\":\"%s\",\"power_source\":\"%s\",\"shift_s\":",
		    t[i].s.mem_metric, an_power_source_key(t[i].s.power_source));
		an_json_num(f, t[i].shift_s);
		fputc('}', f);
	}
	fputs("],\"metrics\":{", f);
	for (int k = 0, first = 1; k < AN_M_N; k++) {
		if (!row_shown(k))
			continue;
		fprintf(f, "%s\"%s\":{\"unit\":\"%s\",\"values\":[", first ? "" : ",",
		    an_metrics[k].key, an_metrics[k].unit);
		first = 0;
		for (size_t i = 0; i < o->n; i++) {
			fputs(i ? "," : "", f);
			an_json_num(f, v[k][i]);
		}
		fputc(']', f);
		if (o->n == 2) {
			fputs(",\"diff\":", f);
			an_json_num(f, v[k][1] - v[k][0]);
			fputs(",\"diff_pct\":", f);
			an_json_num(f, rel_diff(&an_metrics[k], v[k][0], v[k][1]));
		}
		fputc('}', f);
	}
	fputs("}}\n", f);
}

/* What compare.csv's writer needs. */
struct csv_arg {
	const struct compare_opts *o;
	const struct cmp_trace *t;
	double (*v)[MAX_TRACES];
};

/* Writes a string cell of compare.csv (after a comma unless first). */
static void
csv_cell(FILE *f, const char *s, int first)
{
	if (!first)
		fputc(',', f);
	an_csv_str(f, s, strlen(s));
}

/* Writes compare.csv's comment lines, header row and string rows. */
static void
csv_head(FILE *f, const struct compare_opts *o, const struct cmp_trace *t)
{
	char col[4] = "A";

	an_csv_comment(f, "phocus-analyze %s compare: one row per figure, one column per "
	    "trace%s", PHOCUS_VERSION, o->n == 2 ? "; B_minus_A and its % of A" : "");
	for (size_t i = 0; i < o->n; i++)
		an_csv_comment(f, "%s (%s)", t[i].label, o->paths[i]);
	an_csv_comment(f, "memory: footprint where recorded, else RSS, of the target; GB = "
	    "10^9 bytes; CPU %% of one core; GPU, ANE, CPU power and swap: system-wide");
	csv_cell(f, "metric", 1);
	csv_cell(f, "unit", 0);
	for (size_t i = 0; i < o->n; i++, col[0]++)
		csv_cell(f, col, 0);
	if (o->n == 2) {
		csv_cell(f, "B_minus_A", 0);
		csv_cell(f, "B_minus_A_pct", 0);
	}
	fputc('\n', f);
	csv_cell(f, "trace", 1);
	csv_cell(f, "", 0);
	for (size_t i = 0; i < o->n; i++)
		csv_cell(f, o->paths[i], 0);
	fputs(o->n == 2 ? ",,\n" : "\n", f);
	csv_cell(f, "memory_metric", 1);
	csv_cell(f, "", 0);
	for (size_t i = 0; i < o->n; i++)
		csv_cell(f, t[i].s.mem_metric, 0);
	fputs(o->n == 2 ? ",,\n" : "\n", f);
	csv_cell(f, "power_source", 1);
	csv_cell(f, "", 0);
	for (size_t i = 0; i < o->n; i++)
		csv_cell(f, an_power_source_key(t[i].s.power_source), 0);
	fputs(o->n == 2 ? ",,\n" : "\n", f);
}

/* Writes compare.csv.  Returns 0 or EOF. */
static int
csv_write(FILE *f, const struct csv_arg *c)
{
	csv_head(f, c->o, c->t);
	for (int k = 0; k < AN_M_N; k++) {
		if (!row_shown(k))
			continue;
		csv_cell(f, an_metrics[k].key, 1);
		csv_cell(f, an_metrics[k].unit, 0);
		for (size_t i = 0; i < c->o->n; i++) {
			fputc(',', f);
			an_csv_num(f, c->v[k][i]);
		}
		if (c->o->n == 2) {
			fputc(',', f);
			an_csv_num(f, c->v[k][1] - c->v[k][0]);
			fputc(',', f);
			an_csv_num(f, rel_diff(&an_metrics[k], c->v[k][0], c->v[k][1]));
		}
		fputc('\n', f);
	}
	return ferror(f) ? EOF : 0;
}

/* Writes DIR/compare.csv.  Returns 0 or -1 (said why). */
static int
compare_csv(const struct compare_opts *o, const struct cmp_trace *t,
    double v[AN_M_N][MAX_TRACES], FILE *msg)
{
	struct csv_arg c = { o, t, v };
	char path[4200];
	FILE *f;
	int bad;

	snprintf(path, sizeof(path), "%s/compare.csv", o->dir);
	f = fopen(path, "w");
	if (f == NULL) {
		warn("cannot write %s", path);
		return -1;
	}
	bad = csv_write(f, &c) != 0;
	if ((fclose(f) != 0) | bad) {
		warn("%s", path);
		return -1;
	}
	fprintf(msg, "Wrote %s\n", path);
	return 0;
}

/* ======================= Command ======================= */

/* Creates the output folder if missing.  0 or -1 (said why). */
static int
compare_dir(const char *dir)
{
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		warn("cannot create %s", dir);
		return -1;
	}
	return 0;
}

/* The overlay figure.  Returns 0 or -1. */
static int
compare_figure(const struct compare_opts *o, const struct cmp_trace *t, FILE *msg)
{
	struct an_plot_input in[MAX_TRACES];
	char align[64];

	for (size_t i = 0; i < o->n; i++) {
		in[i].tr = &t[i].tr;
		in[i].label = t[i].label;
		in[i].shift_s = t[i].shift_s;
	}
	if (o->mark)
		snprintf(align, sizeof(align), "mark %llu of each trace", o->mark);
	else
		snprintf(align, sizeof(align), "the start of each trace");
	return an_plot_compare(in, o->n, o->dir, "compare", o->mark, align, o->format,
	    o->no_plot, msg);
}

/* Prints, writes and draws; returns the exit code. */
static int
compare_output(const struct compare_opts *o, const struct cmp_trace *t)
{
	static double v[AN_M_N][MAX_TRACES];
	FILE *msg = o->json ? stderr : stdout;

	for (int k = 0; k < AN_M_N; k++)
		for (size_t i = 0; i < o->n; i++)
			v[k][i] = an_metric_value((enum an_metric_id)k, &t[i].s);
	if (o->json)
		print_json(stdout, o, t, v);
	else
		print_text(stdout, o, t, v);
	if (fflush(stdout) != 0) {
		warn("stdout");
		return AN_EXIT_FAIL;
	}
	fputc('\n', msg);
	if (compare_dir(o->dir) != 0 || compare_csv(o, t, v, msg) != 0)
		return AN_EXIT_FAIL;
	return compare_figure(o, t, msg) == 0 ? AN_EXIT_OK : AN_EXIT_FAIL;
}

/* Frees the paths found in folders. */
static void
compare_free(struct compare_opts *o)
{
	for (size_t i = 0; o->found != NULL && o->found[i] != NULL; i++)
		free(o->found[i]);
	free(o->found);
	o->found = NULL;
}

static int
cmd_compare(int argc, char **argv)
{
	struct compare_opts o;
	struct cmp_trace *t;
	int rc = compare_parse(argc, argv, &o);

	if (rc != 0) {
		compare_free(&o);
		return rc < 0 ? AN_EXIT_OK : rc;
	}
	t = calloc(o.n, sizeof(*t));
	if (t == NULL) {
		warnx("compare: out of memory");
		compare_free(&o);
		return AN_EXIT_FAIL;
	}
	rc = compare_load(&o, t);
	if (rc == 0)
		rc = compare_align(&o, t);
	if (rc == 0) {
		compare_labels(&o, t);
		rc = compare_output(&o, t);
	}
	for (size_t i = 0; i < o.n; i++) {
		if (t[i].summarized)
			an_summary_free(&t[i].s);
		if (t[i].loaded)
			an_free(&t[i].tr);
	}
	free(t);
	compare_free(&o);
	return rc;
}
