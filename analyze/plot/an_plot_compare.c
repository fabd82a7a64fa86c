/*
 * an_plot_compare.c - the overlay figure of compare: each trace's timeline
 * CSV with its time shifted (0 = its start or one of its marks) and a
 * gnuplot script drawing the report's five panels with one colour per
 * trace.  It computes no summary (cmd_compare.c) and no per-core figure.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "an_csv.h"
#include "an_gpstr.h"
#include "an_plot.h"
#include "an_plot_gp.h"

#define FIG_W 1600
#define FIG_H 1800
#define LABEL_CHARS 90		/* characters of a trace's legend text */

/* One trace of the figure. */
struct overlay {
	const struct an_trace *tr;
	double shift_s;			/* its time 0 in the figure: t - shift_s */
	const char *label;
	const char *align_text;
	char csv[80];			/* NAME-i.csv */
	int has[AN_S_N];
	struct an_plot_facts pf;	/* app_end_s shifted, as every time here */
};

/* Everything the script needs. */
struct compare_fig {
	struct overlay *o;
	size_t n;
	const char *align_text;
	uint64_t mark;			/* aligned at this mark of each trace; 0: at the start */
	const char *out_name;
	const char *format;
	double x0, x1;			/* s, over all traces */
	double x_div;			/* seconds per unit of the time axis */
	const char *x_unit;
};

/* Writes one trace's shifted timeline CSV (an_plot_writer). */
static int
overlay_csv(FILE *f, const void *arg)
{
	const struct overlay *o = arg;

	an_csv_comment(f, "phocus-analyze compare: the timeline of one trace, elapsed_s "
	    "shifted: 0 = %s", o->align_text);
	return an_csv_timeline(f, o->tr, o->shift_s);
}

/* ======================= Script ======================= */

/* Writes the traces' legend: one coloured line each, under the title. */
static void
script_legend(FILE *f, const struct compare_fig *g)
{
	fputs("\n# ---- legend: one line per trace, in its colour ----\n", f);
	for (size_t i = 0; i < g->n; i++) {
		const struct overlay *o = &g->o[i];
		char text[4 * LABEL_CHARS + 8];
		an_gp_clean(o->label, strlen(o->label), LABEL_CHARS, text, sizeof(text));
		fprintf(f, "label_%zu = ", i + 1);
		an_gp_str(f, text, strlen(text));
		fprintf(f, " . ' (memory: %s%s%s)'\nset label %zu '\xe2\x94\x81\xe2\x94\x81 ' . "
		    "label_%zu at screen 0.1, screen %.4g left font ',18' tc rgb '%s'\n",
		    o->has[AN_S_FOOTPRINT] ? "footprint" : o->has[AN_S_RSS] ? "RSS" : "none",
		    o->tr->npower == 0 ? "; no power data" : "; power: ",
		    o->tr->npower == 0 ? "" : an_power_source_name(o->tr->power_source),
		    3 + i, i + 1, 0.948 - 0.016 * (double)i,
		    an_plot_colors[i % an_plot_ncolors]);
	}
}

/*
 * Writes the marks of every trace: lines in its colour and dash type, their
 * numbers prefixed by its letter ("B3") when they are too close for labels,
 * and the alignment mark as one black line.  The list's lines in *lines.
 */
