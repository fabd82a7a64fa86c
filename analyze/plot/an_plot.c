/*
 * an_plot.c - the report's figure: writes NAME.gp, a gnuplot script of five
 * panels sharing one time axis (memory; CPU and threads of the target; GPU
 * active; GPU and Neural Engine power; swap) that reads the timeline CSV
 * beside it, then has it drawn (an_plot_gp.c).  Panels without data say so
 * instead of drawing zeros.  The per-core figure is an_plot_cores.c.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "an_gpstr.h"
#include "an_plot.h"
#include "an_plot_gp.h"

#define FIG_W 1600
#define FIG_H 1800

/* What the report's script needs. */
struct report_fig {
	const struct an_trace *tr;
	const char *data;		/* the CSV: a name beside the script, or absolute */
	const char *out_name;		/* NAME.png */
	const char *format;		/* png, svg, pdf */
	struct an_plot_facts pf;	/* series with data, their maxima, time axis */
};

/* How a curve is drawn. */
enum curve_kind {
	CURVE_APP,			/* the target's: ends with the target */
	CURVE_SYS,			/* system-wide */
	CURVE_HELD,			/* the target's, read now and then: a dot at each read,
					   held as a step for at most hold_s */
};

/* One curve of a panel. */
struct curve {
	enum an_series s;
	const char *title;		/* legend text */
	int ls;				/* line style */
	int y2;				/* on the right axis */
	enum curve_kind kind;
	const char *missing;		/* legend text when it has no data; NULL: omitted */
};

/* One panel. */
struct panel {
	const char *title;		/* its text, "%s": the target's name */
	const char *ylabel;		/* NULL: the unit of a memory panel (MB or GB) */
	const struct curve *c;
	size_t n;
	const char *nodata;		/* in the middle when no curve has data */
};

/* ======================= Shared script parts ======================= */

/* Writes the line styles, grid, borders and key. */
static void
script_style(FILE *f)
{
	fputs("# ---- style ----\n", f);
	for (size_t i = 0; i < 6; i++)
		fprintf(f, "set style line %zu lc rgb '%s' lw 1.5\n", i + 1, an_plot_colors[i]);
	fputs("set style line 7 lc rgb '#888888' lw 1\n"
	    "set style line 9 lc rgb '#bbbbbb' lw 1 dt 3    # legend entry of a series without data\n"
	    "set grid xtics ytics lc rgb '#e3e3e3' lw 1 dt 1\n"
	    "set border 3 lc rgb '#444444'\n"
	    "set tics nomirror out\n"
	    "set format y '%g'\n"
	    "set key at graph 1, graph 1.02 right bottom horizontal reverse Left samplen 2 width 0 "
	    "font ',16' noopaque nobox\n"
	    "set style textbox opaque fillcolor rgb '#ffffff' noborder   # mark numbers\n\n", f);
}

/*
 * Writes what every panel's curves use: app_end (the target's series end
 * there), app(c) (a column of the target, NaN after its end) and the
 * memory and swap scales (k: CSV gigabytes to the axis unit).
 */
static void
script_scales(FILE *f, const struct report_fig *g)
{
	const struct an_plot_facts *pf = &g->pf;
	double mem = fmax(pf->max[AN_S_RSS], fmax(pf->max[AN_S_FOOTPRINT], pf->max[AN_S_PSS]));

	an_plot_app_end(f, pf);
	fputs("# ---- units: memory and swap in MB below 1 GB (the CSV is in GB) ----\n", f);
	fprintf(f, "mem_k = %d; mem_unit = '%s'\n", mem < 1 ? 1000 : 1, mem < 1 ? "MB" : "GB");
	fprintf(f, "swap_k = %d; swap_unit = '%s'\n\n", pf->max[AN_S_SWAP] < 1 ? 1000 : 1,
	    pf->max[AN_S_SWAP] < 1 ? "MB" : "GB");
	fprintf(f, "# PSS is read now and then (every 2 s at most, less often for large\n"
	    "# processes): each read is a dot, held as a step for at most hold_s\n"
	    "hold_s = %g\n\n", fmax(10, 3 * g->tr->interval_s));
}

/* ======================= Panels ======================= */

