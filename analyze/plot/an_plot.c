/*
 * an_plot.c - the report's figure: writes NAME.gp, a gnuplot script of five
 * panels sharing one time axis (memory; CPU and threads of the target; GPU
 * active; GPU and Neural Engine power; swap) that reads the timeline CSV
 * beside it, then has it drawn (an_plot_gp.c).  Panels without data say so
 * instead of drawing zeros.  The per-core figure is an_plot_cores.c.
 */
#include <limits.h>
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
	int has[AN_S_N];		/* series with data */
};

/* One curve of a panel. */
struct curve {
	enum an_series s;
	const char *title;		/* legend text */
	int ls;				/* line style */
	int y2;				/* on the right axis */
	const char *missing;		/* legend text when it has no data; NULL: omitted */
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
	    "set ylabel offset character 1,0\n\n", f);
}

/* ======================= Panels ======================= */

/* Writes one data curve of a panel (or its "no data" legend entry). */
static void
panel_curve(FILE *f, const struct report_fig *g, const struct curve *c, int *first)
{
	fputs(*first ? "plot " : ", \\\n     ", f);
	*first = 0;
	if (!g->has[c->s]) {
		fprintf(f, "NaN with lines ls 9 title '%s'", c->missing);
		return;
	}
	fprintf(f, "data using (column(c_t)/60):(y(%s)) %swith lines ls %d title '%s'",
	    an_plot_series_var(c->s),
	    c->y2 ? "axes x1y2 " : "", c->ls, c->title);
}

/*
 * Writes one panel: its title (a gnuplot expression), y label, curves, or
 * nodata in the middle when none of the curves has data.
 */
static void
panel(FILE *f, const struct report_fig *g, const char *title, const char *ylabel,
    const struct curve *c, size_t n, const char *nodata)
{
	int any = 0, y1 = 0, y2 = 0, first = 1;

	for (size_t i = 0; i < n; i++) {
		any |= g->has[c[i].s];
		y1 |= !c[i].y2 && g->has[c[i].s];
		y2 |= c[i].y2 && g->has[c[i].s];
	}
	fprintf(f, "set label 1 %s at graph 0, graph 1.05 left font ',19' tc rgb '#222222'\n",
	    title);
	fprintf(f, "set ylabel '%s'\n", ylabel);
	if (!any) {
		fprintf(f, "set label 2 '%s' at graph 0.5, graph 0.5 center font ',19' "
		    "tc rgb '#777777'\nset yrange [0:1]\nset format y ''\nplot NaN notitle\n"
		    "unset label 2\nset format y '%%g'\n", nodata);
		return;
	}
	fputs(y1 ? "set yrange [0:*]\n" : "set yrange [0:1]   # only the right axis has data\n",
	    f);
	if (y2)
		fputs("set border 11\nset y2range [0:*]\nset y2tics nomirror out\n"
		    "set y2label 'threads' offset character -1,0\n", f);
	for (size_t i = 0; i < n; i++)
		if (g->has[c[i].s] || c[i].missing != NULL)
			panel_curve(f, g, &c[i], &first);
	fputc('\n', f);
	if (y2)
		fputs("unset y2tics\nunset y2label\nset border 3\n", f);
}

/* Why powermetrics series are missing, into buf. */
static const char *
pm_missing(const struct report_fig *g, const char *what, char *buf, size_t len)
{
	if (g->tr->npm == 0)
		return "no data: powermetrics was not recorded (on macOS: run phocus-record "
		    "with sudo)";
	snprintf(buf, len, "no data: powermetrics did not report %s", what);
	return buf;
}

/* Writes the five panels. */
static void
script_panels(FILE *f, const struct report_fig *g)
{
	static const struct curve mem[] = {
		{ AN_S_RSS, "RSS", 1, 0, NULL },
		{ AN_S_FOOTPRINT, "footprint", 2, 0, NULL },
		{ AN_S_PSS, "PSS", 3, 0, NULL },
	};
	static const struct curve cpu[] = {
		{ AN_S_CPU, "CPU %", 1, 0, "CPU: no data" },
		{ AN_S_THREADS, "threads", 7, 1, "threads: no data" },
	};
	static const struct curve gpu[] = { { AN_S_GPU_ACTIVE, "GPU active", 3, 0, NULL } };
	static const struct curve pw[] = {
		{ AN_S_GPU_W, "GPU", 2, 0, "GPU: no data" },
		{ AN_S_ANE_W, "ANE", 4, 0, "ANE: no data" },
	};
	static const struct curve swap[] = { { AN_S_SWAP, "swap used", 5, 0, NULL } };
	char why[160];

	fputs("\n# ---- 1. memory of the target: per application ----\nset format x ''\n", f);
	panel(f, g, "'Memory of ' . target . ' (per application, all its processes)'", "GB",
	    mem, 3, "no data: no memory samples of the target");
	fputs("unset label   # the marks' text only on the top panel\n", f);
	fputs("\n# ---- 2. CPU and threads of the target: per application ----\n", f);
	panel(f, g, "'CPU of ' . target . ' (per application; 100% = one core)'",
	    "%", cpu, 2, "no data: no CPU samples of the target");
	fputs("\n# ---- 3. GPU active: system-wide ----\n", f);
	panel(f, g, "'GPU active (system-wide: the whole machine)'", "%", gpu, 1,
	    pm_missing(g, "GPU activity", why, sizeof(why)));
	fputs("\n# ---- 4. GPU and Neural Engine power: system-wide ----\n", f);
	panel(f, g, "'GPU and Neural Engine (ANE) power (system-wide: the whole machine)'", "W",
	    pw, 2, pm_missing(g, "GPU or ANE power", why, sizeof(why)));
	fputs("\n# ---- 5. swap used: system-wide (carries the time axis) ----\n"
	    "set format x '%g'\nset xlabel 'time since start (minutes)'\n", f);
	panel(f, g, "'Swap used (system-wide: the whole machine)'", "GB", swap, 1,
	    "no data: swap was not recorded");
	fputs("unset multiplot\n", f);
}

/* Writes the whole report script (an_plot_writer). */
static int
report_script(FILE *f, const void *arg)
{
	const struct report_fig *g = arg;
	struct an_plot_markopt mo = { 0, 0, 0, NULL, "", 1, 0, 0 };
	int tag = 10;

	an_plot_open_script(f, "The 5-panel figure of a phocus-monitor trace: memory, "
	    "CPU and threads of the target (per application);\n# GPU active, GPU and Neural "
	    "Engine power, swap (system-wide).", g->out_name, g->format, FIG_W, FIG_H);
	an_plot_columns(f);
	an_plot_data_var(f, "data", g->data);
	an_plot_trace_text(f, g->tr, "");
	fputc('\n', f);
	script_style(f);
	mo.x1_s = an_plot_span(g->tr);
	an_plot_xrange(f, 0, mo.x1_s);
	fputs("\n# ---- marks: dashed lines through every panel, their text on the top one ----\n",
	    f);
	an_plot_marks(f, g->tr, &mo, &tag);
	fputs("\n# ---- title: the trace; below it the machine (screen label: top panel only) ----\n"
	    "set label 3 machine_text at screen 0.5, screen 0.952 center font ',19' "
	    "tc rgb '#333333'\n"
	    "set multiplot layout 5,1 margins 0.1,0.9,0.065,0.915 spacing 0,0.05 "
	    "title title_text font ',26'\n", f);
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
	for (int s = 0; s < AN_S_N; s++)
		g.has[s] = an_plot_has(tr, (enum an_series)s);
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
