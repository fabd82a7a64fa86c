/*
 * an_plot_cores.c - the core-distribution figure: system-wide activity of
 * every core over time as a heatmap (P- and E-cores grouped), the target's
 * threads and CPU below; from powermetrics' per-CPU active residency, else
 * per-core ticks (busy = total - idle - iowait, 32-bit wraps undone).  It
 * cannot say which core the target ran on: macOS does not tell.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "an_cores.h"
#include "an_csv.h"
#include "an_gpstr.h"
#include "an_plot_gp.h"

#define MAX_BINS 800		/* time columns of the heatmap, at most */
#define MAX_GROUPS 17
#define FIG_W 1600
#define FIG_H 1400

/* A group of cores shown together (a cluster). */
struct group {
	char name[4 * 24 + 4];		/* "P0-Cluster", "E-cores", "all cores" */
	int kind;			/* 'P', 'E' or 0 */
	int first, count;		/* cpu indexes first .. first+count-1 (source order) */
};

/* Per-core activity, binned in time. */
struct cores {
	const struct an_trace *tr;
	const char *data;		/* the timeline CSV as the script names it */
	const char *csv_name;		/* NAME-cores.csv */
	const char *out_name;
	const char *format;
	const char *source;		/* what the numbers are */
	int from_pm;			/* from powermetrics (else per-core ticks) */
	int ncores;			/* cpus in the data (stride of sum, cnt) */
	int nrows;			/* heatmap rows: cpus in a group */
	double bin_s;
	size_t nbins;
	double *sum;			/* nbins * ncores: sum of % in the bin, by cpu */
	unsigned *cnt;			/* values in the bin */
	struct group g[MAX_GROUPS];
	int ngroups;
	int *row_cpu;			/* heatmap row -> cpu index (groups: P, E, other) */
	int *row_group;			/* heatmap row -> group */
};

/* How the marks are drawn in both panels. */
struct cores_marks {
	double x_div;			/* seconds per unit of the time axis */
	struct an_plot_markset set;
	struct an_plot_marklayout lo;
};

/* ======================= Binning ======================= */

/* Allocates the bins for span seconds at about period s per sample. */
static int
cores_alloc(struct cores *c, double span, double period)
{
	size_t n;

	c->bin_s = period > span / MAX_BINS ? period : span / MAX_BINS;
	if (!(c->bin_s > 0))
		c->bin_s = 1;
	c->nbins = (size_t)ceil(span / c->bin_s);
	if (c->nbins == 0)
		c->nbins = 1;
	n = c->nbins * (size_t)c->ncores;
	c->sum = calloc(n, sizeof(*c->sum));
	c->cnt = calloc(n, sizeof(*c->cnt));
	c->row_cpu = calloc((size_t)c->ncores, sizeof(int));
	c->row_group = calloc((size_t)c->ncores, sizeof(int));
	return c->sum && c->cnt && c->row_cpu && c->row_group ? 0 : -1;
}

/* Adds v (%) for cpu at time t. */
static void
cores_add(struct cores *c, double t, int cpu, double v)
{
	size_t b;

	if (isnan(v) || isinf(v) || cpu >= c->ncores || !(t >= 0))
		return;
	b = t / c->bin_s < (double)c->nbins ? (size_t)(t / c->bin_s) : c->nbins - 1;
	c->sum[b * (size_t)c->ncores + (size_t)cpu] += v;
	c->cnt[b * (size_t)c->ncores + (size_t)cpu]++;
}