/* The scale variable of a series' axis ("mem_k"), or NULL for none. */
static const char *
curve_scale(enum an_series s)
{
	return s == AN_S_RSS || s == AN_S_FOOTPRINT || s == AN_S_PSS ? "mem_k" :
	    s == AN_S_SWAP ? "swap_k" : NULL;
}

/* Writes the using expression of a curve's y values. */
static void
curve_using(FILE *f, const struct curve *c)
{
	const char *v = an_plot_series_var(c->s), *k = curve_scale(c->s);

	if (c->kind == CURVE_HELD) {	/* the CSV carries each reading, with its age */
		fprintf(f, "((column(c_gap) == 1 || column(c_t) > app_end || !valid(%s) || "
		    "column(c_pss_age) > hold_s) ? NaN : column(%s))%s%s", v, v,
		    k ? " * " : "", k ? k : "");
		return;
	}
	fprintf(f, "(%s(%s)%s%s)", c->kind == CURVE_APP ? "app" : "y", v, k ? " * " : "",
	    k ? k : "");
}

/* Writes one data curve of a panel (or its "no data" legend entry). */
static void
panel_curve(FILE *f, const struct report_fig *g, const struct curve *c, int *first)
{
	fputs(*first ? "plot " : ", \\\n     ", f);
	*first = 0;
	if (!g->pf.has[c->s]) {
		fprintf(f, "NaN with lines ls 9 title '%s'", c->missing);
		return;
	}
	fputs("data using (column(c_t)/x_div):", f);
	curve_using(f, c);
	fprintf(f, " %swith %s ls %d%s title '%s'", c->y2 ? "axes x1y2 " : "",
	    g->pf.npoints[c->s] < 3 ? "linespoints" : c->kind == CURVE_HELD ? "steps" : "lines",
	    c->ls, g->pf.npoints[c->s] < 3 ? " pt 7 ps 1.2" : "",	/* a lone sample shows */
	    c->title);
	if (c->kind == CURVE_HELD)	/* each read (age 0), also where a step is not held */
		fprintf(f, ", \\\n     data using (column(c_t)/x_div):((column(c_gap) == 1 || "
		    "column(c_t) > app_end || !valid(%s) || column(c_pss_age) != 0) ? NaN : "
		    "column(%s)%s%s) with points ls %d pt 7 ps 0.6 notitle",
		    an_plot_series_var(c->s), an_plot_series_var(c->s), curve_scale(c->s) ?
		    " * " : "", curve_scale(c->s) ? curve_scale(c->s) : "", c->ls);
}

/* The largest value of a panel's curves on one axis, in its unit. */
static double
panel_max(const struct report_fig *g, const struct panel *p, int y2)
{
	double m = 0;

	for (size_t i = 0; i < p->n; i++)
		if (p->c[i].y2 == y2 && g->pf.has[p->c[i].s])
			m = fmax(m, g->pf.max[p->c[i].s]);
	if (p->n > 0 && curve_scale(p->c[0].s) != NULL && !y2 && m < 1)
		m *= 1000;		/* the panel is in MB */
	return m;
}

/* Writes the right axis: a count on integer ticks (threads). */
static void
panel_y2(FILE *f, const struct report_fig *g, const struct panel *p)
{
	double m = panel_max(g, p, 1), step = an_plot_count_step(m);

	fprintf(f, "set border 11\nset y2range [0:%g]   # a tick above the most threads\n"
	    "set y2tics 0, %g nomirror out\nset format y2 '%%.0f'\nset y2label 'threads'\n",
	    (floor(m / step) + 1) * step, step);
}

/* Writes the panel's title, fitted to the room its legend leaves. */
static void
panel_title(FILE *f, const struct report_fig *g, const struct panel *p)
{
	const char *keys[8];
	size_t n = 0, any = 0;

	for (size_t i = 0; i < p->n; i++)
		any += g->pf.has[p->c[i].s];
	for (size_t i = 0; i < p->n && n < 8 && any; i++)	/* no data: no legend */
		if (g->pf.has[p->c[i].s])
			keys[n++] = p->c[i].title;
		else if (p->c[i].missing != NULL)
			keys[n++] = p->c[i].missing;
	an_plot_panel_title(f, g->tr, p->title, 0.8 * FIG_W - an_plot_key_px(keys, n) - 20);
}

/*
 * Writes one panel: its title above the plot (left, in the space between
 * panels, the legend on the right of the same line), y label and range,
 * curves, or nodata in the middle when none of the curves has data.
 */
