/*
 * an_trace.h - a trace loaded for analysis: the header, one aggregated row
 * per sample of the process tree (with CPU accounted by the rule in
 * an_cpu.c), system samples, parsed powermetrics samples, marks, events,
 * the processes seen, and what could not be read.  Times are seconds since
 * the start of the recording; sizes bytes; missing values NaN.  Values a
 * trace cannot mean (a wall clock beyond the integer limits, an impossible
 * core count) are refused when loading and named in refused[].
 */
#ifndef AN_TRACE_H
#define AN_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "cmn_calib.h"
#include "pmtrace.h"
#include "powermetrics/ior_power.h"

/*
 * One row of the timeline: a sample of the target's tree, summed over its
 * processes; in a trace without any (an imported powermetrics log, a
 * target that never ran) a powermetrics sample, else a system sample, with
 * every value of the tree unknown (NaN, procs -1).  See an_trace.timeline.
 */
struct an_row {
	double t;			/* s since start */
	double dt;			/* s since the previous row; NaN for the first */
	double rss;			/* resident bytes, summed */
	double footprint;		/* physical footprint bytes, summed; NaN if not recorded */
	double pss;			/* proportional set size bytes: each process's latest
					 * reading; NaN until every process had one */
	double pss_age;			/* s since the oldest of those readings; NaN with pss */
	double cpu_s;			/* CPU seconds used since the previous row; NaN first */
	int cpu_coarse;			/* cpu_s came partly from tick counters */
	double threads;			/* threads, summed; NaN if not recorded */
	int procs;			/* processes in the tree; -1 unknown */
	double gpu_s;			/* GPU seconds of the tree's GPU clients since gpu was last read; NaN if not read now */
	double gpu_dt;			/* s since gpu was last read */
	double read_b;			/* storage bytes read since io was last read; NaN if not read now */
	double write_b;			/* storage bytes written since io was last read; NaN */
	double io_dt;			/* s since io was last read */
	int gap;			/* more than 3 intervals after the previous row */
};

/* One system sample. */
struct an_sys {
	double t;
	double swap_used, swap_total;	/* bytes; NaN if not recorded */
	double ram_total, ram_avail;	/* bytes; NaN if not recorded */
	uint32_t ncpu, nstates;		/* shape of the ticks at ticks_off */
	size_t ticks_off;		/* into an_trace.ticks */
};

/* One powermetrics sample, parsed. */
struct an_pm {
	double t_end;			/* s: when the recorder received its last byte */
	double t_start;			/* t_end minus its own elapsed time */
	double elapsed_ms;		/* as printed; NaN if not */
	double timestamp;		/* Unix time printed in the sample; NaN */
	double gpu_active_pct, gpu_freq_mhz;
	double gpu_w, ane_w, cpu_w, combined_w, package_w, dram_w;
	int combined_derived;		/* combined = cpu + gpu + ane (not printed) */
	uint16_t ncpu;			/* per-CPU active % at cpu_off */
	size_t cpu_off;			/* into an_trace.cpu_pct */
	uint8_t nclusters;		/* per-cluster active %, freq at cl_off */
	size_t cl_off;			/* into an_trace.cl_pct / cl_mhz */
};

struct an_mark {
	double t;
	uint64_t number;		/* 1, 2, 3 over all marks */
	char *label;			/* NUL-terminated copy (may hold anything) */
	size_t len;
};

struct an_event {
	double t;
	uint32_t kind;			/* enum pmt_event_kind */
	int64_t value;
	char *msg;
};

/* A process seen in the tree (pid + start time). */
struct an_proc {
	int32_t pid, ppid;
	uint64_t start;
	char name[PMT_NAME_MAX + 1];
	double first_t, last_t;
	double cpu_s;			/* own CPU used while followed (from its first sample) */
	double peak_rss;
};

/* The processes outside the tree working for it, at one HELPERS record. */
struct an_helper_row {
	double t;			/* s since start (that of a tree sample) */
	double dt;			/* s since the previous HELPERS record; NaN first */
	double rss;			/* resident bytes, summed */
	double footprint;		/* physical footprint bytes, summed; NaN if not recorded */
	double cpu_s;			/* CPU seconds used since the previous record by the
					 * processes in both; NaN for the first */
	int procs;			/* processes */
};

/* A powermetrics sample that could not be parsed. */
struct an_bad_pm {
	double t;
	char why[160];
};