static int
script_marks(FILE *f, const struct compare_fig *g, int *lines)
{
	struct an_plot_markset sets[26];
	struct an_plot_marklayout lo = { 0, 0, 0.8 * FIG_W, FIG_W, 1, 0, 0.008, 0.0125, 8 };
	struct an_plot_mark *mk;
	char prefix[26][2];
	size_t total = 0, n = 0;
	int tag = 100, rc;

	for (size_t i = 0; i < g->n; i++)
		total += g->o[i].tr->nmarks;
	if ((mk = malloc((total + 1) * sizeof(*mk))) == NULL)
		return EOF;
	lo.x0 = g->x0 / g->x_div;
	lo.x1 = g->x1 / g->x_div;
	for (size_t i = 0; i < g->n && i < 26; i++) {
		prefix[i][0] = (char)('A' + i);
		prefix[i][1] = '\0';
		sets[i].color = an_plot_colors[i % an_plot_ncolors];
		sets[i].prefix = prefix[i];
		sets[i].dt = 2 + (int)(i % 4);		/* coincident lines show both */
		n += an_plot_marks_collect(g->o[i].tr, g->o[i].shift_s, g->x_div, g->x0, g->x1, g->mark,
		    (int)i, mk + n);
	}
	fputs("\n# ---- marks: lines in each trace's colour and dash type through every "
	    "panel ----\n", f);
	rc = an_plot_marks(f, mk, n, sets, &lo, &tag, lines);
	free(mk);
	if (g->mark > 0)
		fprintf(f, "set arrow %d from first 0, graph 0 to first 0, graph 1 nohead back "
		    "lw 1.5 lc rgb '#222222'\nset label %d 'mark %llu' at first 0, graph 0.98 "
		    "right rotate by 90 offset character -1,0 font ',13' tc rgb '#222222' front\n",
		    tag, tag + 1, (unsigned long long)g->mark);
	return rc;
}

/* The series trace i draws for s: its footprint rather than RSS. */
static enum an_series
panel_series(const struct compare_fig *g, size_t i, enum an_series s)
{
	return s == AN_S_RSS && g->o[i].has[AN_S_FOOTPRINT] ? AN_S_FOOTPRINT : s;
}

/* The largest value of series s over the traces (CSV units). */
static double
panel_max(const struct compare_fig *g, enum an_series s)
{
	double m = 0;

	for (size_t i = 0; i < g->n; i++) {
		enum an_series v = panel_series(g, i, s);
		if (g->o[i].has[v])
			m = fmax(m, g->o[i].pf.max[v]);
		if (s == AN_S_GPU_W && g->o[i].has[AN_S_ANE_W])
			m = fmax(m, g->o[i].pf.max[AN_S_ANE_W]);
	}
	return m;
}

/*
 * Writes one panel: its title above it, the unit (memory and swap in MB
 * when every trace stays below 1 GB), a range that fits every trace, and
 * series s of every trace that has it (the target's own ending with it).
 */
static void
script_panel(FILE *f, const struct compare_fig *g, const char *title, const char *ylabel,
    enum an_series s, const char *nodata)
{
	int first = 1, app = s == AN_S_RSS || s == AN_S_CPU, gb = !strcmp(ylabel, "GB");
	double m = panel_max(g, s), k = gb && m < 1 ? 1000 : 1;

	fprintf(f, "set label 1 '%s' at graph 0, graph 1 offset 0, character 0.9 left "
	    "font ',19' tc rgb '#222222'\nset ylabel '%s'\n", title, k > 1 ? "MB" : ylabel);
	for (size_t i = 0; i < g->n; i++) {
		enum an_series v = panel_series(g, i, s);
		char fn[16];
		if (!g->o[i].has[v])
			continue;
		if (first)
			fprintf(f, "set yrange [0:%g]\nplot ", an_plot_axis_max(m * k,
			    s == AN_S_GPU_ACTIVE ? 100 : 0));
		else
			fputs(", \\\n     ", f);
		snprintf(fn, sizeof(fn), app ? "app_%zu" : "y", i + 1);
		fprintf(f, "data_%zu using (column(c_t)/x_div):(%s(%s) * %g) with %s ls %zu notitle",
		    i + 1, fn, an_plot_series_var(v), k,
		    g->o[i].pf.npoints[v] < 3 ? "linespoints pt 7" : "lines", i + 1);
		if (s == AN_S_GPU_W && g->o[i].has[AN_S_ANE_W])
			fprintf(f, ", \\\n     data_%zu using (column(c_t)/x_div):(y(%s)) with lines "
			    "ls %zu dt 2 notitle", i + 1, an_plot_series_var(AN_S_ANE_W), i + 1);
		first = 0;
	}
	if (first) {
		fprintf(f, "set label 2 '%s' at graph 0.5, graph 0.5 center font ',%d' "
		    "tc rgb '#777777'\nset yrange [0:1]\nset format y ''\nplot NaN notitle\n"
		    "unset label 2\nset format y '%%g'\n", nodata,
		    an_plot_fit_font(nodata, 19, FIG_W * 76 / 100));
		return;
	}
	if (s == AN_S_GPU_W)
		fputs(", \\\n     NaN with lines lc rgb '#444444' title 'GPU', "
		    "NaN with lines lc rgb '#444444' dt 2 title 'ANE'", f);
	fputc('\n', f);
}
/*
 * Writes app_end_i and app_i(c) for each trace i: its target's columns end
 * at its last live sample (an_plot_facts()).
 */