static void
panel(FILE *f, const struct report_fig *g, const struct panel *p)
{
	int any = 0, y1 = 0, y2 = 0, first = 1;

	for (size_t i = 0; i < p->n; i++) {
		int h = g->pf.has[p->c[i].s];
		any |= h;
		y1 |= !p->c[i].y2 && h;
		y2 |= p->c[i].y2 && h;
	}
	panel_title(f, g, p);
	if (p->ylabel != NULL)
		fprintf(f, "set ylabel '%s'\n", p->ylabel);
	else
		fprintf(f, "set ylabel %s\n", curve_scale(p->c[0].s)[0] == 'm' ? "mem_unit" :
		    "swap_unit");
	if (!any) {
		fprintf(f, "set label 2 '%s' at graph 0.5, graph 0.5 center font ',%d' "
		    "tc rgb '#777777'\nset yrange [0:1]\nset format y ''\nplot NaN notitle\n"
		    "unset label 2\nset format y '%%g'\n", p->nodata,
		    an_plot_fit_font(p->nodata, 19, FIG_W * 76 / 100));
		return;
	}
	if (y1)
		fprintf(f, "set yrange [0:%g]\n", an_plot_axis_max(panel_max(g, p, 0),
		    p->c[0].s == AN_S_GPU_ACTIVE ? 100 : 0));
	else
		fputs("set yrange [0:1]   # only the right axis has data\n", f);
	if (y2)
		panel_y2(f, g, p);
	for (size_t i = 0; i < p->n; i++)
		if (g->pf.has[p->c[i].s] || p->c[i].missing != NULL)
			panel_curve(f, g, &p->c[i], &first);
	fputc('\n', f);
	if (y2)
		fputs("unset y2tics\nunset y2label\nset border 3\n", f);
}

/* Why power series (powermetrics or IOReport) are missing, into buf. */
static const char *
pm_missing(const struct report_fig *g, const char *what, char *buf, size_t len)
{
	const struct an_trace *tr = g->tr;
	const char *os = tr->hdr.os_name ? tr->hdr.os_name : "";

	if (tr->npower > 0)
		snprintf(buf, len, "no data: %s did not report %s",
		    an_power_source_name(tr->power_source), what);
	else if (tr->power_wanted != AN_POWER_AUTO || tr->ior_readings > 0)
		snprintf(buf, len, "no data: %s", an_power_missing(tr, tr->power_wanted));
	else if (strcmp(os, "macOS") == 0)
		snprintf(buf, len, "no data: neither IOReport nor powermetrics was recorded "
		    "(%s)", an_plot_pm_hint(tr));
	else
		snprintf(buf, len, "no data: powermetrics was not recorded (%s)",
		    an_plot_pm_hint(tr));
	return buf;
}

/* A system-wide panel's title, naming the power source when there is one. */
static const char *
power_title(const struct report_fig *g, const char *what, char *buf, size_t len)
{
	if (g->tr->npower > 0)
		snprintf(buf, len, "%s (system-wide: the whole machine; from %s)", what,
		    an_power_source_name(g->tr->power_source));
	else
		snprintf(buf, len, "%s (system-wide: the whole machine)", what);
	return buf;
}

/* Why the target's series are missing ("memory", "CPU"), into buf. */
static const char *
app_missing(const struct report_fig *g, const char *what, char *buf, size_t len)
{
	if (g->tr->timeline != AN_TL_PROC)
		snprintf(buf, len, "no data: no process samples in this trace (%s)",
		    g->tr->hdr.platform && strcmp(g->tr->hdr.platform, "import") == 0 ?
		    "an imported powermetrics log" : "the target was not seen");
	else if (g->tr->nrows > 0 && g->pf.app_alive == 0)
		snprintf(buf, len, "no data: the target was gone at every sample (%zu %s)",
		    g->tr->nrows, g->tr->nrows == 1 ? "sample" : "samples");
	else
		snprintf(buf, len, "no data: no %s samples of the target", what);
	return buf;
}

/*
 * When the trace holds almost nothing (fewer than 3 samples of a live
 * target and fewer than 2 of powermetrics), says so in buf: how much, and
 * how the target ended.  Returns 1, or 0 (buf empty) for a real trace.
 */
