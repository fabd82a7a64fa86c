/*
 * an_query.c - lookups on a loaded trace by time: wall-clock time from the
 * clock anchors (validated by the loader, so the arithmetic stays within
 * int64), the powermetrics sample covering a moment, the system sample
 * nearest before it; and whether the powermetrics data came from another
 * machine.  Read-only; no statistics.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "an_trace.h"

#define TOLERANCE_S 0.05	/* receive latency allowed around a sample */

/* an_wall(), and whether the offset is known (*off_known). */
static int
wall_at(const struct an_trace *tr, double t, int64_t *wall_ns, int64_t *off, int *off_known)
{
	double base_t = 0, d;
	uint64_t base = tr->hdr.wall_anchor_ns;
	int known = tr->wall_known;

	*wall_ns = 0;
	*off_known = tr->offset_known;
	*off = tr->offset_known ? tr->hdr.utc_offset_s : 0;
	for (size_t i = 0; i < tr->nclocks && tr->clocks[i].t <= t; i++) {
		base_t = tr->clocks[i].t;	/* the loader kept only valid ones */
		base = tr->clocks[i].wall_ns;
		*off = tr->clocks[i].off;
		known = *off_known = 1;
	}
	/*
	 * base is at most 2200 in ns (an_load.c), about 7.3e18 < INT64_MAX; an
	 * offset from it of less than 1e9 s keeps the sum within int64.
	 */
	d = (t - base_t) * 1e9;
	if (!known || !(fabs(d) < 1e18))
		return -1;
	*wall_ns = (int64_t)base + (int64_t)llround(d);
	return 0;
}

int
an_wall(const struct an_trace *tr, double t, int64_t *wall_ns, int64_t *off)
{
	int off_known;

	return wall_at(tr, t, wall_ns, off, &off_known);
}

/* floor(a / b) and the matching remainder (0 <= r < b), for b > 0. */
static int64_t
floor_div(int64_t a, int64_t b, int64_t *r)
{
	int64_t q = a / b, m = a % b;

	if (m < 0) {
		q--;
		m += b;
	}
	*r = m;
	return q;
}

int
an_iso_time(const struct an_trace *tr, double t, char *buf, size_t len)
{
	int64_t wall, off, ns, sec;
	int off_known;
	time_t s;
	struct tm tm;
	char day[32], zone[16];

	if (wall_at(tr, t, &wall, &off, &off_known) != 0)
		goto unknown;
	sec = floor_div(wall, 1000000000, &ns);
	s = (time_t)(sec + off);	/* |sec| < 1e10, |off| <= 18 h */
	if (gmtime_r(&s, &tm) == NULL || strftime(day, sizeof(day),
	    "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		goto unknown;
	if (!off_known)
		snprintf(zone, sizeof(zone), "Z");
	else
		snprintf(zone, sizeof(zone), "%c%02d:%02d", off < 0 ? '-' : '+',
		    (int)(llabs(off) / 3600), (int)(llabs(off) % 3600 / 60));
	snprintf(buf, len, "%s.%03d%s", day, (int)(ns / 1000000), zone);
	return 0;
unknown:
	snprintf(buf, len, "(date unknown)");
	return -1;
}

void
an_timeline_span(const struct an_trace *tr, double *t0, double *t1)
{
	*t0 = *t1 = 0;
	if (tr->nrows == 0)
		return;
	*t0 = tr->rows[0].t;
	*t1 = tr->rows[tr->nrows - 1].t;
	if (tr->timeline == AN_TL_PM && tr->pm[0].t_start < *t0)	/* NaN: not */
		*t0 = tr->pm[0].t_start > 0 ? tr->pm[0].t_start : 0;	/* began before it ended */
	if (tr->timeline == AN_TL_IOR && tr->ior[0].t_start < *t0)
		*t0 = tr->ior[0].t_start > 0 ? tr->ior[0].t_start : 0;
}

const char *
an_timeline_name(const struct an_trace *tr)
{
	static const char *const names[] = { "process", "powermetrics", "system", "none",
		"IOReport" };

	return names[tr->timeline];
}

int
an_trace_complete(const struct an_trace *tr)
{
	return tr->have_end && tr->nproblems == 0 && tr->more_problems == 0 &&
	    tr->nbad_pm == 0 && tr->nrefused == 0 && tr->nior_issues == 0 &&
	    tr->ior_more_issues == 0 && an_trace_losses(tr) == 0;
}

size_t
an_trace_losses(const struct an_trace *tr)
{
	size_t n = 0;

	for (size_t i = 0; i < tr->nevents; i++)
		n += tr->events[i].kind == PMT_EV_LOSS;
	return n;
}

int64_t
an_trace_loss_count(const struct an_trace *tr, int64_t kind)
{
	for (size_t i = 0; i < tr->nevents; i++)
		if (tr->events[i].kind == PMT_EV_LOSS_COUNT && tr->events[i].value > 0 &&
		    tr->events[i].value % 256 == kind)
			return tr->events[i].value / 256;
	return -1;
}

const struct an_pm *
an_pm_at(const struct an_trace *tr, double t)
{
	size_t lo = 0, hi = tr->npower;

	while (lo < hi) {	/* first sample ending at or after t */
		size_t mid = (lo + hi) / 2;
		if (tr->power[mid].t_end + TOLERANCE_S < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == tr->npower)
		return NULL;
	{
		const struct an_pm *p = &tr->power[lo];
		double start = p->t_start;
		if (isnan(start))
			start = lo > 0 ? tr->power[lo - 1].t_end : p->t_end - tr->interval_s;
		return start - TOLERANCE_S <= t ? p : NULL;
	}
}

const struct an_sys *
an_sys_at(const struct an_trace *tr, double t)
{
	double period = tr->interval_s > 0.2 ? tr->interval_s : 0.2;
	size_t lo = 0, hi = tr->nsys;

	while (lo < hi) {	/* first sample after t + tolerance */
		size_t mid = (lo + hi) / 2;
		if (tr->sys[mid].t <= t + TOLERANCE_S)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	if (t - tr->sys[lo - 1].t > 1.5 * period + TOLERANCE_S)
		return NULL;
	return &tr->sys[lo - 1];
}

int
an_pm_cpus(const struct an_trace *tr)
{
	int n = 0;

	for (size_t i = 0; i < tr->npm; i++)
		if (tr->pm[i].ncpu > n)
			n = tr->pm[i].ncpu;
	return n;
}

int
an_pm_foreign(const struct an_trace *tr)
{
	const struct pmt_header *h = &tr->hdr;
	int64_t cpus = h->cores_p >= 0 && h->cores_e >= 0 ? h->cores_p + h->cores_e :
	    h->cpus_logical;
	int n = an_pm_cpus(tr);

	if (tr->npm == 0)
		return 0;
	if (h->os_name != NULL && h->os_name[0] != '\0' && strcmp(h->os_name, "macOS") != 0)
		return 1;		/* powermetrics exists only on macOS */
	if (tr->pm_model[0] != '\0' && h->model != NULL && h->model[0] != '\0' &&
	    strcmp(h->model, tr->pm_model) != 0)
		return 1;
	return n > 0 && cpus > 0 && n != cpus;
}
