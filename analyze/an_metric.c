/*
 * an_metric.c - the table of summary figures (contract in an_metric.h):
 * keys, labels, units, formats and where each value is.
 */
#include <string.h>

#include "an_metric.h"

#define GB 1e-9			/* bytes to GB */
#define D(field) AN_FROM_DOUBLE, offsetof(struct an_summary, field)
#define Z(field) AN_FROM_SIZE, offsetof(struct an_summary, field)
#define M(field) AN_FROM_MEMORY, offsetof(struct an_mem, field)
#define C AN_M_COMPARE
#define R AN_M_REL
#define W AN_M_WHOLE

const struct an_metric an_metrics[AN_M_N] = {
	[AN_M_DURATION] = { "duration_s", "duration", "s", NULL, C | R, D(duration_s), 1 },
	[AN_M_SAMPLES] = { "samples", "samples", "", "%.0f", C | R | W, Z(samples), 1 },
	[AN_M_PROCESSES] = { "processes_seen", "processes seen", "", "%.0f", R | W,
	    Z(procs_seen), 1 },
	[AN_M_MEM_START] = { "memory_start_gb", "memory start (GB)", "GB", "%.3f", C | R,
	    M(start), GB },
	[AN_M_MEM_PEAK] = { "memory_peak_gb", "memory peak (GB)", "GB", "%.3f", C | R,
	    M(peak), GB },
	[AN_M_MEM_END] = { "memory_end_gb", "memory end (GB)", "GB", "%.3f", C | R,
	    M(end), GB },
	[AN_M_MEM_GROWTH] = { "memory_growth_gb", "memory growth (GB)", "GB", "%+.3f", C,
	    M(growth), GB },
	[AN_M_RSS_START] = { "rss_start_gb", "RSS start (GB)", "GB", "%.3f", R,
	    D(rss.start), GB },
	[AN_M_RSS_PEAK] = { "rss_peak_gb", "RSS peak (GB)", "GB", "%.3f", R, D(rss.peak), GB },
	[AN_M_RSS_END] = { "rss_end_gb", "RSS end (GB)", "GB", "%.3f", R, D(rss.end), GB },
	[AN_M_RSS_GROWTH] = { "rss_growth_gb", "RSS growth (GB)", "GB", "%+.3f", 0,
	    D(rss.growth), GB },
	[AN_M_FOOT_START] = { "footprint_start_gb", "footprint start (GB)", "GB", "%.3f", R,
	    D(footprint.start), GB },
	[AN_M_FOOT_PEAK] = { "footprint_peak_gb", "footprint peak (GB)", "GB", "%.3f", R,
	    D(footprint.peak), GB },
	[AN_M_FOOT_END] = { "footprint_end_gb", "footprint end (GB)", "GB", "%.3f", R,
	    D(footprint.end), GB },
	[AN_M_FOOT_GROWTH] = { "footprint_growth_gb", "footprint growth (GB)", "GB",
	    "%+.3f", 0, D(footprint.growth), GB },
	[AN_M_PSS_START] = { "pss_start_gb", "PSS start (GB)", "GB", "%.3f", R,
	    D(pss.start), GB },
	[AN_M_PSS_PEAK] = { "pss_peak_gb", "PSS peak (GB)", "GB", "%.3f", R, D(pss.peak), GB },
	[AN_M_PSS_END] = { "pss_end_gb", "PSS end (GB)", "GB", "%.3f", R, D(pss.end), GB },
	[AN_M_PSS_GROWTH] = { "pss_growth_gb", "PSS growth (GB)", "GB", "%+.3f", 0,
	    D(pss.growth), GB },
	[AN_M_CPU_MEAN] = { "cpu_mean_pct", "CPU mean (%)", "%", "%.1f", C, D(cpu.mean), 1 },
	[AN_M_CPU_P95] = { "cpu_p95_pct", "CPU p95 (%)", "%", "%.1f", C, D(cpu.p95), 1 },
	[AN_M_CPU_MAX] = { "cpu_max_pct", "CPU max (%)", "%", "%.1f", C, D(cpu.max), 1 },
	[AN_M_CPU_SECONDS] = { "cpu_seconds", "CPU time (s)", "s", "%.1f", C | R,
	    D(cpu_seconds), 1 },
	[AN_M_THREADS] = { "threads_max", "threads max", "", "%.0f", C | R | W, D(threads_max), 1 },
	[AN_M_APP_GPU_SECONDS] = { "app_gpu_seconds", "target's GPU time (s)", "s", "%.1f",
	    R, D(app_gpu_seconds), 1 },
	[AN_M_APP_GPU_MEAN] = { "app_gpu_mean_pct", "target's GPU mean (%)", "%", "%.1f", 0,
	    D(app_gpu_mean_pct), 1 },
	[AN_M_GPU_MEAN] = { "gpu_active_mean_pct", "GPU active mean (%)", "%", "%.1f", C,
	    D(gpu_active.mean), 1 },
	[AN_M_GPU_P95] = { "gpu_active_p95_pct", "GPU active p95 (%)", "%", "%.1f", C,
	    D(gpu_active.p95), 1 },
	[AN_M_GPU_W_MEAN] = { "gpu_power_mean_w", "GPU power mean (W)", "W", "%.2f", C | R,
	    D(gpu.mean_w), 1 },
	[AN_M_GPU_W_MAX] = { "gpu_power_max_w", "GPU power max (W)", "W", "%.2f", C | R,
	    D(gpu.max_w), 1 },
	[AN_M_GPU_J] = { "gpu_energy_j", "GPU energy (J)", "J", "%.0f", C | R,
	    D(gpu.energy_j), 1 },
	[AN_M_ANE_W_MEAN] = { "ane_power_mean_w", "ANE power mean (W)", "W", "%.2f", C | R,
	    D(ane.mean_w), 1 },
	[AN_M_ANE_W_MAX] = { "ane_power_max_w", "ANE power max (W)", "W", "%.2f", C | R,
	    D(ane.max_w), 1 },
	[AN_M_ANE_J] = { "ane_energy_j", "ANE energy (J)", "J", "%.0f", C | R,
	    D(ane.energy_j), 1 },
	[AN_M_CPU_W_MEAN] = { "cpu_power_mean_w", "CPU power mean (W)", "W", "%.2f", C | R,
	    D(cpu_power.mean_w), 1 },
	[AN_M_CPU_W_MAX] = { "cpu_power_max_w", "CPU power max (W)", "W", "%.2f", C | R,
	    D(cpu_power.max_w), 1 },
	[AN_M_CPU_J] = { "cpu_energy_j", "CPU energy (J)", "J", "%.0f", C | R,
	    D(cpu_power.energy_j), 1 },
	[AN_M_ALL_W_MEAN] = { "combined_power_mean_w", "CPU+GPU+ANE power mean (W)", "W",
	    "%.2f", R, D(combined.mean_w), 1 },
	[AN_M_ALL_W_MAX] = { "combined_power_max_w", "CPU+GPU+ANE power max (W)", "W",
	    "%.2f", R, D(combined.max_w), 1 },
	[AN_M_ALL_J] = { "combined_energy_j", "CPU+GPU+ANE energy (J)", "J", "%.0f", R,
	    D(combined.energy_j), 1 },
	[AN_M_DRAM_W_MEAN] = { "dram_power_mean_w", "DRAM power mean (W)", "W", "%.2f", R,
	    D(dram.mean_w), 1 },
	[AN_M_DRAM_W_MAX] = { "dram_power_max_w", "DRAM power max (W)", "W", "%.2f", R,
	    D(dram.max_w), 1 },
	[AN_M_DRAM_J] = { "dram_energy_j", "DRAM energy (J)", "J", "%.0f", R,
	    D(dram.energy_j), 1 },
	[AN_M_ANE_THRESHOLD] = { "ane_active_threshold_w", "ANE active above (W)", "W",
	    "%.2f", 0, D(ane_threshold_w), 1 },
	[AN_M_ANE_ACTIVE_S] = { "ane_active_s", "ANE active (s)", "s", NULL, R,
	    D(ane_active_s), 1 },
	[AN_M_ANE_SHARE] = { "ane_active_share_pct", "ANE active (% of time)", "%", "%.1f",
	    C, D(ane_active_share), 100 },
	[AN_M_PM_SAMPLES] = { "powermetrics_samples", "powermetrics samples", "", "%.0f", R | W,
	    Z(pm_samples), 1 },
	[AN_M_PM_SECONDS] = { "powermetrics_s", "powermetrics time (s)", "s", NULL, R,
	    D(pm_seconds), 1 },
	[AN_M_POWER_SAMPLES] = { "power_samples", "power samples", "", "%.0f", R | W,
	    Z(power_samples), 1 },
	[AN_M_POWER_SECONDS] = { "power_s", "power time (s)", "s", NULL, R,
	    D(power_seconds), 1 },
	[AN_M_IOR_READINGS] = { "ioreport_readings", "IOReport readings", "", "%.0f", R | W,
	    Z(ior_readings), 1 },
	/* both sources in one trace: each domain's mean from each, and the
	 * difference in % of powermetrics (an_summary.c summarize_xcheck) */
	[AN_M_XC_SECONDS] = { "crosscheck_s", "cross-check time (s)", "s", NULL, 0,
	    D(xcheck.seconds), 1 },
	[AN_M_XC_CPU_PM] = { "crosscheck_cpu_powermetrics_w", "CPU W, powermetrics", "W",
	    "%.2f", 0, D(xcheck.pm_w[0]), 1 },
	[AN_M_XC_CPU_IOR] = { "crosscheck_cpu_ioreport_w", "CPU W, IOReport", "W", "%.2f", 0,
	    D(xcheck.ior_w[0]), 1 },
	[AN_M_XC_CPU_DIFF] = { "crosscheck_cpu_difference_pct", "CPU W, difference (%)", "%",
	    "%+.1f", 0, D(xcheck.diff_pct[0]), 1 },
	[AN_M_XC_GPU_PM] = { "crosscheck_gpu_powermetrics_w", "GPU W, powermetrics", "W",
	    "%.2f", 0, D(xcheck.pm_w[1]), 1 },
	[AN_M_XC_GPU_IOR] = { "crosscheck_gpu_ioreport_w", "GPU W, IOReport", "W", "%.2f", 0,
	    D(xcheck.ior_w[1]), 1 },
	[AN_M_XC_GPU_DIFF] = { "crosscheck_gpu_difference_pct", "GPU W, difference (%)", "%",
	    "%+.1f", 0, D(xcheck.diff_pct[1]), 1 },
	[AN_M_XC_ANE_PM] = { "crosscheck_ane_powermetrics_w", "ANE W, powermetrics", "W",
	    "%.2f", 0, D(xcheck.pm_w[2]), 1 },
	[AN_M_XC_ANE_IOR] = { "crosscheck_ane_ioreport_w", "ANE W, IOReport", "W", "%.2f", 0,
	    D(xcheck.ior_w[2]), 1 },
	[AN_M_XC_ANE_DIFF] = { "crosscheck_ane_difference_pct", "ANE W, difference (%)", "%",
	    "%+.1f", 0, D(xcheck.diff_pct[2]), 1 },
	[AN_M_XC_DRAM_PM] = { "crosscheck_dram_powermetrics_w", "DRAM W, powermetrics", "W",
	    "%.2f", 0, D(xcheck.pm_w[3]), 1 },
	[AN_M_XC_DRAM_IOR] = { "crosscheck_dram_ioreport_w", "DRAM W, IOReport", "W", "%.2f",
	    0, D(xcheck.ior_w[3]), 1 },
	[AN_M_XC_DRAM_DIFF] = { "crosscheck_dram_difference_pct", "DRAM W, difference (%)",
	    "%", "%+.1f", 0, D(xcheck.diff_pct[3]), 1 },
	[AN_M_SWAP_START] = { "swap_start_gb", "swap start (GB)", "GB", "%.3f", R,
	    D(swap_start), GB },
	[AN_M_SWAP_PEAK] = { "swap_peak_gb", "swap peak (GB)", "GB", "%.3f", C | R,
	    D(swap_peak), GB },
	[AN_M_GAPS] = { "gaps", "gaps (sleep or stall)", "", "%.0f", W, Z(gaps), 1 },
	[AN_M_GAP_SECONDS] = { "gap_s", "time in gaps (s)", "s", NULL, 0, D(gap_seconds), 1 },
	[AN_M_MARKS] = { "marks", "marks", "", "%.0f", C | W, Z(marks), 1 },
	[AN_M_TREND] = { "memory_trend_gb_per_mark", "memory trend (GB/mark)", "GB/mark",
	    "%+.3f", C, D(trend_gb_per_mark), 1 },
	[AN_M_TREND_R2] = { "memory_trend_r2", "memory trend R\xc2\xb2", "", "%.2f", 0,
	    D(trend_r2), 1 },
	[AN_M_TREND_POINTS] = { "memory_trend_points", "memory trend points", "", "%.0f", W,
	    Z(trend_points), 1 },
	[AN_M_PSS_END_AGE] = { "pss_end_age_s", "PSS end read before the end (s)", "s",
	    "%.1f", 0, D(pss_end_age_s), 1 },
	[AN_M_DISK_READ] = { "disk_read_gb", "disk read (GB)", "GB", "%.3f", R,
	    D(disk_read), GB },
	[AN_M_DISK_WRITTEN] = { "disk_written_gb", "disk written (GB)", "GB", "%.3f", R,
	    D(disk_written), GB },
	/* processes outside the tree working for it (HELPERS records, macOS) */
	[AN_M_HELPERS_PROCS] = { "helpers_processes", "helpers (processes)", "", "%.0f",
	    R | W, D(helpers_procs), 1 },
	[AN_M_HELPERS_MEM_PEAK] = { "helpers_memory_peak_gb", "helpers memory peak (GB)",
	    "GB", "%.3f", R, D(helpers_mem_peak), GB },
	[AN_M_HELPERS_CPU_S] = { "helpers_cpu_s", "helpers CPU time (s)", "s", "%.1f",
	    R, D(helpers_cpu_seconds), 1 },
};

double
an_metric_value(enum an_metric_id id, const struct an_summary *s)
{
	const struct an_metric *m = &an_metrics[id];
	const char *base = (const char *)s;
	double v;
	size_t z;

	if (m->from == AN_FROM_MEMORY)
		base = (const char *)(s->mem_metric != NULL &&
		    strcmp(s->mem_metric, "footprint") == 0 ? &s->footprint : &s->rss);
	if (m->from == AN_FROM_SIZE) {
		memcpy(&z, base + m->off, sizeof(z));
		v = (double)z;
	} else {
		memcpy(&v, base + m->off, sizeof(v));
	}
	return v * m->scale;
}

const struct an_metric *
an_metric_find(const char *key)
{
	for (size_t i = 0; i < AN_M_N; i++)
		if (strcmp(an_metrics[i].key, key) == 0)
			return &an_metrics[i];
	return NULL;
}