static int
report_note(const struct report_fig *g, char *buf, size_t len)
{
	const struct an_trace *tr = g->tr;
	char exitmsg[200] = "";

	buf[0] = '\0';
	if (g->pf.app_alive >= 3 || tr->npm >= 2 || tr->npower >= 2)
		return 0;
	for (size_t i = 0; i < tr->nevents; i++)
		if (tr->events[i].kind == PMT_EV_TARGET_EXIT && tr->events[i].msg != NULL)
			an_plot_clean(tr->events[i].msg, "", 60, exitmsg, sizeof(exitmsg));
	snprintf(buf, len, "Almost nothing was recorded: %zu %s in %.2g s%s%s", tr->nrows,
	    tr->nrows == 1 ? "sample" : "samples", tr->nrows ? g->pf.span_s : 0.0,
	    exitmsg[0] ? "; " : "", exitmsg);
	return 1;
}

/* Writes the five panels. */
static void
script_panels(FILE *f, const struct report_fig *g)
{
	static const struct curve mem[] = {
		{ AN_S_RSS, "RSS", 1, 0, CURVE_APP, NULL },
		{ AN_S_FOOTPRINT, "footprint", 2, 0, CURVE_APP, NULL },
		{ AN_S_PSS, "PSS", 3, 0, CURVE_HELD, NULL },
	};
	static const struct curve cpu[] = {
		{ AN_S_CPU, "CPU %", 1, 0, CURVE_APP, "CPU: no data" },
		{ AN_S_THREADS, "threads", 7, 1, CURVE_APP, "threads: no data" },
	};
	static const struct curve gpu[] = {
		{ AN_S_GPU_ACTIVE, "GPU active", 3, 0, CURVE_SYS, NULL },
	};
	static const struct curve pw[] = {
		{ AN_S_GPU_W, "GPU", 2, 0, CURVE_SYS, "GPU: no data" },
		{ AN_S_ANE_W, "ANE", 4, 0, CURVE_SYS, "ANE: no data" },
	};
	static const struct curve swap[] = { { AN_S_SWAP, "swap used", 5, 0, CURVE_SYS, NULL } };
	char why_gpu[200], why_pw[200], why_mem[120], why_cpu[120], t_gpu[120], t_pw[160];
	const struct panel p[5] = {
		{ "Memory of %s (per application, all its processes)", NULL,
		    mem, 3, app_missing(g, "memory", why_mem, sizeof(why_mem)) },
		{ "CPU of %s (per application; 100%% = one core)", "%", cpu, 2,
		    app_missing(g, "CPU", why_cpu, sizeof(why_cpu)) },
		{ power_title(g, "GPU active", t_gpu, sizeof(t_gpu)), "%", gpu, 1,
		    pm_missing(g, "GPU activity", why_gpu, sizeof(why_gpu)) },
		{ power_title(g, "GPU and Neural Engine (ANE) power", t_pw, sizeof(t_pw)), "W",
		    pw, 2, pm_missing(g, "GPU or ANE power", why_pw, sizeof(why_pw)) },
		{ "Swap used (system-wide: the whole machine)", NULL, swap, 1,
		    "no data: swap was not recorded" },
	};

	fputs("\n# ---- 1. memory of the target: per application ----\nset format x ''\n", f);
	panel(f, g, &p[0]);
	fputs("unset label   # the marks' text only on the top panel\n", f);
	fputs("\n# ---- 2. CPU and threads of the target: per application ----\n", f);
	panel(f, g, &p[1]);
	fputs("\n# ---- 3. GPU active: system-wide ----\n", f);
	panel(f, g, &p[2]);
	fputs("\n# ---- 4. GPU and Neural Engine power: system-wide ----\n", f);
	panel(f, g, &p[3]);
	fprintf(f, "\n# ---- 5. swap used: system-wide (carries the time axis) ----\n"
	    "set format x '%%g'\nset xlabel 'time since start (%s)'\n", g->pf.x_unit);
	panel(f, g, &p[4]);
	fputs("unset multiplot\n", f);
}

