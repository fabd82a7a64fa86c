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

/* One trace of the figure, its times shifted. */
struct overlay {
	struct an_trace sh;		/* shallow copy: its own shifted arrays */
	const char *label;
	const char *align_text;
	char csv[80];			/* NAME-i.csv */
	int has[AN_S_N];
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

/* ======================= Shifted copies ======================= */

/* Copies n elements of size sz; NULL only when n > 0 and memory ran out. */
static void *
dup_array(const void *a, size_t n, size_t sz)
{
	void *p;

	if (n == 0)
		return NULL;
	p = malloc(n * sz);
	if (p != NULL)
		memcpy(p, a, n * sz);
	return p;
}

/* Frees the arrays a shifted copy owns. */
static void
shift_free(struct an_trace *t)
{
	free(t->rows);
	free(t->pm);
	free(t->sys);
	free(t->marks);
	free(t->events);
	free(t->clocks);
}

/*
 * Makes dst a copy of src whose times are t - s (rows, powermetrics and
 * system samples, marks, events, clock records), with the wall-clock
 * anchor moved so that wall times stay right.  The arrays it does not
 * shift are shared with src.  Returns 0 or -1 (out of memory).
 */
static int
shift_trace(const struct an_trace *src, double s, struct an_trace *dst)
{
	int64_t wall, off;

	*dst = *src;
	dst->rows = dup_array(src->rows, src->nrows, sizeof(*src->rows));
	dst->pm = dup_array(src->pm, src->npm, sizeof(*src->pm));
	dst->sys = dup_array(src->sys, src->nsys, sizeof(*src->sys));
	dst->marks = dup_array(src->marks, src->nmarks, sizeof(*src->marks));
	dst->events = dup_array(src->events, src->nevents, sizeof(*src->events));
	dst->clocks = dup_array(src->clocks, src->nclocks, sizeof(*src->clocks));
	if ((src->nrows && !dst->rows) || (src->npm && !dst->pm) || (src->nsys && !dst->sys) ||
	    (src->nmarks && !dst->marks) || (src->nevents && !dst->events) ||
	    (src->nclocks && !dst->clocks)) {
		shift_free(dst);
		memset(dst, 0, sizeof(*dst));
		return -1;
	}
	for (size_t i = 0; i < dst->nrows; i++)
		dst->rows[i].t -= s;
	for (size_t i = 0; i < dst->npm; i++) {
		dst->pm[i].t_start -= s;
		dst->pm[i].t_end -= s;
	}
	for (size_t i = 0; i < dst->nsys; i++)
		dst->sys[i].t -= s;
	for (size_t i = 0; i < dst->nmarks; i++)
		dst->marks[i].t -= s;
	for (size_t i = 0; i < dst->nevents; i++)
		dst->events[i].t -= s;
	for (size_t i = 0; i < dst->nclocks; i++)
		dst->clocks[i].t -= s;
	/* the wall clock at the new time 0 (an_wall keeps within int64) */
	dst->wall_known = an_wall(src, s, &wall, &off) == 0 && wall > 0;
	dst->hdr.wall_anchor_ns = dst->wall_known ? (uint64_t)wall : 0;
	return 0;
}

/* Writes one trace's shifted timeline CSV (an_plot_writer). */
static int
overlay_csv(FILE *f, const void *arg)
{
	const struct overlay *o = arg;

	an_csv_comment(f, "phocus-analyze compare: the timeline of one trace, elapsed_s "
	    "shifted: 0 = %s", o->align_text);
	return an_csv_timeline(f, &o->sh);
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
		fprintf(f, " . ' (memory: %s)'\nset label %zu '\xe2\x94\x81\xe2\x94\x81 ' . label_%zu "
		    "at screen 0.1, screen %.4g left font ',18' tc rgb '%s'\n",
		    o->has[AN_S_FOOTPRINT] ? "footprint" : o->has[AN_S_RSS] ? "RSS" : "none",
		    3 + i, i + 1, 0.948 - 0.016 * (double)i,
		    an_plot_colors[i % an_plot_ncolors]);
	}
}

