/*
 * an_summary.c - computes the summary of a loaded trace (an_summary.h):
 * distributions, energy integrated over each powermetrics sample's own
 * elapsed time, Neural Engine active time, per-mark intervals and the
 * least-squares memory trend.  No printing (an_report.c) and no parsing.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "an_summary.h"

/* ======================= Small statistics ======================= */

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Mean, 95th percentile (nearest rank) and max of v[0..n) (reordered). */
static struct an_stat
stat_of(double *v, size_t n)
{
	struct an_stat s = { NAN, NAN, NAN, n };
	double sum = 0;

	if (n == 0)
		return s;
	qsort(v, n, sizeof(*v), cmp_double);
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	s.mean = sum / (double)n;
	s.p95 = v[(size_t)ceil(0.95 * (double)n) - 1];
	s.max = v[n - 1];
	return s;
}

double
an_row_mem(const struct an_trace *tr, size_t i)
{
	return isnan(tr->rows[i].footprint) ? tr->rows[i].rss : tr->rows[i].footprint;
}

/*
 * Start, peak, end of one memory column (field at offset off in an_row).
 * Samples at 0 bytes are skipped: that is a process that has exited (the
 * recorder's last sample of a finished command), not a live one.
 */
static struct an_mem
mem_of(const struct an_trace *tr, size_t off)
{
	struct an_mem m = { NAN, NAN, NAN, NAN };

	for (size_t i = 0; i < tr->nrows; i++) {
		double v = *(const double *)((const char *)&tr->rows[i] + off);
		if (isnan(v) || v <= 0)
			continue;
		if (isnan(m.start))
			m.start = v;
		if (isnan(m.peak) || v > m.peak)
			m.peak = v;
		m.end = v;
	}
	m.growth = m.end - m.start;
	return m;
}

/*
 * How long before the end of the recording's memory (the last row with
 * RSS, else the last row) the PSS shown as its end was read: PSS is read
 * only now and then, so the last figure may be older than its row.  NaN
 * without PSS.
 */
static double
pss_end_age(const struct an_trace *tr)
{
	double end = tr->nrows ? tr->rows[tr->nrows - 1].t : NAN, read = NAN;

	for (size_t i = 0; i < tr->nrows; i++) {
		const struct an_row *r = &tr->rows[i];
		if (!isnan(r->rss) && r->rss > 0)
			end = r->t;
		if (!isnan(r->pss) && r->pss > 0)
			read = r->t - r->pss_age;
	}
	return isnan(read) ? NAN : end > read ? end - read : 0;
}

/* Storage bytes the tree read and wrote, reaped children included; NaN if not recorded. */
static void
disk_totals(const struct an_trace *tr, struct an_summary *s)
{
	s->disk_read = s->disk_written = NAN;
	for (size_t i = 0; i < tr->nrows; i++) {
		const struct an_row *r = &tr->rows[i];
		if (isnan(r->read_b) || isnan(r->write_b))
			continue;
		if (isnan(s->disk_read))
			s->disk_read = s->disk_written = 0;
		s->disk_read += r->read_b;
		s->disk_written += r->write_b;
	}
}

/*
 * The processes outside the tree working for it: how many, their memory
 * peak (footprint where recorded, else RSS) and CPU-seconds; NaN when the
 * trace did not look for them.
 */
static void
helpers_totals(const struct an_trace *tr, struct an_summary *s)
{
	int fp = 0;

	s->helpers_procs = s->helpers_mem_peak = s->helpers_cpu_seconds = NAN;
	s->helpers_mem_metric = "RSS";
	if (!tr->helpers_known)
		return;
	s->helpers_procs = (double)tr->helpers_seen;
	s->helpers_mem_peak = s->helpers_cpu_seconds = 0;
	for (size_t i = 0; i < tr->nhelpers; i++)
		fp |= !isnan(tr->helpers[i].footprint);
	if (fp)
		s->helpers_mem_metric = "footprint";
	for (size_t i = 0; i < tr->nhelpers; i++) {
		const struct an_helper_row *h = &tr->helpers[i];
		double m = fp ? h->footprint : h->rss;
		if (!isnan(m) && m > s->helpers_mem_peak)
			s->helpers_mem_peak = m;
		if (!isnan(h->cpu_s))
			s->helpers_cpu_seconds += h->cpu_s;
	}
}

/* ======================= Process side ======================= */