/* Fills the bins from powermetrics per-CPU active residency.  0 or -1. */
static int
cores_from_pm(struct cores *c, double span)
{
	const struct an_trace *tr = c->tr;
	size_t n = 0;

	for (size_t i = 0; i < tr->npm; i++)
		if (tr->pm[i].ncpu > 0) {
			n++;
			if (tr->pm[i].ncpu > c->ncores)
				c->ncores = tr->pm[i].ncpu;
		}
	if (cores_alloc(c, span, span / (double)n) != 0)
		return -1;
	for (size_t i = 0; i < tr->npm; i++) {
		const struct an_pm *p = &tr->pm[i];
		double mid = isnan(p->t_start) ? p->t_end - tr->interval_s / 2 :
		    (p->t_start + p->t_end) / 2;
		for (int k = 0; k < p->ncpu; k++)
			cores_add(c, mid, k, tr->cpu_pct[p->cpu_off + (size_t)k]);
	}
	c->source = "active: powermetrics per-CPU active residency";
	return 0;
}

/* Index of state name in the comma-separated list states, or -1. */
static int
tick_state(const char *states, const char *name)
{
	size_t len = strlen(name);
	int i = 0;

	for (const char *p = states; p != NULL && *p != '\0'; i++) {
		size_t n = strcspn(p, ",");
		if (n == len && strncmp(p, name, len) == 0)
			return i;
		p = p[n] == ',' ? p + n + 1 : NULL;
	}
	return -1;
}

/* Ticks between two readings of a counter; a decrease below 2^32 is a wrap. */
static double
tick_delta(uint64_t prev, uint64_t cur)
{
	if (cur >= prev)
		return (double)(cur - prev);
	if (prev <= UINT32_MAX && cur <= UINT32_MAX)
		return (double)(cur + (UINT64_C(1) << 32) - prev);
	return NAN;			/* counter reset: no value */
}

/* Busy % of cpu k between system samples a and b (same shape), or NaN. */
static double
tick_busy(const struct an_trace *tr, const struct an_sys *a, const struct an_sys *b,
    int k, int idle, int iowait)
{
	const uint64_t *pa = tr->ticks + a->ticks_off + (size_t)k * a->nstates;
	const uint64_t *pb = tr->ticks + b->ticks_off + (size_t)k * b->nstates;
	double total = 0, quiet = 0;

	for (uint32_t s = 0; s < a->nstates; s++) {
		double d = tick_delta(pa[s], pb[s]);
		total += d;
		if ((int)s == idle || (int)s == iowait)
			quiet += d;
	}
	return total > 0 ? 100 * (total - quiet) / total : NAN;
}

/* Median time between consecutive system samples with ticks. */
static double
tick_period(const struct an_trace *tr)
{
	double *d = malloc((tr->nsys + 1) * sizeof(*d)), m;
	size_t n = 0;

	if (d == NULL)
		return tr->interval_s;
	for (size_t i = 1; i < tr->nsys; i++)
		if (tr->sys[i].ncpu > 0 && tr->sys[i - 1].ncpu > 0)
			d[n++] = tr->sys[i].t - tr->sys[i - 1].t;
	for (size_t i = 1; i < n; i++)	/* insertion sort: n is small enough */
		for (size_t j = i; j > 0 && d[j - 1] > d[j]; j--) {
			double x = d[j]; d[j] = d[j - 1]; d[j - 1] = x;
		}
	m = n > 0 ? d[n / 2] : tr->interval_s;
	free(d);
	return m;
}

/* Fills the bins from per-core ticks.  0, or -1 (no usable ticks, memory). */
static int
cores_from_ticks(struct cores *c, double span)
{
	const struct an_trace *tr = c->tr;
	const char *states = tr->hdr.core_tick_states ? tr->hdr.core_tick_states : "";
	int idle = tick_state(states, "idle"), iowait = tick_state(states, "iowait");
	double period = tick_period(tr);

	if (idle < 0)
		return -1;
	for (size_t i = 0; i < tr->nsys; i++)
		if ((int)tr->sys[i].ncpu > c->ncores)
			c->ncores = (int)tr->sys[i].ncpu;
	if (c->ncores == 0 || cores_alloc(c, span, period) != 0)
		return -1;
	for (size_t i = 1; i < tr->nsys; i++) {
		const struct an_sys *a = &tr->sys[i - 1], *b = &tr->sys[i];
		if (a->ncpu == 0 || a->ncpu != b->ncpu || a->nstates != b->nstates ||
		    b->t - a->t > 3 * period)
			continue;	/* a gap (sleep) stays empty */
		for (int k = 0; k < (int)b->ncpu; k++)
			cores_add(c, (a->t + b->t) / 2, k, tick_busy(tr, a, b, k, idle, iowait));
	}
	c->source = "busy: per-core CPU ticks, total - idle - iowait";
	return 0;
}

