/*
 * pm_parse.h - parse raw macOS powermetrics output (text or -f plist).
 *
 * The analyzer's reader of the bytes the recorder stored: it splits a
 * stream into samples and turns one sample into a struct pm_sample in watts,
 * MHz, percent and milliseconds.  Every value a powermetrics version does not
 * print is NaN, never 0.  Input is untrusted: the parser never reads past
 * len, needs no NUL terminator, keeps no state, never allocates, never prints
 * and never exits; a malformed sample is -1 with a one-line reason.
 */
#ifndef PM_PARSE_H
#define PM_PARSE_H

#include <stddef.h>

enum pm_format { PM_FORMAT_UNKNOWN = 0, PM_FORMAT_TEXT, PM_FORMAT_PLIST };
enum { PM_MAX_CLUSTERS = 16, PM_MAX_CPUS = 256 };

/* One CPU cluster ("E-Cluster", "P0-Cluster", ...).  NaN = not printed. */
struct pm_cluster {
	char name[24];		/* as printed ("P0-Cluster"), or "" */
	double active_pct;	/* active residency %; plist 100-idle-down */
	double idle_pct;	/* idle residency % */
	double down_pct;	/* down residency % (M4 and later) */
	double freq_mhz;	/* HW active frequency, MHz */
	double power_w;		/* cluster power, W (macOS 11/12 text) */
};

/* One CPU.  NaN = not printed. */
struct pm_cpu {
	int id;			/* "cpu 4" -> 4; -1 if not printed */
	int cluster;		/* index into clusters[]; -1 unknown */
	double active_pct;	/* active residency %; plist: 100-idle-down */
	double idle_pct;	/* idle residency % */
	double down_pct;	/* down residency % (M4 and later) */
	double freq_mhz;	/* frequency, MHz */
};

/* One powermetrics sample.  Every double is NaN when not printed. */
struct pm_sample {
	enum pm_format format;	/* which parser produced it */
	int is_summary;		/* a "*** Summary system activity" */
	double elapsed_ms;	/* the sample's own elapsed time */
	double timestamp;	/* Unix time (s) of the sample */
	int tz_offset_min;	/* text "-0800" -> -480; 0 for plist "Z" */
	double gpu_active_pct;	/* GPU active residency, or 100 - idle */
	double gpu_idle_pct;	/* GPU idle residency % */
	double gpu_freq_mhz;	/* GPU (HW) active frequency, MHz */
	double gpu_power_w;	/* GPU power, W (or energy / elapsed) */
	double ane_power_w;	/* ANE power, W (or energy / elapsed) */
	double cpu_power_w;	/* CPU power, W (11: Clusters Total) */
	double combined_power_w;	/* CPU + GPU + ANE power, W */
	double package_power_w;	/* "Package Power", W (macOS 11/12) */
	double dram_power_w;	/* "DRAM Power", W (macOS 11/12) */
	double cpu_energy_j;	/* plist cpu_energy, J */
	double gpu_energy_j;	/* plist gpu_energy, J */
	double ane_energy_j;	/* plist ane_energy, J */
	int combined_derived;	/* 1: combined = cpu+gpu+ane (derived) */
	int n_clusters;		/* clusters[0..n_clusters-1] are valid */
	struct pm_cluster clusters[PM_MAX_CLUSTERS];	/* as printed */
	int n_cpus;		/* cpus[0 .. n_cpus-1] are valid */
	struct pm_cpu cpus[PM_MAX_CPUS];	/* as printed */
	char hw_model[32];	/* plist hw_model, "" if absent */
	char os_build[16];	/* plist kern_osversion, "" if absent */
};

/*
 * Guesses the format of a buffer: the first byte that is not NUL or white
 * space is '<' -> PM_FORMAT_PLIST; text that starts like powermetrics output
 * (or holds a sample header in its first 64 KiB) -> PM_FORMAT_TEXT; else
 * PM_FORMAT_UNKNOWN.
 */
enum pm_format pm_detect(const void *buf, size_t len);

/*
 * Parses ONE sample: text from its "*** Sampled/Summary system activity"
 * header to before the next header (leading blank lines allowed); plist one
 * plist, possibly with leading/trailing NUL bytes and white space.  Sets
 * every field of *out (array slots past n_clusters/n_cpus are left alone);
 * on failure *out holds nothing (all NaN).  Returns 0, or -1 for a malformed
 * sample with a one-line reason in err (no trailing newline; err may be
 * NULL when errlen is 0).
 */
int pm_parse_sample(const void *buf, size_t len, struct pm_sample *out,
    char *err, size_t errlen);

/*
 * Reads the text preamble before the first sample ("Machine model:
 * Macmini9,1", "OS version: 20D80").  Copies the values, NUL-terminated and
 * truncated to fit; os_build is "" when not printed.  Returns 0, or -1 when
 * there is no "Machine model:" line before the first sample header.
 */
int pm_parse_preamble(const void *buf, size_t len, char *model,
    size_t model_len, char *os_build, size_t os_len);

/* Returns "text", "plist" or "unknown". */
const char *pm_format_name(enum pm_format f);

#endif /* PM_PARSE_H */