/* Writes the whole report script (an_plot_writer). */
static int
report_script(FILE *f, const void *arg)
{
	const struct report_fig *g = arg;
	struct an_plot_markset set = { NULL, "", 0 };
	struct an_plot_marklayout lo = { 0, 0, 0.8 * FIG_W, FIG_W, 1, 0, 0.008, 0.0125, 6 };
	char note[400];
	int tag = 10, lines = 0, has_note = report_note(g, note, sizeof(note));

	an_plot_open_script(f, "The 5-panel figure of a phocus-monitor trace: memory, "
	    "CPU and threads of the target (per application);\n# GPU active, GPU and Neural "
	    "Engine power, swap (system-wide).", g->out_name, g->format, FIG_W, FIG_H);
	an_plot_columns(f);
	an_plot_data_var(f, "data", g->data);
	an_plot_trace_text(f, g->tr, "", FIG_W);
	fputc('\n', f);
	script_style(f);
	script_scales(f, g);
	an_plot_xrange(f, 0, g->pf.span_s, g->pf.x_div);
	lo.x1 = g->pf.span_s / g->pf.x_div;
	fputs("\n# ---- marks: dashed lines through every panel, their text on the top one ----\n",
	    f);
	if (an_plot_trace_marks(f, g->tr, g->pf.x_div, &set, &lo, &tag, &lines) != 0)
		return EOF;
	fputs("\n# ---- title: the trace; below it the machine (screen label: top panel only) ----\n"
	    "set label 3 machine_text at screen 0.5, screen 0.952 center font machine_font "
	    "tc rgb '#333333'\n", f);
	if (has_note) {
		fputs("note_text = ", f);
		an_gp_str(f, note, strlen(note));
		fprintf(f, "\nset label 4 note_text at screen 0.5, screen 0.922 center font ',%d' "
		    "tc rgb '#b00000'\n", an_plot_fit_font(note, 19, FIG_W * 95 / 100));
	}
	fprintf(f, "set multiplot layout 5,1 margins 0.1,0.9,%.4g,%s spacing 0,0.055 "
	    "title title_text font title_font\n", 0.065 + lines * lo.list_dy,
	    has_note ? "0.875" : "0.905");
	script_panels(f, g);
	return ferror(f) ? EOF : 0;
}

/* ======================= Report ======================= */

/*
 * How the script names the CSV: "NAME.csv" when csv_path is DIR/NAME.csv
 * (beside the script), else its absolute path.  Returns 0 or -1.
 */
static int
report_data_name(const char *dir, const char *name, const char *csv_path, char *buf,
    size_t len)
{
	char beside[PATH_MAX + 300], *abs;

	snprintf(beside, sizeof(beside), "%s/%s.csv", dir, name);
	if (strcmp(beside, csv_path) == 0) {
		snprintf(buf, len, "%s.csv", name);
		return 0;
	}
	abs = realpath(csv_path, NULL);
	if (abs == NULL)
		return -1;
	snprintf(buf, len, "%s", abs);
	free(abs);
	return 0;
}

int
an_plot_report(const struct an_trace *tr, const char *dir, const char *name,
    const char *csv_path, const char *format, int no_plot, int cores, FILE *msg)
{
	struct report_fig g;
	char data[PATH_MAX + 300], gp[300], out[300];
	int rc;

	if (strcmp(csv_path, "-") == 0) {
		fprintf(msg, "\nNo figure: the CSV went to standard output (the figure reads "
		    "the CSV file; run without --csv -).\n");
		return 0;
	}
	if (report_data_name(dir, name, csv_path, data, sizeof(data)) != 0) {
		fputs("phocus-analyze: ", stderr);
		an_put_visible(stderr, csv_path);
		fputs(": cannot find the CSV for the figure\n", stderr);
		return -1;
	}
	memset(&g, 0, sizeof(g));
	g.tr = tr;
	g.data = data;
	g.format = format;
	g.out_name = out;
	snprintf(gp, sizeof(gp), "%s.gp", name);
	snprintf(out, sizeof(out), "%s.%s", name, format);
	an_plot_facts(tr, &g.pf);
	if (an_plot_write(dir, gp, report_script, &g) != 0)
		return -1;
	fputs("\nWrote ", msg);
	an_put_visible(msg, csv_path);
	fputs(" and ", msg);
	an_plot_put_path(msg, dir, gp);
	fputc('\n', msg);
	rc = an_plot_finish(dir, gp, out, no_plot, msg);
	if (cores && an_plot_cores(tr, dir, name, data, format, no_plot, msg) != 0)
		rc = -1;
	return rc;
}