/* ======================= Groups ======================= */

/* Adds a group of count cpus from *next on. */
static void
group_add(struct cores *c, const char *name, int kind, int count, int *next)
{
	struct group *g;

	if (c->ngroups == MAX_GROUPS || count <= 0 || *next >= c->ncores)
		return;
	g = &c->g[c->ngroups++];
	an_gp_clean(name, strlen(name), 24, g->name, sizeof(g->name));
	g->kind = kind;
	g->first = *next;
	g->count = *next + count > c->ncores ? c->ncores - *next : count;
	*next += g->count;
}

/* 'P' or 'E' for a cluster named "P0-Cluster", "E-Cluster" ..., else 0. */
static int
cluster_kind(const char *name)
{
	return name[0] == 'P' || name[0] == 'E' ? name[0] : 0;
}

/*
 * Groups powermetrics CPUs by the cluster powermetrics printed each one
 * in (consecutive CPUs of one cluster form a group).  Returns 0, or -1
 * when the trace does not know every CPU's cluster.
 */
static int
groups_from_pm_clusters(struct cores *c)
{
	const struct an_trace *tr = c->tr;
	int next = 0;

	if (tr->ncpu_cluster < c->ncores)
		return -1;
	for (int i = 0; i < c->ncores; i++)
		if (tr->cpu_cluster[i] < 0 || tr->cpu_cluster[i] >= tr->ncl_names)
			return -1;
	while (next < c->ncores) {
		int k = tr->cpu_cluster[next], n = 1;
		while (next + n < c->ncores && tr->cpu_cluster[next + n] == k)
			n++;
		if (c->ngroups == MAX_GROUPS)
			return -1;
		group_add(c, tr->cl_names[k], cluster_kind(tr->cl_names[k]), n, &next);
	}
	return 0;
}

/*
 * Groups powermetrics CPUs by cluster: by the cluster each CPU was printed
 * in when the trace knows it, else in printed order, each cluster holding
 * an equal share of its kind's cores (the header's P and E counts when
 * they add up), else an equal share of all.
 */
static void
groups_from_pm(struct cores *c)
{
	const struct an_trace *tr = c->tr;
	const struct pmt_header *h = &tr->hdr;
	int k = tr->ncl_names, ne = 0, np = 0, next = 0;
	int by_kind;

	if (groups_from_pm_clusters(c) == 0)
		return;
	c->ngroups = 0;

	for (int i = 0; i < k; i++) {
		ne += tr->cl_names[i][0] == 'E';
		np += tr->cl_names[i][0] == 'P';
	}
	by_kind = ne > 0 && np > 0 && ne + np == k && h->cores_e > 0 && h->cores_p > 0 &&
	    h->cores_e + h->cores_p == c->ncores && h->cores_e % ne == 0 &&
	    h->cores_p % np == 0;
	if (!by_kind && (k == 0 || c->ncores % k != 0)) {
		group_add(c, "all cores", 0, c->ncores, &next);
		return;
	}
	for (int i = 0; i < k; i++) {
		int kind = cluster_kind(tr->cl_names[i]);
		int n = !by_kind ? c->ncores / k : kind == 'E' ? (int)(h->cores_e / ne) :
		    (int)(h->cores_p / np);
		group_add(c, tr->cl_names[i], kind, n, &next);
	}
}