static void
script_app_ends(FILE *f, const struct compare_fig *g)
{
	fputs("\n# ---- each target's series end at its last live sample ----\n", f);
	for (size_t i = 0; i < g->n; i++) {
		double e = g->o[i].pf.app_end_s;
		fprintf(f, "app_end_%zu = %.9g\napp_%zu(c) = column(c_t) > app_end_%zu ? NaN : y(c)\n",
		    i + 1, isinf(e) ? (e > 0 ? 1e300 : -1e300) : e, i + 1, i + 1);
	}
}

/* How to get power data, when every trace is of the same platform. */
static const char *
script_pm_hint(const struct compare_fig *g)
{
	const char *os = g->o[0].tr->hdr.os_name ? g->o[0].tr->hdr.os_name : "";

	for (size_t i = 1; i < g->n; i++)
		if (strcmp(os, g->o[i].tr->hdr.os_name ? g->o[i].tr->hdr.os_name : "") != 0)
			return "record on macOS (IOReport without sudo, powermetrics with "
			    "sudo), or give --powermetrics-cmd";
	return an_plot_pm_hint(g->o[0].tr);
}

/* Writes the five panels. */
static void
script_panels(FILE *f, const struct compare_fig *g)
{
	char nopm[200];

	snprintf(nopm, sizeof(nopm), "no data: no trace has IOReport or powermetrics power "
	    "(%s)", script_pm_hint(g));
	script_app_ends(f, g);
	fputs("\n# ---- 1. memory of the target (footprint where recorded, else RSS) ----\n"
	    "set format x ''\n", f);
	script_panel(f, g, "Memory of the target (per application, all its processes)", "GB",
	    AN_S_RSS, "no data: no memory samples");
	fputs("unset label   # the legend and the marks' text only once\n"
	    "\n# ---- 2. CPU of the target ----\n", f);
	script_panel(f, g, "CPU of the target (per application; 100% = one core)", "%",
	    AN_S_CPU, "no data: no CPU samples");
	fputs("\n# ---- 3. GPU active: system-wide ----\n", f);
	script_panel(f, g, "GPU active (system-wide: the whole machine)", "%",
	    AN_S_GPU_ACTIVE, nopm);
	fputs("\n# ---- 4. GPU (solid) and Neural Engine (dashed) power: system-wide ----\n", f);
	script_panel(f, g, "GPU (solid) and Neural Engine (dashed) power (system-wide)", "W",
	    AN_S_GPU_W, nopm);
	fprintf(f, "\n# ---- 5. swap used: system-wide (carries the time axis) ----\n"
	    "set format x '%%g'\nset xlabel 'time (%s); 0 = ' . align_text\n", g->x_unit);
	script_panel(f, g, "Swap used (system-wide: the whole machine)", "GB", AN_S_SWAP,
	    "no data: swap was not recorded");
	fputs("unset multiplot\n", f);
}

