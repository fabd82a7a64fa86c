/*
 * an_load.c - reads a trace with the format library and builds the model
 * of an_trace.h: process samples summed per row (CPU by an_cpu.c), system
 * samples, powermetrics re-split from the raw byte stream and re-parsed
 * (pm_parse.c), IOReport readings turned into power intervals
 * (ior_power.c), marks, events, processes seen and the reader's problems.
 * It computes no statistics (an_summary.c) and writes nothing.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "an_check.h"
#include "an_cpu.h"
#include "an_helpers.h"
#include "an_smooth.h"
#include "an_trace.h"
#include "cmn_array.h"
#include "cmn_units.h"
#include "powermetrics/pm_parse.h"

/* Loading state that does not outlive an_load(). */
struct loader {
	struct an_trace *tr;
	struct an_pstate *prev, *cur;	/* previous and current PROC sample */
	size_t nprev, cap;
	long *match;
	double prev_t;
	int have_prev;
	double first_cpu_s;		/* CPU used before the first sample (not in any row) */
	double last_io_t, last_gpu_t;	/* when disk bytes / GPU time were last read; NaN */
	uint8_t *pm;			/* raw powermetrics bytes not yet split */
	size_t pm_len, pm_cap;
	struct { size_t end; double t; } *seg;	/* which record brought which bytes */
	size_t nseg, seg_cap;
	struct pm_sample *ps;		/* parse scratch (large) */
	uint64_t bad_clocks;		/* CLOCK records refused */
	uint64_t bad_pm_values;		/* powermetrics values out of range */
	uint64_t bad_values;		/* process and system values out of range */
	uint64_t last_t[PMT_REC_HELPERS + 1];	/* latest time per record type (ns) */
	uint64_t late[PMT_REC_HELPERS + 1];	/* records before it: refused or held */
	struct ior_calc *ior;		/* IOReport math (large) */
	struct an_helpers_acc helpers;	/* HELPERS records (an_helpers.c) */
	uint64_t ior_hash;		/* the current channel table's hash */
	double own_scale, child_scale;	/* CPU units check: factors applied (1: none) */
	int oom;
};

static int calibration_on = 1;	/* an_load_calibration() */

void
an_load_calibration(int on)
{
	calibration_on = on;
}

/* Grows an array to hold n+1 elements of size sz.  Returns 0 or -1. */
static int
grow_array(void **p, size_t *cap, size_t n, size_t sz)
{
	return cmn_array_grow(p, cap, n + 1, sz) == 0 ? 0 : -1;
}

/*
 * Resizes *p to n elements of size sz (at least one).  Returns 0, or -1 with
 * *p unchanged (still valid, still the caller's to free).
 */
static int
resize_array(void **p, size_t n, size_t sz)
{
	void *q;

	if (n == 0)
		n = 1;
	if (n > SIZE_MAX / sz || (q = realloc(*p, n * sz)) == NULL)
		return -1;
	*p = q;
	return 0;
}

#define PUSH(ld, arr, n, cap) \
	(grow_array((void **)&(arr), &(cap), (n), sizeof(*(arr))) == 0 ? \
	&(arr)[(n)++] : ((ld)->oom = 1, NULL))

static double
ns_to_s(uint64_t t)
{
	return (double)t / 1e9;
}

/* ======================= Header ======================= */

/* Copies the header and its strings (the reader's copy dies with it). */
static void
load_header(struct loader *ld, const struct pmt_header *h)
{
	struct an_trace *tr = ld->tr;
	const char **s[] = { &tr->hdr.writer, &tr->hdr.command_line, &tr->hdr.host,
	    &tr->hdr.platform, &tr->hdr.os_name, &tr->hdr.os_version,
	    &tr->hdr.os_build, &tr->hdr.chip, &tr->hdr.model,
	    &tr->hdr.ane_cores_source, &tr->hdr.target_name,
	    &tr->hdr.target_version, &tr->hdr.core_tick_states,
	    &tr->hdr.costly_what, &tr->hdr.pm_command, &tr->hdr.timezone,
	    &tr->hdr.core_levels, &tr->hdr.os_version_raw, &tr->hdr.os_release,
	    &tr->hdr.helpers_lookup };
	size_t total = 0, off = 0;

	tr->hdr = *h;
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		total += *s[i] ? strlen(*s[i]) + 1 : 0;
	if ((tr->hdr_strings = malloc(total + 1)) == NULL) {
		ld->oom = 1;
		pmt_header_init(&tr->hdr);
		return;
	}
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		size_t n;
		if (*s[i] == NULL)
			continue;
		n = strlen(*s[i]) + 1;
		memcpy(tr->hdr_strings + off, *s[i], n);
		*s[i] = tr->hdr_strings + off;
		off += n;
	}
	tr->have_hdr = 1;
	an_check_header(tr);
	if (tr->hdr.helpers_lookup != NULL && tr->hdr.helpers_lookup[0] != '\0')
		tr->helpers_known = 1;	/* looked for, even if none was found */
	/* 1.0 traces say nothing: Linux always added reaped children's bytes */
	tr->io_children = tr->hdr.io_children >= 0 ? tr->hdr.io_children > 0 :
	    tr->hdr.platform != NULL && strcmp(tr->hdr.platform, "linux") == 0;
}

/* ======================= Process samples ======================= */

/* The an_proc of a process seen for the first time. */
static size_t
proc_new(struct loader *ld, const struct pmt_proc *r, double t)
{
	struct an_trace *tr = ld->tr;
	struct an_proc *p = PUSH(ld, tr->procs, tr->nprocs, tr->procs_cap);

	if (p == NULL)
		return 0;
	memset(p, 0, sizeof(*p));
	p->pid = r->pid;
	p->ppid = (int32_t)r->v[PMT_F_PPID];
	p->start = r->v[PMT_F_START];
	p->first_t = p->last_t = t;
	if (r->have & PMT_HAVE(PMT_F_NAME)) {
		memcpy(p->name, r->name, r->name_len);
		p->name[r->name_len] = '\0';
	}
	return tr->nprocs - 1;
}