/* Writes the marks of every trace, in its colour. */
static void
script_marks(FILE *f, const struct compare_fig *g)
{
	size_t total = 0;
	int tag = 100;

	for (size_t i = 0; i < g->n; i++)
		total += g->o[i].sh.nmarks;
	fputs("\n# ---- marks: lines in each trace's colour through every panel ----\n", f);
	for (size_t i = 0; i < g->n; i++) {
		char prefix[8];
		struct an_plot_markopt mo = { 0, g->x_div, g->x0, g->x1,
		    an_plot_colors[i % an_plot_ncolors], prefix, total <= 24, 0, g->mark };
		snprintf(prefix, sizeof(prefix), "%c: ", 'A' + (int)i);
		an_plot_marks(f, &g->o[i].sh, &mo, &tag);
	}
	if (g->mark > 0)
		fprintf(f, "set arrow %d from first 0, graph 0 to first 0, graph 1 nohead back "
		    "lw 1.5 lc rgb '#222222'\nset label %d 'mark %llu' at first 0, graph 0.98 "
		    "right rotate by 90 offset character -1,0 font ',13' tc rgb '#222222' front\n",
		    tag, tag, (unsigned long long)g->mark);
}

/* Writes one panel: series s of every trace that has it (alt when not). */
static void
script_panel(FILE *f, const struct compare_fig *g, const char *title, const char *ylabel,
    enum an_series s, const char *nodata)
{
	int first = 1;

	fprintf(f, "set label 1 '%s' at graph 0, graph 1.05 left font ',19' tc rgb '#222222'\n"
	    "set ylabel '%s'\n", title, ylabel);
	for (size_t i = 0; i < g->n; i++) {
		enum an_series v = s;
		if (s == AN_S_RSS && g->o[i].has[AN_S_FOOTPRINT])
			v = AN_S_FOOTPRINT;
		if (!g->o[i].has[v])
			continue;
		fprintf(f, "%sdata_%zu using (column(c_t)/x_div):(y(%s)) with lines ls %zu notitle",
		    first ? "set yrange [0:*]\nplot " : ", \\\n     ", i + 1,
		    an_plot_series_var(v), i + 1);
		if (s == AN_S_GPU_W && g->o[i].has[AN_S_ANE_W])
			fprintf(f, ", \\\n     data_%zu using (column(c_t)/x_div):(y(%s)) with lines "
			    "ls %zu dt 2 notitle", i + 1, an_plot_series_var(AN_S_ANE_W), i + 1);
		first = 0;
	}
	if (first) {
		fprintf(f, "set label 2 '%s' at graph 0.5, graph 0.5 center font ',19' "
		    "tc rgb '#777777'\nset yrange [0:1]\nset format y ''\nplot NaN notitle\n"
		    "unset label 2\nset format y '%%g'\n", nodata);
		return;
	}
	if (s == AN_S_GPU_W)
		fputs(", \\\n     NaN with lines lc rgb '#444444' title 'GPU', "
		    "NaN with lines lc rgb '#444444' dt 2 title 'ANE'", f);
	fputc('\n', f);
}

/* Writes the five panels. */
static void
script_panels(FILE *f, const struct compare_fig *g)
{
	const char *nopm = "no data: powermetrics was not recorded in any trace "
	    "(on macOS: run phocus-record with sudo)";

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
	    "bottom horizontal reverse Left samplen 2 font ',16' nobox\n", f);
	an_plot_xrange(f, g->x0, g->x1, g->x_div);
	script_marks(f, g);
	script_legend(f, g);
	fprintf(f, "\nset multiplot layout 5,1 margins 0.1,0.9,0.065,%.4g spacing 0,0.05 "
	    "title title_text font ',26'\n", 0.915 - 0.016 * (double)g->n);
	script_panels(f, g);
	return ferror(f) ? EOF : 0;
}

/* ======================= Compare ======================= */

/* Prepares trace i: shifted copy, CSV name, series, x range.  0 or -1. */
static int
overlay_init(struct compare_fig *g, const struct an_plot_input *in, size_t i,
    const char *name)
{
	struct overlay *o = &g->o[i];
	const struct an_trace *t;

	if (shift_trace(in->tr, in->shift_s, &o->sh) != 0)
		return -1;
	t = &o->sh;
	o->label = in->label;
	o->align_text = g->align_text;
	snprintf(o->csv, sizeof(o->csv), "%.40s-%zu.csv", name, i + 1);
	for (int s = 0; s < AN_S_N; s++)
		o->has[s] = an_plot_has(t, (enum an_series)s);
	if (t->nrows > 0) {
		g->x0 = fmin(g->x0, t->rows[0].t);
		g->x1 = fmax(g->x1, t->rows[t->nrows - 1].t);
	}
	return 0;
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
	for (; g.n < n; g.n++)
		if (overlay_init(&g, &in[g.n], g.n, name) != 0 ||
		    an_plot_write(dir, g.o[g.n].csv, overlay_csv, &g.o[g.n]) != 0) {
			shift_free(&g.o[g.n].sh);	/* zeroed when its copy failed */
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
	for (size_t i = 0; i < g.n; i++)
		shift_free(&g.o[i].sh);
	free(g.o);
	return rc;
}