/*
 * Groups tick counters by the header's core levels, named as the system
 * named them ("Efficiency cores", level 0 last), when their counts add up.
 * Returns 0, or -1 when they do not say.
 */
static int
groups_from_levels(struct cores *c)
{
	struct an_core_level lv[AN_CORE_LEVELS_MAX];
	size_t n = an_core_levels(&c->tr->hdr, lv, AN_CORE_LEVELS_MAX);
	char name[AN_CORE_NAME_MAX + 8];
	int next = 0, sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += lv[i].cores;
	if (n < 2 || sum != c->ncores)
		return -1;
	for (size_t i = n; i-- > 0;) {
		snprintf(name, sizeof(name), "%s cores", lv[i].name);
		group_add(c, name, i == 0 ? 'P' : 'E', lv[i].cores, &next);
	}
	return 0;
}

/* Groups tick counters: E-cores first when the header's counts add up. */
static void
groups_from_ticks(struct cores *c)
{
	const struct pmt_header *h = &c->tr->hdr;
	int next = 0;

	if (groups_from_levels(c) == 0)
		return;
	if (h->cores_e > 0 && h->cores_p > 0 && h->cores_e + h->cores_p == c->ncores) {
		group_add(c, "E-cores", 'E', (int)h->cores_e, &next);
		group_add(c, "P-cores", 'P', (int)h->cores_p, &next);
	} else
		group_add(c, "all cores", 0, c->ncores, &next);
}

/* Orders the heatmap rows: P groups, then E groups, then the others. */
static void
groups_order(struct cores *c)
{
	static const int kinds[] = { 'P', 'E', 0 };
	int row = 0;

	for (size_t k = 0; k < 3; k++)
		for (int i = 0; i < c->ngroups; i++) {
			if (c->g[i].kind != kinds[k])
				continue;
			for (int j = 0; j < c->g[i].count; j++) {
				c->row_cpu[row] = c->g[i].first + j;
				c->row_group[row++] = i;
			}
		}
	c->nrows = row;		/* cpus no group holds are not shown */
}

/* ======================= Files ======================= */

/* Writes NAME-cores.csv (an_plot_writer). */
static int
cores_csv(FILE *f, const void *arg)
{
	const struct cores *c = arg;

	an_csv_comment(f, "phocus-analyze %s per-core activity, system-wide (every process "
	    "on the machine, not only the target)", PHOCUS_VERSION);
	an_csv_describe(f, c->tr, 0);
	an_csv_comment(f, "source: %s; active_pct: mean over the bin, empty = no sample",
	    c->source);
	an_csv_comment(f, "bins of %.6g s, elapsed_s at their middle; row: the heatmap's "
	    "row (P-cores first); a blank line ends each bin (gnuplot's grid format)",
	    c->bin_s);
	fputs("elapsed_s,row,cpu,group,active_pct\n", f);
	for (size_t b = 0; b < c->nbins; b++) {
		for (int r = 0; r < c->nrows; r++) {
			size_t k = b * (size_t)c->ncores + (size_t)c->row_cpu[r];
			const char *gn = c->g[c->row_group[r]].name;
			an_csv_num(f, ((double)b + 0.5) * c->bin_s);
			fprintf(f, ",%d,%d,", r, c->row_cpu[r]);
			an_csv_str(f, gn, strlen(gn));
			fputc(',', f);
			if (c->cnt[k] > 0)
				an_csv_num(f, c->sum[k] / c->cnt[k]);
			fputc('\n', f);
		}
		fputc('\n', f);
	}
	return ferror(f) ? EOF : 0;
}

