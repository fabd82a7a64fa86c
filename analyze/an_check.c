/*
 * an_check.c - the limits of what a trace can mean, and the checks the
 * loader applies to a trace from someone else's machine (an_check.h): the
 * header (wall clock, UTC offset, counts, RAM, interval, CPU time unit),
 * clock records, process and system values, powermetrics samples.  Refused
 * values are named in an_trace.refused.  It reads no trace itself.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include "an_check.h"
#include "cmn_units.h"

/* ======================= Limits ======================= */

/*
 * The limits of what a trace can mean.  A wall clock is a date from 1970
 * to 2200 (in ns that stays far below INT64_MAX, so adding a recording's
 * length cannot overflow); a UTC offset is within +-18 h (every offset the
 * tz database has ever used; ISO 8601 and java.time allow the same).
 */
#define WALL_MAX_NS (7258118400ull * 1000000000ull)	/* 2200-01-01T00:00:00Z */
#define OFFSET_MAX_S (18 * 3600)

void
an_check_refuse(struct an_trace *tr, const char *fmt, ...)
{
	va_list ap;

	if (tr->nrefused < AN_REFUSED_KEPT) {
		va_start(ap, fmt);
		vsnprintf(tr->refused[tr->nrefused], sizeof(tr->refused[0]), fmt, ap);
		va_end(ap);
	}
	tr->nrefused++;
}

int
an_check_wall(uint64_t ns)
{
	return ns > 0 && ns <= WALL_MAX_NS;
}

int
an_check_offset(int64_t s)
{
	return s >= -OFFSET_MAX_S && s <= OFFSET_MAX_S;
}

/* ======================= Header ======================= */

/* A count the header gives (-1 unknown): kept when a machine can have it. */
static void
header_count(struct an_trace *tr, int64_t *v, int64_t max, const char *what)
{
	if (*v >= -1 && *v <= max)
		return;
	an_check_refuse(tr, "header: %s %lld is impossible; shown as unknown", what,
	    (long long)*v);
	*v = -1;
}

/*
 * Checks counts, sizes and units of the header: impossible ones become
 * unknown (-1, 0, NaN), so nothing downstream multiplies by them.
 */
static void
header_check_values(struct an_trace *tr)
{
	struct pmt_header *h = &tr->hdr;
	double unit;

	header_count(tr, &h->cores_p, (int64_t)AN_MAX_CORES, "P cores (or cores)");
	header_count(tr, &h->cores_e, (int64_t)AN_MAX_CORES, "E cores");
	header_count(tr, &h->cpus_logical, (int64_t)AN_MAX_CORES, "logical CPUs");
	header_count(tr, &h->gpu_cores, (int64_t)AN_MAX_CORES, "GPU cores");
	header_count(tr, &h->ane_cores, (int64_t)AN_MAX_CORES, "Neural Engine cores");
	header_count(tr, &h->target_pid, INT32_MAX, "target pid");
	if (h->ram_bytes > (1ull << 50)) {	/* 1 PiB */
		an_check_refuse(tr, "header: RAM of %llu bytes is impossible; shown as unknown",
		    (unsigned long long)h->ram_bytes);
		h->ram_bytes = 0;
	}
	tr->interval_s = (double)h->interval_ns / 1e9;
	if (tr->interval_s > 86400) {
		an_check_refuse(tr, "header: interval of %llu ns is more than a day; shown as unknown",
		    (unsigned long long)h->interval_ns);
		tr->interval_s = 0;
	}
	/* ns per CPU time unit: 1e7 for Linux ticks, 41.7 or 1 for Mach */
	unit = h->cpu_time_den > 0 ? (double)h->cpu_time_num / (double)h->cpu_time_den : NAN;
	tr->cpu_ns_per_unit = unit >= 1e-3 && unit <= 1e9 ? unit : NAN;
	if (isnan(tr->cpu_ns_per_unit) && (h->cpu_time_num != 0 || h->cpu_time_den != 0))
		an_check_refuse(tr, "header: CPU time unit %llu/%llu ns is impossible; CPU is not shown",
		    (unsigned long long)h->cpu_time_num, (unsigned long long)h->cpu_time_den);
}

