/*
 * an_summary.h - the figures people quote: memory, CPU, GPU, Neural Engine,
 * swap, per mark interval, and the memory trend across marks.
 */
#ifndef AN_SUMMARY_H
#define AN_SUMMARY_H

#include <stddef.h>

#include "an_trace.h"

#define AN_ANE_THRESHOLD_W 0.05	/* Neural Engine counts as active above this */

/* Distribution of a series; NaN when it has no values. */
struct an_stat {
	double mean, p95, max;
	size_t n;
};

/* Memory over the recording, bytes; NaN when not recorded. */
struct an_mem {
	double start, peak, end, growth;
};

/* Power of one rail, system-wide. */
struct an_power {
	double mean_w, max_w, energy_j;	/* NaN when never printed */
	double seconds;			/* time covered by samples with a value */
};

/* One interval between marks (or before the first, after the last). */
struct an_segment {
	double t0, t1;			/* s */
	uint64_t mark;			/* number of the mark that starts it, 0 = start */
	const char *label;		/* its label ("" unnamed, NULL before the first mark) */
	size_t label_len;
	double mem_start, mem_end;	/* bytes (footprint, else RSS) */
	double cpu_mean_pct;
	double gpu_j, ane_j;		/* energy, J; NaN without powermetrics */
	double gpu_w, ane_w;		/* mean power, W */
};

/* Both power sources in one trace: each domain's mean from each. */
struct an_xcheck {
	int have;			/* both present, over a common time */
	double t0, t1;			/* s: the time both cover */
	double seconds;			/* t1 - t0; NaN without both */
	double pm_w[IOR_NDOMAINS];	/* mean W from powermetrics: CPU, GPU, ANE, DRAM */
	double ior_w[IOR_NDOMAINS];	/* mean W from IOReport */
	double diff_pct[IOR_NDOMAINS];	/* 100 (IOReport - powermetrics) / powermetrics */
};

struct an_summary {
	double duration_s;
	size_t samples;
	size_t procs_seen;
	struct an_mem rss, footprint, pss;
	double pss_end_age_s;		/* how long before the end pss.end was read; NaN */
	double disk_read, disk_written;	/* storage bytes of the tree; NaN if not recorded */
	/* processes outside the tree working for it (HELPERS); NaN: not looked for */
	double helpers_procs;		/* distinct processes seen */
	double helpers_mem_peak;	/* bytes: peak of their summed footprint (RSS
					 * where footprint is not recorded) */
	const char *helpers_mem_metric;	/* "footprint" or "RSS" */
	double helpers_cpu_seconds;	/* CPU they used while followed */
	const char *mem_metric;		/* "footprint" or "rss": used for marks */
	struct an_stat cpu;		/* % of one core */
	double cpu_seconds;		/* total CPU used while recorded */
	double threads_max;
	double app_gpu_seconds;		/* GPU time of the target's clients; NaN */
	double app_gpu_mean_pct;
	struct an_stat gpu_active;	/* %, system-wide */
	struct an_power gpu, ane, cpu_power, combined, dram;
	int power_source;		/* enum an_power_source of the power figures */
	size_t power_samples;		/* samples (powermetrics) or intervals (IOReport) of it */
	double power_seconds;		/* time they cover with a value */
	double pm_seconds;		/* time covered by powermetrics samples */
	size_t pm_samples;		/* powermetrics samples */
	size_t ior_readings;		/* IOReport readings */
	struct an_xcheck xcheck;	/* powermetrics against IOReport */
	double ane_threshold_w;
	double ane_active_s;		/* time with ANE power above the threshold */
	double ane_active_share;	/* of pm_seconds */
	double swap_start, swap_peak;	/* bytes */
	size_t gaps;			/* sleeps/stalls longer than 3 intervals */
	double gap_seconds;
	struct an_segment *seg;		/* nmarks + 1 intervals */
	size_t nseg;
	size_t marks;			/* the trace's marks */
	double trend_gb_per_mark;	/* least squares over the marks; NaN if < 2 */
	double trend_r2;
	size_t trend_points;
};

/* Computes the summary of a loaded trace.  Returns 0 or -1 (out of memory). */
int an_summarize(const struct an_trace *tr, double ane_threshold_w, struct an_summary *s);

void an_summary_free(struct an_summary *s);

/* Memory figure used for marks at row i: footprint if recorded, else RSS. */
double an_row_mem(const struct an_trace *tr, size_t i);

#endif /* AN_SUMMARY_H */