/* Where the rows of the timeline come from. */
enum an_timeline {
	AN_TL_PROC,			/* process samples (a recording of a target) */
	AN_TL_PM,			/* no process samples: powermetrics samples */
	AN_TL_SYS,			/* no process samples, no powermetrics: system samples */
	AN_TL_NONE,			/* none of them: no rows */
	AN_TL_IOR			/* no process samples, no powermetrics: IOReport intervals */
};

#define AN_REFUSED_KEPT 16	/* refused-value notes kept (all are counted) */

/* The units check the recording made at its start (FORMAT.md 2.3). */
struct an_calib {
	int have;			/* a CALIB record was read (the first one is kept) */
	uint32_t set;			/* PMT_HAVE(field) of v */
	uint64_t v[PMT_C_N];		/* its numbers, by enum pmt_calib_field */
	char note[PMT_CALIB_NOTE_MAX + 1];	/* what it could not measure; "" */
	struct cmn_calib_verdict verdict;	/* ratios, what is off, scale factors */
	int scaled;			/* CPU times were scaled by the verdict's factors */
	int disabled;			/* --no-calibration: shown, not applied */
};

struct an_trace {
	char *path;
	uint64_t file_size;
	unsigned major, minor;
	struct pmt_header hdr;		/* strings owned by hdr_strings */
	char *hdr_strings;
	int have_hdr;
	int wall_known;			/* the wall-clock anchor is a date (see an_load.c) */
	int offset_known;		/* the UTC offset is within +-18 h */
	double interval_s;		/* requested interval */
	double cpu_ns_per_unit;		/* cpu_time_num / den */
	int io_children;		/* a process's disk bytes include its reaped
					 * children's (header io_children; else: Linux) */

	enum an_timeline timeline;	/* what rows[] are */
	struct an_row *rows; size_t nrows, rows_cap;
	struct an_sys *sys; size_t nsys, sys_cap;
	uint64_t *ticks; size_t nticks, ticks_cap;
	struct an_pm *pm; size_t npm, pm_cap;
	float *cpu_pct; size_t ncpu_pct, cpu_pct_cap;
	float *cl_pct, *cl_mhz; size_t ncl, cl_cap;
	char cl_names[16][24];		/* cluster names in order of first appearance */
	int ncl_names;
	int8_t cpu_cluster[256];	/* powermetrics CPU (by position) -> cl_names index, -1 */
	int ncpu_cluster;		/* CPUs with a known cluster (from the widest sample) */
	struct an_mark *marks; size_t nmarks, marks_cap;
	struct an_event *events; size_t nevents, events_cap;
	struct an_proc *procs; size_t nprocs, procs_cap;
	/* processes outside the tree working for it (HELPERS, an_helpers.c) */
	struct an_helper_row *helpers; size_t nhelpers, helpers_cap;
	int helpers_known;		/* they were looked for (header, or a record) */
	size_t helpers_seen;		/* distinct processes among them */
	struct { double t; uint64_t wall_ns; int64_t off; } *clocks;
	size_t nclocks, clocks_cap;

	uint64_t pm_records, pm_bytes;	/* raw powermetrics data stored */
	uint64_t pm_summaries;		/* "Summary" blocks (not samples) */
	char pm_model[64], pm_os[32];	/* the powermetrics machine: text preamble or plist */
	int pm_format;			/* enum pm_format of the first sample */
	struct an_bad_pm bad_pm[20];	/* first malformed samples */
	uint64_t nbad_pm;

	/* IOReport (macOS energy counters, no root): one an_pm per interval
	 * between two readings (ior_power.c); ncpu and nclusters are 0 */
	struct an_pm *ior; size_t nior, ior_cap;
	uint64_t ior_readings;		/* IOR_SAMPLE records read */
	size_t ior_channels;		/* channels of the last table */
	size_t ior_domain_ch[IOR_NDOMAINS];	/* energy channels per domain */
	size_t ior_state_ch;		/* GPU state channels */
	struct ior_issue ior_issues[IOR_MAX_ISSUES];	/* stalls, resets, gaps */
	size_t nior_issues;
	uint64_t ior_more_issues;

	/* The power source of the summary, CSV and figure (an_power_choose):
	 * pm or ior; none when the trace lacks the one wanted. */
	const struct an_pm *power; size_t npower;
	int power_source;		/* enum an_power_source */
	int power_wanted;		/* what was asked for (AN_POWER_AUTO by default) */