/* v times f (f 1: v), rounded, at most UINT64_MAX. */
static uint64_t
scale_u64(uint64_t v, double f)
{
	double x;

	if (f == 1)
		return v;
	x = (double)v * f + 0.5;
	return x >= 18446744073709549568.0 ? UINT64_MAX : (uint64_t)x;
}

/*
 * Fills a process state from a trace row; CPU in ns (the tick counters
 * converted by the header's cpu_time_num/den, which must be valid, then
 * scaled by the units check's factors: 1 unless it found them off).
 */
static void
pstate_fill(const struct loader *ld, struct an_pstate *s, const struct pmt_proc *r)
{
	const struct an_trace *tr = ld->tr;
	uint32_t h = r->have;
	int unit_ok = !isnan(tr->cpu_ns_per_unit);
	uint64_t num = tr->hdr.cpu_time_num, den = tr->hdr.cpu_time_den;

	memset(s, 0, sizeof(*s));
	s->pid = r->pid;
	s->ppid = (int32_t)r->v[PMT_F_PPID];
	s->start = r->v[PMT_F_START];
	s->has_start = (h & PMT_HAVE(PMT_F_START)) != 0;
	s->has_cpu = unit_ok && (h & PMT_HAVE(PMT_F_USER)) && (h & PMT_HAVE(PMT_F_SYSTEM));
	if (s->has_cpu)
		s->own = scale_u64(pmt_ticks_to_ns(r->v[PMT_F_USER], num, den) +
		    pmt_ticks_to_ns(r->v[PMT_F_SYSTEM], num, den), ld->own_scale);
	s->has_fine = (h & PMT_HAVE(PMT_F_CPU_NS)) != 0;
	s->own_fine = r->v[PMT_F_CPU_NS];
	s->has_child = unit_ok && (h & PMT_HAVE(PMT_F_CHILD_USER)) &&
	    (h & PMT_HAVE(PMT_F_CHILD_SYSTEM));
	if (s->has_child)
		s->child = scale_u64(pmt_ticks_to_ns(r->v[PMT_F_CHILD_USER], num, den) +
		    pmt_ticks_to_ns(r->v[PMT_F_CHILD_SYSTEM], num, den), ld->child_scale);
	s->has_gpu = (h & PMT_HAVE(PMT_F_GPU_NS)) != 0;
	s->gpu_ns = r->v[PMT_F_GPU_NS];
	s->has_io = (h & PMT_HAVE(PMT_F_READ_BYTES)) && (h & PMT_HAVE(PMT_F_WRITE_BYTES));
	s->rd = r->v[PMT_F_READ_BYTES];
	s->wr = r->v[PMT_F_WRITE_BYTES];
}

/* A process's field f when it has one no greater than max, else NaN (counted). */
static double
proc_value(struct loader *ld, const struct pmt_proc *r, int f, double max)
{
	if (!(r->have & PMT_HAVE(f)))
		return NAN;
	return an_check_max((double)r->v[f], max, &ld->bad_values);
}

/* Sums a sample's memory, threads, processes into row. */
static void
row_sums(struct loader *ld, struct an_row *row, const struct pmt_proc *rows, size_t n)
{
	int any_fp = 0, any_thr = 0;

	row->rss = row->footprint = row->threads = 0;
	row->procs = (int)n;
	for (size_t i = 0; i < n; i++) {
		const struct pmt_proc *r = &rows[i];
		double rss = proc_value(ld, r, PMT_F_RSS, AN_MAX_BYTES);
		double thr = proc_value(ld, r, PMT_F_THREADS, AN_MAX_THREADS);
		double fp = proc_value(ld, r, PMT_F_FOOTPRINT, AN_MAX_BYTES);
		/* an impossible value (NaN) makes the sum unknown */
		if (r->have & PMT_HAVE(PMT_F_RSS))
			row->rss += rss;
		if (r->have & PMT_HAVE(PMT_F_THREADS)) {
			any_thr = 1;
			row->threads += thr;
		}
		if (r->have & PMT_HAVE(PMT_F_FOOTPRINT)) {
			any_fp = 1;
			row->footprint += fp;
		}
	}
	if (!any_fp)
		row->footprint = NAN;
	if (!any_thr)
		row->threads = NAN;
}

/*
 * PSS is read only now and then (Linux: at most every 2 s, and for a large
 * process less often), not in the same sample for every process: a row's
 * PSS is the sum of each process's latest reading (carried forward), and
 * pss_age says how old the oldest of them is.  Unknown until every process
 * of the row has had one.
 */
static void
row_pss(struct loader *ld, struct an_row *row, size_t n)
{
	double oldest = row->t;

	row->pss = n > 0 ? 0 : NAN;
	for (size_t i = 0; i < n && !isnan(row->pss); i++) {
		const struct an_pstate *c = &ld->cur[i];
		if (!c->has_pss) {
			row->pss = NAN;
			break;
		}
		row->pss += c->pss;
		oldest = c->pss_t < oldest ? c->pss_t : oldest;
	}
	row->pss_age = isnan(row->pss) ? NAN : row->t - oldest;
}

/* Growth of a process's own CPU (ns) from a to b, as an_cpu.c counts it. */
static uint64_t
own_growth(const struct an_pstate *a, const struct an_pstate *b)
{
	if (a->has_fine && b->has_fine)
		return b->own_fine > a->own_fine ? b->own_fine - a->own_fine : 0;
	if (a->has_cpu && b->has_cpu)
		return b->own > a->own ? b->own - a->own : 0;
	return 0;
}