static int
summarize_procs(const struct an_trace *tr, struct an_summary *s)
{
	double *cpu = malloc((tr->nrows + 1) * sizeof(*cpu));
	double gpu_s = 0, gpu_dt = 0, t0, t1;
	size_t n = 0;
	int gpu_any = 0, cpu_any = 0;

	if (cpu == NULL)
		return -1;
	s->samples = tr->timeline == AN_TL_PROC ? tr->nrows : 0;
	s->procs_seen = tr->nprocs;
	an_timeline_span(tr, &t0, &t1);
	s->duration_s = t1 - t0;
	s->rss = mem_of(tr, offsetof(struct an_row, rss));
	s->footprint = mem_of(tr, offsetof(struct an_row, footprint));
	s->pss = mem_of(tr, offsetof(struct an_row, pss));
	s->pss_end_age_s = pss_end_age(tr);
	s->mem_metric = isnan(s->footprint.peak) ? "rss" : "footprint";
	s->threads_max = NAN;
	for (size_t i = 0; i < tr->nrows; i++) {
		const struct an_row *r = &tr->rows[i];
		if (!isnan(r->threads) && (isnan(s->threads_max) || r->threads > s->threads_max))
			s->threads_max = r->threads;
		if (r->gap) {
			s->gaps++;
			s->gap_seconds += r->dt;
		}
		if (isnan(r->cpu_s))
			continue;
		cpu_any = 1;
		s->cpu_seconds += r->cpu_s;
		if (!r->gap && r->dt > 0)
			cpu[n++] = 100 * r->cpu_s / r->dt;
		if (!isnan(r->gpu_s)) {
			gpu_any = 1;
			gpu_s += r->gpu_s;
			gpu_dt += r->gpu_dt;
		}
	}
	s->cpu = stat_of(cpu, n);
	if (!cpu_any)
		s->cpu_seconds = NAN;	/* not recorded, not 0 */
	s->app_gpu_seconds = gpu_any ? gpu_s : NAN;
	s->app_gpu_mean_pct = gpu_any && gpu_dt > 0 ? 100 * gpu_s / gpu_dt : NAN;
	disk_totals(tr, s);
	free(cpu);
	return 0;
}

/* ======================= Power: powermetrics or IOReport ======================= */

/* Seconds power sample i of a covers (its own elapsed time). */
static double
sample_seconds(const struct an_trace *tr, const struct an_pm *a, size_t i)
{
	const struct an_pm *p = &a[i];

	if (!isnan(p->elapsed_ms))
		return p->elapsed_ms / 1e3;
	if (i > 0)
		return p->t_end - a[i - 1].t_end;
	return tr->interval_s;
}

/* Whether a power sample has any value (an IOReport gap has none). */
static int
has_value(const struct an_pm *p)
{
	return !isnan(p->gpu_w) || !isnan(p->ane_w) || !isnan(p->cpu_w) ||
	    !isnan(p->dram_w) || !isnan(p->gpu_active_pct);
}

/* Seconds the samples a[0..n) with a value cover. */
static double
covered_seconds(const struct an_trace *tr, const struct an_pm *a, size_t n)
{
	double sec = 0;

	for (size_t i = 0; i < n; i++) {
		double dt = sample_seconds(tr, a, i);
		if (dt > 0 && has_value(&a[i]))
			sec += dt;
	}
	return sec;
}

/* Seconds sample i of the chosen power source covers. */
static double
pm_seconds(const struct an_trace *tr, size_t i)
{
	return sample_seconds(tr, tr->power, i);
}

/* Adds one sample's value of a rail. */
static void
power_add(struct an_power *pw, double w, double sec)
{
	if (isnan(w))
		return;
	if (isnan(pw->energy_j)) {
		pw->energy_j = 0;
		pw->max_w = w;
	}
	pw->energy_j += w * sec;
	pw->seconds += sec;
	if (w > pw->max_w)
		pw->max_w = w;
}

static void
power_done(struct an_power *pw)
{
	pw->mean_w = pw->seconds > 0 ? pw->energy_j / pw->seconds : NAN;
}

