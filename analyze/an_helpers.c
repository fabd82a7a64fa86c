/*
 * an_helpers.c - loads the HELPERS records (processes outside the tree that
 * worked for the target) into one row each: summed memory, processes, and
 * the CPU they used since the record before.  It keeps them apart from the
 * tree's timeline, which never includes them; it does not print.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "an_check.h"
#include "an_helpers.h"
#include "cmn_array.h"
#include "cmn_pid.h"

/* One helper as seen in one record. */
struct an_helper_state {
	int32_t pid;			/* first: cmn_pid tables */
	uint64_t start;			/* start token, 0 unknown */
	uint64_t cpu_ns;		/* own CPU, ns */
	int has_cpu;
};

/* Own CPU of row r in ns (fine reading if any, else the tick counters). */
static int
helper_cpu(const struct an_trace *tr, const struct pmt_proc *r, uint64_t *ns)
{
	uint32_t h = r->have;

	if (h & PMT_HAVE(PMT_F_CPU_NS)) {
		*ns = r->v[PMT_F_CPU_NS];
		return 1;
	}
	if (isnan(tr->cpu_ns_per_unit) || !(h & PMT_HAVE(PMT_F_USER)) ||
	    !(h & PMT_HAVE(PMT_F_SYSTEM)))
		return 0;
	*ns = pmt_ticks_to_ns(r->v[PMT_F_USER], tr->hdr.cpu_time_num,
	    tr->hdr.cpu_time_den) + pmt_ticks_to_ns(r->v[PMT_F_SYSTEM],
	    tr->hdr.cpu_time_num, tr->hdr.cpu_time_den);
	return 1;
}

/*
 * CPU s that row r (state c) used since the previous record, 0 when it
 * was not in it (a baseline) or is another process under the same pid.
 */
static double
helper_growth(const struct an_helpers_acc *a, const struct an_helper_state *c,
    int *is_new)
{
	size_t at;
	const struct an_helper_state *p;

	*is_new = 1;
	if (!a->have_prev || !cmn_pid_find(a->prev, a->nprev, sizeof(*a->prev), 0,
	    c->pid, &at))
		return 0;
	p = &a->prev[at];
	if (p->start != c->start)
		return 0;
	*is_new = 0;
	if (!p->has_cpu || !c->has_cpu || c->cpu_ns < p->cpu_ns)
		return 0;
	return (double)(c->cpu_ns - p->cpu_ns) / 1e9;
}

/* Sums the record's memory into row (values beyond reason counted in *bad). */
static void
helper_sums(const struct pmt_record *rec, struct an_helper_row *row,
    uint64_t *bad)
{
	const struct pmt_proc *rows = rec->u.proc.rows;
	int any_fp = 0;

	row->rss = row->footprint = 0;
	for (size_t i = 0; i < rec->u.proc.n; i++) {
		if (rows[i].have & PMT_HAVE(PMT_F_RSS))
			row->rss += an_check_max((double)rows[i].v[PMT_F_RSS],
			    AN_MAX_BYTES, bad);
		if (rows[i].have & PMT_HAVE(PMT_F_FOOTPRINT)) {
			any_fp = 1;
			row->footprint += an_check_max(
			    (double)rows[i].v[PMT_F_FOOTPRINT], AN_MAX_BYTES, bad);
		}
	}
	if (!any_fp)
		row->footprint = NAN;
}

/* Adds one HELPERS record (contract in an_helpers.h). */
int
an_helpers_add(struct an_trace *tr, struct an_helpers_acc *a,
    const struct pmt_record *rec)
{
	const struct pmt_proc *rows = rec->u.proc.rows;
	size_t n = rec->u.proc.n, cap;
	struct an_helper_row *row;
	struct an_helper_state *tmp;
	double t = (double)rec->t / 1e9, cpu = 0;
	uint64_t bad = 0;
	int is_new;

	if (cmn_array_grow((void **)&tr->helpers, &tr->helpers_cap,
	    tr->nhelpers + 1, sizeof(*tr->helpers)) != 0 ||
	    cmn_array_grow((void **)&a->cur, &a->cap_cur, n, sizeof(*a->cur)) != 0)
		return -1;
	row = &tr->helpers[tr->nhelpers++];
	memset(row, 0, sizeof(*row));
	row->t = t;
	row->dt = a->have_prev ? t - a->prev_t : NAN;
	row->procs = (int)n;
	helper_sums(rec, row, &bad);
	for (size_t i = 0; i < n; i++) {	/* rows come sorted by pid */
		struct an_helper_state *c = &a->cur[i];
		c->pid = rows[i].pid;
		c->start = (rows[i].have & PMT_HAVE(PMT_F_START)) ?
		    rows[i].v[PMT_F_START] : 0;
		c->has_cpu = helper_cpu(tr, &rows[i], &c->cpu_ns);
		cpu += helper_growth(a, c, &is_new);
		tr->helpers_seen += (size_t)is_new;
	}
	row->cpu_s = a->have_prev ? cpu : NAN;
	tmp = a->prev;
	a->prev = a->cur;
	a->cur = tmp;
	cap = a->cap_prev;
	a->cap_prev = a->cap_cur;
	a->cap_cur = cap;
	a->nprev = n;
	a->prev_t = t;
	a->have_prev = 1;
	tr->helpers_known = 1;
	return 0;
}

void
an_helpers_acc_free(struct an_helpers_acc *a)
{
	free(a->prev);
	free(a->cur);
	memset(a, 0, sizeof(*a));
}

/* The helpers row at t (contract in an_helpers.h): binary search by time. */
const struct an_helper_row *
an_helpers_at(const struct an_trace *tr, double t)
{
	size_t lo = 0, hi = tr->nhelpers, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (tr->helpers[mid].t < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < tr->nhelpers && fabs(tr->helpers[lo].t - t) < 1e-9)
		return &tr->helpers[lo];
	return NULL;
}