/* Updates the processes seen after an interval was accounted. */
static void
procs_update(struct loader *ld, const struct pmt_proc *rows, size_t n, double t)
{
	struct an_trace *tr = ld->tr;

	for (size_t i = 0; i < n; i++) {
		struct an_pstate *c = &ld->cur[i];
		struct an_proc *p;
		if (ld->match[i] >= 0)
			c->proc = ld->prev[ld->match[i]].proc;
		else
			c->proc = proc_new(ld, &rows[i], t);
		if (ld->oom || c->proc >= tr->nprocs)
			continue;
		p = &tr->procs[c->proc];
		p->last_t = t;
		if ((rows[i].have & PMT_HAVE(PMT_F_NAME)) && (rows[i].name_len !=
		    strlen(p->name) || memcmp(p->name, rows[i].name, rows[i].name_len) != 0)) {
			memcpy(p->name, rows[i].name, rows[i].name_len);	/* renamed by exec */
			p->name[rows[i].name_len] = '\0';
		}
		if (ld->match[i] >= 0) {
			double s = (double)own_growth(&ld->prev[ld->match[i]], c) / 1e9;
			if (s <= (t - ld->prev_t) * AN_MAX_CORES)	/* else a jump: counted in the row */
				p->cpu_s += s;
		}
		if ((rows[i].have & PMT_HAVE(PMT_F_RSS)) && (double)rows[i].v[PMT_F_RSS] <=
		    AN_MAX_BYTES && rows[i].v[PMT_F_RSS] > p->peak_rss)
			p->peak_rss = (double)rows[i].v[PMT_F_RSS];
	}
}

/*
 * Counters read only now and then (disk bytes, GPU time): a process that
 * lacks them in this sample keeps its last read values, so the next read
 * measures growth since then.
 */
static void
carry_forward(struct loader *ld, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct an_pstate *p;
		if (ld->match[i] < 0)
			continue;
		p = &ld->prev[ld->match[i]];
		if (!ld->cur[i].has_io && p->has_io) {
			ld->cur[i].has_io = 1;
			ld->cur[i].rd = p->rd;
			ld->cur[i].wr = p->wr;
		}
		if (!ld->cur[i].has_gpu && p->has_gpu) {
			ld->cur[i].has_gpu = 1;
			ld->cur[i].gpu_ns = p->gpu_ns;
		}
		if (!ld->cur[i].has_pss && p->has_pss) {
			ld->cur[i].has_pss = 1;
			ld->cur[i].pss = p->pss;
			ld->cur[i].pss_t = p->pss_t;
		}
	}
}

/* Fills a row's CPU, GPU and I/O of the interval just accounted. */
static void
row_usage(struct loader *ld, struct an_row *row, const struct an_usage *u, double t)
{
	struct an_trace *tr = ld->tr;

	row->dt = row->cpu_s = row->gpu_s = row->read_b = row->write_b = NAN;
	row->gpu_dt = row->io_dt = NAN;
	if (ld->have_prev && t > ld->prev_t) {
		row->dt = t - ld->prev_t;
		row->cpu_s = isnan(tr->cpu_ns_per_unit) && !u->fine ? NAN :
		    an_check_max((double)u->cpu / 1e9, row->dt * AN_MAX_CORES, &ld->bad_values);
		row->cpu_coarse = u->coarse;
		row->gap = tr->interval_s > 0 && row->dt > 3 * tr->interval_s;
	}
	if (u->gpu_known) {
		if (!isnan(ld->last_gpu_t) && t > ld->last_gpu_t) {
			row->gpu_dt = t - ld->last_gpu_t;
			row->gpu_s = an_check_max((double)u->gpu_ns / 1e9,
			    row->gpu_dt * AN_MAX_CORES, &ld->bad_values);
		}
		ld->last_gpu_t = t;
	}
	if (u->io_known) {
		if (!isnan(ld->last_io_t) && t > ld->last_io_t) {
			row->io_dt = t - ld->last_io_t;
			row->read_b = an_check_max((double)u->rd, row->io_dt * AN_MAX_IO_BPS,
			    &ld->bad_values);
			row->write_b = an_check_max((double)u->wr, row->io_dt * AN_MAX_IO_BPS,
			    &ld->bad_values);
		}
		ld->last_io_t = t;
	}
}

/* One PROC record: a row with the interval's CPU, GPU time and I/O. */
static void
load_proc(struct loader *ld, const struct pmt_record *rec)
{
	struct an_trace *tr = ld->tr;
	size_t n = rec->u.proc.n;
	double t = ns_to_s(rec->t);
	struct an_row *row;
	struct an_usage u;
	struct an_pstate *tmp;

	if (grow_array((void **)&ld->cur, &ld->cap, n, sizeof(*ld->cur)) != 0 ||
	    resize_array((void **)&ld->prev, ld->cap, sizeof(*ld->prev)) != 0 ||
	    resize_array((void **)&ld->match, ld->cap + 1, sizeof(*ld->match)) != 0 ||
	    (row = PUSH(ld, tr->rows, tr->nrows, tr->rows_cap)) == NULL) {
		ld->oom = 1;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		double pss = proc_value(ld, &rec->u.proc.rows[i], PMT_F_PSS, AN_MAX_BYTES);
		pstate_fill(ld, &ld->cur[i], &rec->u.proc.rows[i]);
		ld->cur[i].has_pss = !isnan(pss);
		ld->cur[i].pss = pss;
		ld->cur[i].pss_t = t;
	}
	an_cpu_interval(ld->have_prev ? ld->prev : NULL, ld->have_prev ? ld->nprev : 0,
	    ld->cur, n, ld->match, tr->io_children, &u);
	if (!ld->have_prev)
		ld->first_cpu_s = (double)u.cpu / 1e9;
	memset(row, 0, sizeof(*row));
	row->t = t;
	row_sums(ld, row, rec->u.proc.rows, n);
	row_usage(ld, row, &u, t);
	procs_update(ld, rec->u.proc.rows, n, t);
	carry_forward(ld, n);
	row_pss(ld, row, n);
	tmp = ld->prev;
	ld->prev = ld->cur;
	ld->cur = tmp;
	ld->nprev = n;
	ld->prev_t = t;
	ld->have_prev = 1;
}