	struct pmt_problem *problems;	/* what the reader could not read */
	size_t nproblems;
	uint64_t more_problems;		/* found but not listed: beyond the reader's
					 * list, or no memory to keep them */
	char refused[AN_REFUSED_KEPT][200];	/* values the loader would not use, and why */
	size_t nrefused;
	double reaped_cpu_s;		/* CPU of the started command and all it waited
					 * for, from its wait4 (REAPED event); NaN if none */
	double reaped_t;		/* when it was reaped */
	double cpu_closed_s;		/* CPU the rows lacked and got from it (>= 0) */
	struct pmt_end end;		/* END record */
	int have_end;
	uint64_t batches, frames;
	struct an_calib calib;		/* the units check, if the trace has one */
};

/*
 * Loads the trace at path.  Returns 0, or -1 with a one-line message in err
 * when the file cannot be read as a trace at all; damage inside a trace is
 * not an error (see problems).
 */
int an_load(struct an_trace *tr, const char *path, char *err, size_t errlen);

/*
 * Whether an_load() scales the CPU times of a trace whose units check says
 * they are off (on by default; --no-calibration turns it off).  For every
 * trace loaded afterwards.
 */
void an_load_calibration(int on);

void an_free(struct an_trace *tr);

/*
 * Unix time (ns) and UTC offset (s, 0 when not known) at t, from the
 * header and CLOCK records.  Returns 0, or -1 when the trace has no valid
 * wall clock or the time at t is outside what int64 ns can hold.
 */
int an_wall(const struct an_trace *tr, double t, int64_t *wall_ns, int64_t *off);

/*
 * Formats t as ISO 8601 local time with offset ("2026-11-25T17:50:12.345+01:00"),
 * in UTC ("...Z") when the offset is not known.  Returns 0, or -1 with
 * "(date unknown)" in buf.
 */
int an_iso_time(const struct an_trace *tr, double t, char *buf, size_t len);

/* The time the timeline covers, s: from the first row (or the start of the
 * first powermetrics sample) to the last row; 0, 0 without rows. */
void an_timeline_span(const struct an_trace *tr, double *t0, double *t1);

/* "process", "powermetrics", "IOReport" or "system": where the timeline's rows come from. */
const char *an_timeline_name(const struct an_trace *tr);

/* Whether the trace ended cleanly with nothing lost, damaged or refused,
 * and no IOReport counter stalled, went back or went missing. */
int an_trace_complete(const struct an_trace *tr);

/*
 * What the recorder could not read (EVENT LOSS, 1.1): the number of kinds
 * said; an_trace_loss_count() gives how often kind happened (its LOSS_COUNT
 * event), or -1 when the trace does not say (it did not end cleanly).
 */
size_t an_trace_losses(const struct an_trace *tr);
int64_t an_trace_loss_count(const struct an_trace *tr, int64_t kind);

/* Where power figures come from. */
enum an_power_source {
	AN_POWER_AUTO = 0,		/* powermetrics when present, else IOReport */
	AN_POWER_PM,			/* powermetrics (needs sudo when recording) */
	AN_POWER_IOR,			/* IOReport energy counters (no root) */
	AN_POWER_NONE			/* neither (power is empty) */
};

/*
 * Points tr->power at the source wanted (AN_POWER_AUTO: powermetrics when
 * the trace has its samples, else IOReport when it has intervals).  Returns
 * 0, or -1 when the trace has none of the wanted source (power is then
 * empty and power_source AN_POWER_NONE).  an_load() chooses AUTO.
 */
int an_power_choose(struct an_trace *tr, int want);

/* "powermetrics", "IOReport", "none" (for people). */
const char *an_power_source_name(int source);

/* "powermetrics", "ioreport", "none" (as --power-source spells them). */
const char *an_power_source_key(int source);

/* Why there is no power of the source wanted (AN_POWER_AUTO: any), one line. */
const char *an_power_missing(const struct an_trace *tr, int wanted);

/* Parses "powermetrics" or "ioreport" into *source.  0, or -1. */
int an_power_source_parse(const char *s, int *source);

/* The power sample (of the chosen source) whose interval covers t, or NULL. */
const struct an_pm *an_pm_at(const struct an_trace *tr, double t);

/* The latest system sample at or just after t (within one sampling period), or NULL. */
const struct an_sys *an_sys_at(const struct an_trace *tr, double t);

/* CPUs powermetrics printed (the most in one sample), or 0. */
int an_pm_cpus(const struct an_trace *tr);

/*
 * Whether the trace's powermetrics data came from another machine than its
 * process data (a capture replayed with --powermetrics-cmd): the trace is
 * not from macOS, or powermetrics names another model, or prints another
 * number of CPUs than the header's.
 */
int an_pm_foreign(const struct an_trace *tr);

#endif /* AN_TRACE_H */