/* Checks the header's wall clock and UTC offset (refused ones are not used). */
static void
header_check_clock(struct an_trace *tr)
{
	struct pmt_header *h = &tr->hdr;

	tr->wall_known = an_check_wall(h->wall_anchor_ns);
	tr->offset_known = an_check_offset(h->utc_offset_s);
	if (!tr->wall_known && h->wall_anchor_ns != 0)
		an_check_refuse(tr, "header: wall-clock anchor %llu ns is not a date between 1970 and "
		    "2200; times of day are not shown", (unsigned long long)h->wall_anchor_ns);
	if (!tr->offset_known)
		an_check_refuse(tr, "header: UTC offset %lld s is not within +-18 h; times are shown "
		    "in UTC", (long long)h->utc_offset_s);
	if (!tr->wall_known)
		tr->hdr.wall_anchor_ns = 0;	/* nothing downstream adds to it */
	if (!tr->offset_known)
		tr->hdr.utc_offset_s = 0;
}

void
an_check_header(struct an_trace *tr)
{
	header_check_clock(tr);
	header_check_values(tr);
}

/* ======================= Samples ======================= */

double
an_check_max(double v, double max, uint64_t *bad)
{
	if (isnan(v) || v <= max)
		return v;
	(*bad)++;
	return NAN;
}

/*
 * v when it lies in [lo, hi], else NaN, counted: a value no powermetrics
 * sample can hold (a share beyond 100 %, negative or absurd power, a
 * sample longer than a day) is not used, so no sum or figure gets it.
 */
static double
pm_range(double v, double lo, double hi, uint64_t *bad)
{
	if (isnan(v) || (v >= lo && v <= hi))
		return v;
	(*bad)++;
	return NAN;
}

#define PM_MAX_W 10000.0	/* 10 kW: no Mac draws that */
#define PM_MAX_MHZ 100000.0
#define PM_MAX_PCT 100.5	/* residencies are rounded when printed */

void
an_check_pm(struct pm_sample *s, uint64_t *bad)
{
	s->elapsed_ms = pm_range(s->elapsed_ms, 1e-3, 86400000.0, bad);
	s->timestamp = pm_range(s->timestamp, 1.0, 7258118400.0, bad);
	s->gpu_active_pct = pm_range(s->gpu_active_pct, 0, PM_MAX_PCT, bad);
	s->gpu_freq_mhz = pm_range(s->gpu_freq_mhz, 0, PM_MAX_MHZ, bad);
	s->gpu_power_w = pm_range(s->gpu_power_w, 0, PM_MAX_W, bad);
	s->ane_power_w = pm_range(s->ane_power_w, 0, PM_MAX_W, bad);
	s->cpu_power_w = pm_range(s->cpu_power_w, 0, PM_MAX_W, bad);
	s->combined_power_w = pm_range(s->combined_power_w, 0, PM_MAX_W, bad);
	s->package_power_w = pm_range(s->package_power_w, 0, PM_MAX_W, bad);
	s->dram_power_w = pm_range(s->dram_power_w, 0, PM_MAX_W, bad);
	for (int i = 0; i < s->n_cpus; i++)
		s->cpus[i].active_pct = pm_range(s->cpus[i].active_pct, 0, PM_MAX_PCT, bad);
	for (int i = 0; i < s->n_clusters; i++) {
		s->clusters[i].active_pct = pm_range(s->clusters[i].active_pct, 0,
		    PM_MAX_PCT, bad);
		s->clusters[i].freq_mhz = pm_range(s->clusters[i].freq_mhz, 0, PM_MAX_MHZ, bad);
	}
}

/* ======================= What was not used ======================= */

void
an_check_counted(struct an_trace *tr, uint64_t values, uint64_t pm_values, uint64_t clocks)
{
	if (values > 0)
		an_check_refuse(tr, "%llu process or system %s impossible on any machine not "
		    "shown (memory or swap above 1 PiB, over 2^22 threads, counters jumping by "
		    "more than 4096 cores or 1 TB/s could do)", (unsigned long long)values,
		    cmn_units_noun(values, "value", "values"));
	if (pm_values > 0)
		an_check_refuse(tr, "%llu powermetrics %s out of range not used (a share "
		    "outside 0-100 %%, power negative or above 10 kW, a sample length not within "
		    "a day)", (unsigned long long)pm_values, cmn_units_noun(pm_values, "value",
		    "values"));
	if (clocks > 0)
		an_check_refuse(tr, "%llu clock %s skipped: wall clock not a date between 1970 "
		    "and 2200, or UTC offset not within +-18 h", (unsigned long long)clocks,
		    cmn_units_noun(clocks, "record", "records"));
}