/* ======================= System samples ======================= */

/* A system value in bytes, NaN when not recorded or beyond 1 PiB (counted). */
static double
sys_val(struct loader *ld, const struct pmt_sys *s, int f)
{
	if (!(s->have & PMT_HAVE(f)))
		return NAN;
	return an_check_max((double)s->v[f], AN_MAX_BYTES, &ld->bad_values);
}

static void
load_sys(struct loader *ld, const struct pmt_record *rec)
{
	struct an_trace *tr = ld->tr;
	const struct pmt_sys *s = rec->u.sys;
	struct an_sys *o = PUSH(ld, tr->sys, tr->nsys, tr->sys_cap);
	size_t nt = (s->have & PMT_HAVE(PMT_S_TICKS)) ? (size_t)s->ncpu * s->nstates : 0;

	if (o == NULL)
		return;
	o->t = ns_to_s(rec->t);
	o->swap_used = sys_val(ld, s, PMT_S_SWAP_USED);
	o->swap_total = sys_val(ld, s, PMT_S_SWAP_TOTAL);
	o->ram_total = sys_val(ld, s, PMT_S_RAM_TOTAL);
	o->ram_avail = sys_val(ld, s, PMT_S_RAM_AVAIL);
	o->ncpu = nt ? s->ncpu : 0;
	o->nstates = nt ? s->nstates : 0;
	o->ticks_off = tr->nticks;
	if (nt == 0)
		return;
	if (grow_array((void **)&tr->ticks, &tr->ticks_cap, tr->nticks + nt,
	    sizeof(*tr->ticks)) != 0) {
		ld->oom = 1;
		o->ncpu = o->nstates = 0;
		return;
	}
	memcpy(tr->ticks + tr->nticks, s->ticks, nt * sizeof(*s->ticks));
	tr->nticks += nt;
}

/* ======================= powermetrics ======================= */

/* Index of a cluster name in the trace's list (added if new), or -1. */
static int
cluster_index(struct an_trace *tr, const char *name)
{
	for (int i = 0; i < tr->ncl_names; i++)
		if (strcmp(tr->cl_names[i], name) == 0)
			return i;
	if (tr->ncl_names == 16)
		return -1;
	snprintf(tr->cl_names[tr->ncl_names], sizeof(tr->cl_names[0]), "%s", name);
	return tr->ncl_names++;
}

/* Keeps per-CPU and per-cluster activity of a sample (core distribution). */
static void
pm_keep_cores(struct loader *ld, struct an_pm *o, const struct pm_sample *s)
{
	struct an_trace *tr = ld->tr;
	size_t nc = (size_t)s->n_cpus, nk = (size_t)tr->ncl_names;

	o->cpu_off = tr->ncpu_pct;
	o->cl_off = tr->ncl;
	for (int i = 0; i < s->n_clusters; i++)
		cluster_index(tr, s->clusters[i].name);
	nk = (size_t)tr->ncl_names;
	if (grow_array((void **)&tr->cpu_pct, &tr->cpu_pct_cap, tr->ncpu_pct + nc,
	    sizeof(float)) != 0 || grow_array((void **)&tr->cl_pct, &tr->cl_cap,
	    tr->ncl + nk, sizeof(float)) != 0 ||
	    resize_array((void **)&tr->cl_mhz, tr->cl_cap, sizeof(float)) != 0) {
		ld->oom = 1;
		return;
	}
	for (size_t i = 0; i < nc; i++)
		tr->cpu_pct[tr->ncpu_pct + i] = (float)s->cpus[i].active_pct;
	for (size_t k = 0; k < nk; k++)
		tr->cl_pct[tr->ncl + k] = tr->cl_mhz[tr->ncl + k] = NAN;
	for (int i = 0; i < s->n_clusters; i++) {
		int k = cluster_index(tr, s->clusters[i].name);
		if (k >= 0) {
			tr->cl_pct[tr->ncl + (size_t)k] = (float)s->clusters[i].active_pct;
			tr->cl_mhz[tr->ncl + (size_t)k] = (float)s->clusters[i].freq_mhz;
		}
	}
	if (nc > (size_t)tr->ncpu_cluster && nc <= sizeof(tr->cpu_cluster)) {
		for (size_t i = 0; i < nc; i++) {	/* which cluster each CPU is in */
			int c = s->cpus[i].cluster;
			tr->cpu_cluster[i] = (int8_t)(c >= 0 && c < s->n_clusters ?
			    cluster_index(tr, s->clusters[c].name) : -1);
		}
		tr->ncpu_cluster = (int)nc;
	}
	o->ncpu = (uint16_t)nc;
	o->nclusters = (uint8_t)nk;
	tr->ncpu_pct += nc;
	tr->ncl += nk;
}