static int
summarize_pm(const struct an_trace *tr, struct an_summary *s)
{
	double *act = malloc((tr->npower + 1) * sizeof(*act)), act_w = 0, act_sec = 0;
	size_t n = 0;
	struct an_power init = { NAN, NAN, NAN, 0 };

	if (act == NULL)
		return -1;
	s->gpu = s->ane = s->cpu_power = s->combined = s->dram = init;
	s->pm_samples = tr->npm;
	s->pm_seconds = covered_seconds(tr, tr->pm, tr->npm);
	s->power_samples = tr->npower;
	s->power_source = tr->power_source;
	s->ior_readings = (size_t)tr->ior_readings;
	for (size_t i = 0; i < tr->npower; i++) {
		const struct an_pm *p = &tr->power[i];
		double sec = pm_seconds(tr, i);
		if (!(sec > 0))
			continue;
		if (has_value(p))
			s->power_seconds += sec;	/* a gap (all unknown) covers nothing */
		power_add(&s->gpu, p->gpu_w, sec);
		power_add(&s->ane, p->ane_w, sec);
		power_add(&s->cpu_power, p->cpu_w, sec);
		power_add(&s->combined, p->combined_w, sec);
		power_add(&s->dram, p->dram_w, sec);
		if (!isnan(p->ane_w) && p->ane_w > s->ane_threshold_w)
			s->ane_active_s += sec;
		if (!isnan(p->gpu_active_pct)) {
			act[n++] = p->gpu_active_pct;
			act_w += p->gpu_active_pct * sec;
			act_sec += sec;
		}
	}
	power_done(&s->gpu);
	power_done(&s->ane);
	power_done(&s->cpu_power);
	power_done(&s->combined);
	power_done(&s->dram);
	s->gpu_active = stat_of(act, n);
	if (act_sec > 0)
		s->gpu_active.mean = act_w / act_sec;	/* weighted by sample length */
	s->ane_active_share = s->ane.seconds > 0 ? s->ane_active_s / s->ane.seconds : NAN;
	if (s->pm_samples == 0)
		s->pm_seconds = NAN;	/* not recorded, not 0 */
	if (s->power_samples == 0)
		s->power_seconds = s->ane_active_s = NAN;
	free(act);
	return 0;
}

/* A domain's power in a sample: CPU, GPU, ANE, DRAM (enum ior_domain). */
static double
domain_w(const struct an_pm *p, int d)
{
	switch (d) {
	case IOR_CPU: return p->cpu_w;
	case IOR_GPU: return p->gpu_w;
	case IOR_ANE: return p->ane_w;
	default: return p->dram_w;
	}
}

/* Mean power of domain d over the samples of a that end within [t0, t1]. */
static double
mean_between(const struct an_trace *tr, const struct an_pm *a, size_t n, int d,
    double t0, double t1)
{
	double j = 0, sec = 0;

	for (size_t i = 0; i < n; i++) {
		double w = domain_w(&a[i], d), dt = sample_seconds(tr, a, i);
		if (isnan(w) || !(dt > 0) || a[i].t_end < t0 || a[i].t_end > t1)
			continue;
		j += w * dt;
		sec += dt;
	}
	return sec > 0 ? j / sec : NAN;
}

/*
 * With both sources in the trace: each domain's mean power from each over
 * the time both cover, and how far IOReport is from powermetrics.
 */
static void
summarize_xcheck(const struct an_trace *tr, struct an_summary *s)
{
	struct an_xcheck *x = &s->xcheck;
	double pm0, ior0;

	memset(x, 0, sizeof(*x));
	x->seconds = NAN;
	for (int d = 0; d < IOR_NDOMAINS; d++)
		x->pm_w[d] = x->ior_w[d] = x->diff_pct[d] = NAN;
	if (tr->npm == 0 || tr->nior == 0)
		return;
	pm0 = isnan(tr->pm[0].t_start) ? tr->pm[0].t_end : tr->pm[0].t_start;
	ior0 = tr->ior[0].t_start;
	x->t0 = pm0 > ior0 ? pm0 : ior0;
	x->t1 = tr->pm[tr->npm - 1].t_end < tr->ior[tr->nior - 1].t_end ?
	    tr->pm[tr->npm - 1].t_end : tr->ior[tr->nior - 1].t_end;
	x->have = x->t1 > x->t0;
	if (!x->have)
		return;
	x->seconds = x->t1 - x->t0;
	for (int d = 0; d < IOR_NDOMAINS; d++) {
		x->pm_w[d] = mean_between(tr, tr->pm, tr->npm, d, x->t0, x->t1);
		x->ior_w[d] = mean_between(tr, tr->ior, tr->nior, d, x->t0, x->t1);
		x->diff_pct[d] = x->pm_w[d] > 0 ? 100 * (x->ior_w[d] - x->pm_w[d]) /
		    x->pm_w[d] : NAN;
	}
}

static void
summarize_swap(const struct an_trace *tr, struct an_summary *s)
{
	s->swap_start = s->swap_peak = NAN;
	for (size_t i = 0; i < tr->nsys; i++) {
		double v = tr->sys[i].swap_used;
		if (isnan(v))
			continue;
		if (isnan(s->swap_start))
			s->swap_start = v;
		if (isnan(s->swap_peak) || v > s->swap_peak)
			s->swap_peak = v;
	}
}

/* ======================= Marks ======================= */