/* Writes the whole script (an_plot_writer). */
static int
compare_script(FILE *f, const void *arg)
{
	const struct compare_fig *g = arg;
	char title[128];
	int lines = 0;

	an_plot_open_script(f, "The overlay figure of phocus-analyze compare: the "
	    "report's panels, one colour per trace.", g->out_name, g->format, FIG_W, FIG_H);
	an_plot_columns(f);
	for (size_t i = 0; i < g->n; i++) {
		char var[32];
		snprintf(var, sizeof(var), "data_%zu", i + 1);
		an_plot_data_var(f, var, g->o[i].csv);
	}
	snprintf(title, sizeof(title), "Comparison of %zu traces (time 0: ", g->n);
	fputs("\nalign_text = ", f);
	an_gp_str(f, g->align_text, strlen(g->align_text));
	fprintf(f, "\ntitle_text = '%s' . align_text . ')'", title);
	fputs("\n\n# ---- style: one colour per trace ----\n", f);
	for (size_t i = 0; i < g->n; i++)
		fprintf(f, "set style line %zu lc rgb '%s' lw 1.5%s\n", i + 1,
		    an_plot_colors[i % an_plot_ncolors], i >= an_plot_ncolors ? " dt 4" : "");
	fputs("set grid xtics ytics lc rgb '#e3e3e3' lw 1 dt 1\nset border 3 lc rgb '#444444'\n"
	    "set tics nomirror out\nset format y '%g'\nset key at graph 1, graph 1.02 right "
	    "bottom horizontal reverse Left samplen 2 font ',16' nobox\n"
	    "set style textbox opaque fillcolor rgb '#ffffff' noborder   # mark numbers\n", f);
	an_plot_xrange(f, g->x0, g->x1, g->x_div);
	if (script_marks(f, g, &lines) != 0)
		return EOF;
	script_legend(f, g);
	fprintf(f, "\nset multiplot layout 5,1 margins 0.1,0.9,%.4g,%.4g spacing 0,0.055 "
	    "title title_text font ',26'\n", 0.065 + 0.0125 * lines, 0.905 - 0.016 * (double)g->n);
	script_panels(f, g);
	return ferror(f) ? EOF : 0;
}

/* ======================= Compare ======================= */

/* Prepares trace i: its shift, CSV name, series, x range (times shifted). */
static void
overlay_init(struct compare_fig *g, const struct an_plot_input *in, size_t i,
    const char *name)
{
	struct overlay *o = &g->o[i];
	const struct an_trace *t = in->tr;

	o->tr = t;
	o->shift_s = in->shift_s;
	o->label = in->label;
	o->align_text = g->align_text;
	snprintf(o->csv, sizeof(o->csv), "%.40s-%zu.csv", name, i + 1);
	an_plot_facts(t, &o->pf);
	o->pf.app_end_s -= o->shift_s;		/* +-HUGE_VAL stays */
	for (int s = 0; s < AN_S_N; s++)
		o->has[s] = o->pf.has[s];
	if (t->nrows > 0) {
		g->x0 = fmin(g->x0, t->rows[0].t - o->shift_s);
		g->x1 = fmax(g->x1, t->rows[t->nrows - 1].t - o->shift_s);
	}
}

int
an_plot_compare(const struct an_plot_input *in, size_t n, const char *dir,
    const char *name, uint64_t align_mark, const char *align_text, const char *format,
    int no_plot, FILE *msg)
{
	struct compare_fig g = { NULL, 0, align_text, align_mark, NULL, format, 0, 0, 60, "" };
	char gp[128], out[128];
	int rc = -1;

	g.o = calloc(n, sizeof(*g.o));
	if (g.o == NULL)
		return -1;
	snprintf(gp, sizeof(gp), "%.40s.gp", name);
	snprintf(out, sizeof(out), "%.40s.%s", name, format);
	g.out_name = out;
	for (; g.n < n; g.n++) {
		overlay_init(&g, &in[g.n], g.n, name);
		if (an_plot_write(dir, g.o[g.n].csv, overlay_csv, &g.o[g.n]) != 0)
			goto out;
	}
	an_plot_time_unit(g.x1 - g.x0, &g.x_div, &g.x_unit);
	if (an_plot_write(dir, gp, compare_script, &g) != 0)
		goto out;
	fputs("Wrote ", msg);
	an_plot_put_path(msg, dir, gp);
	fprintf(msg, " and %zu CSV files (", n);
	an_plot_put_path(msg, dir, g.o[0].csv);
	fprintf(msg, "%s)\n", n > 1 ? " ..." : "");
	rc = an_plot_finish(dir, gp, out, no_plot, msg);
out:
	free(g.o);
	return rc;
}