/* Parses one complete powermetrics sample that arrived by time t. */
static void
pm_unit(struct loader *ld, const uint8_t *p, size_t n, int is_pre, double t)
{
	struct an_trace *tr = ld->tr;
	struct pm_sample *s = ld->ps;
	struct an_pm *o;
	char why[160];

	if (is_pre) {
		pm_parse_preamble(p, n, tr->pm_model, sizeof(tr->pm_model),
		    tr->pm_os, sizeof(tr->pm_os));
		return;
	}
	if (pmt_pm_blank(p, n))
		return;		/* separators at the end of the stream */
	if (pm_parse_sample(p, n, s, why, sizeof(why)) != 0) {
		if (tr->nbad_pm < sizeof(tr->bad_pm) / sizeof(tr->bad_pm[0])) {
			tr->bad_pm[tr->nbad_pm].t = t;
			snprintf(tr->bad_pm[tr->nbad_pm].why, sizeof(tr->bad_pm[0].why),
			    "%s", why);
		}
		tr->nbad_pm++;
		return;
	}
	if (tr->npm == 0 && tr->pm_summaries == 0)
		tr->pm_format = s->format;
	if (tr->pm_model[0] == '\0' && s->hw_model[0] != '\0')	/* plist: in each sample */
		snprintf(tr->pm_model, sizeof(tr->pm_model), "%s", s->hw_model);
	if (tr->pm_os[0] == '\0' && s->os_build[0] != '\0')
		snprintf(tr->pm_os, sizeof(tr->pm_os), "%s", s->os_build);
	if (s->is_summary) {
		tr->pm_summaries++;
		return;
	}
	if ((o = PUSH(ld, tr->pm, tr->npm, tr->pm_cap)) == NULL)
		return;
	an_check_pm(s, &ld->bad_pm_values);
	o->t_end = t;
	o->elapsed_ms = s->elapsed_ms;
	o->t_start = isnan(s->elapsed_ms) ? NAN : t - s->elapsed_ms / 1e3;
	o->timestamp = s->timestamp;
	o->gpu_active_pct = s->gpu_active_pct;
	o->gpu_freq_mhz = s->gpu_freq_mhz;
	o->gpu_w = s->gpu_power_w;
	o->ane_w = s->ane_power_w;
	o->cpu_w = s->cpu_power_w;
	o->combined_w = s->combined_power_w;
	o->package_w = s->package_power_w;
	o->dram_w = s->dram_power_w;
	o->combined_derived = s->combined_derived;
	pm_keep_cores(ld, o, s);
}

/* The receive time of the byte at offset off of the pending stream. */
static double
pm_time_of(const struct loader *ld, size_t off)
{
	for (size_t i = 0; i < ld->nseg; i++)
		if (off < ld->seg[i].end)
			return ld->seg[i].t;
	return ld->nseg ? ld->seg[ld->nseg - 1].t : 0;
}

/*
 * Offset of the last byte of unit [off, off+n) that is not a separator (NUL,
 * white space), or of its last byte when it has only separators.
 */
static size_t
pm_last_content(const uint8_t *p, size_t off, size_t n)
{
	size_t k = off + n - 1;

	while (k > off && pmt_pm_blank(p + k, 1))
		k--;
	return k;
}

/*
 * Splits and parses every complete unit of the pending stream.  A unit's
 * time is when its last byte of content arrived (a plist's "</plist>", the
 * end of a text sample's last line), not when the next unit showed it was
 * complete, nor when white space after it trickled in.
 */
static void
pm_drain(struct loader *ld, int at_eof)
{
	size_t off = 0, n, k = 0;
	int pre;

	while (off < ld->pm_len &&
	    (n = pmt_pm_split(ld->pm + off, ld->pm_len - off, at_eof, &pre)) > 0) {
		pm_unit(ld, ld->pm + off, n, pre,
		    pm_time_of(ld, pm_last_content(ld->pm, off, n)));
		off += n;
	}
	if (off > 0 && off < ld->pm_len)
		memmove(ld->pm, ld->pm + off, ld->pm_len - off);
	ld->pm_len -= off;
	for (size_t i = 0; i < ld->nseg; i++) {	/* drop consumed segments */
		if (ld->seg[i].end <= off)
			continue;
		ld->seg[k].end = ld->seg[i].end - off;
		ld->seg[k++].t = ld->seg[i].t;
	}
	ld->nseg = k;
}

/* One PM record: its bytes continue the stream, re-split here. */
static void
load_pm(struct loader *ld, const struct pmt_record *rec)
{
	size_t n = rec->u.pm.len;

	ld->tr->pm_records++;
	ld->tr->pm_bytes += n;
	if (grow_array((void **)&ld->pm, &ld->pm_cap, ld->pm_len + n, 1) != 0 ||
	    grow_array((void **)&ld->seg, &ld->seg_cap, ld->nseg, sizeof(*ld->seg)) != 0) {
		ld->oom = 1;
		return;
	}
	memcpy(ld->pm + ld->pm_len, rec->u.pm.data, n);
	ld->pm_len += n;
	ld->seg[ld->nseg].end = ld->pm_len;
	ld->seg[ld->nseg++].t = ns_to_s(rec->t);
	pm_drain(ld, 0);
}

/* ======================= IOReport ======================= */

/* FNV-1a 64 of n bytes of p, continuing from h. */
static uint64_t
fnv1a(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ull;
	return h;
}

/* A hash of a channel table, to tell a repeated table from a new one. */
static uint64_t
ior_table_hash(const struct pmt_ior_table *t)
{
	uint64_t c = fnv1a(14695981039346656037ull, &t->n, sizeof(t->n));

	for (size_t i = 0; i < t->n; i++) {
		const struct pmt_ior_channel *h = &t->ch[i];
		const char *s[4] = { h->group, h->subgroup, h->name, h->unit };
		c = fnv1a(c, &h->kind, sizeof(h->kind));
		c = fnv1a(c, &h->nvalues, sizeof(h->nvalues));
		for (int k = 0; k < 4; k++)
			c = fnv1a(c, s[k], strlen(s[k]) + 1);
		for (uint32_t k = 0; k < h->nstates; k++)
			c = fnv1a(c, h->states[k], strlen(h->states[k]) + 1);
	}
	return c;
}