/* Writes the heatmap's axes: a tic per core, group lines and names. */
static void
script_rows(FILE *f, const struct cores *c)
{
	int every = c->nrows > 48 ? 4 : 1;

	fprintf(f, "set yrange [%d.5:-0.5]   # first row at the top\nset ytics (", c->nrows - 1);
	for (int r = 0; r < c->nrows; r += every)
		fprintf(f, "%s'cpu %d' %d", r ? ", " : "", c->row_cpu[r], r);
	fputs(") font ',13' nomirror\n", f);
	for (int r = 0, tag = 1; r < c->nrows; r++) {
		int last = r + 1 == c->nrows || c->row_group[r + 1] != c->row_group[r];
		int first = r;
		if (!last)
			continue;
		while (first > 0 && c->row_group[first - 1] == c->row_group[r])
			first--;
		if (r + 1 < c->nrows)
			fprintf(f, "set arrow %d from graph 0, first %d.5 to graph 1, first %d.5 "
			    "nohead front lc rgb '#ffffff' lw 4\n", 1000 + tag, r, r);
		fprintf(f, "group_%d = ", tag);
		an_gp_str(f, c->g[c->row_group[r]].name, strlen(c->g[c->row_group[r]].name));
		fprintf(f, "\nset label %d group_%d at graph -0.11, first %.6g center rotate "
		    "by 90 font ',17'\n", 1000 + tag, tag, (first + r) / 2.0);
		tag++;
	}
}

/*
 * Writes caveat: what the heatmap shows and cannot show, for the trace's
 * platform, and whose cores they are when powermetrics came from another
 * machine.
 */
static void
script_caveat(FILE *f, const struct cores *c)
{
	const struct an_trace *tr = c->tr;
	char text[300], pm[160];
	int mac = tr->hdr.os_name != NULL && strcmp(tr->hdr.os_name, "macOS") == 0;

	if (c->from_pm && an_pm_foreign(tr)) {
		an_plot_clean(tr->pm_model, "", 30, pm, sizeof(pm));
		snprintf(text, sizeof(text), "System-wide: the %d cores of the Mac%s%s where "
		    "powermetrics ran, not of the machine of the process data", c->ncores,
		    pm[0] ? " " : "", pm);
	} else if (mac)
		snprintf(text, sizeof(text), "System-wide: every process on every core "
		    "(macOS cannot tell which core a given process runs on)");
	else
		snprintf(text, sizeof(text), "System-wide: every process on every core, "
		    "not only the target");
	fputs("caveat = ", f);
	an_gp_str(f, text, strlen(text));
	fprintf(f, "\ncaveat_font = ',%d'\n\n", an_plot_fit_font(text, 17, FIG_W * 95 / 100));
}

/* Writes the opening, the data files, the text from the trace and the style. */
static void
script_head(FILE *f, const struct cores *c)
{
	an_plot_open_script(f, "Per-core activity over time, system-wide (heatmap; "
	    "P-cores and E-cores grouped), and the\n# target's threads and CPU below.",
	    c->out_name, c->format, FIG_W, FIG_H);
	an_plot_columns(f);
	an_plot_data_var(f, "data", c->data);
	an_plot_data_var(f, "cores", c->csv_name);
	fputs("# cores: elapsed_s (1), row (2), cpu (3), group (4), active_pct (5)\n", f);
	an_plot_trace_text(f, c->tr, "Per-core activity: ", FIG_W);
	script_caveat(f, c);
	fprintf(f, "# ---- style ----\nset border 3 lc rgb '#444444'\nset tics out\n"
	    "set palette defined (0 '#ffffe5', 25 '#fee391', 50 '#fe9929', 75 '#cc4c02', "
	    "100 '#662506')\nset cbrange [0:100]\nset cblabel '%s, %%'\n"
	    "set colorbox user origin screen 0.9, screen 0.36 size screen 0.02, screen 0.5\n"
	    "set style textbox opaque fillcolor rgb '#ffffff' noborder\n"
	    "set format y '%%g'\n\n", c->source);
}

/*
 * Writes the heatmap panel (marks with their text first; the lines their
 * list takes under the figure in *lines).  Returns 0 or EOF.
 */
