/*
 * an_metric.h - the figures of a summary as one table.  Each figure has one
 * key, the same in report --json, compare (text, CSV and JSON) and list:
 * "memory_peak_gb" is the memory peak wherever it is printed.  A row says
 * the key, the label of compare's text table, the unit, the text format,
 * and where the value is in struct an_summary (the accessor).  report and
 * compare take every figure they print through an_metric_value(); nothing
 * is computed here (an_summary.c does that).
 *
 * Adding a figure: compute it in an_summarize() (a double or size_t field
 * of struct an_summary, NaN when not recorded), add its id below and its
 * row in an_metric.c (AN_M_COMPARE to show it in compare too), and print
 * it in an_report_text() where it belongs; report --json, compare and the
 * README's key list follow from the row.
 */
#ifndef AN_METRIC_H
#define AN_METRIC_H

#include <stddef.h>

#include "an_summary.h"
#include "an_trace.h"

/* Every figure, in the order report --json and compare print them. */
enum an_metric_id {
	AN_M_DURATION, AN_M_SAMPLES, AN_M_PROCESSES,
	AN_M_MEM_START, AN_M_MEM_PEAK, AN_M_MEM_END, AN_M_MEM_GROWTH,
	AN_M_RSS_START, AN_M_RSS_PEAK, AN_M_RSS_END, AN_M_RSS_GROWTH,
	AN_M_FOOT_START, AN_M_FOOT_PEAK, AN_M_FOOT_END, AN_M_FOOT_GROWTH,
	AN_M_PSS_START, AN_M_PSS_PEAK, AN_M_PSS_END, AN_M_PSS_GROWTH,
	AN_M_CPU_MEAN, AN_M_CPU_P95, AN_M_CPU_MAX, AN_M_CPU_SECONDS, AN_M_THREADS,
	AN_M_APP_GPU_SECONDS, AN_M_APP_GPU_MEAN,
	AN_M_GPU_MEAN, AN_M_GPU_P95,
	AN_M_GPU_W_MEAN, AN_M_GPU_W_MAX, AN_M_GPU_J,
	AN_M_ANE_W_MEAN, AN_M_ANE_W_MAX, AN_M_ANE_J,
	AN_M_CPU_W_MEAN, AN_M_CPU_W_MAX, AN_M_CPU_J,
	AN_M_ALL_W_MEAN, AN_M_ALL_W_MAX, AN_M_ALL_J,
	AN_M_DRAM_W_MEAN, AN_M_DRAM_W_MAX, AN_M_DRAM_J,
	AN_M_ANE_THRESHOLD, AN_M_ANE_ACTIVE_S, AN_M_ANE_SHARE,
	AN_M_PM_SAMPLES, AN_M_PM_SECONDS,
	AN_M_POWER_SAMPLES, AN_M_POWER_SECONDS, AN_M_IOR_READINGS,
	AN_M_XC_SECONDS,
	AN_M_XC_CPU_PM, AN_M_XC_CPU_IOR, AN_M_XC_CPU_DIFF,
	AN_M_XC_GPU_PM, AN_M_XC_GPU_IOR, AN_M_XC_GPU_DIFF,
	AN_M_XC_ANE_PM, AN_M_XC_ANE_IOR, AN_M_XC_ANE_DIFF,
	AN_M_XC_DRAM_PM, AN_M_XC_DRAM_IOR, AN_M_XC_DRAM_DIFF,
	AN_M_SWAP_START, AN_M_SWAP_PEAK,
	AN_M_GAPS, AN_M_GAP_SECONDS,
	AN_M_MARKS, AN_M_TREND, AN_M_TREND_R2, AN_M_TREND_POINTS,
	AN_M_PSS_END_AGE, AN_M_DISK_READ, AN_M_DISK_WRITTEN,
	AN_M_HELPERS_PROCS, AN_M_HELPERS_MEM_PEAK, AN_M_HELPERS_CPU_S,
	AN_M_N
};

enum {
	AN_M_REL = 1,		/* compare: B - A also in % of A */
	AN_M_COMPARE = 2,	/* a row of compare's table */
	AN_M_WHOLE = 4		/* a count: JSON prints it whole, never 1.2e+06 */
};

/* Where a figure's value is. */
enum an_metric_from {
	AN_FROM_DOUBLE,		/* a double of struct an_summary at off */
	AN_FROM_SIZE,		/* a size_t of struct an_summary at off */
	AN_FROM_MEMORY		/* a double of the memory the marks use (footprint
				   where recorded, else RSS: s->mem_metric) at
				   off in struct an_mem */
};

struct an_metric {
	const char *key;	/* report --json and compare --json key, compare.csv
				   row, list column */
	const char *label;	/* compare's text table */
	const char *unit;	/* "GB" (10^9 bytes), "%", "s", "W", "J", or "" */
	const char *fmt;	/* printf format of the number in text; NULL: a duration */
	unsigned flags;		/* AN_M_REL, AN_M_COMPARE */
	enum an_metric_from from;
	size_t off;		/* offsetof in struct an_summary or struct an_mem */
	double scale;		/* the value is the field times this */
};

extern const struct an_metric an_metrics[AN_M_N];

/* The value of figure id, in its unit; NaN when not recorded. */
double an_metric_value(enum an_metric_id id, const struct an_summary *s);

/* The figure whose key is key, or NULL. */
const struct an_metric *an_metric_find(const char *key);

#endif /* AN_METRIC_H */