/* An IOR_CHANNELS record: a new table (the same one repeated per frame is not). */
static void
load_ior_table(struct loader *ld, const struct pmt_record *rec)
{
	const struct pmt_ior_table *t = rec->u.ior_channels;
	uint64_t hash = ior_table_hash(t);

	if (ld->ior->have_table && hash == ld->ior_hash)
		return;
	ld->ior_hash = hash;
	ld->ior->interval_s = ld->tr->interval_s;
	if (ior_calc_table(ld->ior, ns_to_s(rec->t), t) != 0)
		ld->oom = 1;
	ld->tr->ior_channels = t->n;
}

/* An IOR_SAMPLE record: the interval since the previous reading. */
static void
load_ior_sample(struct loader *ld, const struct pmt_record *rec)
{
	struct an_trace *tr = ld->tr;
	struct ior_interval iv;
	struct an_pm *o;
	int rc;

	tr->ior_readings++;
	if ((rc = ior_calc_reading(ld->ior, ns_to_s(rec->t), rec->u.ior_sample, &iv)) < 0)
		ld->oom = 1;
	if (rc != 1 || (o = PUSH(ld, tr->ior, tr->nior, tr->ior_cap)) == NULL)
		return;
	memset(o, 0, sizeof(*o));
	o->t_start = iv.t0;
	o->t_end = iv.t1;
	o->elapsed_ms = (iv.t1 - iv.t0) * 1e3;
	o->timestamp = o->gpu_freq_mhz = o->package_w = NAN;
	o->gpu_active_pct = iv.gpu_active_pct;
	o->cpu_w = iv.w[IOR_CPU];
	o->gpu_w = iv.w[IOR_GPU];
	o->ane_w = iv.w[IOR_ANE];
	o->dram_w = iv.w[IOR_DRAM];
	o->combined_w = o->cpu_w + o->gpu_w + o->ane_w;	/* NaN if any is */
	o->combined_derived = 1;
	o->cpu_off = tr->ncpu_pct;
	o->cl_off = tr->ncl;
}

/* Keeps what the IOReport math found: channel counts and issues. */
static void
load_ior_done(struct loader *ld)
{
	struct an_trace *tr = ld->tr;
	const struct ior_calc *c = ld->ior;

	memcpy(tr->ior_domain_ch, c->domain_ch, sizeof(tr->ior_domain_ch));
	tr->ior_state_ch = c->state_ch;
	memcpy(tr->ior_issues, c->issue, c->nissues * sizeof(c->issue[0]));
	tr->nior_issues = c->nissues;
	tr->ior_more_issues = c->more_issues;
}

/* ======================= Marks, events, clocks ======================= */