static int
script_heatmap(FILE *f, const struct cores *c, struct cores_marks *cm, int *lines)
{
	int tag = 10;

	fputs("\n# ---- marks: dashed lines through both panels, their text on the top one ----\n",
	    f);
	if (an_plot_trace_marks(f, c->tr, cm->x_div, &cm->set, &cm->lo, &tag, lines) != 0)
		return EOF;
	fputs("\n# ---- title: the trace; below it the machine and what the data is ----\n"
	    "set label 3 machine_text at screen 0.5, screen 0.942 center font machine_font "
	    "tc rgb '#333333'\nset label 4 caveat at screen 0.5, screen 0.915 center "
	    "font caveat_font tc rgb '#333333'\nset multiplot title title_text font title_font\n"
	    "set lmargin at screen 0.15\nset rmargin at screen 0.87\n\n"
	    "# ---- 1. heatmap: one row per core, grey = no sample ----\n"
	    "set tmargin at screen 0.86\nset bmargin at screen 0.36\nset format x ''\n"
	    "set object 1 rectangle from graph 0, graph 0 to graph 1, graph 1 behind "
	    "fc rgb '#d0d0d0' fs solid noborder\n", f);
	script_rows(f, c);
	fputs("plot cores using (column(1)/x_div):2:(valid(5) ? column(5) : NaN) with image "
	    "notitle\nunset label\nunset object 1\nunset ytics\nunset colorbox\n"
	    "set ytics nomirror out\nunset arrow\n", f);
	return ferror(f) ? EOF : 0;
}

/* Writes the panel of the target's threads and CPU (marks as lines only). */
static void
script_threads(FILE *f, const struct cores *c, struct cores_marks *cm, int lines)
{
	struct an_plot_facts pf;
	const char *keys[2];
	double step;
	int thr, cpu, tag = 10, unused;

	an_plot_facts(c->tr, &pf);
	thr = pf.has[AN_S_THREADS];
	cpu = pf.has[AN_S_CPU];
	step = an_plot_count_step(pf.max[AN_S_THREADS]);
	cm->lo.text = 0;
	an_plot_trace_marks(f, c->tr, cm->x_div, &cm->set, &cm->lo, &tag, &unused);
	fputs("\n# ---- 2. the target's threads and CPU: per application ----\n", f);
	an_plot_app_end(f, &pf);
	fprintf(f, "set tmargin at screen 0.29\nset bmargin at screen %.4g\n",
	    0.085 + lines * cm->lo.list_dy);
	fputs("set border 11 lc rgb '#444444'\n"
	    "set format x '%g'\nset xlabel 'time since start (' . x_unit . ')'\n"
	    "set ylabel 'threads'\nset y2label 'CPU % (100 = one core)'\n"
	    "set grid xtics ytics lc rgb '#e3e3e3'\n"
	    "set key at graph 1, graph 1.02 right bottom horizontal reverse Left samplen 2 "
	    "width 0 font ',16'\n", f);
	keys[0] = thr ? "threads" : "threads: no data";
	keys[1] = cpu ? "CPU % (right)" : "CPU: no data";
	an_plot_panel_title(f, c->tr, "Threads and CPU of %s (per application)",
	    0.72 * FIG_W - (thr || cpu ? an_plot_key_px(keys, 2) : 0) - 20);
	if (!thr && !cpu) {
		fputs("set yrange [0:1]\nset y2range [0:1]\nset y2tics nomirror out\n"
		    "set label 2 'no data: no samples of the target' at graph 0.5, graph 0.5 "
		    "center font ',19' tc rgb '#777777'\nplot NaN notitle\nunset multiplot\n", f);
		return;
	}
	fprintf(f, "set yrange [0:%g]\nset ytics 0, %g nomirror out\nset format y '%%.0f'\n"
	    "set y2range [0:%g]\nset y2tics nomirror out\nplot %s, \\\n     %s\n"
	    "unset multiplot\n", (floor(pf.max[AN_S_THREADS] / step) + 1) * step, step,
	    an_plot_axis_max(pf.max[AN_S_CPU], 0),
	    thr ? "data using (column(c_t)/x_div):(app(c_threads)) "
	    "with lines lc rgb '#0072B2' lw 1.5 title 'threads'" :
	    "NaN with lines lc rgb '#bbbbbb' title 'threads: no data'",
	    cpu ? "data using (column(c_t)/x_div):(app(c_cpu)) axes x1y2 "
	    "with lines lc rgb '#D55E00' lw 1 title 'CPU % (right)'" :
	    "NaN axes x1y2 with lines lc rgb '#bbbbbb' title 'CPU: no data'");
}

