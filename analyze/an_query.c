/*
 * an_query.c - lookups on a loaded trace by time: wall-clock time from the
 * clock anchors, the powermetrics sample covering a moment, the system
 * sample nearest before it.  Read-only; no statistics.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "an_trace.h"

#define TOLERANCE_S 0.05	/* receive latency allowed around a sample */

void
an_wall(const struct an_trace *tr, double t, int64_t *wall_ns, int64_t *off)
{
	double base_t = 0;
	uint64_t base = tr->hdr.wall_anchor_ns;

	*off = tr->hdr.utc_offset_s;
	for (size_t i = 0; i < tr->nclocks && tr->clocks[i].t <= t; i++) {
		base_t = tr->clocks[i].t;
		base = tr->clocks[i].wall_ns;
		*off = tr->clocks[i].off;
	}
	*wall_ns = (int64_t)base + (int64_t)llround((t - base_t) * 1e9);
}

void
an_iso_time(const struct an_trace *tr, double t, char *buf, size_t len)
{
	int64_t wall, off, ms;
	time_t s;
	struct tm tm;
	char day[32];

	an_wall(tr, t, &wall, &off);
	s = (time_t)(wall / 1000000000) + (time_t)off;
	ms = (wall / 1000000) % 1000;
	if (gmtime_r(&s, &tm) == NULL || strftime(day, sizeof(day),
	    "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
		snprintf(buf, len, "?");
		return;
	}
	snprintf(buf, len, "%s.%03d%c%02d:%02d", day, (int)ms, off < 0 ? '-' : '+',
	    (int)(llabs(off) / 3600), (int)(llabs(off) % 3600 / 60));
}

const struct an_pm *
an_pm_at(const struct an_trace *tr, double t)
{
	size_t lo = 0, hi = tr->npm;

	while (lo < hi) {	/* first sample ending at or after t */
		size_t mid = (lo + hi) / 2;
		if (tr->pm[mid].t_end + TOLERANCE_S < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == tr->npm)
		return NULL;
	{
		const struct an_pm *p = &tr->pm[lo];
		double start = p->t_start;
		if (isnan(start))
			start = lo > 0 ? tr->pm[lo - 1].t_end : p->t_end - tr->interval_s;
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