static char *
dup_bytes(const char *p, size_t n)
{
	char *s = malloc(n + 1);

	if (s != NULL) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

static void
load_other(struct loader *ld, const struct pmt_record *rec)
{
	struct an_trace *tr = ld->tr;
	struct an_mark *m;
	struct an_event *e;

	switch (rec->type) {
	case PMT_REC_MARK:
		if ((m = PUSH(ld, tr->marks, tr->nmarks, tr->marks_cap)) == NULL)
			return;
		m->t = ns_to_s(rec->t);
		m->number = rec->u.mark.number;
		m->len = rec->u.mark.len;
		if ((m->label = dup_bytes(rec->u.mark.label, m->len)) == NULL)
			ld->oom = 1;
		break;
	case PMT_REC_EVENT:
		if ((e = PUSH(ld, tr->events, tr->nevents, tr->events_cap)) == NULL)
			return;
		e->t = ns_to_s(rec->t);
		e->kind = rec->u.event.kind;
		e->value = rec->u.event.value;
		if ((e->msg = dup_bytes(rec->u.event.msg, rec->u.event.len)) == NULL)
			ld->oom = 1;
		if (e->kind == PMT_EV_TARGET_START && tr->hdr.target_pid < 0)
			tr->hdr.target_pid = e->value;	/* started after the header */
		if (e->kind == PMT_EV_REAPED && e->value >= 0 && isnan(tr->reaped_cpu_s)) {
			tr->reaped_cpu_s = (double)e->value / 1e9;
			tr->reaped_t = e->t;
		}
		break;
	case PMT_REC_CLOCK:
		if (rec->u.clock.wall_ns == 0)
			return;		/* no wall clock (an import without times) */
		if (!an_check_wall(rec->u.clock.wall_ns) ||
		    !an_check_offset(rec->u.clock.utc_offset_s)) {
			ld->bad_clocks++;
			return;
		}
		if (PUSH(ld, tr->clocks, tr->nclocks, tr->clocks_cap) == NULL)
			return;
		tr->clocks[tr->nclocks - 1].t = ns_to_s(rec->t);
		tr->clocks[tr->nclocks - 1].wall_ns = rec->u.clock.wall_ns;
		tr->clocks[tr->nclocks - 1].off = rec->u.clock.utc_offset_s;
		break;
	case PMT_REC_END:
		tr->end = *rec->u.end;
		tr->have_end = 1;
		break;
	}
}

/* ======================= Timeline without process data ======================= */

/*
 * A trace without process samples (an imported powermetrics log, a
 * recording whose target never ran) gets its timeline from its
 * powermetrics samples, else from its system samples: one row each, with
 * the tree's values unknown, so that the CSV, the figure and the summary
 * show what the trace does hold.
 */
static void
timeline_fallback(struct loader *ld)
{
	struct an_trace *tr = ld->tr;
	size_t n;

	if (tr->nrows > 0 || (tr->npm == 0 && tr->nior == 0 && tr->nsys == 0)) {
		tr->timeline = tr->nrows > 0 ? AN_TL_PROC : AN_TL_NONE;
		return;
	}
	tr->timeline = tr->npm > 0 ? AN_TL_PM : tr->nior > 0 ? AN_TL_IOR : AN_TL_SYS;
	n = tr->timeline == AN_TL_PM ? tr->npm : tr->timeline == AN_TL_IOR ? tr->nior :
	    tr->nsys;
	for (size_t i = 0; i < n; i++) {
		struct an_row *r = PUSH(ld, tr->rows, tr->nrows, tr->rows_cap);
		if (r == NULL)
			return;
		r->t = tr->timeline == AN_TL_PM ? tr->pm[i].t_end : tr->timeline ==
		    AN_TL_IOR ? tr->ior[i].t_end : tr->sys[i].t;
		r->dt = i > 0 ? r->t - r[-1].t : NAN;
		r->rss = r->footprint = r->pss = r->pss_age = r->cpu_s = r->threads = NAN;
		r->gpu_s = r->gpu_dt = r->read_b = r->write_b = r->io_dt = NAN;
		r->procs = -1;
		r->gap = i > 0 && tr->interval_s > 0 && r->dt > 3 * tr->interval_s;
	}
}

/* ======================= Entry ======================= */

/*
 * Keeps each series in time order (lookups bisect it): a process or system
 * sample or a clock record earlier than the one before is refused;
 * powermetrics bytes (a stream: none may be lost) and marks (typed by the
 * user) are held at the time before them.  Returns 0 to use the record.
 */
static int
time_order(struct loader *ld, struct pmt_record *rec)
{
	uint32_t k = rec->type;

	if (k == PMT_REC_HEADER || (k > PMT_REC_END && k != PMT_REC_HELPERS) ||
	    k == PMT_REC_EVENT || k == PMT_REC_END)
		return 0;
	if (rec->t >= ld->last_t[k]) {
		ld->last_t[k] = rec->t;
		return 0;
	}
	ld->late[k]++;
	if (k != PMT_REC_PM && k != PMT_REC_MARK)
		return -1;
	rec->t = ld->last_t[k];
	return 0;
}

/* Says how many records were out of time order. */
static void
time_order_note(struct loader *ld)
{
	static const struct { int type; const char *one, *many; } k[] = {
		{ PMT_REC_PROC, "process sample", "process samples" },
		{ PMT_REC_SYS, "system sample", "system samples" },
		{ PMT_REC_CLOCK, "clock record", "clock records" },
		{ PMT_REC_PM, "powermetrics record", "powermetrics records" },
		{ PMT_REC_MARK, "mark", "marks" },
		{ PMT_REC_HELPERS, "sample of the helpers outside the tree",
		    "samples of the helpers outside the tree" },
	};
	char skipped[200] = "", held[200] = "";
	size_t os = 0, oh = 0;

	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		uint64_t n = ld->late[k[i].type];
		int hold = k[i].type == PMT_REC_PM || k[i].type == PMT_REC_MARK;
		char *b = hold ? held : skipped;
		size_t *o = hold ? &oh : &os;
		if (n > 0 && *o < sizeof(skipped))
			*o += (size_t)snprintf(b + *o, sizeof(skipped) - *o, "%s%llu %s",
			    *o ? ", " : "", (unsigned long long)n, cmn_units_noun(n, k[i].one,
			    k[i].many));
	}
	if (os == 0 && oh == 0)
		return;
	an_check_refuse(ld->tr, "records out of time order: %s%s%s%s%s", skipped,
	    os ? " skipped" : "", os && oh ? "; " : "", held,
	    oh ? " held at the time before them" : "");
}

/*
 * The first units check: kept, judged (common/cmn_calib.c), and when its CPU
 * is off, the factors that make the CPU times of every later process
 * sample right (unless an_load_calibration(0)).
 */
static void
load_calib(struct loader *ld, const struct pmt_calib *c)
{
	struct an_calib *k = &ld->tr->calib;
	size_t n = c->note != NULL ? c->note_len : 0;

	if (k->have)
		return;		/* repeated at every frame: the first one counts */
	k->have = 1;
	k->set = c->have;
	memcpy(k->v, c->v, sizeof(k->v));
	if (n > PMT_CALIB_NOTE_MAX)
		n = PMT_CALIB_NOTE_MAX;
	if (n > 0)
		memcpy(k->note, c->note, n);
	k->note[n] = '\0';
	cmn_calib_judge(k->set, k->v, &k->verdict);
	k->disabled = !calibration_on;
	if (k->disabled || !(k->verdict.cpu_off || k->verdict.children_off))
		return;
	k->scaled = 1;
	ld->own_scale = k->verdict.cpu_scale;
	ld->child_scale = k->verdict.children_scale;
}

static void
load_record(struct loader *ld, struct pmt_record *rec)
{
	if (time_order(ld, rec) != 0)
		return;
	switch (rec->type) {
	case PMT_REC_HEADER: load_header(ld, rec->u.header); break;
	case PMT_REC_PROC: load_proc(ld, rec); break;
	case PMT_REC_SYS: load_sys(ld, rec); break;
	case PMT_REC_PM: load_pm(ld, rec); break;
	case PMT_REC_IOR_CHANNELS: load_ior_table(ld, rec); break;
	case PMT_REC_IOR_SAMPLE: load_ior_sample(ld, rec); break;
	case PMT_REC_CALIB: load_calib(ld, rec->u.calib); break;
	case PMT_REC_HELPERS:
		if (an_helpers_add(ld->tr, &ld->helpers, rec) != 0)
			ld->oom = 1;
		break;
	default: load_other(ld, rec); break;
	}
}