/* Writes the core-distribution script (an_plot_writer). */
static int
cores_script(FILE *f, const void *arg)
{
	const struct cores *c = arg;
	struct cores_marks cm = { 60, { "#333333", "", 0 },
	    { 0, 0, 0.72 * FIG_W, FIG_W, 1, 1, 0.008, 0.016, 4 } };
	const char *unit;
	double span = an_plot_span(c->tr);
	int lines = 0;

	script_head(f, c);
	an_plot_time_unit(span, &cm.x_div, &unit);
	cm.lo.x1 = span / cm.x_div;
	an_plot_xrange(f, 0, span, cm.x_div);
	fprintf(f, "x_unit = '%s'\n", unit);
	if (script_heatmap(f, c, &cm, &lines) != 0)
		return EOF;
	script_threads(f, c, &cm, lines);
	return ferror(f) ? EOF : 0;
}

/* Whether any bin holds a value. */
static int
cores_any(const struct cores *c)
{
	for (size_t i = 0; i < c->nbins * (size_t)c->ncores; i++)
		if (c->cnt[i] > 0)
			return 1;
	return 0;
}

/* Frees the bins. */
static void
cores_free(struct cores *c)
{
	free(c->sum);
	free(c->cnt);
	free(c->row_cpu);
	free(c->row_group);
}

int
an_plot_cores(const struct an_trace *tr, const char *dir, const char *name,
    const char *data, const char *format, int no_plot, FILE *msg)
{
	struct cores c;
	char csv[300], gp[300], out[300];
	double span = an_plot_span(tr);
	int have_pm = 0, rc = -1;

	memset(&c, 0, sizeof(c));
	c.tr = tr;
	c.data = data;
	c.format = format;
	for (size_t i = 0; i < tr->npm && !have_pm; i++)
		have_pm = tr->pm[i].ncpu > 0;
	if ((have_pm ? cores_from_pm(&c, span) : cores_from_ticks(&c, span)) != 0 ||
	    !cores_any(&c)) {
		fprintf(msg, "No core-distribution figure: the trace has no per-core data%s\n",
		    c.sum == NULL && c.ncores > 0 ? " (or memory ran out)" : "");
		cores_free(&c);
		return 0;
	}
	c.from_pm = have_pm;
	if (have_pm)
		groups_from_pm(&c);
	else
		groups_from_ticks(&c);
	groups_order(&c);
	snprintf(csv, sizeof(csv), "%s-cores.csv", name);
	snprintf(gp, sizeof(gp), "%s-cores.gp", name);
	snprintf(out, sizeof(out), "%s-cores.%s", name, format);
	c.csv_name = csv;
	c.out_name = out;
	if (an_plot_write(dir, csv, cores_csv, &c) == 0 &&
	    an_plot_write(dir, gp, cores_script, &c) == 0) {
		fputs("Wrote ", msg);
		an_plot_put_path(msg, dir, csv);
		fputs(" and ", msg);
		an_plot_put_path(msg, dir, gp);
		fputc('\n', msg);
		rc = an_plot_finish(dir, gp, out, no_plot, msg);
	}
	cores_free(&c);
	return rc;
}