/*
 * Memory at the last row at or before t (the first row if none), skipping
 * rows at 0 bytes: those are a process that has exited, not a live one.
 */
static double
mem_at(const struct an_trace *tr, double t)
{
	double v = NAN;

	for (size_t i = 0; i < tr->nrows && (tr->rows[i].t <= t || isnan(v)); i++)
		if (an_row_mem(tr, i) > 0)
			v = an_row_mem(tr, i);
	return v;
}

/* CPU and energy of the interval (t0, t1]. */
static void
segment_fill(const struct an_trace *tr, struct an_segment *g)
{
	double cpu = 0, dt = 0, gsec = 0, asec = 0;
	int gk = 0, ak = 0;

	for (size_t i = 0; i < tr->nrows; i++) {
		const struct an_row *r = &tr->rows[i];
		if (r->t > g->t0 && r->t <= g->t1 && !isnan(r->cpu_s) && !r->gap) {
			cpu += r->cpu_s;
			dt += r->dt;
		}
	}
	g->cpu_mean_pct = dt > 0 ? 100 * cpu / dt : NAN;
	g->gpu_j = g->ane_j = 0;
	for (size_t i = 0; i < tr->npower; i++) {
		const struct an_pm *p = &tr->power[i];
		double sec = pm_seconds(tr, i);
		if (p->t_end <= g->t0 || p->t_end > g->t1 || !(sec > 0))
			continue;
		if (!isnan(p->gpu_w)) {
			g->gpu_j += p->gpu_w * sec;
			gsec += sec;
			gk = 1;
		}
		if (!isnan(p->ane_w)) {
			g->ane_j += p->ane_w * sec;
			asec += sec;
			ak = 1;
		}
	}
	g->gpu_w = gk && gsec > 0 ? g->gpu_j / gsec : NAN;
	g->ane_w = ak && asec > 0 ? g->ane_j / asec : NAN;
	if (!gk)
		g->gpu_j = NAN;
	if (!ak)
		g->ane_j = NAN;
	g->mem_start = mem_at(tr, g->t0);
	g->mem_end = mem_at(tr, g->t1);
}

/* Least-squares slope of memory after each mark against the mark's index. */
static void
summarize_trend(struct an_summary *s)
{
	double sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0, n = 0;

	s->trend_gb_per_mark = s->trend_r2 = NAN;
	for (size_t k = 1; k < s->nseg; k++) {
		double x = (double)k, y = s->seg[k].mem_end / 1e9;
		if (isnan(y))
			continue;
		sx += x;
		sy += y;
		sxx += x * x;
		sxy += x * y;
		syy += y * y;
		n++;
	}
	s->trend_points = (size_t)n;
	if (n < 2 || n * sxx - sx * sx == 0)
		return;
	s->trend_gb_per_mark = (n * sxy - sx * sy) / (n * sxx - sx * sx);
	if (n * syy - sy * sy > 0)
		s->trend_r2 = pow(n * sxy - sx * sy, 2) /
		    ((n * sxx - sx * sx) * (n * syy - sy * sy));
}

static int
summarize_marks(const struct an_trace *tr, struct an_summary *s)
{
	double start, end;

	an_timeline_span(tr, &start, &end);
	s->marks = tr->nmarks;
	s->nseg = tr->nmarks + 1;
	if ((s->seg = calloc(s->nseg, sizeof(*s->seg))) == NULL)
		return -1;
	for (size_t k = 0; k < s->nseg; k++) {
		struct an_segment *g = &s->seg[k];
		g->t0 = k == 0 ? start : tr->marks[k - 1].t;
		g->t1 = k < tr->nmarks ? tr->marks[k].t : end;
		if (g->t1 < g->t0)
			g->t1 = g->t0;
		g->mark = k == 0 ? 0 : tr->marks[k - 1].number;
		g->label = k == 0 ? NULL : tr->marks[k - 1].label;
		g->label_len = k == 0 ? 0 : tr->marks[k - 1].len;
		segment_fill(tr, g);
	}
	summarize_trend(s);
	return 0;
}

int
an_summarize(const struct an_trace *tr, double ane_threshold_w, struct an_summary *s)
{
	memset(s, 0, sizeof(*s));
	s->ane_threshold_w = ane_threshold_w;
	if (summarize_procs(tr, s) != 0 || summarize_pm(tr, s) != 0)
		return -1;
	summarize_xcheck(tr, s);
	summarize_swap(tr, s);
	helpers_totals(tr, s);
	return summarize_marks(tr, s);
}

void
an_summary_free(struct an_summary *s)
{
	free(s->seg);
	s->seg = NULL;
}