/*
 * Closes the CPU account with the started command's wait4 rusage (the
 * exact CPU of the whole tree it started): what the rows lack - a subtree
 * that ended between two samples, root included, when its last sample
 * could not be taken - goes to the row of the reaping (the final sample,
 * taken at the same t), or to a row of its own at that time when there is
 * none: the tree is gone then (no process, no memory).  Never takes away:
 * processes that left the tree (reparented) are in the rows, not in wait4.
 */
static void
close_account(struct loader *ld)
{
	struct an_trace *tr = ld->tr;
	struct an_row *last, *row;
	double seen = ld->first_cpu_s, extra;

	if (isnan(tr->reaped_cpu_s) || tr->nrows == 0)
		return;
	for (size_t i = 0; i < tr->nrows; i++)
		seen += isnan(tr->rows[i].cpu_s) ? 0 : tr->rows[i].cpu_s;
	if ((extra = tr->reaped_cpu_s - seen) <= 0)
		return;
	last = &tr->rows[tr->nrows - 1];
	if (tr->reaped_t <= last->t) {
		last->cpu_s = (isnan(last->cpu_s) ? 0 : last->cpu_s) + extra;
		if (isnan(last->dt) && tr->nrows > 1)
			last->dt = last->t - tr->rows[tr->nrows - 2].t;
	} else {
		if ((row = PUSH(ld, tr->rows, tr->nrows, tr->rows_cap)) == NULL)
			return;
		last = &tr->rows[tr->nrows - 2];
		memset(row, 0, sizeof(*row));
		row->t = tr->reaped_t;
		row->dt = row->t - last->t;
		row->cpu_s = extra;
		row->footprint = isnan(last->footprint) ? NAN : 0;
		row->pss = row->pss_age = row->gpu_s = row->gpu_dt = NAN;
		row->read_b = row->write_b = row->io_dt = NAN;
		row->gap = tr->interval_s > 0 && row->dt > 3 * tr->interval_s;
	}
	tr->cpu_closed_s = extra;
}

/* Keeps the reader's problems and statistics. */
static void
load_problems(struct an_trace *tr, pmt_reader *r)
{
	const struct pmt_problem *p;
	size_t n = pmt_reader_problems(r, &p);

	pmt_reader_version(r, &tr->major, &tr->minor);
	pmt_reader_stats(r, &tr->batches, &tr->frames);
	tr->more_problems = pmt_reader_more_problems(r);
	if (n > 0 && (tr->problems = malloc(n * sizeof(*p))) != NULL) {
		memcpy(tr->problems, p, n * sizeof(*p));
		tr->nproblems = n;
	} else {
		tr->more_problems += n;	/* no memory to list them: counted */
	}
}

int
an_load(struct an_trace *tr, const char *path, char *err, size_t errlen)
{
	struct loader ld = { .tr = tr, .last_io_t = NAN, .last_gpu_t = NAN,
	    .own_scale = 1, .child_scale = 1 };
	struct pmt_record rec;
	pmt_reader *r;
	struct stat st;
	int rc;

	memset(tr, 0, sizeof(*tr));
	pmt_header_init(&tr->hdr);
	tr->cpu_ns_per_unit = 1;
	tr->reaped_cpu_s = NAN;
	if ((rc = pmt_reader_open(&r, path, err, errlen)) != 0)
		return -1;
	tr->path = dup_bytes(path, strlen(path));
	tr->file_size = stat(path, &st) == 0 ? (uint64_t)st.st_size : pmt_reader_size(r);
	if ((ld.ps = malloc(sizeof(*ld.ps))) == NULL ||
	    (ld.ior = calloc(1, sizeof(*ld.ior))) == NULL) {
		snprintf(err, errlen, "out of memory");
		free(ld.ps);
		pmt_reader_close(r);
		return -1;
	}
	while (!ld.oom && pmt_reader_next(r, &rec) == 1)
		load_record(&ld, &rec);
	pm_drain(&ld, 1);
	close_account(&ld);
	an_smooth_cpu(tr->rows, tr->nrows, tr->cpu_ns_per_unit / 1e9,
	    (int)tr->hdr.cpus_logical);
	load_ior_done(&ld);
	an_power_choose(tr, AN_POWER_AUTO);
	timeline_fallback(&ld);
	time_order_note(&ld);
	an_check_counted(tr, ld.bad_values, ld.bad_pm_values, ld.bad_clocks);
	load_problems(tr, r);
	pmt_reader_close(r);
	free(ld.prev);
	free(ld.cur);
	free(ld.match);
	free(ld.pm);
	free(ld.seg);
	free(ld.ps);
	ior_calc_free(ld.ior);
	free(ld.ior);
	an_helpers_acc_free(&ld.helpers);
	if (ld.oom) {
		snprintf(err, errlen, "out of memory while loading the trace");
		an_free(tr);
		return -1;
	}
	return 0;
}

void
an_free(struct an_trace *tr)
{
	for (size_t i = 0; i < tr->nmarks; i++)
		free(tr->marks[i].label);
	for (size_t i = 0; i < tr->nevents; i++)
		free(tr->events[i].msg);
	free(tr->path);
	free(tr->hdr_strings);
	free(tr->rows);
	free(tr->helpers);
	free(tr->sys);
	free(tr->ticks);
	free(tr->pm);
	free(tr->ior);
	free(tr->cpu_pct);
	free(tr->cl_pct);
	free(tr->cl_mhz);
	free(tr->marks);
	free(tr->events);
	free(tr->procs);
	free(tr->clocks);
	free(tr->problems);
	memset(tr, 0, sizeof(*tr));
}
